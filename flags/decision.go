package flags

import "strconv"

// Reason says why an evaluation produced its result. The names match
// OpenFeature's reasons.
type Reason uint8

// Reasons.
const (
	// ReasonStatic: the flag has no rules; its default variant was served.
	ReasonStatic Reason = iota
	// ReasonTargetingMatch: a rule's condition matched and named a variant.
	ReasonTargetingMatch
	// ReasonSplit: a rule's split assigned the variant by bucketing.
	ReasonSplit
	// ReasonDisabled: the flag is disabled or killed; the caller's fallback
	// was served.
	ReasonDisabled
	// ReasonDefault: no rule decided (or a rule said default, a prerequisite
	// failed, or a split had no bucketing value), or the flag has no default
	// variant and the caller's fallback was served.
	ReasonDefault
	// ReasonError: evaluation failed; see [Decision].Err.
	ReasonError
)

var reasonNames = [...]string{"STATIC", "TARGETING_MATCH", "SPLIT", "DISABLED", "DEFAULT", "ERROR"}

// String returns the OpenFeature spelling, e.g. "TARGETING_MATCH".
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// Decision explains one evaluation: which variant was chosen and why. It is
// a small value; the zero Decision is not meaningful.
type Decision struct {
	// FlagKey is the evaluated flag.
	FlagKey string
	// Variant is the chosen variant's name; empty when the caller's
	// fallback applies (disabled flag, no default variant, or an error).
	Variant string
	// Reason says why.
	Reason Reason
	// Rule is the index of the deciding rule, -1 if none.
	Rule int
	// RuleName is the deciding rule's name (its index if unnamed).
	RuleName string
	// Bucket is the subject's bucket in the deciding split, -1 if none.
	Bucket int64
	// TotalWeight is the deciding split's total weight, 0 if none.
	TotalWeight int64
	// RampStep is the index of the ramp point in force, -1 before the ramp
	// starts or without a ramp.
	RampStep int
	// NoBucketingValue is set when a split could not bucket the subject
	// because its bucketing attribute (usually the targeting key) is missing.
	NoBucketingValue bool
	// FailedPrerequisite names the prerequisite flag that was not met.
	FailedPrerequisite string
	// Err is [ErrFlagNotFound], [ErrTypeMismatch] or [ErrNoConfig] when
	// Reason is [ReasonError].
	Err error

	flag *flag
	idx  int // variant index, -1 for the caller's fallback
}

// HasValue reports whether the decision selects a variant of the flag (as
// opposed to the caller's fallback).
func (d *Decision) HasValue() bool { return d.idx >= 0 }

// Value returns the chosen variant's value; the zero [Value] when
// [Decision.HasValue] is false.
func (d *Decision) Value() Value {
	if d.idx < 0 {
		return Value{}
	}
	return d.flag.values[d.idx]
}
