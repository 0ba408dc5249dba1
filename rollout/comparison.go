package rollout

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/glidepath/glidepath/internal/stats"
)

// Defaults of a [ComparisonSpec].
const (
	DefaultPassScore       = 95
	DefaultMarginalScore   = 75
	DefaultConfidenceLevel = 0.95
	// DefaultComparisonMinSample is the minimum size of each side of a
	// comparison when the gate's MinSample is 0.
	DefaultComparisonMinSample = 10
)

// ComparisonSpec compares canary and baseline samples measured over the same
// period, metric by metric, in the manner of Kayenta: each metric is tested
// with the Mann–Whitney U test; the Hodges–Lehmann confidence interval of the
// shift (canary − baseline) says whether the canary is significantly higher or
// lower, and the ratio of the means says whether the change exceeds what is
// allowed. A metric fails when it moves significantly, beyond its allowed
// ratio, in a harmful direction. Metrics are scored per group (share of
// passing metrics), groups are weighted into a score out of 100, and the
// score is compared with the pass and marginal thresholds: at or above pass
// the measurement succeeds, at or above marginal it is inconclusive, below it
// fails. A failing critical metric fails the measurement whatever the score;
// a critical metric without data (or with too few samples) makes the
// measurement missing (inconclusive) unless the metrics that were measured
// already score below marginal; muted metrics are reported but not scored.
type ComparisonSpec struct {
	Metrics []ComparisonMetric `json:"metrics"`
	// Groups weight the metric groups; without groups every distinct
	// ComparisonMetric.Group weighs the same.
	Groups []MetricGroup `json:"groups,omitempty"`
	// PassScore, 0 means [DefaultPassScore]; MarginalScore, 0 means
	// [DefaultMarginalScore]. Both in (0, 100], marginal ≤ pass.
	PassScore     float64 `json:"passScore,omitempty"`
	MarginalScore float64 `json:"marginalScore,omitempty"`
	// ConfidenceLevel of the shift's interval; 0 means [DefaultConfidenceLevel].
	ConfidenceLevel float64 `json:"confidenceLevel,omitempty"`
}

// ComparisonMetric is one compared metric, read from [Observations.Samples].
type ComparisonMetric struct {
	Name string `json:"name"`
	// Direction is the harmful change: increase (default), decrease or either.
	Direction Direction `json:"direction,omitempty"`
	// AllowedIncrease is the largest tolerated ratio of the canary's mean to
	// the baseline's (≥ 1; 0 means 1): 1.1 tolerates 10 % more.
	AllowedIncrease float64 `json:"allowedIncrease,omitempty"`
	// AllowedDecrease is the smallest tolerated ratio (in (0, 1]; 0 means 1).
	AllowedDecrease float64 `json:"allowedDecrease,omitempty"`
	// Critical metrics fail the measurement when they fail.
	Critical bool `json:"critical,omitempty"`
	// Muted metrics are evaluated and reported but not scored.
	Muted bool `json:"muted,omitempty"`
	// Group names the metric's group ("" is a group too).
	Group string `json:"group,omitempty"`
}

// MetricGroup weighs a group of compared metrics.
type MetricGroup struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

type comparisonGate struct {
	metrics        []ComparisonMetric
	group          []int // metric → group index
	weights        []float64
	pass, marginal float64
	conf           float64
	scored         int
}

