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
