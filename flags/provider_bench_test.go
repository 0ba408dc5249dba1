package flags_test

import (
	"context"
	"testing"

	"github.com/glidepath/glidepath/flags"
	"github.com/glidepath/glidepath/internal/murmur3"
	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/isolated"
	"github.com/open-feature/go-sdk/openfeature/memprovider"
)

// memSplitEvaluator gives memprovider the same logic as benchConfig: one
// targeting rule (country in NL, BE) and a 25/75 split bucketed like flagd.
// With withMeta, it reports the same kind of explanation our provider puts in
// flag metadata (rule, bucket, total weight), from prebuilt maps.
func memSplitEvaluator(withMeta bool) memprovider.ContextEvaluator {
	var metas [100]openfeature.FlagMetadata
	if withMeta {
		for b := range metas {
			metas[b] = openfeature.FlagMetadata{"rule": "0", "ruleIndex": int64(0), "bucket": int64(b), "totalWeight": int64(100)}
		}
	}
	fn := func(f memprovider.InMemoryFlag, flat openfeature.FlattenedContext) (any, openfeature.ProviderResolutionDetail) {
		c, _ := flat["country"].(string)
		tk, _ := flat[openfeature.TargetingKey].(string)
		if (c == "NL" || c == "BE") && tk != "" {
			h := murmur3.New32(0)
			h.WriteString(f.Key)
			h.WriteString(tk)
			b := (uint64(h.Sum32()) * 100) >> 32
			if b < 25 {
				return true, openfeature.ProviderResolutionDetail{Reason: openfeature.SplitReason, Variant: "on", FlagMetadata: metas[b]}
			}
			return false, openfeature.ProviderResolutionDetail{Reason: openfeature.SplitReason, Variant: "off", FlagMetadata: metas[b]}
		}
		return false, openfeature.ProviderResolutionDetail{Reason: openfeature.DefaultReason, Variant: "off"}
	}
	return &fn
}

func benchClient(b *testing.B, p openfeature.FeatureProvider) *openfeature.Client {
	api := isolated.NewAPI()
	b.Cleanup(func() { _ = api.Shutdown(context.Background()) })
	if err := api.SetProviderAndWait(context.Background(), p); err != nil {
		b.Fatal(err)
	}
	return api.NewClient()
}

// BenchmarkOpenFeatureClient compares our provider with the SDK's
// memprovider evaluating equivalent flags, through the same client path.
func BenchmarkOpenFeatureClient(b *testing.B) {
	store, err := flags.NewStore(benchConfig())
	if err != nil {
		b.Fatal(err)
	}
	staticCfg := flags.Config{Flags: map[string]flags.Flag{"static": {
		Variants: map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)}, DefaultVariant: "on"}}}
	staticStore, err := flags.NewStore(staticCfg)
	if err != nil {
		b.Fatal(err)
	}
	mem := memprovider.NewInMemoryProvider(map[string]memprovider.InMemoryFlag{
		"checkout-v2": {Key: "checkout-v2", State: memprovider.Enabled, DefaultVariant: "off",
			Variants: map[string]any{"on": true, "off": false}, ContextEvaluator: memSplitEvaluator(false)},
		"static": {Key: "static", State: memprovider.Enabled, DefaultVariant: "on",
			Variants: map[string]any{"on": true, "off": false}},
	})
	memMeta := memprovider.NewInMemoryProvider(map[string]memprovider.InMemoryFlag{
		"checkout-v2": {Key: "checkout-v2", State: memprovider.Enabled, DefaultVariant: "off",
			Variants: map[string]any{"on": true, "off": false}, ContextEvaluator: memSplitEvaluator(true)},
	})
	ec := openfeature.NewEvaluationContext("user-1234567", map[string]any{"country": "NL"})
	cases := []struct {
		name string
		p    openfeature.FeatureProvider
		flag string
	}{
		{"static/memprovider", mem, "static"},
		{"static/glidepath", flags.NewProvider(staticStore), "static"},
		{"rule+split/memprovider", mem, "checkout-v2"},
		{"rule+split/glidepath", flags.NewProvider(store, flags.WithDecisionMetadata(false)), "checkout-v2"},
		{"rule+split+metadata/memprovider", memMeta, "checkout-v2"},
		{"rule+split+metadata/glidepath", flags.NewProvider(store), "checkout-v2"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			client := benchClient(b, tc.p)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				_, _ = client.BooleanValueDetails(ctx, tc.flag, false, ec)
			}
		})
	}
}

// BenchmarkProviderDirect measures the provider alone, without the SDK.
func BenchmarkProviderDirect(b *testing.B) {
	store, err := flags.NewStore(benchConfig())
	if err != nil {
		b.Fatal(err)
	}
	for _, explain := range []bool{false, true} {
		name := "plain"
		if explain {
			name = "metadata"
		}
		b.Run(name, func(b *testing.B) {
			p := flags.NewProvider(store, flags.WithDecisionMetadata(explain))
			flat := openfeature.FlattenedContext{"targetingKey": "user-1234567", "country": "NL"}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				_ = p.BooleanEvaluation(ctx, "checkout-v2", false, flat)
			}
		})
	}
}
