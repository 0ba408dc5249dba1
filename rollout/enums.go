package rollout

import (
	"fmt"
	"strconv"
)

// Strategy is how a plan exposes the new version.
type Strategy int

const (
	// Canary grows the exposure of the new version stage by stage.
	Canary Strategy = iota
	// BlueGreen verifies the new version at 0 % exposure, switches all traffic
	// at once and keeps the old version for the plan's rollback window.
	BlueGreen
)

var strategyNames = [...]string{Canary: "canary", BlueGreen: "blue-green"}

// String returns "canary" or "blue-green".
func (s Strategy) String() string { return enumString(strategyNames[:], int(s), "Strategy") }

// MarshalText implements [encoding.TextMarshaler].
func (s Strategy) MarshalText() ([]byte, error) {
	return enumMarshal(strategyNames[:], int(s), "strategy")
}

// UnmarshalText implements [encoding.TextUnmarshaler]; the empty string means [Canary].
func (s *Strategy) UnmarshalText(b []byte) error {
	v, err := enumParse(strategyNames[:], string(b), "strategy")
	*s = Strategy(v)
	return err
}

// Action is what a [Decision] asks the caller to do.
type Action int

const (
	// ActionWait: nothing to change; evaluate again at the decision's NextEvaluation.
	ActionWait Action = iota
	// ActionAdvance: widen exposure to the decision's stage (stage 0 starts the rollout).
	ActionAdvance
	// ActionHold: keep the current exposure and call a human; the rollout cannot
	// decide on its own (inconclusive data, missed deadline, failed readiness check).
	ActionHold
	// ActionRollBack: remove the new version; a gate failed.
	ActionRollBack
	// ActionComplete: the last stage passed; promote the new version and release the old one.
	ActionComplete
	// ActionNeedsApproval: the stage is healthy but waits for a manual approval or resume.
	ActionNeedsApproval
)

var actionNames = [...]string{
	ActionWait:          "wait",
	ActionAdvance:       "advance",
	ActionHold:          "hold",
	ActionRollBack:      "rollback",
	ActionComplete:      "complete",
	ActionNeedsApproval: "needs-approval",
}

// String returns the action's name, e.g. "rollback".
func (a Action) String() string { return enumString(actionNames[:], int(a), "Action") }

// MarshalText implements [encoding.TextMarshaler].
func (a Action) MarshalText() ([]byte, error) { return enumMarshal(actionNames[:], int(a), "action") }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (a *Action) UnmarshalText(b []byte) error {
	v, err := enumParse(actionNames[:], string(b), "action")
	*a = Action(v)
	return err
}

// MissingPolicy says what a gate does when its data are missing: no measurement
// when one is due, or a provider error. A measurement with too small a sample is
// never missing data: it is inconclusive under every policy, so a low-traffic stage
// is never rolled back for lack of traffic.
type MissingPolicy int

const (
	// MissingHold (the default) treats missing data as inconclusive: the gate cannot
	// pass, the stage cannot advance, and nothing is rolled back. Past the gate's
	// error or inconclusive limit the rollout holds for a human.
	MissingHold MissingPolicy = iota
	// MissingFail counts missing data as a failed measurement (towards the failure
	// limit), for metrics whose absence is itself a symptom.
	MissingFail
	// MissingPass skips missing data: the gate passes on the evidence it has once its
	// cumulative sample reaches the minimum, even if the latest data are missing.
	MissingPass
)

var missingNames = [...]string{MissingHold: "hold", MissingFail: "fail", MissingPass: "pass"}

// String returns "hold", "fail" or "pass".
func (m MissingPolicy) String() string { return enumString(missingNames[:], int(m), "MissingPolicy") }

// MarshalText implements [encoding.TextMarshaler].
func (m MissingPolicy) MarshalText() ([]byte, error) {
	return enumMarshal(missingNames[:], int(m), "missing-data policy")
}

// UnmarshalText implements [encoding.TextUnmarshaler]; the empty string means [MissingHold].
func (m *MissingPolicy) UnmarshalText(b []byte) error {
	v, err := enumParse(missingNames[:], string(b), "missing-data policy")
	*m = MissingPolicy(v)
	return err
}

