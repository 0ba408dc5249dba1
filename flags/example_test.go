package flags_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/glidepath/glidepath/flags"
	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/isolated"
)

func Example() {
	staff := flags.Attr("email").EndsWith("@corp.example")
	cfg := flags.Config{Flags: map[string]flags.Flag{
		"checkout-v2": {
			Variants:       map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)},
			DefaultVariant: "off",
			Rules: []flags.Rule{
				{Name: "staff", When: &staff, Variant: "on"},
				{Name: "rollout", Split: &flags.Split{Variants: []flags.WeightedVariant{
					{Variant: "on", Weight: 20}, {Variant: "off", Weight: 80},
				}}},
			},
		},
	}}
	store, err := flags.NewStore(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	checkout := flags.BoolFlag(store, "checkout-v2")
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, user := range []string{"user-1", "user-2", "user-6", "user-7"} {
		on, d := checkout.DetailsAt(flags.Context{TargetingKey: user}, now, false)
		fmt.Printf("%s: %v (%s, bucket %d of %d)\n", user, on, d.Reason, d.Bucket, d.TotalWeight)
	}
	on := checkout.ValueAt(flags.Context{TargetingKey: "ann", Attributes: map[string]any{"email": "ann@corp.example"}}, now, false)
	fmt.Println("ann:", on)
	// Output:
	// user-1: false (SPLIT, bucket 87 of 100)
	// user-2: false (SPLIT, bucket 60 of 100)
	// user-6: true (SPLIT, bucket 0 of 100)
	// user-7: true (SPLIT, bucket 10 of 100)
	// ann: true
}

func ExampleParseConfig() {
	doc := []byte(`
flags:
  checkout-v2:
    variants: {"on": true, "off": false}
    rules:
      - split:
          variants:
            - {variant: "on", weight: 0}
            - {variant: "off", weight: 0}
`)
	_, err := flags.ParseConfig(doc)
	fmt.Println(err)
	// Output:
	// flags: flags.checkout-v2.rules[0].split: weights sum to 0
}

func ExampleRamp() {
	start := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	cfg := flags.Config{Flags: map[string]flags.Flag{"search-v3": {
		Variants:       map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)},
		DefaultVariant: "off",
		Rules: []flags.Rule{{Split: &flags.Split{
			// "on" comes first and starts at 0; the ramp moves weight from "off".
			Variants: []flags.WeightedVariant{{Variant: "on", Weight: 0}, {Variant: "off", Weight: 1000}},
			Ramp: &flags.Ramp{Mode: flags.RampLinear, Points: []flags.RampPoint{
				{At: start, Weight: 10}, {At: start.Add(72 * time.Hour), Weight: 1000},
			}},
		}}},
	}}}
	snap, err := flags.Compile(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range []int{-1, 0, 24, 48, 72} {
		at := start.Add(time.Duration(h) * time.Hour)
		on := 0
		for i := range 10000 {
			if snap.Evaluate("search-v3", flags.Context{TargetingKey: fmt.Sprint("user-", i)}, at).Variant == "on" {
				on++
			}
		}
		fmt.Printf("%+3dh: %5.1f%%\n", h, float64(on)/100)
	}
	// Output:
	//  -1h:   0.0%
	//  +0h:   1.0%
	// +24h:  34.6%
	// +48h:  67.6%
	// +72h: 100.0%
}

