package stats

import (
	"fmt"
	"math"
	"strconv"
)

// DefaultConcentration is the Dirichlet prior strength used when
// [SequentialConfig.Concentration] is zero.
const DefaultConcentration = 10

// SequentialConfig configures a [SequentialTest]. The zero value of every
// optional field selects a documented default; CanaryShare and Alpha are
// required.
type SequentialConfig struct {
	// CanaryShare is the canary's share of traffic, in (0, 1). Under the
	// null hypothesis each event lands in the canary with this probability
	// (adjusted by AllowedRatio).
	CanaryShare float64 `json:"canaryShare"`

	// Alpha bounds the probability of ever rejecting a canary that is not
	// worse, however often the test is evaluated, in (0, 1).
	Alpha float64 `json:"alpha"`

	// Concentration is the strength of the Beta (two-category Dirichlet)
	// prior over the canary's event share, centred on the null share. Small
	// values detect large regressions sooner; large values detect small ones
	// sooner. Zero means [DefaultConcentration]. Must be finite and ≥ 0.
	Concentration float64 `json:"concentration,omitempty"`

	// PromoteAfter enables early promotion when positive: [Accept] is
	// returned once at least PromoteAfter events have been seen and the
	// evidence (Bayes factor ≥ 1/Alpha) shows the canary's event rate to be
	// below AllowedRatio times the baseline's. Zero disables it; negative is
	// an error.
	PromoteAfter int64 `json:"promoteAfter,omitempty"`

	// AllowedRatio is how many times the baseline's event rate the canary's
	// may reach before it counts as worse: 1 means any excess, 1.2 tolerates
	// 20 % more. Zero means 1; otherwise it must be finite and > 0.
	AllowedRatio float64 `json:"allowedRatio,omitempty"`
}

// SequentialCounts is the whole state of one [SequentialTest]: the events
// seen so far in each arm. Callers persist it as they like (it is plain
// JSON) and pass it back to [SequentialTest.Observe] and
// [SequentialTest.Evaluate].
type SequentialCounts struct {
	Canary   int64 `json:"canary"`   // events seen in the canary
	Baseline int64 `json:"baseline"` // events seen in the baseline
}

// Total returns Canary + Baseline.
func (c SequentialCounts) Total() int64 { return c.Canary + c.Baseline }

// SequentialVerdict is the outcome of [SequentialTest.Evaluate].
type SequentialVerdict int

const (
	// Continue means there is not enough evidence either way yet.
	Continue SequentialVerdict = iota
	// Reject means the canary has significantly more events than its share
	// allows: roll back.
	Reject
	// Accept means the early promotion rule is met (only when
	// [SequentialConfig.PromoteAfter] is positive).
	Accept
)

// String returns "continue", "reject" or "accept", and
// "SequentialVerdict(n)" for values outside the defined range.
func (v SequentialVerdict) String() string {
	switch v {
	case Continue:
		return "continue"
	case Reject:
		return "reject"
	case Accept:
		return "accept"
	}
	return "SequentialVerdict(" + strconv.Itoa(int(v)) + ")"
}

// MarshalText encodes v as its String form; it fails for invalid values.
func (v SequentialVerdict) MarshalText() ([]byte, error) {
	if v < Continue || v > Accept {
		return nil, fmt.Errorf("stats: cannot marshal %v", v)
	}
	return []byte(v.String()), nil
}

// UnmarshalText accepts "continue", "reject" or "accept".
func (v *SequentialVerdict) UnmarshalText(text []byte) error {
	for w := Continue; w <= Accept; w++ {
		if string(text) == w.String() {
			*v = w
			return nil
		}
	}
	return fmt.Errorf("stats: unknown verdict %q (want continue, reject or accept)", text)
}

// SequentialResult is the outcome of one evaluation.
type SequentialResult struct {
	Verdict        SequentialVerdict
	LogBayesFactor float64 // natural log of the Bayes factor against the null share
	Threshold      float64 // log(1/Alpha): the evidence needed for Reject or Accept
	CanaryShare    float64 // observed canary share of events; 0 before any event
	NullShare      float64 // canary share of events under the null, after AllowedRatio
}

// SequentialTest is an anytime-valid test of canary against baseline event
// counts: a Beta–binomial (two-category Dirichlet–multinomial) mixture Bayes
// factor against the null that each event lands in the canary with the
// canary's traffic share. It may be evaluated after every event without
// inflating the false-rejection rate beyond Alpha.
//
// A SequentialTest is compiled once by [NewSequentialTest] and immutable
// afterwards, so it is safe for concurrent use; the per-test state lives in
// the caller's [SequentialCounts]. Most callers want [SequentialTest.Observe]
// followed by [SequentialTest.Evaluate].
type SequentialTest struct {
	cfg          SequentialConfig // as given, defaults filled in
	p, q         float64          // null canary share of events and 1-p
	logP, logQ   float64
	a, b         float64 // Beta prior parameters
	lbetaAB      float64 // log B(a, b)
	threshold    float64 // log(1/alpha)
	promoteAfter int64
}

