package rollout

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Decide evaluates a rollout at time now and returns the decision and the
// state to persist. It is pure and deterministic: the same plan, state,
// observations and time give the same decision on any replica. It never
// changes its arguments.
//
// The caller carries out the decision's action (set the exposure of the new
// stage, roll back, promote), persists the returned state, and calls Decide
// again at the decision's NextEvaluation with fresh observations.
//
// Errors: [ErrStateMismatch] for a state of another plan, [ErrInvalidObservation]
// for NaN or infinite values and negative counts or samples anywhere in obs
// (not only in the metrics the due gates read). On error the returned state is s.
func Decide(p *Plan, s State, obs Observations, now time.Time) (Decision, State, error) {
	if p == nil {
		return Decision{}, s, errors.New("rollout: nil plan")
	}
	if err := p.checkState(s); err != nil {
		return Decision{}, s, err
	}
	if err := obs.validate(); err != nil {
		return Decision{}, s, err
	}
	in := s
	s = s.Clone()
	s.Plan = p.spec.Name
	d := Decision{Rollout: s.ID, Plan: p.spec.Name, At: now, Stage: -1}
	var err error
	switch s.Phase {
	case Completed, RolledBack:
		d.Action = ActionComplete
		msg := "the rollout completed"
		if s.Phase == RolledBack {
			d.Action = ActionRollBack
			msg = "the rollout was rolled back"
		}
		if !s.EndedAt.IsZero() {
			msg += " at " + s.EndedAt.UTC().Format(time.RFC3339)
		}
		d.Reasons = []Reason{{Statistic: "phase", Message: msg}}
		p.setStage(&d, s.Stage)
		return d, s, nil
	case NotStarted:
		p.decideStart(&d, &s, obs, now)
	default:
		err = p.decideStage(&d, &s, obs, now)
	}
	if err != nil {
		return Decision{}, in, err
	}
	return d, s, nil
}

func (p *Plan) setStage(d *Decision, i int) {
	if i < 0 || i >= len(p.stages) {
		d.Stage = -1
		return
	}
	d.Stage = i
	d.StageName = p.stages[i].spec.Name
	d.Exposure = p.stages[i].spec.Exposure
}

func (p *Plan) decideStart(d *Decision, s *State, obs Observations, now time.Time) {
	failed, missing := false, false
	for _, c := range p.spec.Readiness {
		res, ok := obs.Checks[c.Name]
		switch {
		case !ok:
			missing = true
			d.Reasons = append(d.Reasons, Reason{Statistic: "readiness", Message: "readiness check " + quote(c.Name) + " has no result"})
		case !res.OK:
			failed = true
			d.Reasons = append(d.Reasons, Reason{Statistic: "readiness", Message: withDetail("readiness check "+quote(c.Name)+" failed", res.Detail)})
		}
	}
	d.NextEvaluation = now.Add(p.interval)
	switch {
	case failed:
		d.Action = ActionHold
	case missing:
		d.Action = ActionWait
	default:
		s.StartedAt = now
		p.enterStage(s, 0, now)
		d.Action = ActionAdvance
		p.setStage(d, 0)
		d.Reasons = append(d.Reasons, Reason{Statistic: "readiness", Message: "all readiness checks passed; starting stage " + quote(d.StageName)})
		p.nextEvaluation(d, s, now)
	}
}

func withDetail(msg, detail string) string {
	if detail == "" {
		return msg
	}
	return msg + ": " + detail
}

