package flags

import (
	"fmt"
	"strconv"
)

// Condition is a node of a rule's condition tree. Exactly one of All, Any,
// Not, Segment or Attribute must be set; an attribute test also sets Op and,
// depending on the operator, Value or Values.
//
// Conditions use three-valued logic. A test on an attribute the subject does
// not have, or whose value has the wrong type (a number where a string is
// expected, a malformed version), is unknown rather than false; Not of
// unknown is unknown; All is false if any member is false, else unknown if
// any is; Any is true if any member is true, else unknown if any is. A rule
// matches only when its condition is true, so a negated test never selects a
// subject merely because an attribute is missing. Use [OpExists] to test for
// presence.
type Condition struct {
	// All holds when every member does.
	All []Condition `json:"all,omitempty"`
	// Any holds when one member does.
	Any []Condition `json:"any,omitempty"`
	// Not negates its condition.
	Not *Condition `json:"not,omitempty"`
	// Segment refers to a condition in Config.Segments by name.
	Segment string `json:"segment,omitempty"`

	// Attribute names a context attribute. "targetingKey" is the targeting
	// key; a dotted name such as "user.name" is looked up as a key first and
	// then as a path through nested maps.
	Attribute string `json:"attribute,omitempty"`
	// Op is the test applied to the attribute.
	Op Operator `json:"op,omitempty"`
	// Value is the operand of single-operand operators.
	Value *Value `json:"value,omitempty"`
	// Values are the operands of OpIn and OpNotIn.
	Values []Value `json:"values,omitempty"`
}

// Operator is the test an attribute condition applies.
type Operator uint8

// Operators. Those marked (Values) take a list, OpExists takes no operand,
// all others take one Value.
const (
	OpInvalid              Operator = iota
	OpEquals                        // same kind and value; ints and floats compare numerically
	OpNotEquals                     // present, comparable, and different
	OpIn                            // (Values) equal to one of the values
	OpNotIn                         // (Values) equal to none of the values
	OpStartsWith                    // string prefix
	OpEndsWith                      // string suffix
	OpContains                      // substring
	OpMatches                       // RE2 regular expression, unanchored
	OpLess                          // numeric <
	OpLessOrEqual                   // numeric <=
	OpGreater                       // numeric >
	OpGreaterOrEqual                // numeric >=
	OpSemverEquals                  // semantic version =, build metadata ignored
	OpSemverNotEquals               // semantic version !=
	OpSemverLess                    // semantic version <
	OpSemverLessOrEqual             // semantic version <=
	OpSemverGreater                 // semantic version >
	OpSemverGreaterOrEqual          // semantic version >=
	OpSemverTilde                   // same major and minor, and >= (flagd's "~")
	OpSemverCaret                   // same major, and >= (flagd's "^"; unlike npm, also for 0.x)
	OpSemverRange                   // go-version constraint, e.g. ">= 1.2, < 2.0"; a prerelease matches only constraints that name a prerelease of the same version, each of them
	OpExists                        // the attribute is present (never unknown)
	opCount
)

var opNames = [...]string{
	"invalid", "equals", "notEquals", "in", "notIn", "startsWith", "endsWith", "contains", "matches",
	"lt", "lte", "gt", "gte",
	"semverEq", "semverNe", "semverLt", "semverLte", "semverGt", "semverGte", "semverTilde", "semverCaret",
	"semverRange", "exists",
}

// String returns the operator's name as written in configuration files.
func (o Operator) String() string {
	if o < opCount {
		return opNames[o]
	}
	return "Operator(" + strconv.Itoa(int(o)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (o Operator) MarshalText() ([]byte, error) {
	if o == OpInvalid || o >= opCount {
		return nil, fmt.Errorf("flags: cannot marshal %v", o)
	}
	return []byte(o.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (o *Operator) UnmarshalText(b []byte) error {
	for i := OpEquals; i < opCount; i++ {
		if opNames[i] == string(b) {
			*o = i
			return nil
		}
	}
	return fmt.Errorf("flags: unknown operator %q", b)
}

// Attr starts an attribute condition: Attr("country").In(String("NL")).
func Attr(name string) AttrBuilder { return AttrBuilder{name} }

// AttrBuilder builds attribute conditions; see [Attr].
type AttrBuilder struct{ name string }

func (a AttrBuilder) op(op Operator, v Value) Condition {
	return Condition{Attribute: a.name, Op: op, Value: &v}
}

// Equals tests equality with v.
func (a AttrBuilder) Equals(v Value) Condition { return a.op(OpEquals, v) }

// NotEquals tests inequality with v.
func (a AttrBuilder) NotEquals(v Value) Condition { return a.op(OpNotEquals, v) }

// In tests membership in vs.
func (a AttrBuilder) In(vs ...Value) Condition {
	return Condition{Attribute: a.name, Op: OpIn, Values: vs}
}

// NotIn tests non-membership in vs.
func (a AttrBuilder) NotIn(vs ...Value) Condition {
	return Condition{Attribute: a.name, Op: OpNotIn, Values: vs}
}

// StartsWith tests a string prefix.
func (a AttrBuilder) StartsWith(p string) Condition { return a.op(OpStartsWith, String(p)) }

// EndsWith tests a string suffix.
func (a AttrBuilder) EndsWith(s string) Condition { return a.op(OpEndsWith, String(s)) }

// Matches tests an RE2 regular expression.
func (a AttrBuilder) Matches(re string) Condition { return a.op(OpMatches, String(re)) }

// Compare applies a numeric or semantic-version operator to operand v.
func (a AttrBuilder) Compare(op Operator, v Value) Condition { return a.op(op, v) }

// SemverRange tests a go-version constraint such as ">= 1.2, < 2.0".
func (a AttrBuilder) SemverRange(constraint string) Condition {
	return a.op(OpSemverRange, String(constraint))
}

// Exists tests that the attribute is present.
func (a AttrBuilder) Exists() Condition { return Condition{Attribute: a.name, Op: OpExists} }

// All is true when every condition is.
func All(cs ...Condition) Condition { return Condition{All: cs} }

// Any is true when one condition is.
func Any(cs ...Condition) Condition { return Condition{Any: cs} }

// Not negates c (unknown stays unknown).
func Not(c Condition) Condition { return Condition{Not: &c} }
