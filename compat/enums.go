package compat

import (
	"fmt"
	"strconv"
)

// Level is a support verdict. Levels are ordered: Unsupported < TestedOnly
// < Supported, so the verdict of a deployment is the lowest level among its
// violations. The zero Level is Unsupported, which is what breaking a rule
// means unless the rule says otherwise.
type Level int

// Support levels.
const (
	// Unsupported: the combination is known or presumed broken.
	Unsupported Level = iota
	// TestedOnly: the combination passed tests but is not supported in
	// production (for example a skew wider than the vendor supports).
	TestedOnly
	// Supported: the combination is supported.
	Supported
)

var levelNames = [...]string{"unsupported", "tested-only", "supported"}

// String returns "unsupported", "tested-only" or "supported", or
// "Level(n)" for values out of range.
func (l Level) String() string {
	if l >= 0 && int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "Level(" + strconv.Itoa(int(l)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (l Level) MarshalText() ([]byte, error) {
	if l < 0 || int(l) >= len(levelNames) {
		return nil, fmt.Errorf("compat: invalid level %d", int(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (l *Level) UnmarshalText(b []byte) error {
	for i, n := range levelNames {
		if string(b) == n {
			*l = Level(i)
			return nil
		}
	}
	return fmt.Errorf("compat: unknown level %q (want unsupported, tested-only or supported)", b)
}

// Unit is the version segment in which a skew is counted.
type Unit int

// Units. The zero Unit means [Minor] wherever a Unit is optional.
const (
	unitDefault Unit = iota
	// Major counts distance in major versions.
	Major
	// Minor counts distance in minor versions within one major; versions of
	// different majors are infinitely far apart in the direction of the
	// major difference.
	Minor
	// Patch counts distance in patch versions within one major.minor, with
	// the same rule for different major.minor pairs.
	Patch
)

var unitNames = [...]string{"", "major", "minor", "patch"}

// String returns "major", "minor" or "patch", or "Unit(n)".
func (u Unit) String() string {
	if u > 0 && int(u) < len(unitNames) {
		return unitNames[u]
	}
	return "Unit(" + strconv.Itoa(int(u)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (u Unit) MarshalText() ([]byte, error) {
	if u == unitDefault {
		return []byte{}, nil
	}
	if u < 0 || int(u) >= len(unitNames) {
		return nil, fmt.Errorf("compat: invalid unit %d", int(u))
	}
	return []byte(u.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (u *Unit) UnmarshalText(b []byte) error {
	for i, n := range unitNames {
		if string(b) == n {
			*u = Unit(i)
			return nil
		}
	}
	return fmt.Errorf("compat: unknown unit %q (want major, minor or patch)", b)
}

// Change is the kind of a version change, ordered so that the larger of
// two changes is the larger value: ChangeNone < ChangePatch < ChangeMinor
// < ChangeMajor. See [Step.Change] and [Plan.WaveChange].
type Change int

// Kinds of change.
const (
	// ChangeNone: the version does not change.
	ChangeNone Change = iota
	// ChangePatch: same major and minor (a patch, fourth-segment,
	// prerelease or build change).
	ChangePatch
	// ChangeMinor: same major, another minor.
	ChangeMinor
	// ChangeMajor: another major.
	ChangeMajor
)

var changeNames = [...]string{"none", "patch", "minor", "major"}

// String returns "none", "patch", "minor" or "major", or "Change(n)" for
// values out of range.
func (c Change) String() string {
	if c >= 0 && int(c) < len(changeNames) {
		return changeNames[c]
	}
	return "Change(" + strconv.Itoa(int(c)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (c Change) MarshalText() ([]byte, error) {
	if c < 0 || int(c) >= len(changeNames) {
		return nil, fmt.Errorf("compat: invalid change %d", int(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (c *Change) UnmarshalText(b []byte) error {
	for i, n := range changeNames {
		if string(b) == n {
			*c = Change(i)
			return nil
		}
	}
	return fmt.Errorf("compat: unknown change %q (want none, patch, minor or major)", b)
}

// PrereleasePolicy says when a prerelease version matches a range; see
// [Range.Match].
type PrereleasePolicy int

// Prerelease policies.
const (
	// PrereleaseExplicit (the zero value): a prerelease matches only ranges
	// that name a prerelease of the same numeric version. That includes
	// "*" and omitted selector ranges, which name none: a prerelease
	// instance does not satisfy "B must be deployed" and is not caught by
	// a support rule for every version. Deploy prereleases under
	// [PrereleaseAll], name them in the rules, or map vendor builds to
	// their release with a [Normalizer].
	PrereleaseExplicit PrereleasePolicy = iota
	// PrereleaseAll: prereleases match every range that contains them in
	// version order.
	PrereleaseAll
)

var policyNames = [...]string{"explicit", "all"}

// String returns "explicit" or "all", or "PrereleasePolicy(n)".
func (p PrereleasePolicy) String() string {
	if p >= 0 && int(p) < len(policyNames) {
		return policyNames[p]
	}
	return "PrereleasePolicy(" + strconv.Itoa(int(p)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (p PrereleasePolicy) MarshalText() ([]byte, error) {
	if p < 0 || int(p) >= len(policyNames) {
		return nil, fmt.Errorf("compat: invalid prerelease policy %d", int(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *PrereleasePolicy) UnmarshalText(b []byte) error {
	for i, n := range policyNames {
		if string(b) == n {
			*p = PrereleasePolicy(i)
			return nil
		}
	}
	return fmt.Errorf("compat: unknown prerelease policy %q (want explicit or all)", b)
}

// Kind is the kind of a rule.
type Kind int

// Rule kinds.
const (
	KindRequires Kind = iota + 1
	KindConflicts
	KindSkew
	KindInstanceSkew
	KindSupport
	KindSchema
	KindFeature
)

var kindNames = [...]string{"", "requires", "conflicts", "skew", "instance-skew", "support", "schema", "feature"}

// String returns the kind's name as used in matrix files, or "Kind(n)".
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (k Kind) MarshalText() ([]byte, error) {
	if k <= 0 || int(k) >= len(kindNames) {
		return nil, fmt.Errorf("compat: invalid kind %d", int(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if i > 0 && string(b) == n {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("compat: unknown rule kind %q", b)
}
