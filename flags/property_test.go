package flags_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/glidepath/glidepath/flags"
)

// subjects returns n distinct targeting keys.
func subjects(n int) []flags.Context {
	out := make([]flags.Context, n)
	for i := range out {
		out[i] = flags.Context{TargetingKey: "subject-" + strconv.Itoa(i)}
	}
	return out
}

func numSubjects() int {
	if testing.Short() {
		return 5000
	}
	return 20000
}

func variantsN(n int) map[string]flags.Value {
	m := map[string]flags.Value{}
	for i := range n {
		m["v"+strconv.Itoa(i)] = flags.String("v" + strconv.Itoa(i))
	}
	return m
}

func assign(t *testing.T, snap *flags.Snapshot, key string, subs []flags.Context, at time.Time) []string {
	t.Helper()
	out := make([]string, len(subs))
	for i, ec := range subs {
		d := snap.Evaluate(key, ec, at)
		if d.Reason != flags.ReasonSplit {
			t.Fatalf("reason %v for %s", d.Reason, ec.TargetingKey)
		}
		out[i] = d.Variant
	}
	return out
}

// TestPropertyRampGrowthKeepsExposed: as a ramp advances, nobody who has the
// ramped variant loses it, the only moves are from the second variant to the
// first, and the other variants keep exactly their subjects.
func TestPropertyRampGrowthKeepsExposed(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	subs := subjects(numSubjects())
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for trial := range 6 {
		// A split of 2..4 variants; the first starts small and ramps up.
		nv := 2 + r.IntN(3)
		ws := []flags.WeightedVariant{{Variant: "v0", Weight: int64(r.IntN(50))}, {Variant: "v1", Weight: int64(100 + r.IntN(900))}}
		for i := 2; i < nv; i++ {
			ws = append(ws, flags.WeightedVariant{Variant: "v" + strconv.Itoa(i), Weight: int64(1 + r.IntN(500))})
		}
		pair := ws[0].Weight + ws[1].Weight
		var points []flags.RampPoint
		w := ws[0].Weight
		for p := range 1 + r.IntN(4) {
			w += r.Int64N(pair - w + 1)
			points = append(points, flags.RampPoint{At: start.Add(time.Duration(p+1) * 24 * time.Hour), Weight: w})
		}
		mode := flags.RampMode(r.IntN(2))
		snap, err := flags.Compile(flags.Config{Flags: map[string]flags.Flag{"ramped": {
			Variants: variantsN(nv), Rules: []flags.Rule{{Split: &flags.Split{Variants: ws, Ramp: &flags.Ramp{Mode: mode, Points: points}}}},
		}}})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("trial"+strconv.Itoa(trial), func(t *testing.T) {
			prev := assign(t, snap, "ramped", subs, start)
			for h := 6; h <= 24*(len(points)+2); h += 6 {
				cur := assign(t, snap, "ramped", subs, start.Add(time.Duration(h)*time.Hour))
				for i := range cur {
					if prev[i] == cur[i] {
						continue
					}
					if prev[i] != "v1" || cur[i] != "v0" {
						t.Fatalf("%s at +%dh moved %s -> %s (mode %v, weights %v, points %v)",
							subs[i].TargetingKey, h, prev[i], cur[i], mode, ws, points)
					}
				}
				prev = cur
			}
		})
	}
}

// TestPropertyAddingVariantTakesOnlyItsShare: inserting a variant right
// after the variant it takes its weight from (total unchanged) moves only
// subjects of that donor, only to the new variant, and about its share.
func TestPropertyAddingVariantTakesOnlyItsShare(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	subs := subjects(numSubjects())
	for trial := range 8 {
		nv := 2 + r.IntN(4)
		var before []flags.WeightedVariant
		var total int64
		for i := range nv {
			w := int64(10 + r.IntN(1000))
			total += w
			before = append(before, flags.WeightedVariant{Variant: "v" + strconv.Itoa(i), Weight: w})
		}
		donor := r.IntN(nv)
		share := 1 + r.Int64N(before[donor].Weight)
		after := append([]flags.WeightedVariant{}, before[:donor+1]...)
		after[donor].Weight -= share
		after = append(after, flags.WeightedVariant{Variant: "new", Weight: share})
		after = append(after, before[donor+1:]...)
		vs := variantsN(nv)
		vs["new"] = flags.String("new")
		mk := func(ws []flags.WeightedVariant) *flags.Snapshot {
			snap, err := flags.Compile(flags.Config{Flags: map[string]flags.Flag{"f": {
				Variants: vs, Rules: []flags.Rule{{Split: &flags.Split{Variants: ws}}}}}})
			if err != nil {
				t.Fatal(err)
			}
			return snap
		}
		t.Run("trial"+strconv.Itoa(trial), func(t *testing.T) {
			a := assign(t, mk(before), "f", subs, t0)
			b := assign(t, mk(after), "f", subs, t0)
			moved := 0
			for i := range a {
				if a[i] == b[i] {
					continue
				}
				if b[i] != "new" || a[i] != before[donor].Variant {
					t.Fatalf("%s moved %s -> %s; only %s -> new is allowed", subs[i].TargetingKey, a[i], b[i], before[donor].Variant)
				}
				moved++
			}
			got, want := float64(moved)/float64(len(subs)), float64(share)/float64(total)
			if d := got - want; d > 0.02 || d < -0.02 {
				t.Errorf("new variant took %.4f of subjects, want about %.4f", got, want)
			}
		})
	}
}

// TestPropertySharedSeedCorrelates: flags with a shared seed and the same
// split give every subject the same bucket; flags bucketing by their own
// keys do not.
func TestPropertySharedSeedCorrelates(t *testing.T) {
	split := func() *flags.Split {
		return &flags.Split{Variants: []flags.WeightedVariant{{Variant: "v0", Weight: 50}, {Variant: "v1", Weight: 50}}}
	}
	cfg := flags.Config{Flags: map[string]flags.Flag{
		"a":      {Variants: variantsN(2), BucketBy: flags.BucketBySeed("pricing"), Rules: []flags.Rule{{Split: split()}}},
		"b":      {Variants: variantsN(2), BucketBy: flags.BucketBySeed("pricing"), Rules: []flags.Rule{{Split: split()}}},
		"c":      {Variants: variantsN(2), Rules: []flags.Rule{{Split: split()}}},
		"d":      {Variants: variantsN(2), Rules: []flags.Rule{{Split: split()}}},
		"rule-a": {Variants: variantsN(2), Rules: []flags.Rule{{Split: &flags.Split{BucketBy: flags.BucketBySeed("pricing"), Variants: split().Variants}}}},
	}}
	snap, err := flags.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	subs := subjects(numSubjects())
	a, b, c, d := assign(t, snap, "a", subs, t0), assign(t, snap, "b", subs, t0), assign(t, snap, "c", subs, t0), assign(t, snap, "d", subs, t0)
	ra := assign(t, snap, "rule-a", subs, t0)
	same := func(x, y []string) int {
		n := 0
		for i := range x {
			if x[i] == y[i] {
				n++
			}
		}
		return n
	}
	if n := same(a, b); n != len(subs) {
		t.Errorf("shared seed: %d of %d subjects agree, want all", n, len(subs))
	}
	if n := same(a, ra); n != len(subs) {
		t.Errorf("rule-level seed: %d of %d agree with flag-level seed, want all", n, len(subs))
	}
	if frac := float64(same(c, d)) / float64(len(subs)); frac < 0.47 || frac > 0.53 {
		t.Errorf("own keys: %.3f agree, want about 0.5 (independent)", frac)
	}
}
