package rollout

import (
	"slices"
	"time"
)

// State is everything [Decide] remembers between decisions: a plain value that
// the caller persists (it encodes to JSON) and passes back. The zero State, with
// ID set, is a rollout that has not started.
type State struct {
	// ID identifies this rollout (one run of a plan) in decisions and logs,
	// e.g. "checkout 2.3.1". Chosen by the caller.
	ID string `json:"id,omitempty"`
	// Plan is the name of the plan the state belongs to; set by the first decision.
	Plan  string `json:"plan,omitempty"`
	Phase Phase  `json:"phase"`
	// Stage is the current stage; meaningful once the rollout has started.
	Stage          int       `json:"stage"`
	StartedAt      time.Time `json:"startedAt,omitzero"`
	StageStartedAt time.Time `json:"stageStartedAt,omitzero"`
	EndedAt        time.Time `json:"endedAt,omitzero"`
	// ResumedAt is when a person last resumed or approved the stage; a
	// missed progress deadline counts from it.
	ResumedAt time.Time `json:"resumedAt,omitzero"`
	// Approved records a manual approval (or resume) of the current stage.
	Approved   bool   `json:"approved,omitempty"`
	ApprovedBy string `json:"approvedBy,omitempty"`
	PausedBy   string `json:"pausedBy,omitempty"`
	// Gates hold the counters of the current stage's gates, in stage order.
	Gates []GateState `json:"gates,omitempty"`
}

// GateState is the memory of one gate during a stage: a few counters.
type GateState struct {
	Name              string    `json:"name"`
	NextAt            time.Time `json:"nextAt,omitzero"` // when the gate measures next
	Successes         int       `json:"successes,omitempty"`
	Failures          int       `json:"failures,omitempty"`
	Inconclusive      int       `json:"inconclusive,omitempty"`
	Errors            int       `json:"errors,omitempty"`
	ConsecutiveErrors int       `json:"consecutiveErrors,omitempty"`
	Sample            int64     `json:"sample,omitempty"` // cumulative sample (requests)
	LastOK            bool      `json:"lastOK,omitempty"` // the latest measurement succeeded
	// Canary and Baseline are a sequential gate's event counts.
	Canary   int64 `json:"canary,omitempty"`
	Baseline int64 `json:"baseline,omitempty"`
	Accepted bool  `json:"accepted,omitempty"` // a sequential gate's early promotion rule was met
}

// Clone returns a deep copy of s.
func (s State) Clone() State {
	s.Gates = slices.Clone(s.Gates)
	return s
}

func (p *Plan) enterStage(s *State, i int, now time.Time) {
	s.Phase = Progressing
	s.Stage = i
	s.StageStartedAt = now
	s.ResumedAt = time.Time{}
	s.Approved = false
	s.ApprovedBy = ""
	gates := p.stages[i].gates
	s.Gates = make([]GateState, len(gates))
	for j, g := range gates {
		s.Gates[j] = GateState{Name: g.g.spec.Name}
	}
}

// checkState reports whether s can be used with p.
func (p *Plan) checkState(s State) error {
	if s.Plan != "" && s.Plan != p.spec.Name {
		return stateErr("state belongs to plan " + quote(s.Plan) + ", not " + quote(p.spec.Name))
	}
	if s.Phase < NotStarted || s.Phase > Completed {
		return stateErr("unknown phase")
	}
	if s.Phase == Progressing || s.Phase == Paused {
		if s.Stage < 0 || s.Stage >= len(p.stages) {
			return stateErr("stage index out of range")
		}
		gates := p.stages[s.Stage].gates
		if len(s.Gates) != len(gates) {
			return stateErr("stage " + quote(p.stages[s.Stage].spec.Name) + " gates changed")
		}
		for j, g := range gates {
			gs := &s.Gates[j]
			if gs.Name != g.g.spec.Name {
				return stateErr("stage " + quote(p.stages[s.Stage].spec.Name) + " gates changed")
			}
			if gs.Successes < 0 || gs.Failures < 0 || gs.Inconclusive < 0 || gs.Errors < 0 || gs.ConsecutiveErrors < 0 ||
				gs.Sample < 0 || gs.Canary < 0 || gs.Baseline < 0 {
				return stateErr("gate " + quote(gs.Name) + " has a negative counter")
			}
		}
	}
	return nil
}

type stateError struct{ msg string }

func stateErr(msg string) error            { return &stateError{msg} }
func (e *stateError) Error() string        { return "rollout: state does not match plan: " + e.msg }
func (e *stateError) Is(target error) bool { return target == ErrStateMismatch }
