package stats

import (
	"math/rand/v2"
	"testing"
)

func normalSample(r *rand.Rand, n int, shift float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64() + shift
	}
	return v
}

func BenchmarkMannWhitney(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := normalSample(r, 10000, 0.05)
	y := normalSample(r, 10000, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MannWhitney(x, y, TwoSided, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSequentialObserveEvaluate(b *testing.B) {
	st, err := NewSequentialTest(SequentialConfig{CanaryShare: 0.1, Alpha: 0.05, PromoteAfter: 1000})
	if err != nil {
		b.Fatal(err)
	}
	var c SequentialCounts
	var sink SequentialVerdict
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var canary, baseline int64 = 0, 1
		if i%10 == 0 {
			canary, baseline = 1, 0
		}
		i++
		c, err = st.Observe(c, canary, baseline)
		if err != nil {
			b.Fatal(err)
		}
		sink += st.Evaluate(c).Verdict
	}
	_ = sink
}

func BenchmarkSortFloats(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := normalSample(r, 10000, 0)
	dst := make([]float64, len(x))
	tmp := make([]float64, len(x))
	b.ReportAllocs()
	for b.Loop() {
		sortFloats(dst, x, tmp)
	}
}
