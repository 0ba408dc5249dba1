package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/glidepath/glidepath/rollout"
	"github.com/glidepath/glidepath/rollout/rehearse"
)

// The injected regression: the new version's error rate is multiplied by
// burstFactor from burstStart after the wave's rollout starts.
const (
	burstStart  = 20 * time.Minute
	burstFactor = 8
	// actuationDelay is how long the simulated deploy system takes to carry
	// out a decision; the decision log records when each one took effect.
	actuationDelay = 2 * time.Minute
)

// simulatedMetrics maps the plan's gates to what the rehearsal generates:
// the first threshold gate's metric is fed an error ratio, the first
// sequential gate's metric error counts, the first compared metric latencies.
func simulatedMetrics(p *rollout.Plan) rehearse.Metrics {
	var m rehearse.Metrics
	for _, g := range p.Spec().Gates {
		switch {
		case g.Threshold != nil && m.ErrorRatio == "":
			m.ErrorRatio = g.Threshold.Metric
		case g.Sequential != nil && m.Errors == "":
			m.Errors = g.Sequential.Metric
		case g.Comparison != nil && m.Latency == "" && len(g.Comparison.Metrics) > 0:
			m.Latency = g.Comparison.Metrics[0].Name
		}
	}
	return m
}

// rehearseWaves rehearses the rollout plan for every wave in the first
// region of its follow-the-sun sequence, dated at that region's window, and
// returns the decision log of all rehearsals.
func rehearseWaves(p *printer, in *inputs, o options, waves []*wave) ([]rollout.Record, error) {
	regress := o.regressWave
	if regress < 0 {
		regress = len(waves)
	}
	metrics := simulatedMetrics(in.plan)
	p.f("  Plan %q rehearsed for each wave in its first region, seed %d; gates read\n", in.plan.Name(), o.seed)
	p.f("  a simulated error ratio (%s), error counts (%s) and latencies (%s);\n",
		orNone(metrics.ErrorRatio), orNone(metrics.Errors), orNone(metrics.Latency))
	p.f("  the simulated deploy system carries out each decision in %s.\n", fmtDur(actuationDelay))
	if regress > 0 && regress <= len(waves) {
		p.f("  Wave %d gets a regression on purpose, to show an automatic rollback (-regress-wave=0: none).\n", regress)
	}
	var log []rollout.Record
	for _, w := range waves {
		first := w.seq.Stages[0]
		sc := rehearse.Scenario{
			Name:    fmt.Sprintf("wave %d %s", w.n, first.Party),
			Metrics: metrics,
			Start:   first.Start,
			// A rollback takes effect when the deploy system has carried
			// it out; the actuation records let Summarize measure that.
			ActuationDelay: actuationDelay,
		}
		if w.n == regress {
			sc.Faults = []rehearse.Fault{{Kind: rehearse.ErrorBurst, Start: burstStart, Factor: burstFactor}}
		}
		run, err := rehearse.RunOne(in.plan, sc, o.seed)
		if err != nil {
			return nil, err
		}
		log = append(log, run.Log...)

		p.f("  wave %d in %s from %s: %s after %s\n", w.n, first.Party, fmtTime(first.Start), run.Outcome, fmtDur(run.End))
		if len(sc.Faults) > 0 {
			p.f("    injected: error rate ×%d from +%s\n", burstFactor, fmtDur(burstStart))
		}
		if run.Outcome == rehearse.Completed && len(sc.Faults) == 0 {
			p.f("    %s\n", stagePath(run.Log))
			continue
		}
		for _, r := range run.Log {
			what := r.Action.String()
			if r.Kind == rollout.KindActuation {
				what += " done"
			}
			p.f("    +%-6s %-13s %-9s %s\n", fmtDur(r.Time.Sub(first.Start)), what, r.StageName, r.Exposure)
		}
		if run.Detected {
			p.f("    detected %s after the regression began; reasons:\n", fmtDur(run.Detection))
		} else if len(run.Reasons) > 0 {
			p.f("    reasons:\n")
		}
		if run.Outcome != rehearse.Completed {
			for _, r := range run.Reasons {
				p.f("      - %s\n", r)
			}
		}
	}
	return log, nil
}

// stagePath summarizes a clean run: "advance canary 5% → advance quarter 25% → ...".
func stagePath(log []rollout.Record) string {
	var parts []string
	for _, r := range log {
		if r.Kind != rollout.KindDecision {
			continue
		}
		switch r.Action {
		case rollout.ActionAdvance:
			parts = append(parts, fmt.Sprintf("%s %s (+%s)", r.StageName, r.Exposure, fmtDur(r.Time.Sub(log[0].Time))))
		case rollout.ActionComplete:
			parts = append(parts, fmt.Sprintf("complete (+%s)", fmtDur(r.Time.Sub(log[0].Time))))
		}
	}
	return strings.Join(parts, " → ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func printSummary(p *printer, records []rollout.Record) {
	for _, s := range rollout.Summarize(records, "") {
		p.f("  %d rehearsed rollouts: %d completed, %d rolled back, %d in progress\n", s.Rollouts, s.Completed, s.RolledBack, s.InProgress)
		p.f("  rollback rate %.0f%%, cadence %s between completions\n", 100*s.RollbackRate, fmtDur(s.Cadence))
		p.f("  mean time to detect %s (from a rollout's start), mean time to resolve %s (%d detection%s)\n", fmtDur(s.MTTD), fmtDur(s.MTTR), s.Detections, plural(s.Detections))
	}
}
