package flags

import (
	"errors"
	"strconv"
)

// Sentinel errors, for errors.Is. Evaluation reports them in
// [Decision].Err; loading wraps them in a [*ConfigError].
var (
	// ErrFlagNotFound: no flag has the requested key.
	ErrFlagNotFound = errors.New("flags: flag not found")
	// ErrTypeMismatch: the flag's values are not of the requested type.
	ErrTypeMismatch = errors.New("flags: type mismatch")
	// ErrNoConfig: no valid configuration has been loaded yet.
	ErrNoConfig = errors.New("flags: no configuration loaded")
	// ErrInvalidConfig: a configuration failed validation. Every
	// [*ConfigError] matches it.
	ErrInvalidConfig = errors.New("flags: invalid configuration")
)

// ConfigError describes one problem in a configuration: where it is (Path,
// in the form flags.checkout-v2.rules[1].split), the offending value if
// there is one, and why it is wrong.
type ConfigError struct {
	Path   string
	Value  string // offending value, quoted in the message; may be empty
	Reason string
	Err    error // underlying error, if any
}

// Error returns "flags: <path>: <reason>[ "<value>"][: <err>]".
func (e *ConfigError) Error() string {
	s := "flags: " + e.Path + ": " + e.Reason
	if e.Value != "" {
		s += " " + strconv.Quote(e.Value)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrInvalidConfig].
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }
