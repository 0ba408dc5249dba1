package stats

import (
	"fmt"
	"strconv"
)

// Alternative is the alternative hypothesis of a two-sample test, stated for
// the first sample x relative to the second sample y.
type Alternative int

const (
	// TwoSided means x and y differ in location, in either direction.
	TwoSided Alternative = iota
	// Less means x is shifted below y.
	Less
	// Greater means x is shifted above y.
	Greater
)

// String returns "two-sided", "less" or "greater", and "Alternative(n)" for
// values outside the defined range.
func (a Alternative) String() string {
	switch a {
	case TwoSided:
		return "two-sided"
	case Less:
		return "less"
	case Greater:
		return "greater"
	}
	return "Alternative(" + strconv.Itoa(int(a)) + ")"
}

// IsValid reports whether a is one of [TwoSided], [Less] or [Greater].
func (a Alternative) IsValid() bool { return a >= TwoSided && a <= Greater }

// MarshalText encodes a as its String form; it fails for invalid values.
func (a Alternative) MarshalText() ([]byte, error) {
	if !a.IsValid() {
		return nil, fmt.Errorf("stats: cannot marshal %v", a)
	}
	return []byte(a.String()), nil
}

// UnmarshalText accepts "two-sided", "less" or "greater".
func (a *Alternative) UnmarshalText(text []byte) error {
	for v := TwoSided; v <= Greater; v++ {
		if string(text) == v.String() {
			*a = v
			return nil
		}
	}
	return fmt.Errorf("stats: unknown alternative %q (want two-sided, less or greater)", text)
}