func compileComparison(v *validator, path string, c *ComparisonSpec) *comparisonGate {
	cg := &comparisonGate{pass: c.PassScore, marginal: c.MarginalScore, conf: c.ConfidenceLevel}
	if cg.pass == 0 {
		cg.pass = DefaultPassScore
	}
	if cg.marginal == 0 {
		cg.marginal = min(DefaultMarginalScore, cg.pass)
	}
	if cg.conf == 0 {
		cg.conf = DefaultConfidenceLevel
	}
	if !(cg.pass > 0 && cg.pass <= 100) {
		v.add(path+".passScore", fmt.Sprint(c.PassScore), "must be in (0, 100]")
	}
	if !(cg.marginal > 0 && cg.marginal <= cg.pass) {
		v.add(path+".marginalScore", fmt.Sprint(c.MarginalScore), fmt.Sprintf("must be in (0, %g], at most the pass score", cg.pass))
	}
	if !(cg.conf > 0 && cg.conf < 1) {
		v.add(path+".confidenceLevel", fmt.Sprint(c.ConfidenceLevel), "must be in (0, 1)")
	}
	groups := map[string]int{}
	for i, g := range c.Groups {
		gp := fmt.Sprintf("%s.groups[%d]", path, i)
		if _, dup := groups[g.Name]; dup {
			v.add(gp+".name", g.Name, fmt.Sprintf("duplicate group %q", g.Name))
		}
		if !(g.Weight > 0) || math.IsInf(g.Weight, 0) {
			v.add(gp+".weight", fmt.Sprint(g.Weight), "must be a positive number")
		}
		groups[g.Name] = len(cg.weights)
		cg.weights = append(cg.weights, g.Weight)
	}
	if len(c.Metrics) == 0 {
		v.add(path+".metrics", "", "a comparison needs at least one metric")
	}
	names := map[string]bool{}
	for i, m := range c.Metrics {
		mp := fmt.Sprintf("%s.metrics[%d]", path, i)
		if m.Name == "" {
			v.add(mp+".name", "", "is required")
		} else if names[m.Name] {
			v.add(mp+".name", m.Name, fmt.Sprintf("duplicate metric %q", m.Name))
		}
		names[m.Name] = true
		if m.Direction < Increase || m.Direction > Either {
			v.add(mp+".direction", "", fmt.Sprintf("unknown direction %d", int(m.Direction)))
		}
		if m.AllowedIncrease == 0 {
			m.AllowedIncrease = 1
		}
		if m.AllowedDecrease == 0 {
			m.AllowedDecrease = 1
		}
		if !(m.AllowedIncrease >= 1) || math.IsInf(m.AllowedIncrease, 0) {
			v.add(mp+".allowedIncrease", fmt.Sprint(m.AllowedIncrease), "must be a ratio ≥ 1")
		}
		if !(m.AllowedDecrease > 0 && m.AllowedDecrease <= 1) {
			v.add(mp+".allowedDecrease", fmt.Sprint(m.AllowedDecrease), "must be a ratio in (0, 1]")
		}
		if m.Critical && m.Muted {
			v.add(mp, m.Name, "a metric cannot be both critical and muted")
		}
		gi, ok := groups[m.Group]
		if !ok {
			if len(c.Groups) > 0 {
				v.add(mp+".group", m.Group, fmt.Sprintf("unknown group %q", m.Group))
			}
			gi = len(cg.weights)
			groups[m.Group] = gi
			cg.weights = append(cg.weights, 1)
		}
		cg.group = append(cg.group, gi)
		cg.metrics = append(cg.metrics, m)
		if !m.Muted {
			cg.scored++
		}
	}
	if len(c.Metrics) > 0 && cg.scored == 0 {
		v.add(path+".metrics", "", "every metric is muted")
	}
	return cg
}

