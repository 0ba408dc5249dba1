package rollout

import (
	"errors"
	"fmt"
)

// Sentinel errors that callers branch on with [errors.Is].
var (
	// ErrInvalidPlan is matched by every [*PlanError].
	ErrInvalidPlan = errors.New("rollout: invalid plan")
	// ErrInvalidObservation is matched by every [*ObservationError].
	ErrInvalidObservation = errors.New("rollout: invalid observation")
	// ErrStateMismatch reports a [State] that does not belong to the plan it is used
	// with (another plan, or a plan whose stages or gates changed).
	ErrStateMismatch = errors.New("rollout: state does not match plan")
	// ErrInvalidAction reports a manual action that is not allowed in the rollout's
	// current phase, or by that actor.
	ErrInvalidAction = errors.New("rollout: invalid manual action")
)

// PlanError is a validation or decoding failure in a plan. Path names the field
// in the plan's YAML/JSON form, e.g. "stages[2].exposure".
type PlanError struct {
	Path   string // field path, e.g. "gates[1].threshold.max"
	Value  string // the offending value as written, if any
	Reason string // what is wrong, e.g. "10% is below the previous stage's 25%"
}

// Error returns "rollout: <path>: <reason>".
func (e *PlanError) Error() string {
	if e.Path == "" {
		return "rollout: " + e.Reason
	}
	return "rollout: " + e.Path + ": " + e.Reason
}

// Is reports whether target is [ErrInvalidPlan].
func (e *PlanError) Is(target error) bool { return target == ErrInvalidPlan }

// ObservationError is an observation that cannot be used: a NaN or infinite
// value, a negative count or sample size.
type ObservationError struct {
	Kind   string // "checks", "metrics", "samples", "counts"
	Name   string // metric or check name
	Reason string
}

// Error returns "rollout: observation <kind>[<name>]: <reason>".
func (e *ObservationError) Error() string {
	return fmt.Sprintf("rollout: observation %s[%q]: %s", e.Kind, e.Name, e.Reason)
}

// Is reports whether target is [ErrInvalidObservation].
func (e *ObservationError) Is(target error) bool { return target == ErrInvalidObservation }
