package flags

import (
	"fmt"
	"strconv"
	"time"
)

// Config is a complete flag configuration: the Go form of a configuration
// file. Build one in code or decode one with [ParseConfig]; either way
// [Compile] validates it into an immutable [Snapshot].
type Config struct {
	// Flags maps each flag key to its definition.
	Flags map[string]Flag `json:"flags"`
	// Segments are named conditions that rules reference with
	// Condition.Segment, so a definition such as "internal users" is written
	// once.
	Segments map[string]Condition `json:"segments,omitempty"`
	// KilledTags disables every flag that carries one of these tags, as if
	// its State were [Disabled]. [Store.Kill] does the same at run time.
	KilledTags []string `json:"killedTags,omitempty"`
}

// State says whether a flag is served. The zero value is [Enabled].
type State uint8

// Flag states.
const (
	Enabled State = iota
	Disabled
)

// String returns "ENABLED" or "DISABLED", the spelling used in files.
func (s State) String() string {
	switch s {
	case Enabled:
		return "ENABLED"
	case Disabled:
		return "DISABLED"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (s State) MarshalText() ([]byte, error) {
	if s > Disabled {
		return nil, fmt.Errorf("flags: cannot marshal %v", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *State) UnmarshalText(b []byte) error {
	switch string(b) {
	case "ENABLED", "enabled":
		*s = Enabled
	case "DISABLED", "disabled":
		*s = Disabled
	default:
		return fmt.Errorf("flags: unknown state %q (want ENABLED or DISABLED)", b)
	}
	return nil
}

// Flag is the definition of one flag.
//
// Evaluation: a disabled or killed flag resolves at once to the caller's
// fallback (reason DISABLED). Otherwise the prerequisites are checked, then
// the rules in order; the first rule whose condition holds decides. When no
// rule matches, the default variant is served (reason DEFAULT, or STATIC when
// the flag has no rules); with no default variant the caller's fallback is.
type Flag struct {
	// Type is the kind of the variant values. It may be left out when the
	// values say it; set it to "float" for a float flag whose values are all
	// whole numbers.
	Type Kind `json:"type,omitempty"`
	// State enables or disables the flag; the zero value is [Enabled].
	State State `json:"state,omitempty"`
	// Variants maps variant names to their values.
	Variants map[string]Value `json:"variants"`
	// DefaultVariant is served when no rule decides. Empty means the
	// caller's fallback value is returned instead.
	DefaultVariant string `json:"defaultVariant,omitempty"`
	// Rules are tried in order; the first whose condition holds decides.
	Rules []Rule `json:"rules,omitempty"`
	// BucketBy is the bucketing string for this flag's splits, unless a
	// split sets its own. Empty means flag key + targeting key.
	BucketBy []BucketPart `json:"bucketBy,omitempty"`
	// Requires lists prerequisites; all must hold or the flag serves its
	// default variant (reason DEFAULT).
	Requires []Prerequisite `json:"requires,omitempty"`
	// Tags group flags for kill switches.
	Tags []string `json:"tags,omitempty"`
	// Metadata is static information reported with every evaluation
	// (bool, string, int or float values only).
	Metadata map[string]Value `json:"metadata,omitempty"`
}

// Rule is one targeting rule: when its condition holds, it yields a
// variant, a split, or the default variant. Exactly one of Variant, Split
// and Default must be set.
type Rule struct {
	// Name identifies the rule in evaluation metadata; defaults to its index.
	Name string `json:"name,omitempty"`
	// When is the condition; nil always matches.
	When *Condition `json:"when,omitempty"`
	// Variant is served when the rule matches (reason TARGETING_MATCH).
	Variant string `json:"variant,omitempty"`
	// Split assigns a variant by deterministic bucketing (reason SPLIT).
	Split *Split `json:"split,omitempty"`
	// Default stops evaluation and serves the default variant (reason
	// DEFAULT), for example to keep a segment out of an experiment.
	Default bool `json:"default,omitempty"`
}

// Split assigns each subject a variant by hashing its bucketing string.
//
// The hash is MurmurHash3 x86 32-bit with seed 0; the bucket is
// (hash × total weight) >> 32, and the first variant in declared order whose
// cumulative weight exceeds the bucket wins. This is flagd's fractional
// operator, so a subject gets the same variant here as from flagd.
type Split struct {
	// Variants are the weighted variants, in bucketing order.
	Variants []WeightedVariant `json:"variants"`
	// BucketBy overrides the flag's bucketing string for this split.
	BucketBy []BucketPart `json:"bucketBy,omitempty"`
	// Ramp moves weight over time from the second variant to the first.
	Ramp *Ramp `json:"ramp,omitempty"`
	// AllowRepeats lets a variant appear more than once in Variants, each
	// entry holding its own range of buckets, as flagd's fractional operator
	// allows ([ParseFlagd] sets it where a translation needs it). Without
	// it a repeated variant is a load-time error, since in a hand-written
	// split it is almost always a mistake.
	AllowRepeats bool `json:"allowRepeats,omitempty"`
}

// WeightedVariant is one entry of a [Split].
type WeightedVariant struct {
	// Variant names one of the flag's variants.
	Variant string `json:"variant"`
	// Weight is the variant's share, relative to the split's total; it must
	// not be negative, and the total must be positive and below 2^31.
	Weight int64 `json:"weight"`
}

// BucketPart is one piece of a bucketing string; the pieces are concatenated
// without a separator. Exactly one field must be set.
type BucketPart struct {
	// FlagKey stands for the key of the flag being evaluated.
	FlagKey bool `json:"flagKey,omitempty"`
	// Attribute is a context attribute ("targetingKey" is the targeting
	// key). A subject without it has no bucketing string, and a split then
	// serves the default variant (reason DEFAULT).
	Attribute string `json:"attribute,omitempty"`
	// Literal is a fixed string, such as a seed shared by several flags.
	Literal string `json:"literal,omitempty"`
}

// BucketByAttribute buckets by one attribute alone, e.g. "accountId".
func BucketByAttribute(attr string) []BucketPart {
	return []BucketPart{{Attribute: attr}}
}

// BucketBySeed buckets by seed + targeting key. Flags that share a seed give
// each subject correlated assignments; flags with different seeds (or the
// default, their own keys) are independent.
func BucketBySeed(seed string) []BucketPart {
	return []BucketPart{{Literal: seed}, {Attribute: TargetingKey}}
}

// TargetingKey is the attribute name of the subject's targeting key, as in
// OpenFeature.
const TargetingKey = "targetingKey"

// RampMode selects how a [Ramp] moves between its points.
type RampMode uint8

// Ramp modes. The zero value is [RampSteps].
const (
	// RampSteps holds each point's weight until the next point.
	RampSteps RampMode = iota
	// RampLinear interpolates the weight between consecutive points.
	RampLinear
)

// String returns "steps" or "linear".
func (m RampMode) String() string {
	switch m {
	case RampSteps:
		return "steps"
	case RampLinear:
		return "linear"
	}
	return "RampMode(" + strconv.Itoa(int(m)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (m RampMode) MarshalText() ([]byte, error) {
	if m > RampLinear {
		return nil, fmt.Errorf("flags: cannot marshal %v", m)
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (m *RampMode) UnmarshalText(b []byte) error {
	switch string(b) {
	case "steps":
		*m = RampSteps
	case "linear":
		*m = RampLinear
	default:
		return fmt.Errorf("flags: unknown ramp mode %q (want steps or linear)", b)
	}
	return nil
}

// Ramp raises the weight of a split's first variant over time, taking the
// weight from the second variant, so exposure grows on a schedule that every
// replica computes alike from the time it is given.
//
// Before the first point the split's declared weights apply, except that the
// first variant's weight is capped at the first point's Weight (so a split
// declared 25/75 whose ramp starts at 0 serves 0 before the ramp too). From a point
// on, the first variant's weight is the point's Weight (in [RampSteps]) or
// is interpolated towards the next point's Weight, rounding down (in
// [RampLinear]); after the last point it stays at the last Weight. The second
// variant gets what the pair's declared weights add up to, minus that; all
// other variants keep their weights, so the total never changes.
//
// Guarantee: bucket positions depend only on the bucketing string and the
// total weight, which a ramp never changes, and the first variant always
// occupies the lowest buckets. Points must have increasing times and
// non-decreasing weights, so a subject who has the first variant at time t
// has it at every later time; only subjects of the second variant ever move,
// and only to the first.
type Ramp struct {
	// Mode is steps (the default) or linear.
	Mode RampMode `json:"mode,omitempty"`
	// Points have increasing times and non-decreasing weights, each at most
	// the first two variants' declared weights together.
	Points []RampPoint `json:"points"`
}

// RampPoint is one point of a [Ramp]: from At on, the first variant has
// Weight.
type RampPoint struct {
	// At is when the point takes effect (RFC 3339 in files).
	At time.Time `json:"at"`
	// Weight is the first variant's weight from At on.
	Weight int64 `json:"weight"`
}

// Prerequisite requires another flag to resolve to one of Variants, for the
// same subject at the same time, before this flag's rules are evaluated.
type Prerequisite struct {
	// Flag is the key of the required flag.
	Flag string `json:"flag"`
	// Variants are the acceptable variants of that flag.
	Variants []string `json:"variants"`
}
