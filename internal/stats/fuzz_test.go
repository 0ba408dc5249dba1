package stats

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// floatsFrom decodes b as little-endian float64 values.
func floatsFrom(b []byte) []float64 {
	v := make([]float64, len(b)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return v
}

func floatBytes(v ...float64) []byte {
	b := make([]byte, 8*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(f))
	}
	return b
}

// FuzzMannWhitney feeds arbitrary samples, alternatives and confidence
// levels: MannWhitney must never panic, must reject bad input with an error,
// and on success keep 0 ≤ p ≤ 1, CILow ≤ Estimate ≤ CIHigh, 0 ≤ W ≤ N1·N2
// and the estimate within the range of pairwise differences.
func FuzzMannWhitney(f *testing.F) {
	f.Add(floatBytes(0.8, 0.83, 1.89, 1.04, 1.45), floatBytes(1.15, 0.88, 0.90), uint8(0), 0.95)
	f.Add(floatBytes(1, 1, 1), floatBytes(1, 1), uint8(1), 0.9)
	f.Add(floatBytes(1, 2, 2, 3), floatBytes(2, 2, 5), uint8(2), 0.5)
	f.Add(floatBytes(1e300, -1e300), floatBytes(0), uint8(0), 0.99)
	f.Add(floatBytes(math.NaN()), floatBytes(1), uint8(0), 0.95)
	f.Add(floatBytes(5), floatBytes(-3), uint8(1), 0.95)
	f.Add(floatBytes(1e-300, 2e-300, 1e15), floatBytes(1e15, 3), uint8(2), 0.999999)
	f.Fuzz(func(t *testing.T, xb, yb []byte, alt uint8, conf float64) {
		x, y := floatsFrom(xb), floatsFrom(yb)
		a := Alternative(alt % 4) // includes one invalid value
		res, err := MannWhitney(x, y, a, conf)
		if err != nil {
			var se *SampleError
			if !errors.Is(err, ErrNoData) && !errors.As(err, &se) && !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		if !a.IsValid() || !(conf > 0 && conf < 1) || len(x) == 0 || len(y) == 0 {
			t.Fatalf("accepted invalid input: alt %v conf %g n %d %d", a, conf, len(x), len(y))
		}
		if !(res.PValue >= 0 && res.PValue <= 1) {
			t.Fatalf("p-value %g outside [0, 1]", res.PValue)
		}
		if !(res.CILow <= res.Estimate && res.Estimate <= res.CIHigh) {
			t.Fatalf("interval [%g, %g] does not contain the estimate %g", res.CILow, res.CIHigh, res.Estimate)
		}
		if !(res.W >= 0 && res.W <= float64(len(x))*float64(len(y))) {
			t.Fatalf("W = %g outside [0, n1·n2]", res.W)
		}
		lo, hi := slicesMin(x)-slicesMax(y), slicesMax(x)-slicesMin(y)
		if !(res.Estimate >= lo && res.Estimate <= hi) {
			t.Fatalf("estimate %g outside the pairwise differences [%g, %g]", res.Estimate, lo, hi)
		}
		if math.IsNaN(res.Z) {
			t.Fatal("Z is NaN")
		}
	})
}

func slicesMin(v []float64) float64 {
	m := v[0]
	for _, f := range v {
		m = min(m, f)
	}
	return m
}

func slicesMax(v []float64) float64 {
	m := v[0]
	for _, f := range v {
		m = max(m, f)
	}
	return m
}

// FuzzSequential drives Observe and Evaluate with arbitrary configurations
// and increments: no panics, errors instead of negative or overflowing
// counts, and verdicts consistent with the Bayes factor and the direction.
func FuzzSequential(f *testing.F) {
	f.Add(0.1, 0.05, 0.0, int64(0), 0.0, int64(3), int64(40))
	f.Add(0.5, 0.01, 2.0, int64(10), 1.5, int64(-1), int64(2))
	f.Add(0.999, 0.5, 1e-300, int64(1), 1e300, int64(math.MaxInt64), int64(1))
	f.Fuzz(func(t *testing.T, share, alpha, k float64, promote int64, ratio float64, canary, baseline int64) {
		st, err := NewSequentialTest(SequentialConfig{CanaryShare: share, Alpha: alpha, Concentration: k, PromoteAfter: promote, AllowedRatio: ratio})
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("config error does not wrap ErrInvalidArgument: %v", err)
			}
			return
		}
		c := SequentialCounts{Canary: 7, Baseline: 11}
		for range 3 {
			next, err := st.Observe(c, canary, baseline)
			if err != nil {
				if next != c {
					t.Fatalf("counts changed on error: %+v -> %+v", c, next)
				}
				break
			}
			if next.Canary < c.Canary || next.Baseline < c.Baseline {
				t.Fatalf("counts decreased: %+v -> %+v", c, next)
			}
			c = next
		}
		res := st.Evaluate(c)
		if math.IsNaN(res.LogBayesFactor) {
			t.Fatalf("log Bayes factor is NaN for %+v", c)
		}
		if res.Verdict != Continue && !(res.LogBayesFactor >= res.Threshold) {
			t.Fatalf("verdict %v below the threshold: %+v", res.Verdict, res)
		}
		if res.Verdict == Reject && !(res.CanaryShare >= res.NullShare) {
			t.Fatalf("rejected a canary below its null share: %+v", res)
		}
		if res.Verdict == Accept && (promote == 0 || !(res.CanaryShare <= res.NullShare)) {
			t.Fatalf("accepted without promotion or above the null share: %+v", res)
		}
	})
}
