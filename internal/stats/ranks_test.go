package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// naiveRanks computes, the way R's rank() and table() would, the rank sum of
// x − d in the pooled sample (x − d, y) with midranks for ties, and the tie
// term Σ(t³−t). It is O(N²) and shares no code with shiftRanks.
func naiveRanks(x, y []float64, d float64) (rankSumX, ties float64) {
	pooled := make([]float64, 0, len(x)+len(y))
	for _, v := range x {
		pooled = append(pooled, v-d)
	}
	pooled = append(pooled, y...)
	for i, v := range pooled {
		less, equal := 0, 0
		for _, w := range pooled {
			switch {
			case w < v:
				less++
			case w == v:
				equal++
			}
		}
		rank := float64(less) + float64(equal+1)/2
		if i < len(x) {
			rankSumX += rank
		}
		// Each member of a group of size t adds (t³−t)/t = t²−1.
		ties += float64(equal*equal - 1)
	}
	return rankSumX, ties
}

// TestShiftRanksAgainstNaive checks the merge-based statistic against the
// quadratic definition at many shifts, including every pairwise difference
// (where values tie across the samples) and shifts so large that the
// subtraction rounds distinct values together.
func TestShiftRanksAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	samples := []struct {
		name string
		x, y []float64
	}{
		{"continuous", normalSample(r, 13, 0.3), normalSample(r, 11, 0)},
		{"integers", intSample(r, 15, 6), intSample(r, 12, 6)},
		{"single values", []float64{2}, []float64{3}},
		{"all tied", []float64{1, 1, 1}, []float64{1, 1}},
		{"tiny spacing", []float64{1, 1 + 0x1p-52, 1 + 0x1p-51, 3}, []float64{1 + 0x1p-52, 2}},
	}
	for _, sm := range samples {
		t.Run(sm.name, func(t *testing.T) {
			s := newShiftRanks(sm.x, sm.y)
			shifts := []float64{0, 1e17, -1e17, 0.5, -0.25}
			for _, a := range sm.x {
				for _, b := range sm.y {
					shifts = append(shifts, a-b, math.Nextafter(a-b, math.Inf(1)), math.Nextafter(a-b, math.Inf(-1)))
				}
			}
			for _, d := range shifts {
				u2, ties := s.at(d)
				rankSum, wantTies := naiveRanks(sm.x, sm.y, d)
				n1 := float64(len(sm.x))
				if got, want := float64(u2)/2, rankSum-n1*(n1+1)/2; got != want || ties != wantTies {
					t.Fatalf("d = %g: U, ties = %g, %g; naive %g, %g", d, got, ties, want, wantTies)
				}
				if eu2, eties := s.atExact(d); eu2 != u2 || eties != ties {
					t.Fatalf("d = %g: atExact %d, %g differs from at %d, %g", d, eu2, eties, u2, ties)
				}
			}
		})
	}
}

func intSample(r *rand.Rand, n, k int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(r.IntN(k))
	}
	return v
}

// TestEstimateBracketsMedianDifference is an independent check of the
// Hodges–Lehmann estimate: enumerate all pairwise differences and verify the
// estimate lies between the middle ones (up to R's root tolerance), and that
// the interval bounds are order statistics of the differences, again up to
// the tolerance, containing the estimate.
func TestEstimateBracketsMedianDifference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := range 200 {
		n1, n2 := 1+r.IntN(30), 1+r.IntN(30)
		var x, y []float64
		if trial%2 == 0 {
			x, y = normalSample(r, n1, r.Float64()), normalSample(r, n2, 0)
		} else {
			x, y = intSample(r, n1, 8), intSample(r, n2, 8)
		}
		res, err := MannWhitney(x, y, Alternative(trial%3), 0.9)
		if err != nil {
			t.Fatal(err)
		}
		diffs := make([]float64, 0, n1*n2)
		for _, a := range x {
			for _, b := range y {
				diffs = append(diffs, a-b)
			}
		}
		slices.Sort(diffs)
		n := len(diffs)
		lo, hi := diffs[(n-1)/2], diffs[n/2]
		const slack = 2e-4 // twice R's root tolerance
		if res.Estimate < lo-slack || res.Estimate > hi+slack {
			t.Fatalf("trial %d: estimate %g outside the middle differences [%g, %g]", trial, res.Estimate, lo, hi)
		}
		if !(res.CILow <= res.Estimate && res.Estimate <= res.CIHigh) {
			t.Fatalf("trial %d: interval [%g, %g] misses the estimate %g", trial, res.CILow, res.CIHigh, res.Estimate)
		}
		for _, b := range []float64{res.CILow, res.CIHigh} {
			if math.IsInf(b, 0) {
				continue
			}
			i, _ := slices.BinarySearch(diffs, b)
			near := math.Inf(1)
			for _, j := range []int{i - 1, i} {
				if j >= 0 && j < n {
					near = min(near, math.Abs(diffs[j]-b))
				}
			}
			if near > slack {
				t.Fatalf("trial %d: bound %g is %g away from every pairwise difference", trial, b, near)
			}
		}
	}
}