func (p *Plan) decideStage(d *Decision, s *State, obs Observations, now time.Time) error {
	st := &p.stages[s.Stage]
	p.setStage(d, s.Stage)
	failed, held, pending := false, false, false
	seqGates, seqAccepted := 0, 0
	for j := range st.gates {
		sg := &st.gates[j]
		gs := &s.Gates[j]
		status, err := p.evalGate(sg, gs, obs, now, &d.Reasons)
		if err != nil {
			return err
		}
		switch status {
		case GateFailed:
			failed = true
		case GateHeld:
			held = true
		case GatePending:
			pending = true
		}
		if sg.seq != nil {
			seqGates++
			if gs.Accepted {
				seqAccepted++
			}
		}
	}
	if failed {
		d.Reasons = keepStatus(d.Reasons, GateFailed)
		s.Phase = RolledBack
		s.EndedAt = now
		d.Action = ActionRollBack
		return nil
	}
	p.nextEvaluation(d, s, now)
	if s.Phase == Paused {
		d.Action = ActionHold
		d.Reasons = append(d.Reasons[:0], Reason{Statistic: "pause", Message: withDetail("paused", byActor(s.PausedBy))})
		return nil
	}
	if held {
		d.Reasons = keepStatus(d.Reasons, GateHeld)
		d.Action = ActionHold
		// A held stage makes no progress either: past its deadline, a
		// rollback policy rolls it back rather than holding forever.
		p.checkDeadline(d, s, st, now)
		return nil
	}

	waiting := pending
	age := now.Sub(s.StageStartedAt)
	early := seqGates > 0 && seqAccepted == seqGates && !pending
	if p.spec.Strategy == BlueGreen && s.Stage == len(p.stages)-1 {
		early = false // the rollback window is kept in full
	}
	if age < st.bake && !early {
		waiting = true
		d.Reasons = append(d.Reasons, Reason{Statistic: "bake", Value: age.Seconds(), Threshold: st.bake.Seconds(),
			Message: fmt.Sprintf("baking for %s of %s", age.Round(time.Second), st.bake)})
	}
	for _, c := range st.spec.Exit {
		res, ok := obs.Checks[c.Name]
		switch {
		case !ok:
			waiting = true
			d.Reasons = append(d.Reasons, Reason{Statistic: "exit", Message: "exit check " + quote(c.Name) + " has no result"})
		case !res.OK:
			waiting = true
			d.Reasons = append(d.Reasons, Reason{Statistic: "exit", Message: withDetail("exit check "+quote(c.Name)+" not met", res.Detail)})
		}
	}
	if waiting {
		d.Action = ActionWait
		p.checkDeadline(d, s, st, now)
		return nil
	}
	d.Reasons = d.Reasons[:0]
	if (st.spec.Approval || st.spec.Pause) && !s.Approved {
		d.Action = ActionNeedsApproval
		msg := "stage " + quote(st.spec.Name) + " is healthy and paused until a person resumes it"
		if st.spec.Approval {
			msg = "stage " + quote(st.spec.Name) + " is healthy and needs a manual approval"
			if len(st.spec.Approvers) > 0 {
				msg += " from " + strings.Join(st.spec.Approvers, " or ")
			}
		}
		d.Reasons = append(d.Reasons, Reason{Statistic: "approval", Message: msg})
		return nil
	}
	if s.Stage == len(p.stages)-1 {
		s.Phase = Completed
		s.EndedAt = now
		d.Action = ActionComplete
		d.NextEvaluation = time.Time{}
		d.Reasons = append(d.Reasons, Reason{Statistic: "stage", Message: "all stages passed"})
		return nil
	}
	from := st.spec.Name
	p.enterStage(s, s.Stage+1, now)
	p.setStage(d, s.Stage)
	d.Action = ActionAdvance
	msg := "stage " + quote(from) + " passed"
	if early && age < st.bake {
		msg += " early: every sequential gate accepted"
	}
	d.Reasons = append(d.Reasons, Reason{Statistic: "stage", Message: msg})
	p.nextEvaluation(d, s, now)
	return nil
}

// checkDeadline turns a wait or hold into the stage's deadline action once
// its progress deadline (counted from the stage's start or the latest resume)
// has passed.
func (p *Plan) checkDeadline(d *Decision, s *State, st *compiledStage, now time.Time) {
	dl := st.spec.ProgressDeadline.D()
	if dl <= 0 {
		return
	}
	from := s.StageStartedAt
	if s.ResumedAt.After(from) {
		from = s.ResumedAt
	}
	if now.Sub(from) <= dl {
		return
	}
	d.Reasons = append(d.Reasons, Reason{Statistic: "deadline", Value: now.Sub(from).Seconds(), Threshold: dl.Seconds(),
		Message: fmt.Sprintf("stage %q missed its progress deadline of %s", st.spec.Name, dl)})
	d.Action = ActionHold
	if st.spec.OnDeadline == DeadlineRollBack {
		d.Action = ActionRollBack
		s.Phase = RolledBack
		s.EndedAt = now
		d.NextEvaluation = time.Time{}
	}
}

func byActor(actor string) string {
	if actor == "" {
		return ""
	}
	return "by " + actor
}

// keepStatus filters reasons in place to those of gates with the given status.
func keepStatus(rs []Reason, st GateStatus) []Reason {
	out := rs[:0]
	for _, r := range rs {
		if r.Gate != "" && r.Status == st {
			out = append(out, r)
		}
	}
	return out
}

// nextEvaluation sets d.NextEvaluation: the plan interval, or sooner when a
// gate measures, the bake time ends or the deadline passes before that.
func (p *Plan) nextEvaluation(d *Decision, s *State, now time.Time) {
	next := now.Add(p.interval)
	earlier := func(t time.Time) {
		if t.After(now) && t.Before(next) {
			next = t
		}
	}
	st := &p.stages[s.Stage]
	for j := range s.Gates {
		earlier(s.Gates[j].NextAt)
	}
	earlier(s.StageStartedAt.Add(st.bake))
	if dl := st.spec.ProgressDeadline.D(); dl > 0 {
		from := s.StageStartedAt
		if s.ResumedAt.After(from) {
			from = s.ResumedAt
		}
		earlier(from.Add(dl + time.Nanosecond))
	}
	d.NextEvaluation = next
}

// outcome is the classification of one measurement.
type outcome int

const (
	success outcome = iota
	failure
	inconclusive
	missing
)

