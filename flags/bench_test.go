package flags_test

import (
	"testing"
	"time"

	"github.com/glidepath/glidepath/flags"
)

// benchConfig has one targeting rule followed by a fractional split.
func benchConfig() flags.Config {
	when := flags.Attr("country").In(flags.String("NL"), flags.String("BE"))
	return flags.Config{Flags: map[string]flags.Flag{
		"checkout-v2": {
			Variants:       map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)},
			DefaultVariant: "off",
			Rules: []flags.Rule{{
				When: &when,
				Split: &flags.Split{Variants: []flags.WeightedVariant{
					{Variant: "on", Weight: 25}, {Variant: "off", Weight: 75},
				}},
			}},
		},
	}}
}

func BenchmarkHandleRuleAndSplit(b *testing.B) {
	store, err := flags.NewStore(benchConfig())
	if err != nil {
		b.Fatal(err)
	}
	h := flags.BoolFlag(store, "checkout-v2")
	ec := flags.Context{TargetingKey: "user-1234567", Attributes: map[string]any{"country": "NL"}}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if h.ValueAt(ec, now, false) {
			n++
		}
	}
	_ = n
}

func BenchmarkSnapshotEvaluate(b *testing.B) {
	store, err := flags.NewStore(benchConfig())
	if err != nil {
		b.Fatal(err)
	}
	snap := store.Snapshot()
	ec := flags.Context{TargetingKey: "user-1234567", Attributes: map[string]any{"country": "NL"}}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		d := snap.Evaluate("checkout-v2", ec, now)
		if d.Reason != flags.ReasonSplit {
			b.Fatal(d.Reason)
		}
	}
}

// BenchmarkHandleRuleAndRampedSplit is BenchmarkHandleRuleAndSplit with a
// linear ramp in force, the costliest form of a split.
func BenchmarkHandleRuleAndRampedSplit(b *testing.B) {
	cfg := benchConfig()
	f := cfg.Flags["checkout-v2"]
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Rules[0].Split.Ramp = &flags.Ramp{Mode: flags.RampLinear, Points: []flags.RampPoint{
		{At: start, Weight: 0}, {At: start.Add(24 * time.Hour), Weight: 50}, {At: start.Add(48 * time.Hour), Weight: 100},
	}}
	cfg.Flags["checkout-v2"] = f
	store, err := flags.NewStore(cfg)
	if err != nil {
		b.Fatal(err)
	}
	h := flags.BoolFlag(store, "checkout-v2")
	ec := flags.Context{TargetingKey: "user-1234567", Attributes: map[string]any{"country": "NL"}}
	now := start.Add(30 * time.Hour)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if h.ValueAt(ec, now, false) {
			n++
		}
	}
	_ = n
}