// Direction says which change of a compared metric is harmful.
type Direction int

const (
	// Increase: only a rise of the canary over the baseline fails (latency, errors).
	Increase Direction = iota
	// Decrease: only a drop fails (throughput, success rate).
	Decrease
	// Either: a significant change in either direction fails.
	Either
)

var directionNames = [...]string{Increase: "increase", Decrease: "decrease", Either: "either"}

// String returns "increase", "decrease" or "either".
func (d Direction) String() string { return enumString(directionNames[:], int(d), "Direction") }

// MarshalText implements [encoding.TextMarshaler].
func (d Direction) MarshalText() ([]byte, error) {
	return enumMarshal(directionNames[:], int(d), "direction")
}

// UnmarshalText implements [encoding.TextUnmarshaler]; the empty string means [Increase].
func (d *Direction) UnmarshalText(b []byte) error {
	v, err := enumParse(directionNames[:], string(b), "direction")
	*d = Direction(v)
	return err
}

// DeadlineAction is what happens when a stage misses its progress deadline.
type DeadlineAction int

const (
	// DeadlineHold (the default) holds the rollout for a human.
	DeadlineHold DeadlineAction = iota
	// DeadlineRollBack rolls the rollout back.
	DeadlineRollBack
)

var deadlineNames = [...]string{DeadlineHold: "hold", DeadlineRollBack: "rollback"}

// String returns "hold" or "rollback".
func (d DeadlineAction) String() string {
	return enumString(deadlineNames[:], int(d), "DeadlineAction")
}

// MarshalText implements [encoding.TextMarshaler].
func (d DeadlineAction) MarshalText() ([]byte, error) {
	return enumMarshal(deadlineNames[:], int(d), "deadline action")
}

// UnmarshalText implements [encoding.TextUnmarshaler]; the empty string means [DeadlineHold].
func (d *DeadlineAction) UnmarshalText(b []byte) error {
	v, err := enumParse(deadlineNames[:], string(b), "deadline action")
	*d = DeadlineAction(v)
	return err
}

// Phase is where a rollout is in its life.
type Phase int

const (
	// NotStarted: readiness criteria not yet met (the zero [State]).
	NotStarted Phase = iota
	// Progressing: a stage is baking.
	Progressing
	// Paused: a person paused the rollout; only a resume continues it.
	Paused
	// RolledBack: terminal; the new version was removed.
	RolledBack
	// Completed: terminal; the new version serves everything.
	Completed
)

var phaseNames = [...]string{
	NotStarted:  "not-started",
	Progressing: "progressing",
	Paused:      "paused",
	RolledBack:  "rolled-back",
	Completed:   "completed",
}

// String returns the phase's name, e.g. "rolled-back".
func (p Phase) String() string { return enumString(phaseNames[:], int(p), "Phase") }

// Terminal reports whether no further decision can change the rollout.
func (p Phase) Terminal() bool { return p == RolledBack || p == Completed }

// MarshalText implements [encoding.TextMarshaler].
func (p Phase) MarshalText() ([]byte, error) { return enumMarshal(phaseNames[:], int(p), "phase") }

// UnmarshalText implements [encoding.TextUnmarshaler]; the empty string means [NotStarted].
func (p *Phase) UnmarshalText(b []byte) error {
	v, err := enumParse(phaseNames[:], string(b), "phase")
	*p = Phase(v)
	return err
}

func enumString(names []string, v int, typ string) string {
	if v >= 0 && v < len(names) {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(v) + ")"
}

func enumMarshal(names []string, v int, what string) ([]byte, error) {
	if v >= 0 && v < len(names) {
		return []byte(names[v]), nil
	}
	return nil, fmt.Errorf("rollout: invalid %s %d", what, v)
}

func enumParse(names []string, s, what string) (int, error) {
	if s == "" {
		return 0, nil
	}
	for i, n := range names {
		if n == s {
			return i, nil
		}
	}
	return 0, fmt.Errorf("rollout: unknown %s %q (want one of %s)", what, s, quoteList(names))
}

func quoteList(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += strconv.Quote(n)
	}
	return s
}
