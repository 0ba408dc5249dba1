package stats

import "math"

// MannWhitneyResult is the outcome of [MannWhitney]. It mirrors R's
// wilcox.test(x, y, alternative, mu = 0, conf.int = TRUE, conf.level,
// exact = FALSE, correct = TRUE).
type MannWhitneyResult struct {
	N1, N2 int // sizes of x and y

	// W is R's statistic: the rank sum of x in the combined sample minus
	// N1(N1+1)/2, with tied values given their average rank. It equals the
	// Mann–Whitney U of x: the number of pairs with x[i] > y[j], plus half
	// the number of tied pairs.
	W float64

	// Z is the normal score of W with the tie-corrected variance and the
	// continuity correction of the chosen alternative.
	Z float64

	// PValue is the p-value of Z under the chosen alternative, in [0, 1].
	PValue float64

	// Estimate is the Hodges–Lehmann estimate of the location shift x − y,
	// R's "difference in location": the shift d at which the centred rank
	// statistic of (x − d) against y crosses zero.
	Estimate float64

	// CILow and CIHigh bound the confidence interval for the shift at
	// ConfLevel, obtained by inverting the same corrected normal statistic.
	// The open end of a one-sided interval is −Inf ([Less]) or +Inf
	// ([Greater]).
	CILow, CIHigh float64

	// ConfLevel is the confidence level of the interval.
	ConfLevel float64
}

// rootTol is R's default tol.root for wilcox.test: the absolute tolerance of
// the root searches for the estimate and the interval bounds.
const rootTol = 1e-4

// rootMaxIter is uniroot's default maxiter.
const rootMaxIter = 1000

// MannWhitney runs the two-sample Wilcoxon rank-sum (Mann–Whitney U) test of
// x against y with the normal approximation, tie-corrected variance and
// continuity correction, and estimates the location shift x − y with its
// confidence interval at confLevel, exactly as R's
//
//	wilcox.test(x, y, alternative, conf.int = TRUE, conf.level = confLevel,
//	            exact = FALSE, correct = TRUE)
//
// computes them (see the package documentation for the definitions).
//
// Errors: [ErrNoData] when x or y is empty; a [*SampleError] for NaN, ±Inf or
// values beyond ±MaxFloat64/4; an [*ArgError] for an unknown alternative or
// a confLevel outside (0, 1). The inputs are not modified.
//
// The cost is O((n1+n2) log(n1+n2)) for sorting plus O(n1+n2) per step of the
// root searches (a few dozen steps); the n1·n2 pairwise differences are
// never materialised.
func MannWhitney(x, y []float64, alt Alternative, confLevel float64) (MannWhitneyResult, error) {
	if len(x) == 0 || len(y) == 0 {
		return MannWhitneyResult{}, ErrNoData
	}
	if !alt.IsValid() {
		return MannWhitneyResult{}, &ArgError{Field: "alternative", Value: float64(alt), Reason: "must be TwoSided, Less or Greater"}
	}
	if !(confLevel > 0 && confLevel < 1) {
		return MannWhitneyResult{}, &ArgError{Field: "confLevel", Value: confLevel, Reason: "must be in (0, 1)"}
	}
	if err := checkSample("x", x); err != nil {
		return MannWhitneyResult{}, err
	}
	if err := checkSample("y", y); err != nil {
		return MannWhitneyResult{}, err
	}

	s := newShiftRanks(x, y)
	n1, n2 := s.n1, s.n2
	res := MannWhitneyResult{N1: len(x), N2: len(y), ConfLevel: confLevel}

	u2, ties := s.at(0)
	res.W = float64(u2) / 2
	z := res.W - n1*n2/2
	sigma := s.sigma(ties)
	if sigma == 0 {
		// Every observation is tied: R reports NaN. No evidence either way.
		res.Z, res.PValue = 0, 1
	} else {
		res.Z = (z - continuity(alt, z)) / sigma
		switch alt {
		case Less:
			res.PValue = normCDF(res.Z)
		case Greater:
			res.PValue = normSF(res.Z)
		default:
			res.PValue = min(1, 2*min(normCDF(res.Z), normSF(res.Z)))
		}
	}

	muMin := s.x[0] - s.y[len(y)-1] // s.y ends with a sentinel
	muMax := s.x[len(x)-1] - s.y[0]
	if muMin == muMax {
		// All x equal and all y equal: every pairwise difference is the
		// same number, which is then the estimate and both bounds. (R fails
		// here: the statistic's variance is zero at that shift.)
		res.Estimate, res.CILow, res.CIHigh = muMin, muMin, muMin
		switch alt {
		case Less:
			res.CILow = math.Inf(-1)
		case Greater:
			res.CIHigh = math.Inf(1)
		}
		return res, nil
	}

	alpha := 1 - confLevel
	fCorr := func(d float64) float64 { return s.stat(d, alt, true) }
	wMin, wMax := fCorr(muMin), fCorr(muMax)
	root := func(zq float64) float64 {
		fLo := wMin - zq
		if fLo <= 0 {
			return muMin
		}
		fHi := wMax - zq
		if fHi >= 0 {
			return muMax
		}
		return zeroin(muMin, muMax, fLo, fHi, func(d float64) float64 { return fCorr(d) - zq }, rootTol, rootMaxIter)
	}
	switch alt {
	case TwoSided:
		res.CILow = root(-normQuantile(alpha / 2))
		res.CIHigh = root(normQuantile(alpha / 2))
	case Greater:
		res.CILow = root(-normQuantile(alpha))
		res.CIHigh = math.Inf(1)
	case Less:
		res.CILow = math.Inf(-1)
		res.CIHigh = root(normQuantile(alpha))
	}

	// The estimate solves the uncorrected statistic for zero.
	fPlain := func(d float64) float64 { return s.stat(d, alt, false) }
	res.Estimate = zeroin(muMin, muMax, fPlain(muMin), fPlain(muMax), fPlain, rootTol, rootMaxIter)
	// Each root is only located to within rootTol, so at a low confidence
	// level a bound can land a hair on the wrong side of the estimate (R
	// reports such intervals as they are). Widen the interval to contain
	// the estimate; this moves a bound by at most about twice the root
	// tolerance.
	res.CILow = min(res.CILow, res.Estimate)
	res.CIHigh = max(res.CIHigh, res.Estimate)
	return res, nil
}

