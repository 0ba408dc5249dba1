package rollout

import (
	"errors"
	"time"
)

// Duration is a [time.Duration] written as text ("90s", "15m", "2h") in YAML and
// JSON. Its zero value means "not set"; each field documents its default.
type Duration time.Duration

// D returns d as a [time.Duration].
func (d Duration) D() time.Duration { return time.Duration(d) }

// String formats d like [time.Duration.String].
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText implements [encoding.TextMarshaler].
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts
// [time.ParseDuration] syntax and rejects negative durations.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return errors.New("rollout: invalid duration " + quote(string(b)))
	}
	if v < 0 {
		return errors.New("rollout: negative duration " + quote(string(b)))
	}
	*d = Duration(v)
	return nil
}
