package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// LoadZone returns the location for an IANA zone name ("Europe/Berlin"), for
// "UTC" (also "", "Z"), or for a fixed offset written "+05:30", "-0800",
// "UTC+2" or "GMT-03:30". Unknown names yield a [*ParseError] wrapping
// [ErrUnknownZone].
func LoadZone(name string) (*time.Location, error) {
	switch name {
	case "", "UTC", "Z", "Etc/UTC":
		return time.UTC, nil
	}
	if loc, ok, err := parseFixedZone(name); ok || err != nil {
		return loc, err
	}
	if strings.EqualFold(name, "local") || strings.ContainsAny(name, "\x00\\") || strings.Contains(name, "..") {
		return nil, perr("zone", name, ErrUnknownZone, "not an IANA time zone")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, perr("zone", name, ErrUnknownZone, "not an IANA time zone")
	}
	return loc, nil
}

// parseFixedZone recognises [UTC|GMT](+|-)hh[[:]mm].
func parseFixedZone(name string) (*time.Location, bool, error) {
	s := name
	for _, p := range []string{"UTC", "GMT"} {
		if strings.HasPrefix(s, p) && len(s) > len(p) && (s[len(p)] == '+' || s[len(p)] == '-') {
			s = s[len(p):]
		}
	}
	if s == "" || (s[0] != '+' && s[0] != '-') {
		return nil, false, nil
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	body := strings.Replace(s[1:], ":", "", 1)
	bad := perr("zone", name, ErrUnknownZone, "fixed offset must look like +hh, +hh:mm or +hhmm")
	if len(body) == 1 {
		body = "0" + body
	}
	if len(body) != 2 && len(body) != 4 {
		return nil, true, bad
	}
	for _, c := range body {
		if c < '0' || c > '9' {
			return nil, true, bad
		}
	}
	h, _ := strconv.Atoi(body[:2])
	m := 0
	if len(body) == 4 {
		m, _ = strconv.Atoi(body[2:])
	}
	if h > 14 || m > 59 || (h == 14 && m > 0) {
		return nil, true, perr("zone", name, ErrUnknownZone, "offset out of range -14:00..+14:00")
	}
	off := sign * (h*3600 + m*60)
	if off == 0 {
		return time.UTC, true, nil
	}
	sgn := '+'
	if sign < 0 {
		sgn = '-'
	}
	return time.FixedZone(fmt.Sprintf("UTC%c%02d:%02d", sgn, h, m), off), true, nil
}

// GapPolicy says what happens to an occurrence whose local start time does
// not exist because the clocks jump forward (a spring-forward gap).
type GapPolicy uint8

const (
	// GapShift, the default, follows RFC 5545 §3.3.5: the local time is
	// interpreted with the UTC offset in effect before the gap, so a 02:30
	// start on a day the clocks jump from 02:00 to 03:00 begins at 03:30
	// daylight time. The window keeps its full duration.
	GapShift GapPolicy = iota
	// GapTransition starts the occurrence at the transition instant itself
	// (03:00 daylight time in the example above).
	GapTransition
	// GapSkip drops the occurrence.
	GapSkip
)

var gapNames = []string{"shift", "transition", "skip"}

// String returns the policy name, or GapPolicy(n) for an unknown value.
func (p GapPolicy) String() string { return enumString(gapNames, int(p), "GapPolicy") }

// MarshalText implements [encoding.TextMarshaler].
func (p GapPolicy) MarshalText() ([]byte, error) { return enumMarshal(gapNames, int(p), "GapPolicy") }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *GapPolicy) UnmarshalText(b []byte) error {
	i, err := enumParse(gapNames, string(b), "gap")
	*p = GapPolicy(i)
	return err
}

// FoldPolicy says which instant a local start time means when it occurs twice
// because the clocks fall back (a fold).
type FoldPolicy uint8

const (
	// FoldFirst, the default, follows RFC 5545 §3.3.5: the first occurrence
	// of the repeated local time (still daylight time).
	FoldFirst FoldPolicy = iota
	// FoldSecond takes the second occurrence (standard time).
	FoldSecond
)