// TestMannWhitneySymmetries checks relations any correct implementation
// satisfies: swapping the samples mirrors W, Z, the estimate and the
// interval; shifting x shifts the estimate; one-sided p-values of opposite
// alternatives are consistent.
func TestMannWhitneySymmetries(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	x, y := normalSample(r, 40, 0.4), normalSample(r, 35, 0)
	xy, err := MannWhitney(x, y, TwoSided, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	yx, err := MannWhitney(y, x, TwoSided, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	// Where the statistic is zero across a gap between the two middle
	// pairwise differences, the root search may stop anywhere in it, so the
	// mirrored estimates agree only up to that gap (plus the tolerance).
	diffs := make([]float64, 0, len(x)*len(y))
	for _, a := range x {
		for _, b := range y {
			diffs = append(diffs, a-b)
		}
	}
	slices.Sort(diffs)
	tol := diffs[len(diffs)/2] - diffs[(len(diffs)-1)/2] + 2e-4
	if xy.W+yx.W != 40*35 || xy.Z != -yx.Z || xy.PValue != yx.PValue {
		t.Errorf("swap: W %g + %g, Z %g vs %g, p %g vs %g", xy.W, yx.W, xy.Z, yx.Z, xy.PValue, yx.PValue)
	}
	if math.Abs(xy.Estimate+yx.Estimate) > tol || math.Abs(xy.CILow+yx.CIHigh) > 2e-4 || math.Abs(xy.CIHigh+yx.CILow) > 2e-4 {
		t.Errorf("swap: estimate %g vs %g, interval [%g, %g] vs [%g, %g]", xy.Estimate, yx.Estimate, xy.CILow, xy.CIHigh, yx.CILow, yx.CIHigh)
	}
	shifted := make([]float64, len(x))
	for i, v := range x {
		shifted[i] = v + 0.75 // exact in binary
	}
	sh, err := MannWhitney(shifted, y, TwoSided, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(sh.Estimate-(xy.Estimate+0.75)) > tol {
		t.Errorf("shift by 0.75: estimate %g, want %g", sh.Estimate, xy.Estimate+0.75)
	}
	less, _ := MannWhitney(x, y, Less, 0.95)
	greater, _ := MannWhitney(x, y, Greater, 0.95)
	// The continuity corrections differ by one unit of W, so the one-sided
	// p-values sum to slightly more than 1; both sit on the right side.
	if !(greater.PValue < 0.5 && less.PValue > 0.5 && less.PValue+greater.PValue >= 1) {
		t.Errorf("one-sided p-values: less %g, greater %g", less.PValue, greater.PValue)
	}
	if math.Abs(xy.PValue-2*greater.PValue) > 1e-15 {
		t.Errorf("two-sided p %g is not twice the one-sided %g", xy.PValue, greater.PValue)
	}
}

func TestMannWhitneyDegenerate(t *testing.T) {
	tests := []struct {
		name      string
		x, y      []float64
		alt       Alternative
		wantW     float64
		wantP     float64
		est       float64
		low, high float64
	}{
		{"all tied", []float64{4, 4, 4}, []float64{4, 4}, TwoSided, 3, 1, 0, 0, 0},
		{"one each", []float64{5}, []float64{2}, TwoSided, 1, 1, 3, 3, 3},
		{"constant samples apart, greater", []float64{5, 5}, []float64{2, 2, 2}, Greater, 6, math.NaN(), 3, 3, math.Inf(1)},
		{"constant samples apart, less", []float64{5, 5}, []float64{2, 2, 2}, Less, 6, math.NaN(), 3, math.Inf(-1), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := MannWhitney(tt.x, tt.y, tt.alt, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if res.W != tt.wantW || (!math.IsNaN(tt.wantP) && res.PValue != tt.wantP) {
				t.Errorf("W, p = %g, %g; want %g, %g", res.W, res.PValue, tt.wantW, tt.wantP)
			}
			if !(res.PValue >= 0 && res.PValue <= 1) {
				t.Errorf("p = %g", res.PValue)
			}
			if res.Estimate != tt.est || res.CILow != tt.low || res.CIHigh != tt.high {
				t.Errorf("estimate %g [%g, %g], want %g [%g, %g]", res.Estimate, res.CILow, res.CIHigh, tt.est, tt.low, tt.high)
			}
		})
	}
}

func TestMannWhitneyDoesNotModifyInput(t *testing.T) {
	x := []float64{3, 1, 2}
	y := []float64{9, 7, 8, 0}
	if _, err := MannWhitney(x, y, TwoSided, 0.95); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(x, []float64{3, 1, 2}) || !slices.Equal(y, []float64{9, 7, 8, 0}) {
		t.Fatalf("inputs modified: %v %v", x, y)
	}
}

func TestSortFloats(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{0, 1, 5, 255, 256, 1000, 5000} {
		src := normalSample(r, n, 0)
		for i := range src {
			switch i % 7 {
			case 0:
				src[i] = math.Copysign(0, -1)
			case 1:
				src[i] = 0
			case 2:
				src[i] = math.Floor(src[i] * 1e6)
			case 3:
				src[i] *= 1e300
			}
		}
		dst := make([]float64, n)
		sortFloats(dst, src, make([]float64, n))
		want := slices.Clone(src)
		slices.Sort(want)
		for i := range want {
			if dst[i] != want[i] {
				t.Fatalf("n = %d: position %d is %g, want %g", n, i, dst[i], want[i])
			}
		}
	}
}

func TestNormalQuantile(t *testing.T) {
	// Reference values from R 4.2.2: sprintf("%.17g", qnorm(p)).
	tests := []struct{ p, want float64 }{
		{0.025, -1.9599639845400538},
		{0.05, -1.6448536269514726},
		{0.005, -2.5758293035488999},
		{0.1, -1.2815515655446008},
		{0.5, 0},
		{0.975, 1.9599639845400536},
		{1e-10, -6.3613409024040557},
	}
	for _, tt := range tests {
		if got := normQuantile(tt.p); math.Abs(got-tt.want) > 1e-14*max(1, math.Abs(tt.want)) {
			t.Errorf("normQuantile(%g) = %.17g, want %.17g", tt.p, got, tt.want)
		}
	}
}

// TestShiftRanksLargeSamples covers the interleaved merge used from 256
// observations on, against the tie-group walk (itself checked against the
// quadratic definition above), for balanced and badly unbalanced samples.
func TestShiftRanksLargeSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	skewed := normalSample(r, 800, 0)
	for i := range skewed {
		skewed[i] = math.Exp(2 * skewed[i])
	}
	samples := []struct {
		name string
		x, y []float64
	}{
		{"balanced", normalSample(r, 1000, 0.1), normalSample(r, 900, 0)},
		{"y inside one stretch of x", normalSample(r, 2000, 0), normalSample(r, 300, 0)},
		{"x far below y", normalSample(r, 500, -20), normalSample(r, 700, 0)},
		{"skewed against integers", skewed, intSample(r, 600, 30)},
		{"integers", intSample(r, 700, 50), intSample(r, 400, 50)},
	}
	for _, sm := range samples {
		t.Run(sm.name, func(t *testing.T) {
			s := newShiftRanks(sm.x, sm.y)
			lo := slicesMin(sm.x) - slicesMax(sm.y)
			hi := slicesMax(sm.x) - slicesMin(sm.y)
			for k := range 300 {
				d := lo + (hi-lo)*r.Float64()
				if k%3 == 0 { // an exact pairwise difference
					d = sm.x[r.IntN(len(sm.x))] - sm.y[r.IntN(len(sm.y))]
				}
				u2, ties := s.at(d)
				eu2, eties := s.atExact(d)
				if u2 != eu2 || ties != eties {
					t.Fatalf("d = %g: at %d, %g; atExact %d, %g", d, u2, ties, eu2, eties)
				}
			}
		})
	}
}