func (g *compiledGate) measureComparison(obs Observations) (outcome, Reason, error) {
	cg := g.cmp
	r := Reason{Statistic: "score", Threshold: cg.pass}
	passed := make([]float64, len(cg.weights))
	total := make([]float64, len(cg.weights))
	var failed []string
	var critFail, critMissing, critSmall string
	seen := 0
	for i, m := range cg.metrics {
		if _, bad := obs.Errors[m.Name]; bad {
			if m.Critical {
				critMissing = m.Name
			}
			continue
		}
		smp, ok := obs.Samples[m.Name]
		if !ok {
			if m.Critical {
				critMissing = m.Name
			}
			continue
		}
		if err := checkSamples(m.Name, smp); err != nil {
			return 0, r, err
		}
		if !m.Muted {
			seen++ // muted metrics alone are no data for the score
		}
		if int64(len(smp.Canary)) < g.minSample || int64(len(smp.Baseline)) < g.minSample {
			if m.Critical {
				critSmall = m.Name
			}
			continue
		}
		res, err := stats.MannWhitney(smp.Canary, smp.Baseline, stats.TwoSided, cg.conf)
		if err != nil {
			var se *stats.SampleError
			if errors.As(err, &se) {
				return 0, r, &ObservationError{Kind: "samples", Name: m.Name, Reason: err.Error()}
			}
			return 0, r, fmt.Errorf("rollout: comparing %q: %w", m.Name, err)
		}
		ratio := meanRatio(smp.Canary, smp.Baseline)
		high := res.CILow > 0 && ratio > m.AllowedIncrease
		low := res.CIHigh < 0 && ratio < m.AllowedDecrease
		bad := (high && m.Direction != Decrease) || (low && m.Direction != Increase)
		if bad {
			dir, allowed := "higher", m.AllowedIncrease
			if low && !high {
				dir, allowed = "lower", m.AllowedDecrease
			}
			desc := fmt.Sprintf("%s %s (shift %+.4g, %g%% CI [%.4g, %.4g], mean ratio %.3g vs allowed %.3g)",
				m.Name, dir, res.Estimate, 100*cg.conf, res.CILow, res.CIHigh, ratio, allowed)
			if m.Muted {
				desc += " (muted)"
			}
			failed = append(failed, desc)
			if m.Critical {
				critFail = m.Name
				r.Metric, r.Statistic, r.Value, r.Threshold = m.Name, "hodges-lehmann-shift", clamp(res.Estimate), 0
			}
		}
		if m.Muted {
			continue
		}
		total[cg.group[i]]++
		if !bad {
			passed[cg.group[i]]++
		}
	}
	var score, wsum float64
	for gi, w := range cg.weights {
		if total[gi] > 0 {
			score += w * passed[gi] / total[gi]
			wsum += w
		}
	}
	failures := strings.Join(failed, "; ")
	switch {
	case critFail != "":
		r.Message = "critical metric failed: " + failures
		return failure, r, nil
	case seen == 0:
		r.Message = "no samples for any compared metric"
		return missing, r, nil
	case wsum > 0 && 100*score/wsum < cg.marginal:
		// The metrics that were measured fail: missing or scant data of a
		// critical metric does not hide that.
		score = 100 * score / wsum
		r.Value = score
		r.Message = withSep(fmt.Sprintf("score %.1f below marginal %g", score, cg.marginal), failures)
		return failure, r, nil
	case critMissing != "":
		r.Metric, r.Statistic = critMissing, "samples"
		r.Message = "no samples for critical metric " + quote(critMissing)
		return missing, r, nil
	case critSmall != "":
		r.Metric, r.Statistic = critSmall, "sample"
		r.Message = fmt.Sprintf("critical metric %q has fewer than %d samples on a side", critSmall, g.minSample)
		return inconclusive, r, nil
	case wsum == 0:
		r.Statistic = "sample"
		r.Message = fmt.Sprintf("no compared metric has %d samples on each side", g.minSample)
		return inconclusive, r, nil
	}
	score = 100 * score / wsum
	r.Value = score
	switch {
	case score >= cg.pass:
		return success, r, nil
	case score >= cg.marginal:
		r.Message = withSep(fmt.Sprintf("marginal score %.1f (pass %g, marginal %g)", score, cg.pass, cg.marginal), failures)
		return inconclusive, r, nil
	}
	r.Message = withSep(fmt.Sprintf("score %.1f below marginal %g", score, cg.marginal), failures)
	return failure, r, nil
}

// meanRatio is mean(canary)/mean(baseline); 1 when both are 0, +Inf when only
// the baseline is 0.
func meanRatio(canary, baseline []float64) float64 {
	mc, mb := mean(canary), mean(baseline)
	switch {
	case mb == 0 && mc == 0:
		return 1
	case mb == 0:
		return math.Copysign(math.Inf(1), mc)
	}
	return mc / mb
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	n := float64(len(xs))
	if math.IsInf(s, 0) {
		// Finite samples near the largest float64 overflowed the sum:
		// divide before adding.
		s = 0
		for _, x := range xs {
			s += x / n
		}
		return s
	}
	return s / n
}