func (g *compiledGate) record(gs *GateState, o outcome) {
	switch o {
	case success:
		gs.Successes++
		gs.ConsecutiveErrors = 0
		gs.LastOK = true
	case failure:
		gs.Failures++
		gs.ConsecutiveErrors = 0
		gs.LastOK = false
	case inconclusive:
		gs.Inconclusive++
		gs.ConsecutiveErrors = 0
		gs.LastOK = false
	case missing:
		gs.Errors++
		gs.ConsecutiveErrors++
		switch g.spec.Missing {
		case MissingFail:
			gs.Failures++
			gs.LastOK = false
		case MissingHold:
			gs.LastOK = false
		}
	}
}

// status derives a measured gate's verdict from its counters.
func (g *compiledGate) status(gs *GateState) GateStatus {
	switch {
	case gs.Failures > g.spec.FailureLimit:
		return GateFailed
	case g.spec.Missing == MissingHold && gs.ConsecutiveErrors > g.errLimit:
		return GateHeld
	case g.spec.InconclusiveLimit > 0 && gs.Inconclusive > g.spec.InconclusiveLimit:
		return GateHeld
	}
	need := g.successes
	if need == 0 {
		need = 1
	}
	if gs.Successes >= need && (g.kind == kindComparison || gs.Sample >= g.minSample) &&
		(gs.LastOK || g.spec.Missing == MissingPass) {
		return GatePassed
	}
	return GatePending
}

func addSample(total, n int64) int64 {
	if n > math.MaxInt64-total {
		return math.MaxInt64
	}
	return total + n
}

func (p *Plan) evalGate(sg *stageGate, gs *GateState, obs Observations, now time.Time, rs *[]Reason) (GateStatus, error) {
	g := sg.g
	if g.kind == kindSequential {
		return p.evalSequential(sg, gs, obs, rs)
	}
	due := !now.Before(gs.NextAt)
	var detail Reason
	if due {
		gs.NextAt = now.Add(g.interval)
		var o outcome
		var err error
		if g.kind == kindThreshold {
			o, detail, err = g.measureThreshold(gs, obs)
		} else {
			o, detail, err = g.measureComparison(obs)
		}
		if err != nil {
			return 0, err
		}
		g.record(gs, o)
	}
	status := g.status(gs)
	if status != GatePassed {
		*rs = append(*rs, g.explain(gs, status, detail))
	}
	return status, nil
}

// explain builds the reason for a gate that did not pass, from the latest
// measurement's detail (if it measured now) and the counters.
func (g *compiledGate) explain(gs *GateState, status GateStatus, detail Reason) Reason {
	r := detail
	r.Gate = g.spec.Name
	r.Status = status
	var why string
	switch status {
	case GateFailed:
		why = fmt.Sprintf("%d failed measurements > limit %d", gs.Failures, g.spec.FailureLimit)
		if g.spec.FailureLimit == 0 {
			why = ""
		}
	case GateHeld:
		if g.spec.Missing == MissingHold && gs.ConsecutiveErrors > g.errLimit {
			why = fmt.Sprintf("%d consecutive missing measurements > limit %d", gs.ConsecutiveErrors, g.errLimit)
		} else {
			why = fmt.Sprintf("%d inconclusive measurements > limit %d", gs.Inconclusive, g.spec.InconclusiveLimit)
		}
	case GatePending:
		need := max(g.successes, 1)
		switch {
		case gs.Successes < need:
			why = fmt.Sprintf("%d of %d successful measurements", gs.Successes, need)
		case g.kind == kindThreshold && gs.Sample < g.minSample:
			why = fmt.Sprintf("sample %d of %d", gs.Sample, g.minSample)
		default:
			why = "waiting for a fresh successful measurement"
		}
	}
	switch {
	case r.Message == "":
		r.Message = why
	case why != "":
		r.Message += "; " + why
	}
	return r
}

func (g *compiledGate) measureThreshold(gs *GateState, obs Observations) (outcome, Reason, error) {
	r := Reason{Metric: g.metric, Statistic: "value"}
	if e, bad := obs.Errors[g.metric]; bad {
		r.Message = "provider error: " + e
		return missing, r, nil
	}
	m, ok := obs.Metrics[g.metric]
	if !ok {
		r.Message = "no measurement of " + quote(g.metric)
		return missing, r, nil
	}
	if err := checkMeasurement(g.metric, m); err != nil {
		return 0, r, err
	}
	gs.Sample = addSample(gs.Sample, m.Sample)
	r.Value = m.Value
	if m.Sample == 0 {
		r.Statistic = "sample"
		r.Message = "no traffic: the measurement has an empty sample"
		return inconclusive, r, nil
	}
	var bound float64
	var rel string
	switch {
	case m.Value > g.max:
		bound, rel = g.max, "above max"
	case m.Value < g.min:
		bound, rel = g.min, "below min"
	default:
		r.Threshold = clamp(g.max)
		if math.IsInf(g.max, 1) {
			r.Threshold = g.min
		}
		return success, r, nil
	}
	r.Threshold = bound
	r.Message = fmt.Sprintf("%s %g %s %g", g.metric, m.Value, rel, bound)
	if gs.Sample < g.minSample {
		r.Message += fmt.Sprintf(", but the sample %d is below the minimum %d", gs.Sample, g.minSample)
		return inconclusive, r, nil
	}
	return failure, r, nil
}
