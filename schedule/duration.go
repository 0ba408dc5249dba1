package schedule

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Duration is a [time.Duration] that reads and writes as text such as "4h",
// "90m", "1h30m", "2d" or "1w2d12h" (d is 24 hours, w is 7 days). It is the
// type of durations in configuration files.
type Duration time.Duration

// ParseDuration parses the forms accepted by [time.ParseDuration] plus the
// units d (24h) and w (7 days), e.g. "32d" or "1d12h".
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	bad := perr("duration", orig, ErrInvalidDuration, "want a duration such as 4h, 90m, 1h30m or 32d")
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, bad
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	var total time.Duration
	// Peel leading w and d components, then hand the rest to package time.
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) || (s[i] != 'd' && s[i] != 'w') {
			break
		}
		n, err := strconv.ParseInt(s[:i], 10, 64)
		unit := 24 * time.Hour
		if s[i] == 'w' {
			unit *= 7
		}
		if err != nil || n > int64(1<<62)/int64(unit) || time.Duration(n)*unit > time.Duration(1<<62)-total {
			return 0, bad
		}
		total += time.Duration(n) * unit
		s = s[i+1:]
	}
	if s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 || s[0] == '-' || s[0] == '+' {
			return 0, bad
		}
		if d > time.Duration(1<<62)-total {
			return 0, bad
		}
		total += d
	}
	if total < 0 {
		return 0, bad
	}
	if neg {
		total = -total
	}
	return total, nil
}

// FormatDuration writes d compactly using the units of [ParseDuration]:
// 48h0m0s is "2d", 90m is "1h30m".
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		if d == -d { // math.MinInt64
			return time.Duration(d).String()
		}
		d = -d
	}
	day := 24 * time.Hour
	if n := d / day; n > 0 {
		b.WriteString(strconv.FormatInt(int64(n), 10) + "d")
		d -= n * day
	}
	if n := d / time.Hour; n > 0 {
		b.WriteString(strconv.FormatInt(int64(n), 10) + "h")
		d -= n * time.Hour
	}
	if n := d / time.Minute; n > 0 {
		b.WriteString(strconv.FormatInt(int64(n), 10) + "m")
		d -= n * time.Minute
	}
	if d > 0 {
		b.WriteString(d.String())
	}
	return b.String()
}

// String formats the duration like [FormatDuration].
func (d Duration) String() string { return FormatDuration(time.Duration(d)) }

// MarshalText implements [encoding.TextMarshaler].
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// UnmarshalJSON accepts a string such as "4h"; bare numbers are rejected
// because their unit would be a guess.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return perr("duration", string(b), ErrInvalidDuration, "must be a string such as \"4h\"")
	}
	return d.UnmarshalText([]byte(s))
}
