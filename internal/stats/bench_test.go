package stats

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func normalSample(r *rand.Rand, n int, shift float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64() + shift
	}
	return v
}

// BenchmarkMannWhitney covers the full test with estimate and interval; the
// 10000 case (2 × 10,000 samples) carries the ≤ 5 ms target.
func BenchmarkMannWhitney(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			x := normalSample(r, n, 0.05)
			y := normalSample(r, n, 0)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := MannWhitney(x, y, TwoSided, 0.95); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMannWhitneyTies uses latency-like data rounded to whole
// milliseconds, where most shifts tried hit ties across the samples.
func BenchmarkMannWhitneyTies(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 10000)
	y := make([]float64, 10000)
	for i := range x {
		x[i] = math.Round(200 + 30*r.NormFloat64() + 3)
		y[i] = math.Round(200 + 30*r.NormFloat64())
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MannWhitney(x, y, Greater, 0.95); err != nil {
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
