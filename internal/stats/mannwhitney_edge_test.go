package stats

import (
	"math"
	"testing"
)

// TestMannWhitneyEdgeCasesMatchR checks small and extreme samples against
// R 4.2.2 Patched (2022-11-10 r83330):
//
//	wilcox.test(x, y, conf.int = TRUE, conf.level = 0.95, exact = FALSE, correct = TRUE)
//
// run by hand on the literal vectors below (values printed with %.17g). Where R
// stops with an error (one value per side, or every value tied, where the
// interval cannot be computed), the test pins the documented behaviour
// instead: the single pairwise difference is the estimate and both bounds.
func TestMannWhitneyEdgeCasesMatchR(t *testing.T) {
	tests := []struct {
		name                      string
		x, y                      []float64
		w, p, est, lo, hi         float64
		estTol, boundTol, pValTol float64
	}{
		{"one vs two", []float64{3}, []float64{1, 2}, 2, 0.54029137460742005, 1.5, 1, 2, 1e-9, 1e-9, 1e-13},
		{"canary constant", []float64{5, 5, 5, 5}, []float64{1, 2, 3, 4, 6}, 16, 0.15939040677403393, 2.0000007654791707, -1, 4, 1e-4, 1e-4, 1e-13},
		{"baseline constant", []float64{1, 2, 3, 4, 6}, []float64{5, 5, 5, 5}, 4, 0.15939040677403393, -2.0000049830195117, -4, 1, 1e-4, 1e-4, 1e-13},
		{"huge magnitudes", []float64{1e300, 2e300, 3e300}, []float64{1.5e300, 2.5e300, 0.5e300}, 6, 0.66252058354005749,
			5.0000000000000003e+299, -1.5000000000000001e+300, 2.5000000000000001e+300, 1e-12, 1e-12, 1e-13},
		{"huge shift, small spread", []float64{1e15 + 1, 1e15 + 2, 1e15 + 3, 1e15 + 4}, []float64{1, 2, 3, 4}, 16, 0.030382821976577493,
			1e15, 999999999999997, 1000000000000003, 1e-12, 1e-12, 1e-12},
		{"canary higher (orientation canary − baseline)", []float64{10, 11, 12, 13, 14, 15}, []float64{1, 2, 3, 4, 5, 6}, 36, 0.005074868097940252,
			9, 6.0000353371127861, 11.999964662887216, 1e-9, 1e-9, 1e-12},
		{"tiny magnitudes", []float64{1e-300, 2e-300, 3e-300}, []float64{0, 0.5e-300, 1.5e-300}, 8, 0.19043026382552408,
			3.0000000000000002e-300, -5.000000000000001e-301, 3.0000000000000002e-300, 1e-12, 1e-12, 1e-12},
		{"ties across samples", []float64{1, 1, 2, 2, 3}, []float64{2, 2, 2, 3, 3, 4}, 7, 0.14582541398394827,
			-0.99998125828232487, -2.0000621772260678, 3.9503631263631413e-05, 1e-9, 1e-9, 1e-12},
		// R: "cannot compute confidence interval when all observations are tied" / one value per side.
		{"one vs one", []float64{3}, []float64{1}, 1, 1, 2, 2, 2, 0, 0, 0},
		{"every value tied", []float64{2, 2, 2}, []float64{2, 2}, 3, 1, 0, 0, 0, 0, 0, 0},
		{"each side constant", []float64{5, 5, 5}, []float64{3, 3, 3}, 9, 0.046854177603873774, 2, 2, 2, 0, 0, 1e-12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MannWhitney(tt.x, tt.y, TwoSided, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			rel := func(a, b float64) float64 { return math.Abs(a-b) / max(math.Abs(b), math.SmallestNonzeroFloat64) }
			if got.W != tt.w {
				t.Errorf("W = %v, want %v", got.W, tt.w)
			}
			if math.Abs(got.PValue-tt.p) > tt.pValTol {
				t.Errorf("p = %.17g, want %.17g", got.PValue, tt.p)
			}
			scale := math.Abs(tt.hi - tt.lo)
			if scale == 0 {
				scale = 1
			}
			if math.Abs(got.Estimate-tt.est) > tt.estTol*scale && rel(got.Estimate, tt.est) > tt.estTol {
				t.Errorf("estimate = %.17g, want %.17g", got.Estimate, tt.est)
			}
			if math.Abs(got.CILow-tt.lo) > tt.boundTol*scale || math.Abs(got.CIHigh-tt.hi) > tt.boundTol*scale {
				t.Errorf("CI = [%.17g, %.17g], want [%.17g, %.17g]", got.CILow, got.CIHigh, tt.lo, tt.hi)
			}
			if !(got.CILow <= got.Estimate && got.Estimate <= got.CIHigh) {
				t.Errorf("estimate %g outside its interval [%g, %g]", got.Estimate, got.CILow, got.CIHigh)
			}
		})
	}
}
