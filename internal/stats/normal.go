package stats

import "math"

// normCDF is the standard normal distribution function Φ(z).
func normCDF(z float64) float64 {
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// normSF is the upper tail 1-Φ(z), accurate for large z.
func normSF(z float64) float64 {
	return 0.5 * math.Erfc(z/math.Sqrt2)
}

// normQuantile is Φ⁻¹(p) for p in (0, 1). The erfc inverse gives a close
// start; two Newton steps on Φ bring it to full double precision in the
// tails, where inverting 1-2p would lose digits.
func normQuantile(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p > 0.5:
		return -normQuantile(1 - p)
	case p == 0.5:
		return 0
	}
	z := -math.Sqrt2 * math.Erfcinv(2*p)
	for range 2 {
		d := math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi)
		if d == 0 {
			break
		}
		z -= (normCDF(z) - p) / d
	}
	return z
}
