package flags_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/glidepath/glidepath/flags"
	"github.com/google/go-cmp/cmp"
)

var (
	rampStart = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	day       = 24 * time.Hour
)

// exposureConfig has a targeting rule, a fixed split, a stepped ramp (with
// a step that repeats its predecessor) and a linear ramp.
func exposureConfig() flags.Config {
	staff := flags.Attr("email").EndsWith("@corp.example")
	tier := flags.Attr("tier").Equals(flags.String("gold"))
	beta := flags.Attr("beta").Equals(flags.Bool(true))
	v := map[string]flags.Value{"a": flags.String("a"), "b": flags.String("b"), "c": flags.String("c")}
	return flags.Config{Flags: map[string]flags.Flag{
		"exp": {
			Variants: v, DefaultVariant: "b",
			Rules: []flags.Rule{
				{Name: "staff", When: &staff, Variant: "a"},
				{Name: "gold", When: &tier, Split: &flags.Split{
					Variants: []flags.WeightedVariant{{Variant: "a", Weight: 1}, {Variant: "b", Weight: 3}},
				}},
				{Name: "beta", When: &beta, Split: &flags.Split{
					Variants: []flags.WeightedVariant{{Variant: "a", Weight: 0}, {Variant: "b", Weight: 90}, {Variant: "c", Weight: 10}},
					Ramp: &flags.Ramp{Points: []flags.RampPoint{
						{At: rampStart, Weight: 10},
						{At: rampStart.Add(day), Weight: 10},
						{At: rampStart.Add(2 * day), Weight: 50},
					}},
				}},
				{Split: &flags.Split{
					Variants: []flags.WeightedVariant{{Variant: "a", Weight: 0}, {Variant: "b", Weight: 1000}},
					Ramp: &flags.Ramp{Mode: flags.RampLinear, Points: []flags.RampPoint{
						{At: rampStart.Add(day), Weight: 0},
						{At: rampStart.Add(3 * day), Weight: 1000},
					}},
				}},
			},
		},
		"plain": {Variants: v, DefaultVariant: "a"},
	}}
}

type shareRow struct {
	Variant      string
	Weight, From int64
	Total        int64
	Rule, Step   int
	Name         string
	Lin          bool
	At           string
}

