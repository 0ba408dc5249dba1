package stats

import (
	"errors"
	"math"
	"testing"
)

func TestMannWhitneyErrors(t *testing.T) {
	tests := []struct {
		name  string
		x, y  []float64
		alt   Alternative
		conf  float64
		check func(error) bool
	}{
		{"empty x", nil, []float64{1}, TwoSided, 0.95, func(err error) bool { return errors.Is(err, ErrNoData) }},
		{"empty y", []float64{1}, []float64{}, TwoSided, 0.95, func(err error) bool { return errors.Is(err, ErrNoData) }},
		{"NaN in x", []float64{1, 2, 3, math.NaN()}, []float64{1}, TwoSided, 0.95, func(err error) bool {
			var se *SampleError
			return errors.As(err, &se) && se.Sample == "x" && se.Index == 3 && err.Error() == "stats: sample x[3] is NaN"
		}},
		{"Inf in y", []float64{1}, []float64{math.Inf(-1)}, TwoSided, 0.95, func(err error) bool {
			var se *SampleError
			return errors.As(err, &se) && se.Sample == "y" && se.Index == 0 && err.Error() == "stats: sample y[0] is -Inf"
		}},
		{"huge value", []float64{1}, []float64{1e308}, TwoSided, 0.95, func(err error) bool {
			var se *SampleError
			return errors.As(err, &se) && se.Sample == "y"
		}},
		{"conf 1", []float64{1}, []float64{2}, TwoSided, 1, func(err error) bool { return errors.Is(err, ErrInvalidArgument) }},
		{"conf NaN", []float64{1}, []float64{2}, TwoSided, math.NaN(), func(err error) bool { return errors.Is(err, ErrInvalidArgument) }},
		{"bad alternative", []float64{1}, []float64{2}, Alternative(7), 0.95, func(err error) bool { return errors.Is(err, ErrInvalidArgument) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MannWhitney(tt.x, tt.y, tt.alt, tt.conf)
			if err == nil || !tt.check(err) {
				t.Fatalf("MannWhitney error = %v, not the expected one", err)
			}
		})
	}
}

func TestSequentialBasics(t *testing.T) {
	st, err := NewSequentialTest(SequentialConfig{CanaryShare: 0.5, Alpha: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	var c SequentialCounts
	if r := st.Evaluate(c); r.Verdict != Continue || r.LogBayesFactor != 0 {
		t.Fatalf("empty counts: %+v", r)
	}
	c, err = st.Observe(c, 40, 5)
	if err != nil {
		t.Fatal(err)
	}
	if r := st.Evaluate(c); r.Verdict != Reject {
		t.Fatalf("40 canary vs 5 baseline events at a 50%% split: %+v, want Reject", r)
	}
	// The mirror image is strong evidence too, but in the canary's favour.
	if r := st.Evaluate(SequentialCounts{Canary: 5, Baseline: 40}); r.Verdict != Continue {
		t.Fatalf("5 canary vs 40 baseline events: %+v, want Continue", r)
	}
	if _, err := st.Observe(c, -1, 0); !errors.Is(err, ErrNegativeCount) {
		t.Fatalf("negative increment: err = %v", err)
	}
	if _, err := st.Observe(SequentialCounts{Canary: math.MaxInt64}, 1, 0); !errors.Is(err, ErrCountOverflow) {
		t.Fatalf("overflow: err = %v", err)
	}
}