// NewSequentialTest validates cfg and compiles it. Invalid fields give an
// [*ArgError] naming the field.
func NewSequentialTest(cfg SequentialConfig) (*SequentialTest, error) {
	if !(cfg.CanaryShare > 0 && cfg.CanaryShare < 1) {
		return nil, &ArgError{Field: "CanaryShare", Value: cfg.CanaryShare, Reason: "must be in (0, 1)"}
	}
	if !(cfg.Alpha > 0 && cfg.Alpha < 1) {
		return nil, &ArgError{Field: "Alpha", Value: cfg.Alpha, Reason: "must be in (0, 1)"}
	}
	if !(cfg.Concentration >= 0) || math.IsInf(cfg.Concentration, 0) {
		return nil, &ArgError{Field: "Concentration", Value: cfg.Concentration, Reason: "must be finite and ≥ 0"}
	}
	if cfg.PromoteAfter < 0 {
		return nil, &ArgError{Field: "PromoteAfter", Value: float64(cfg.PromoteAfter), Reason: "must be ≥ 0"}
	}
	if !(cfg.AllowedRatio >= 0) || math.IsInf(cfg.AllowedRatio, 0) {
		return nil, &ArgError{Field: "AllowedRatio", Value: cfg.AllowedRatio, Reason: "must be finite and > 0 (0 means 1)"}
	}
	if cfg.Concentration == 0 {
		cfg.Concentration = DefaultConcentration
	}
	if cfg.AllowedRatio == 0 {
		cfg.AllowedRatio = 1
	}
	r, s := cfg.AllowedRatio, cfg.CanaryShare
	p := r * s / (r*s + 1 - s)
	q := (1 - s) / (r*s + 1 - s)
	if !(p > 0 && p < 1 && q > 0 && q < 1) {
		return nil, &ArgError{Field: "AllowedRatio", Value: cfg.AllowedRatio, Reason: fmt.Sprintf("null share of events %g is not in (0, 1)", p)}
	}
	t := &SequentialTest{
		cfg:          cfg,
		p:            p,
		q:            q,
		logP:         math.Log(p),
		logQ:         math.Log(q),
		a:            cfg.Concentration * p,
		b:            cfg.Concentration * q,
		threshold:    -math.Log(cfg.Alpha),
		promoteAfter: cfg.PromoteAfter,
	}
	if !(t.a > 0 && t.b > 0) {
		return nil, &ArgError{Field: "Concentration", Value: cfg.Concentration, Reason: "too small for the null share"}
	}
	t.lbetaAB = lbeta(t.a, t.b)
	return t, nil
}

// Config returns the configuration with defaults filled in.
func (t *SequentialTest) Config() SequentialConfig { return t.cfg }

// NullShare returns the canary's share of events under the null hypothesis:
// p' = r·s / (r·s + 1 − s) for CanaryShare s and AllowedRatio r, the share at
// which the canary's event rate is exactly r times the baseline's.
func (t *SequentialTest) NullShare() float64 { return t.p }

// Observe adds canary and baseline events to c and returns the new counts.
// Negative increments or counts give [ErrNegativeCount]; sums beyond int64
// give [ErrCountOverflow]; on error c is returned unchanged.
func (t *SequentialTest) Observe(c SequentialCounts, canary, baseline int64) (SequentialCounts, error) {
	if canary < 0 || baseline < 0 || c.Canary < 0 || c.Baseline < 0 {
		return c, ErrNegativeCount
	}
	if canary > math.MaxInt64-c.Canary || baseline > math.MaxInt64-c.Baseline ||
		c.Canary+canary > math.MaxInt64-(c.Baseline+baseline) {
		return c, ErrCountOverflow
	}
	return SequentialCounts{Canary: c.Canary + canary, Baseline: c.Baseline + baseline}, nil
}

// Evaluate computes the Bayes factor for c and the verdict: [Reject] when it
// reaches 1/Alpha and the canary's observed share of events is above the null
// share; [Accept] when early promotion is enabled, at least PromoteAfter
// events were seen, the Bayes factor reaches 1/Alpha and the observed share
// is below the null share; otherwise [Continue]. Counts that Observe cannot
// produce (negative) carry no evidence and give Continue.
func (t *SequentialTest) Evaluate(c SequentialCounts) SequentialResult {
	res := SequentialResult{Threshold: t.threshold, NullShare: t.p}
	if c.Canary < 0 || c.Baseline < 0 || c.Canary+c.Baseline <= 0 {
		return res
	}
	nc, nb := float64(c.Canary), float64(c.Baseline)
	res.CanaryShare = nc / (nc + nb)
	lbf := lbeta(t.a+nc, t.b+nb) - t.lbetaAB - nc*t.logP - nb*t.logQ
	res.LogBayesFactor = lbf
	if lbf >= t.threshold {
		// Compare nc/(nc+nb) with p without dividing.
		above, below := nc*t.q, nb*t.p
		switch {
		case above > below:
			res.Verdict = Reject
		case above < below && t.promoteAfter > 0 && c.Canary+c.Baseline >= t.promoteAfter:
			res.Verdict = Accept
		}
	}
	return res
}

// lbeta is log B(a, b) for a, b > 0.
func lbeta(a, b float64) float64 {
	return lgamma(a) + lgamma(b) - lgamma(a+b)
}

// lgamma is log Γ(x) for x > 0. Beyond 10 it sums Stirling's series to the
// x⁻⁹ term (truncation error below 2e-14), which costs one logarithm and is
// about twice as fast as math.Lgamma; the counts of a long-running test live
// there.
func lgamma(x float64) float64 {
	if x < 10 {
		v, _ := math.Lgamma(x)
		return v
	}
	const halfLog2Pi = 0.91893853320467274178 // log(2π)/2
	z := 1 / x
	z2 := z * z
	series := z * (1.0/12 - z2*(1.0/360-z2*(1.0/1260-z2*(1.0/1680-z2*(1.0/1188)))))
	return (x-0.5)*math.Log(x) - x + halfLog2Pi + series
}