func TestExposure(t *testing.T) {
	snap, err := flags.Compile(exposureConfig())
	if err != nil {
		t.Fatal(err)
	}
	weights := func(es []flags.SplitExposure) map[string][]int64 {
		out := map[string][]int64{}
		for _, e := range es {
			k := fmt.Sprintf("%s@%d", e.RuleName, e.RampStep)
			for _, s := range e.Shares {
				out[k] = append(out[k], s.Weight)
			}
		}
		return out
	}
	tests := []struct {
		name string
		at   time.Time
		want map[string][]int64
	}{
		{"before the ramps", rampStart.Add(-time.Nanosecond), map[string][]int64{
			"gold@-1": {1, 3}, "beta@-1": {0, 90, 10}, "3@-1": {0, 1000}}},
		{"first step", rampStart, map[string][]int64{
			"gold@-1": {1, 3}, "beta@0": {10, 80, 10}, "3@-1": {0, 1000}}},
		{"repeated step", rampStart.Add(day), map[string][]int64{
			"gold@-1": {1, 3}, "beta@1": {10, 80, 10}, "3@0": {0, 1000}}},
		{"linear, a quarter in", rampStart.Add(day + day/2), map[string][]int64{
			"gold@-1": {1, 3}, "beta@1": {10, 80, 10}, "3@0": {250, 750}}},
		{"linear, rounds down", rampStart.Add(day + time.Minute), map[string][]int64{
			// 1000 × 60 s / 172800 s = 0.347…
			"gold@-1": {1, 3}, "beta@1": {10, 80, 10}, "3@0": {0, 1000}}},
		{"linear, just before the end", rampStart.Add(3*day - time.Nanosecond), map[string][]int64{
			"gold@-1": {1, 3}, "beta@2": {50, 40, 10}, "3@0": {999, 1}}},
		{"after the ramps", rampStart.Add(30 * day), map[string][]int64{
			"gold@-1": {1, 3}, "beta@2": {50, 40, 10}, "3@1": {1000, 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			es, err := snap.Exposure("exp", tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, weights(es)); diff != "" {
				t.Errorf("weights (-want +got):\n%s", diff)
			}
			for _, e := range es {
				var from int64
				for _, s := range e.Shares {
					if s.From != from || s.TotalWeight <= 0 {
						t.Errorf("%s: share %+v, want From %d", e.RuleName, s, from)
					}
					from += s.Weight
				}
				if len(e.Shares) > 0 && from != e.Shares[0].TotalWeight {
					t.Errorf("%s: weights add up to %d, total %d", e.RuleName, from, e.Shares[0].TotalWeight)
				}
			}
		})
	}

	t.Run("rule identity and Share", func(t *testing.T) {
		es, _ := snap.Exposure("exp", rampStart)
		if len(es) != 3 || es[0].Rule != 1 || es[1].Rule != 2 || es[2].Rule != 3 || es[0].Ramped || !es[1].Ramped {
			t.Fatalf("got %+v", es)
		}
		s, ok := es[0].Share("a")
		if !ok || s.Fraction() != 0.25 {
			t.Errorf("Share(a) = %+v, %v; want a quarter", s, ok)
		}
		if _, ok := es[0].Share("c"); ok {
			t.Error("Share(c) found a variant the split does not name")
		}
	})
	t.Run("values", func(t *testing.T) {
		es, _ := snap.Exposure("exp", rampStart)
		changes, _ := snap.RampSchedule("exp")
		var shares []flags.VariantShare
		for _, e := range es {
			shares = append(shares, e.Shares...)
		}
		for _, c := range changes {
			shares = append(shares, c.Shares...)
		}
		for _, s := range shares {
			if want := flags.String(s.Variant); !s.Value.Equal(want) {
				t.Errorf("variant %s: Value %v, want %v", s.Variant, s.Value, want)
			}
		}
	})
	t.Run("flag without splits", func(t *testing.T) {
		es, err := snap.Exposure("plain", rampStart)
		if err != nil || len(es) != 0 {
			t.Errorf("got %v, %v", es, err)
		}
	})
	t.Run("unknown flag", func(t *testing.T) {
		if _, err := snap.Exposure("nope", rampStart); !errors.Is(err, flags.ErrFlagNotFound) {
			t.Errorf("err = %v", err)
		}
		if _, err := snap.RampSchedule("nope"); !errors.Is(err, flags.ErrFlagNotFound) {
			t.Errorf("err = %v", err)
		}
	})
}

// TestExposureMatchesEvaluation checks that Exposure is exact: every
// evaluation lands in the bucket range Exposure gives its variant, at
// instants all through the ramps.
func TestExposureMatchesEvaluation(t *testing.T) {
	snap, err := flags.Compile(exposureConfig())
	if err != nil {
		t.Fatal(err)
	}
	attrs := []map[string]any{{"tier": "gold"}, {"beta": true}, {}}
	subs := subjects(2000)
	for step := range 14 {
		at := rampStart.Add(-day + time.Duration(step)*(7*time.Hour+13*time.Minute+time.Nanosecond))
		es, err := snap.Exposure("exp", at)
		if err != nil {
			t.Fatal(err)
		}
		for ai, a := range attrs {
			e := es[ai]
			counts := map[string]int64{}
			for _, sub := range subs {
				sub.Attributes = a
				d := snap.Evaluate("exp", sub, at)
				if d.Rule != e.Rule || d.RampStep != e.RampStep {
					t.Fatalf("%v: rule %d step %d, exposure says rule %d step %d", at, d.Rule, d.RampStep, e.Rule, e.RampStep)
				}
				s, ok := e.Share(d.Variant)
				if !ok || d.Bucket < s.From || d.Bucket >= s.From+s.Weight || d.TotalWeight != s.TotalWeight {
					t.Fatalf("%v rule %s: bucket %d got %s, exposure %+v", at, e.RuleName, d.Bucket, d.Variant, e.Shares)
				}
				if !s.Value.Equal(d.Value()) {
					t.Fatalf("%v rule %s: %s served %v, exposure says %v", at, e.RuleName, d.Variant, d.Value(), s.Value)
				}
				counts[d.Variant]++
			}
			for _, s := range e.Shares {
				if s.Weight == 0 && counts[s.Variant] > 0 {
					t.Errorf("%v rule %s: %d subjects got %s at weight 0", at, e.RuleName, counts[s.Variant], s.Variant)
				}
			}
		}
	}
}

func TestSnapshotRampSchedule(t *testing.T) {
	snap, err := flags.Compile(exposureConfig())
	if err != nil {
		t.Fatal(err)
	}
	got, err := snap.RampSchedule("exp")
	if err != nil {
		t.Fatal(err)
	}
	var rows []shareRow
	for _, c := range got {
		for _, s := range c.Shares {
			rows = append(rows, shareRow{Variant: s.Variant, Weight: s.Weight, From: s.From, Total: s.TotalWeight,
				Rule: c.Rule, Step: c.Step, Name: c.RuleName, Lin: c.Linear, At: c.At.Format(time.RFC3339)})
		}
	}
	d0, d1, d2, d3 := "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z", "2026-12-04T00:00:00Z"
	want := []shareRow{
		{At: d0, Rule: 2, Name: "beta", Step: 0, Variant: "a", Weight: 10, From: 0, Total: 100},
		{At: d0, Rule: 2, Name: "beta", Step: 0, Variant: "b", Weight: 80, From: 10, Total: 100},
		{At: d0, Rule: 2, Name: "beta", Step: 0, Variant: "c", Weight: 10, From: 90, Total: 100},
		// beta's second point repeats the first and is left out.
		{At: d1, Rule: 3, Name: "3", Step: 0, Lin: true, Variant: "a", Weight: 0, From: 0, Total: 1000},
		{At: d1, Rule: 3, Name: "3", Step: 0, Lin: true, Variant: "b", Weight: 1000, From: 0, Total: 1000},
		{At: d2, Rule: 2, Name: "beta", Step: 2, Variant: "a", Weight: 50, From: 0, Total: 100},
		{At: d2, Rule: 2, Name: "beta", Step: 2, Variant: "b", Weight: 40, From: 50, Total: 100},
		{At: d2, Rule: 2, Name: "beta", Step: 2, Variant: "c", Weight: 10, From: 90, Total: 100},
		{At: d3, Rule: 3, Name: "3", Step: 1, Variant: "a", Weight: 1000, From: 0, Total: 1000},
		{At: d3, Rule: 3, Name: "3", Step: 1, Variant: "b", Weight: 0, From: 1000, Total: 1000},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("schedule (-want +got):\n%s", diff)
	}

	// Between listed changes that are not linear, Exposure is constant and
	// equal to the change's shares.
	for _, c := range got {
		if c.Linear {
			continue
		}
		for _, at := range []time.Time{c.At, c.At.Add(time.Hour)} {
			es, _ := snap.Exposure("exp", at)
			for _, e := range es {
				if e.Rule == c.Rule && !cmp.Equal(e.Shares, c.Shares) {
					t.Errorf("at %v rule %d: exposure %v, schedule %v", at, c.Rule, e.Shares, c.Shares)
				}
			}
		}
	}

	t.Run("flag without ramps", func(t *testing.T) {
		got, err := snap.RampSchedule("plain")
		if err != nil || len(got) != 0 {
			t.Errorf("got %v, %v", got, err)
		}
	})
}

func BenchmarkExposure(b *testing.B) {
	snap, err := flags.Compile(exposureConfig())
	if err != nil {
		b.Fatal(err)
	}
	at := rampStart.Add(day + day/2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := snap.Exposure("exp", at); err != nil {
			b.Fatal(err)
		}
	}
}