func ExampleStore_Kill() {
	store, err := flags.NewStore(flags.Config{Flags: map[string]flags.Flag{
		"express-pay": {Variants: map[string]flags.Value{"on": flags.Bool(true)}, DefaultVariant: "on", Tags: []string{"payments"}},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	h := flags.BoolFlag(store, "express-pay")
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(h.ValueAt(flags.Context{}, now, false))
	store.Kill("payments")
	_, d := h.DetailsAt(flags.Context{}, now, false)
	fmt.Println(d.Reason)
	// Output:
	// true
	// DISABLED
}

func ExampleNewProvider() {
	store, err := flags.NewStore(flags.Config{Flags: map[string]flags.Flag{
		"greeting": {
			Variants:       map[string]flags.Value{"formal": flags.String("Good day"), "casual": flags.String("Hi")},
			DefaultVariant: "formal",
			Rules:          []flags.Rule{{Name: "young", When: ptrCond(flags.Attr("age").Compare(flags.OpLess, flags.Int(30))), Variant: "casual"}},
		},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	api := isolated.NewAPI()
	defer func() { _ = api.Shutdown(ctx) }()
	if err := api.SetProviderAndWait(ctx, flags.NewProvider(store)); err != nil {
		fmt.Println(err)
		return
	}
	client := api.NewClient()
	d, _ := client.StringValueDetails(ctx, "greeting", "Hello", openfeature.NewEvaluationContext("u1", map[string]any{"age": 25}))
	rule, _ := d.FlagMetadata.GetString("rule")
	fmt.Println(d.Value, d.Reason, d.Variant, rule)
	// Output:
	// Hi TARGETING_MATCH casual young
}

func ExampleFileWatcher() {
	dir, err := os.MkdirTemp("", "flags")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "flags.yaml")
	_ = os.WriteFile(path, []byte("flags:\n  banner:\n    variants: {a: \"A\"}\n    defaultVariant: a\n"), 0o600)

	store := &flags.Store{}
	store.Subscribe(func(e flags.Event) { fmt.Println(e.Kind, e.Changed, e.Err != nil) })
	w := &flags.FileWatcher{Path: path, Store: store}
	_ = w.Poll() // Run(ctx) polls every Interval

	_ = os.WriteFile(path, []byte("flags:\n  banner:\n    variants: {a: \"A\"}\n    defaultVariant: b\n"), 0o600)
	_ = w.Poll()
	_ = os.Remove(path)
	_ = w.Poll()
	fmt.Println(store.Snapshot().Keys())
	// Output:
	// changed [banner] false
	// rejected [] true
	// stale [] true
	// [banner]
}

func ExampleParseFlagd() {
	cfg, err := flags.ParseFlagd([]byte(`{
	  "flags": {
	    "headline": {
	      "state": "ENABLED",
	      "variants": {"a": "Fast", "b": "Faster"},
	      "defaultVariant": "a",
	      "targeting": {"fractional": [["a", 50], ["b", 50]]}
	    }
	  }
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	snap, err := flags.Compile(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := snap.Evaluate("headline", flags.Context{TargetingKey: "jon@company.com"}, time.Time{})
	fmt.Println(d.Variant, d.Reason, d.Bucket)
	// Output:
	// a SPLIT 15
}

// rampedConfig raises checkout-v2 from 0% to 5%, 25% and 100% on three
// dates.
func rampedConfig() flags.Config {
	day1 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	return flags.Config{Flags: map[string]flags.Flag{
		"checkout-v2": {
			Variants:       map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)},
			DefaultVariant: "off",
			Rules: []flags.Rule{{Name: "rollout", Split: &flags.Split{
				Variants: []flags.WeightedVariant{{Variant: "on", Weight: 0}, {Variant: "off", Weight: 1000}},
				Ramp: &flags.Ramp{Points: []flags.RampPoint{
					{At: day1, Weight: 50},
					{At: day1.Add(48 * time.Hour), Weight: 250},
					{At: day1.Add(7 * 24 * time.Hour), Weight: 1000},
				}},
			}}},
		},
	}}
}

func ExampleSnapshot_Exposure() {
	snap, err := flags.Compile(rampedConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, at := range []time.Time{
		time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC),
	} {
		splits, _ := snap.Exposure("checkout-v2", at)
		for _, sp := range splits {
			on, _ := sp.Share("on")
			fmt.Printf("%s: rule %q, ramp step %d: on %.1f%% (%d of %d buckets)\n",
				at.Format("Jan 2"), sp.RuleName, sp.RampStep, 100*on.Fraction(), on.Weight, on.TotalWeight)
		}
	}
	// Output:
	// Nov 30: rule "rollout", ramp step -1: on 0.0% (0 of 1000 buckets)
	// Dec 4: rule "rollout", ramp step 1: on 25.0% (250 of 1000 buckets)
}

func ExampleSnapshot_RampSchedule() {
	snap, err := flags.Compile(rampedConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	changes, _ := snap.RampSchedule("checkout-v2")
	for _, c := range changes {
		fmt.Printf("%s  rule %s step %d:", c.At.Format(time.DateTime), c.RuleName, c.Step)
		for _, s := range c.Shares {
			fmt.Printf(" %s %.0f%%", s.Variant, 100*s.Fraction())
		}
		fmt.Println()
	}
	// Output:
	// 2026-12-01 09:00:00  rule rollout step 0: on 5% off 95%
	// 2026-12-03 09:00:00  rule rollout step 1: on 25% off 75%
	// 2026-12-08 09:00:00  rule rollout step 2: on 100% off 0%
}