func checkSample(name string, v []float64) error {
	for i, f := range v {
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > maxSampleMagnitude {
			return &SampleError{Sample: name, Index: i, Value: f}
		}
	}
	return nil
}

// continuity is R's continuity correction for the centred statistic z.
func continuity(alt Alternative, z float64) float64 {
	switch alt {
	case Greater:
		return 0.5
	case Less:
		return -0.5
	}
	switch {
	case z > 0:
		return 0.5
	case z < 0:
		return -0.5
	}
	return 0
}

// shiftRanks holds sorted copies of the samples and answers, for any shift
// d, the rank statistic of x − d against y in O(n1+n2).
type shiftRanks struct {
	x      []float64 // sorted ascending
	y      []float64 // sorted ascending, followed by a +Inf sentinel
	n1, n2 float64
	tiesX  float64 // Σ(t³−t) over groups of equal values within x
	tiesY  float64 // Σ(t³−t) over groups of equal values within y
	minGap float64 // smallest positive gap between consecutive sorted x; +Inf if none
}

func newShiftRanks(x, y []float64) *shiftRanks {
	buf := make([]float64, 2*len(x)+2*len(y)+1)
	xs, buf := buf[:len(x)], buf[len(x):]
	ys, buf := buf[:len(y)+1], buf[len(y)+1:]
	sortFloats(xs, x, buf)
	sortFloats(ys[:len(y)], y, buf)
	ys[len(y)] = math.Inf(1)
	s := &shiftRanks{
		x:      xs,
		y:      ys,
		n1:     float64(len(x)),
		n2:     float64(len(y)),
		tiesX:  tieTerm(xs),
		tiesY:  tieTerm(ys[:len(y)]),
		minGap: math.Inf(1),
	}
	for i := 1; i < len(xs); i++ {
		if g := xs[i] - xs[i-1]; g > 0 && g < s.minGap {
			s.minGap = g
		}
	}
	return s
}

// tieTerm returns Σ(t³−t) over groups of equal values in sorted v.
func tieTerm(v []float64) float64 {
	var sum float64
	for j := 0; j < len(v); {
		t := 1
		for j+t < len(v) && v[j+t] == v[j] {
			t++
		}
		sum += cubeMinus(t)
		j += t
	}
	return sum
}

