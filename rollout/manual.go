package rollout

import (
	"fmt"
	"slices"
	"time"
)

// ManualKind is a manual action a person takes on a rollout.
type ManualKind int

const (
	// Approve approves the current stage (one that requires approval or
	// pauses). Like Resume, it restarts the stage's progress deadline: time
	// spent waiting for a person does not count against it.
	Approve ManualKind = iota
	// Pause stops the rollout where it is; gates still roll back on failure.
	Pause
	// Resume continues a paused or held rollout: it clears the current stage's
	// missing and inconclusive counters, restarts its progress deadline, and
	// resumes a stage that pauses.
	Resume
	// Abort rolls the rollout back.
	Abort
)

var manualNames = [...]string{Approve: "approve", Pause: "pause", Resume: "resume", Abort: "abort"}

// String returns "approve", "pause", "resume" or "abort".
func (m ManualKind) String() string { return enumString(manualNames[:], int(m), "ManualKind") }

// MarshalText implements [encoding.TextMarshaler].
func (m ManualKind) MarshalText() ([]byte, error) {
	return enumMarshal(manualNames[:], int(m), "manual action")
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (m *ManualKind) UnmarshalText(b []byte) error {
	v, err := enumParse(manualNames[:], string(b), "manual action")
	*m = ManualKind(v)
	return err
}

// ManualAction is a person's action on a rollout.
type ManualAction struct {
	Kind    ManualKind `json:"kind"`
	Actor   string     `json:"actor"` // required: who acted
	Comment string     `json:"comment,omitempty"`
}

// Apply records a manual action at time now and returns the decision to log
// and the state to persist. Like [Decide] it is pure. Errors wrap
// [ErrInvalidAction] when the action is not allowed (approving a stage that
// needs no approval, an actor who is not an approver, acting on an ended
// rollout) and [ErrStateMismatch] for a state of another plan.
func Apply(p *Plan, s State, a ManualAction, now time.Time) (Decision, State, error) {
	if p == nil {
		return Decision{}, s, fmt.Errorf("rollout: nil plan")
	}
	if err := p.checkState(s); err != nil {
		return Decision{}, s, err
	}
	if a.Actor == "" {
		return Decision{}, s, fmt.Errorf("%w: an actor is required", ErrInvalidAction)
	}
	if s.Phase.Terminal() {
		return Decision{}, s, fmt.Errorf("%w: %s: the rollout has %s", ErrInvalidAction, a.Kind, s.Phase)
	}
	in := s
	s = s.Clone()
	s.Plan = p.spec.Name
	d := Decision{Rollout: s.ID, Plan: p.spec.Name, At: now, Stage: -1, Actor: a.Actor}
	started := s.Phase != NotStarted
	if started {
		p.setStage(&d, s.Stage)
	}
	msg := a.Kind.String() + " by " + a.Actor
	switch a.Kind {
	case Approve:
		if !started {
			return Decision{}, in, fmt.Errorf("%w: approve: the rollout has not started", ErrInvalidAction)
		}
		st := p.stages[s.Stage].spec
		if !st.Approval && !st.Pause {
			return Decision{}, in, fmt.Errorf("%w: approve: stage %q needs no approval", ErrInvalidAction, st.Name)
		}
		if len(st.Approvers) > 0 && !slices.Contains(st.Approvers, a.Actor) {
			return Decision{}, in, fmt.Errorf("%w: approve: %q is not an approver of stage %q", ErrInvalidAction, a.Actor, st.Name)
		}
		s.Approved, s.ApprovedBy = true, a.Actor
		// Time spent waiting for the approval does not count against the
		// stage's progress deadline.
		s.ResumedAt = now
		d.Action = ActionWait
		d.NextEvaluation = now
	case Pause:
		if s.Phase == Paused {
			return Decision{}, in, fmt.Errorf("%w: pause: already paused", ErrInvalidAction)
		}
		if !started {
			return Decision{}, in, fmt.Errorf("%w: pause: the rollout has not started", ErrInvalidAction)
		}
		s.Phase, s.PausedBy = Paused, a.Actor
		d.Action = ActionHold
		d.NextEvaluation = now.Add(p.interval)
	case Resume:
		if !started {
			return Decision{}, in, fmt.Errorf("%w: resume: the rollout has not started", ErrInvalidAction)
		}
		s.Phase, s.PausedBy = Progressing, ""
		s.ResumedAt = now
		for j := range s.Gates {
			s.Gates[j].Inconclusive = 0
			s.Gates[j].ConsecutiveErrors = 0
		}
		if st := p.stages[s.Stage].spec; st.Pause && !st.Approval {
			s.Approved, s.ApprovedBy = true, a.Actor
		}
		d.Action = ActionWait
		d.NextEvaluation = now
	case Abort:
		s.Phase = RolledBack
		s.EndedAt = now
		d.Action = ActionRollBack
	default:
		return Decision{}, in, fmt.Errorf("%w: unknown kind %d", ErrInvalidAction, int(a.Kind))
	}
	d.Reasons = []Reason{{Statistic: "manual", Message: withDetail(msg, a.Comment)}}
	return d, s, nil
}
