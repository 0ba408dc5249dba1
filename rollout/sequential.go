package rollout

import (
	"errors"
	"fmt"

	"github.com/glidepath/glidepath/internal/stats"
)

// DefaultAlpha is the false-rollback bound of a sequential gate that does not set one.
const DefaultAlpha = 0.05

// SequentialSpec is a sequential gate on event counts (errors, crashes) of the
// canary against the baseline, fed by [Observations.Counts]. It may be
// evaluated after every event without inflating false rollbacks: it is an
// anytime-valid test (a Beta–binomial mixture Bayes factor, the two-arm case
// of Lindon & Malek's Dirichlet–multinomial test) whose null hypothesis is the
// traffic split — each event lands in the canary with the canary's share of
// traffic. The gate fails when the evidence that the canary is worse reaches
// 1/Alpha, so the chance that a canary that is no worse is ever rolled back by
// this gate stays below Alpha, however often it is checked. Its state is two
// counts.
type SequentialSpec struct {
	Metric string `json:"metric"`
	// Alpha bounds the false-rollback probability; 0 means [DefaultAlpha].
	Alpha float64 `json:"alpha,omitempty"`
	// CanaryShare is the canary's share of traffic in (0, 1); 0 means the
	// stage's exposure percentage (which must then be strictly between 0 and 100).
	CanaryShare float64 `json:"canaryShare,omitempty"`
	// AllowedRatio is how many times the baseline's event rate the canary may
	// reach before it counts as worse; 0 means 1.
	AllowedRatio float64 `json:"allowedRatio,omitempty"`
	// Concentration is the prior strength of the mixture; 0 means the
	// statistics package's default.
	Concentration float64 `json:"concentration,omitempty"`
	// PromoteAfter, if positive, enables early promotion: once at least this
	// many events were seen and the evidence shows the canary better than
	// AllowedRatio times the baseline, the gate accepts. When every sequential
	// gate of a stage accepts (and its other gates pass) the stage ends before
	// its bake time.
	PromoteAfter int64 `json:"promoteAfter,omitempty"`
}

type sequentialGate struct {
	test  *stats.SequentialTest
	share float64
}

func (s *SequentialSpec) config(share float64) stats.SequentialConfig {
	alpha := s.Alpha
	if alpha == 0 {
		alpha = DefaultAlpha
	}
	return stats.SequentialConfig{CanaryShare: share, Alpha: alpha, Concentration: s.Concentration,
		PromoteAfter: s.PromoteAfter, AllowedRatio: s.AllowedRatio}
}

// checkSequential validates the gate's own fields (those that do not depend
// on a stage), with paths under the gate.
func checkSequential(v *validator, path string, s *SequentialSpec) {
	share := s.CanaryShare
	if share == 0 {
		share = 0.5
	}
	if _, err := stats.NewSequentialTest(s.config(share)); err != nil {
		var ae *stats.ArgError
		if errors.As(err, &ae) {
			field := map[string]string{"CanaryShare": "canaryShare", "Alpha": "alpha", "Concentration": "concentration",
				"PromoteAfter": "promoteAfter", "AllowedRatio": "allowedRatio"}[ae.Field]
			v.add(path+"."+field, fmt.Sprint(ae.Value), ae.Reason)
			return
		}
		v.add(path, "", err.Error())
	}
}

func compileSequential(v *validator, path string, g *compiledGate, e Exposure) *sequentialGate {
	s := g.spec.Sequential
	share := s.CanaryShare
	if share == 0 {
		if !e.IsPercent() {
			v.add(path, g.spec.Name, fmt.Sprintf("sequential gate %q needs a canaryShare: the stage's exposure is %s", g.spec.Name, e))
			return nil
		}
		share = e.Percent / 100
		if share <= 0 || share >= 1 {
			v.add(path, g.spec.Name, fmt.Sprintf("sequential gate %q compares canary and baseline, which needs an exposure strictly between 0%% and 100%%, not %s", g.spec.Name, e))
			return nil
		}
	}
	t, err := stats.NewSequentialTest(s.config(share))
	if err != nil {
		return nil // reported by checkSequential under the gate's path
	}
	return &sequentialGate{test: t, share: share}
}

func (p *Plan) evalSequential(sg *stageGate, gs *GateState, obs Observations, rs *[]Reason) (GateStatus, error) {
	g := sg.g
	r := Reason{Gate: g.spec.Name, Metric: g.metric, Statistic: "log-bayes-factor"}
	if e, bad := obs.Errors[g.metric]; bad {
		g.record(gs, missing)
		r.Message = "provider error: " + e
	} else if c, ok := obs.Counts[g.metric]; ok {
		if err := checkCounts(g.metric, c); err != nil {
			return 0, err
		}
		counts, err := sg.seq.test.Observe(stats.SequentialCounts{Canary: gs.Canary, Baseline: gs.Baseline}, c.Canary, c.Baseline)
		if err != nil {
			return 0, &ObservationError{Kind: "counts", Name: g.metric, Reason: err.Error()}
		}
		gs.Canary, gs.Baseline = counts.Canary, counts.Baseline
		gs.Sample = addSample(gs.Sample, c.Requests)
		g.record(gs, success)
	} else {
		g.record(gs, missing)
		r.Message = "no counts of " + quote(g.metric)
	}
	res := sg.seq.test.Evaluate(stats.SequentialCounts{Canary: gs.Canary, Baseline: gs.Baseline})
	r.Value, r.Threshold = clamp(res.LogBayesFactor), res.Threshold
	enough := gs.Sample >= g.minSample
	var status GateStatus
	switch {
	case enough && res.Verdict == stats.Reject:
		status = GateFailed
		r.Message = fmt.Sprintf("canary has %d of the %d %s events (%.1f%%, expected at most %.1f%%): log Bayes factor %.2f ≥ %.2f",
			gs.Canary, gs.Canary+gs.Baseline, quote(g.metric), 100*res.CanaryShare, 100*res.NullShare, res.LogBayesFactor, res.Threshold)
	default:
		if enough && res.Verdict == stats.Accept {
			gs.Accepted = true
		}
		if gs.Accepted {
			status = GatePassed
		} else {
			status = g.status(gs)
		}
	}
	if status != GatePassed {
		if status != GateFailed {
			r = g.explain(gs, status, r)
			if !enough {
				r.Message = withSep(r.Message, fmt.Sprintf("canary requests %d of %d", gs.Sample, g.minSample))
			}
		}
		r.Status = status
		*rs = append(*rs, r)
	}
	return status, nil
}

func withSep(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