var foldNames = []string{"first", "second"}

// String returns the policy name, or FoldPolicy(n) for an unknown value.
func (p FoldPolicy) String() string { return enumString(foldNames, int(p), "FoldPolicy") }

// MarshalText implements [encoding.TextMarshaler].
func (p FoldPolicy) MarshalText() ([]byte, error) {
	return enumMarshal(foldNames, int(p), "FoldPolicy")
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *FoldPolicy) UnmarshalText(b []byte) error {
	i, err := enumParse(foldNames, string(b), "fold")
	*p = FoldPolicy(i)
	return err
}

func enumString(names []string, i int, typ string) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return typ + "(" + strconv.Itoa(i) + ")"
}

func enumMarshal(names []string, i int, typ string) ([]byte, error) {
	if i >= 0 && i < len(names) {
		return []byte(names[i]), nil
	}
	return nil, fmt.Errorf("schedule: invalid %s %d", typ, i)
}

func enumParse(names []string, s, field string) (int, error) {
	for i, n := range names {
		if strings.EqualFold(n, s) {
			return i, nil
		}
	}
	return 0, perr(field, s, ErrInvalidConfig, "must be one of %s", strings.Join(names, ", "))
}

// zone is a location prepared for fast wall-clock resolution.
type zone struct {
	loc   *time.Location
	fixed bool // the offset never changes
	off   int64
}

func newZone(loc *time.Location) zone {
	if loc == nil {
		loc = time.UTC
	}
	z := zone{loc: loc}
	// A zone whose offset is the same at widely spaced instants and that has
	// no transition in between is fixed.
	probe := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).In(loc)
	_, off := probe.Zone()
	start, end := probe.ZoneBounds()
	if start.IsZero() && end.IsZero() {
		z.fixed, z.off = true, int64(off)
	}
	return z
}

func (z zone) offsetAt(unix int64) int64 {
	if z.fixed {
		return z.off
	}
	_, off := time.Unix(unix, 0).In(z.loc).Zone()
	return int64(off)
}

// resolve maps a local wall time to a Unix time under the gap and fold
// policies. It reports false when the policy drops the occurrence.
//
// Go's time.Date leaves the choice in a gap or fold unspecified, so the two
// candidate offsets around the wall time are examined explicitly: the offset
// in effect 30 hours before and 30 hours after it (every real instant for the
// wall time lies within 14 hours of it, and zones do not change offset twice
// within 60 hours).
func (z zone) resolve(wall int64, gap GapPolicy, fold FoldPolicy) (int64, bool) {
	if z.fixed {
		return wall - z.off, true
	}
	const probe = 30 * 3600
	o1 := z.offsetAt(wall - probe)
	o2 := z.offsetAt(wall + probe)
	if o1 == o2 {
		u := wall - o1
		if z.offsetAt(u) == o1 {
			return u, true
		}
		// Two transitions within the probe span: defer to package time.
		y, m, d := civilFromDays(floorDiv(wall, secondsPerDay))
		s := int(floorMod(wall, secondsPerDay))
		return time.Date(int(y), time.Month(m), d, s/3600, s/60%60, s%60, 0, z.loc).Unix(), true
	}
	u1, u2 := wall-o1, wall-o2
	v1, v2 := z.offsetAt(u1) == o1, z.offsetAt(u2) == o2
	switch {
	case v1 && v2: // fold: u1 is the earlier instant when o1 > o2
		first, second := u1, u2
		if first > second {
			first, second = second, first
		}
		if fold == FoldSecond {
			return second, true
		}
		return first, true
	case v1:
		return u1, true
	case v2:
		return u2, true
	}
	// Gap: no instant has this wall time.
	switch gap {
	case GapSkip:
		return 0, false
	case GapTransition:
		start, _ := time.Unix(u1, 0).In(z.loc).ZoneBounds()
		if !start.IsZero() {
			return start.Unix(), true
		}
	}
	return u1, true // offset from before the gap (RFC 5545)
}

// wall returns the local wall clock of a Unix time.
func (z zone) wall(unix int64) int64 { return unix + z.offsetAt(unix) }
