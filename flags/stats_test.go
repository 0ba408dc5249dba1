package flags_test

import (
	"strconv"
	"testing"

	"github.com/glidepath/glidepath/flags"
)

// Critical values of the chi-square distribution at p = 0.001. The keys are
// fixed, so these tests are deterministic: they fail only if bucketing is
// biased, not by chance on a given run.
const (
	chi2Crit99df = 148.23 // 99 degrees of freedom
	chi2Crit3df  = 16.27  // 3 degrees of freedom
	chi2Crit9df  = 27.88  // 9 degrees of freedom
)

const statKeys = 100_000

func quarterSplit() *flags.Split {
	return &flags.Split{Variants: []flags.WeightedVariant{
		{Variant: "v0", Weight: 25}, {Variant: "v1", Weight: 25}, {Variant: "v2", Weight: 25}, {Variant: "v3", Weight: 25}}}
}

func TestStatisticsBucketsUniform(t *testing.T) {
	buckets := make([]float64, 100)
	variantCounts := map[string]float64{}
	snap, err := flags.Compile(flags.Config{Flags: map[string]flags.Flag{
		"pct":  {Variants: variantsN(1), Rules: []flags.Rule{{Split: &flags.Split{Variants: []flags.WeightedVariant{{Variant: "v0", Weight: 100}}}}}},
		"four": {Variants: variantsN(4), Rules: []flags.Rule{{Split: quarterSplit()}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range statKeys {
		ec := flags.Context{TargetingKey: "user-" + strconv.Itoa(i)}
		d := snap.Evaluate("pct", ec, t0)
		buckets[d.Bucket]++
		variantCounts[snap.Evaluate("four", ec, t0).Variant]++
	}
	chi := 0.0
	exp := float64(statKeys) / 100
	for _, n := range buckets {
		chi += (n - exp) * (n - exp) / exp
	}
	t.Logf("buckets: chi-square %.1f with 99 df (critical %.1f at p=0.001)", chi, chi2Crit99df)
	if chi > chi2Crit99df {
		t.Errorf("bucket distribution is not uniform: chi-square %.1f > %.1f", chi, chi2Crit99df)
	}
	chi = 0
	exp = float64(statKeys) / 4
	for _, v := range []string{"v0", "v1", "v2", "v3"} {
		n := variantCounts[v]
		chi += (n - exp) * (n - exp) / exp
	}
	t.Logf("variants: chi-square %.2f with 3 df (critical %.2f)", chi, chi2Crit3df)
	if chi > chi2Crit3df {
		t.Errorf("variant distribution is not uniform: chi-square %.2f > %.2f (%v)", chi, chi2Crit3df, variantCounts)
	}
}

// chiIndependence computes the chi-square statistic of independence on the
// 4×4 contingency table of two flags' assignments.
func chiIndependence(t *testing.T, snap *flags.Snapshot, fa, fb string) float64 {
	t.Helper()
	idx := map[string]int{"v0": 0, "v1": 1, "v2": 2, "v3": 3}
	var table [4][4]float64
	var rows, cols [4]float64
	for i := range statKeys {
		ec := flags.Context{TargetingKey: "user-" + strconv.Itoa(i)}
		a := idx[snap.Evaluate(fa, ec, t0).Variant]
		b := idx[snap.Evaluate(fb, ec, t0).Variant]
		table[a][b]++
		rows[a]++
		cols[b]++
	}
	chi := 0.0
	for a := range 4 {
		for b := range 4 {
			exp := rows[a] * cols[b] / statKeys
			chi += (table[a][b] - exp) * (table[a][b] - exp) / exp
		}
	}
	return chi
}

// TestStatisticsFlagsIndependent: flags bucketing by their own keys are
// independent; as a control that the test has power, flags sharing a seed
// are detected as dependent.
func TestStatisticsFlagsIndependent(t *testing.T) {
	snap, err := flags.Compile(flags.Config{Flags: map[string]flags.Flag{
		"search-ranking": {Variants: variantsN(4), Rules: []flags.Rule{{Split: quarterSplit()}}},
		"checkout-v2":    {Variants: variantsN(4), Rules: []flags.Rule{{Split: quarterSplit()}}},
		"seeded-a":       {Variants: variantsN(4), BucketBy: flags.BucketBySeed("s"), Rules: []flags.Rule{{Split: quarterSplit()}}},
		"seeded-b":       {Variants: variantsN(4), BucketBy: flags.BucketBySeed("s"), Rules: []flags.Rule{{Split: quarterSplit()}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	chi := chiIndependence(t, snap, "search-ranking", "checkout-v2")
	t.Logf("independence: chi-square %.2f with 9 df (critical %.2f)", chi, chi2Crit9df)
	if chi > chi2Crit9df {
		t.Errorf("assignments of the two flags are dependent: chi-square %.2f > %.2f", chi, chi2Crit9df)
	}
	if chi := chiIndependence(t, snap, "seeded-a", "seeded-b"); chi < 100*chi2Crit9df {
		t.Errorf("shared-seed control: chi-square %.2f, want far above %.2f", chi, chi2Crit9df)
	}
}