func cubeMinus(t int) float64 {
	f := float64(t)
	return f*f*f - f
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// at returns twice the Mann–Whitney U of x − d against y (an integer, so
// exact) and the tie term Σ(t³−t) over groups of equal values in the
// combined sample, as R's rank() and table() would see them.
//
// The common case, no x[i] − d equal to any y[j] and no two distinct x
// rounded together by the subtraction, takes a branch-free merge; otherwise
// atExact walks the tie groups.
func (s *shiftRanks) at(d float64) (u2 int64, ties float64) {
	x := s.x
	// Subtracting d moves each value by at most half an ulp of the largest
	// |x[i] − d|; if the smallest gap between distinct x exceeds a whole
	// ulp, no two of them can round to the same shifted value.
	m := max(math.Abs(x[0]-d), math.Abs(x[len(x)-1]-d))
	if !(s.minGap > 2*ulp(m)) {
		return s.atExact(d)
	}
	sum, eq := s.countBelow(d)
	if eq != 0 {
		return s.atExact(d)
	}
	return 2 * int64(sum), s.tiesX + s.tiesY
}

// countBelow returns Σᵢ #{j : y[j] < x[i] − d} and a non-zero eq if some
// x[i] − d equals some y[j].
//
// A plain merge is bound by the latency of each step, which depends on the
// one before; four merges over consecutive stretches of the merge path,
// advanced in lockstep, keep the processor busy with independent work.
func (s *shiftRanks) countBelow(d float64) (sum, eq int) {
	x, y := s.x, s.y
	if len(x) < 256 {
		return mergeCount(x, y, d, 0, len(x), s.below(x[0]-d))
	}
	// Split the merge path into four stretches of about equal length: the
	// path reaches x[i] after i + #{y < x[i] − d} steps.
	base := s.below(x[0] - d)
	total := len(x) + s.below(x[len(x)-1]-d) - base
	var cut [5]int
	cut[4] = len(x)
	for k := 1; k < 4; k++ {
		target := k * total / 4
		lo, hi := cut[k-1], len(x)
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			if mid+s.below(x[mid]-d)-base < target {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		cut[k] = lo
	}
	var j [4]int
	for k := range 4 {
		if cut[k] < len(x) {
			j[k] = s.below(x[cut[k]] - d)
		}
	}
	i0, i1, i2, i3 := cut[0], cut[1], cut[2], cut[3]
	j0, j1, j2, j3 := j[0], j[1], j[2], j[3]
	e0, e1, e2, e3 := cut[1], cut[2], cut[3], cut[4]
	for i0 < e0 && i1 < e1 && i2 < e2 && i3 < e3 {
		v0, v1, v2, v3 := x[i0]-d, x[i1]-d, x[i2]-d, x[i3]-d
		y0, y1, y2, y3 := y[j0], y[j1], y[j2], y[j3]
		a0, a1, a2, a3 := b2i(y0 < v0), b2i(y1 < v1), b2i(y2 < v2), b2i(y3 < v3)
		r0, r1, r2, r3 := 1-a0, 1-a1, 1-a2, 1-a3
		sum += r0*j0 + r1*j1 + r2*j2 + r3*j3
		eq |= r0&b2i(y0 == v0) | r1&b2i(y1 == v1) | r2&b2i(y2 == v2) | r3&b2i(y3 == v3)
		j0, j1, j2, j3 = j0+a0, j1+a1, j2+a2, j3+a3
		i0, i1, i2, i3 = i0+r0, i1+r1, i2+r2, i3+r3
	}
	for _, st := range [4][3]int{{i0, e0, j0}, {i1, e1, j1}, {i2, e2, j2}, {i3, e3, j3}} {
		s, e := mergeCount(x, y, d, st[0], st[1], st[2])
		sum += s
		eq |= e
	}
	return sum, eq
}

// mergeCount is one branch-free merge of x[i:end] − d into y from y[j],
// where j = #{y < x[i] − d}. y must end with a +Inf sentinel.
func mergeCount(x, y []float64, d float64, i, end, j int) (sum, eq int) {
	for i < end {
		v := x[i] - d
		yj := y[j] // the +Inf sentinel stops j at len(y)-1
		adv := b2i(yj < v)
		rec := 1 - adv
		sum += rec * j
		eq |= rec & b2i(yj == v)
		j += adv
		i += rec
	}
	return sum, eq
}

// below returns #{j : y[j] < v}, by binary search.
func (s *shiftRanks) below(v float64) int {
	y := s.y[:len(s.y)-1]
	lo, hi := 0, len(y)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if y[mid] < v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// ulp returns the spacing of float64 values at m ≥ 0.
func ulp(m float64) float64 {
	return math.Nextafter(m, math.Inf(1)) - m
}

// atExact is at for shifts where values tie across the samples or the
// subtraction merges distinct x values: one merge pass over tie groups.
// x[i] − d is non-decreasing in i because rounding is monotone.
func (s *shiftRanks) atExact(d float64) (u2 int64, ties float64) {
	x, y := s.x, s.y[:len(s.y)-1]
	ties = s.tiesY
	j := 0
	for i := 0; i < len(x); {
		v := x[i] - d
		a := 1
		for i+a < len(x) && x[i+a]-d == v {
			a++
		}
		for j < len(y) && y[j] < v {
			j++
		}
		b := 0
		for j+b < len(y) && y[j+b] == v {
			b++
		}
		u2 += int64(a) * int64(2*j+b)
		if b == 0 {
			ties += cubeMinus(a)
		} else {
			ties += cubeMinus(a+b) - cubeMinus(b)
		}
		i += a
	}
	return u2, ties
}

// sigma is the standard deviation of W under the null hypothesis, with R's
// correction for ties.
func (s *shiftRanks) sigma(ties float64) float64 {
	n1, n2 := s.n1, s.n2
	return math.Sqrt((n1 * n2 / 12) * ((n1 + n2 + 1) - ties/((n1+n2)*(n1+n2-1))))
}

// stat is R's W(d) inside wilcox.test: the standardised, optionally
// continuity-corrected, centred rank statistic of x − d against y. It is a
// non-increasing step function of d.
func (s *shiftRanks) stat(d float64, alt Alternative, correct bool) float64 {
	u2, ties := s.at(d)
	dz := float64(u2)/2 - s.n1*s.n2/2
	corr := 0.0
	if correct {
		corr = continuity(alt, dz)
	}
	sigma := s.sigma(ties)
	if sigma == 0 {
		// Only at a shift where every value ties, which the caller has
		// excluded; keep the sign so the search still brackets.
		switch {
		case dz-corr > 0:
			return math.MaxFloat64
		case dz-corr < 0:
			return -math.MaxFloat64
		}
		return 0
	}
	return (dz - corr) / sigma
}
