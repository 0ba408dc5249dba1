package stats

import "math"

// zeroin finds a zero of f in [ax, bx] given fa = f(ax) and fb = f(bx) of
// opposite signs, by Brent's method (bisection combined with secant and
// inverse quadratic interpolation; Forsythe, Malcolm & Moler 1977). It
// returns b with |f(b)| smallest among the bracketing points once the bracket
// is narrower than 4·ε·|b| + tol, after at most maxit steps.
//
// The sequence of trial points is that of the classic algorithm, which R's
// uniroot also uses; reproducing it step for step lets the shift estimate
// and its interval agree with R's wilcox.test to the last digit rather than
// only to tol. Products are rounded explicitly so that no platform fuses
// them into FMA instructions and changes the trial points.
func zeroin(ax, bx, fa, fb float64, f func(float64) float64, tol float64, maxit int) float64 {
	const eps = 0x1p-52
	a, b := ax, bx
	c, fc := a, fa
	if fa == 0 {
		return a
	}
	if fb == 0 {
		return b
	}
	for it := maxit + 1; it > 0; it-- {
		prevStep := b - a
		if math.Abs(fc) < math.Abs(fb) {
			// Make b the best approximation so far.
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tolAct := float64(2*eps*math.Abs(b)) + tol/2
		newStep := (c - b) / 2
		if math.Abs(newStep) <= tolAct || fb == 0 {
			return b
		}
		// Interpolate only if the previous step was large enough and went
		// in the right direction.
		if math.Abs(prevStep) >= tolAct && math.Abs(fa) > math.Abs(fb) {
			var p, q float64
			cb := c - b
			if a == c {
				t1 := fb / fa
				p = float64(cb * t1)
				q = 1 - t1
			} else {
				q = fa / fc
				t1 := fb / fc
				t2 := fb / fa
				p = t2 * (float64(float64(cb*q)*(q-t1)) - float64((b-a)*(t1-1)))
				q = float64(float64((q-1)*(t1-1)) * (t2 - 1))
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if p < float64(float64(0.75*cb)*q)-math.Abs(float64(tolAct*q))/2 && p < math.Abs(float64(prevStep*q)/2) {
				newStep = p / q
			}
		}
		if math.Abs(newStep) < tolAct {
			if newStep > 0 {
				newStep = tolAct
			} else {
				newStep = -tolAct
			}
		}
		a, fa = b, fb
		b += newStep
		fb = f(b)
		if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
			c, fc = a, fa
		}
	}
	return b
}
