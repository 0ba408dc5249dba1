package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Change is the kind of change a query is about. Freezes block changes by
// kind; see [Scope].
type Change uint8

// The kinds of change.
const (
	// ChangeAny means the kind is unknown, so every freeze applies. It is
	// what queries use unless [Calendar.ForChange] says otherwise.
	ChangeAny Change = iota
	ChangePatch
	ChangeMinor
	ChangeMajor
	ChangeConfig
	ChangeEmergency
	numChanges
)

var changeNames = []string{"any", "patch", "minor", "major", "config", "emergency"}

// String returns the name of the change, or Change(n) for an unknown value.
func (c Change) String() string { return enumString(changeNames, int(c), "Change") }

// MarshalText implements [encoding.TextMarshaler].
func (c Change) MarshalText() ([]byte, error) { return enumMarshal(changeNames, int(c), "Change") }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (c *Change) UnmarshalText(b []byte) error {
	i, err := enumParse(changeNames, string(b), "change")
	*c = Change(i)
	return err
}

// Scope is the set of change kinds a freeze blocks. The zero Scope blocks
// every change, which is what a freeze means unless it says otherwise.
// In configuration a Scope is a list of change names, or "all".
type Scope uint16

// ScopeAll blocks every change; it equals the zero Scope.
const ScopeAll Scope = 0

// ScopeOf returns the scope that blocks exactly the given kinds. ScopeOf()
// with no kinds, or with [ChangeAny], is [ScopeAll].
func ScopeOf(changes ...Change) Scope {
	var s Scope
	for _, c := range changes {
		if c == ChangeAny {
			return ScopeAll
		}
		s |= 1 << c
	}
	return s
}

// Blocks reports whether a freeze with this scope blocks change c. Every
// freeze blocks [ChangeAny], because an unknown change might be any kind.
func (s Scope) Blocks(c Change) bool {
	return s == ScopeAll || c == ChangeAny || s&(1<<c) != 0
}

// String formats the scope for people.
func (s Scope) String() string {
	if s == ScopeAll {
		return "all"
	}
	var names []string
	for c := ChangePatch; c < numChanges; c++ {
		if s&(1<<c) != 0 {
			names = append(names, c.String())
		}
	}
	if rest := s &^ (1<<numChanges - 1); rest != 0 {
		names = append(names, "Scope(0x"+strconv.FormatUint(uint64(rest), 16)+")")
	}
	return strings.Join(names, ",")
}

// MarshalJSON writes the scope as a list of change names, or "all".
func (s Scope) MarshalJSON() ([]byte, error) {
	if s == ScopeAll {
		return []byte(`"all"`), nil
	}
	var b strings.Builder
	b.WriteByte('[')
	first := true
	for c := ChangePatch; c < numChanges; c++ {
		if s&(1<<c) != 0 {
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(strconv.Quote(c.String()))
		}
	}
	b.WriteByte(']')
	return []byte(b.String()), nil
}

// UnmarshalJSON reads "all", a single change name, or a list of names.
func (s *Scope) UnmarshalJSON(b []byte) error {
	var names []string
	str := strings.TrimSpace(string(b))
	if strings.HasPrefix(str, "\"") {
		v, err := strconv.Unquote(str)
		if err != nil {
			return perr("scope", str, ErrSyntax, "want a change name or a list of them")
		}
		names = []string{v}
	} else if err := jsonUnmarshalStrings(b, &names); err != nil {
		return perr("scope", str, ErrSyntax, "want a change name or a list of them")
	}
	var out Scope
	for i, n := range names {
		if strings.EqualFold(n, "all") || strings.EqualFold(n, "any") {
			*s = ScopeAll
			return nil
		}
		var c Change
		if err := c.UnmarshalText([]byte(n)); err != nil {
			return perr(fmt.Sprintf("scope[%d]", i), n, ErrInvalidConfig, "unknown change kind; want one of %s", strings.Join(changeNames, ", "))
		}
		out |= 1 << c
	}
	*s = out
	return nil
}

// Freeze blocks changes during a period; a freeze always wins over a window.
// Give exactly one of: From and Until (calendar dates in Zone, Until
// inclusive, from local midnight to local midnight; a midnight that falls in
// a DST gap means the transition instant), Start and End (instants, End
// exclusive), or Recurring.
type Freeze struct {
	Name   string `json:"name"`
	Reason string `json:"reason,omitempty"`
	Owner  string `json:"owner,omitempty"`
	// Escalation lists whom to contact, in order, when the freeze must be
	// broken and the owner cannot be reached.
	Escalation []string `json:"escalation,omitempty"`
	// Scope lists the change kinds blocked; empty means all changes.
	Scope Scope `json:"scope,omitzero"`
	// From is the first frozen date, "YYYY-MM-DD", in Zone.
	From string `json:"from,omitempty"`
	// Until is the last frozen date, inclusive.
	Until string `json:"until,omitempty"`
	// Zone for From and Until; default the party's zone, else UTC.
	Zone string `json:"zone,omitempty"`
	// Start and End bound an absolute freeze [Start, End).
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
	// Recurring describes a freeze that repeats, such as every Friday from
	// 15:00 for 63 hours.
	Recurring *Window `json:"recurring,omitempty"`
}

// freeze is a compiled Freeze.
type freeze struct {
	name, reason, owner string
	escalation          []string
	scope               Scope
	span                Interval // absolute freezes
	rule                Recurrence
	global              bool
}

func (f *freeze) recurring() bool { return f.rule.IsValid() }

func (f *freeze) active(t time.Time) bool {
	if f.recurring() {
		_, ok := f.rule.Active(t)
		return ok
	}
	return f.span.Contains(t)
}

func (f *freeze) appendBetween(dst []Interval, a, b time.Time) []Interval {
	if f.recurring() {
		return f.rule.r.appendBetween(dst, a, b)
	}
	if f.span.Start.Before(b) && f.span.End.After(a) {
		dst = append(dst, f.span)
	}
	return dst
}

func compileFreeze(f Freeze, defaultZone string) (*freeze, error) {
	out := &freeze{name: f.Name, reason: f.Reason, owner: f.Owner, escalation: slices.Clone(f.Escalation), scope: f.Scope}
	if f.Name == "" {
		return nil, perr("name", "", ErrInvalidConfig, "a freeze needs a name")
	}
	forms := 0
	if f.From != "" || f.Until != "" {
		forms++
	}
	if !f.Start.IsZero() || !f.End.IsZero() {
		forms++
	}
	if f.Recurring != nil {
		forms++
	}
	if forms != 1 {
		return nil, perr("", f.Name, ErrInvalidConfig, "give exactly one of from/until, start/end or recurring")
	}
	switch {
	case f.Recurring != nil:
		r, err := f.Recurring.Compile(defaultZone)
		if err != nil {
			return nil, withPrefix("recurring", err)
		}
		out.rule = r
	case f.From != "" || f.Until != "":
		zoneName := f.Zone
		if zoneName == "" {
			zoneName = defaultZone
		}
		loc, err := LoadZone(zoneName)
		if err != nil {
			return nil, withPrefix("", err)
		}
		from, err := parseDate(f.From, "from")
		if err != nil {
			return nil, err
		}
		until, err := parseDate(f.Until, "until")
		if err != nil {
			return nil, err
		}
		if until < from {
			return nil, perr("until", f.Until, ErrInvalidConfig, "is before from %s", f.From)
		}
		z := newZone(loc)
		s, _ := z.resolve(from*secondsPerDay, GapTransition, FoldFirst)
		e, _ := z.resolve((until+1)*secondsPerDay, GapTransition, FoldFirst)
		out.span = Interval{Start: time.Unix(s, 0).UTC(), End: time.Unix(e, 0).UTC()}
	default:
		if f.Start.IsZero() || f.End.IsZero() {
			return nil, perr("end", "", ErrInvalidConfig, "start and end must both be set")
		}
		if !f.End.After(f.Start) {
			return nil, perr("end", f.End.Format(time.RFC3339), ErrInvalidDuration, "must be after start %s", f.Start.Format(time.RFC3339))
		}
		out.span = Interval{Start: f.Start.UTC(), End: f.End.UTC()}
	}
	return out, nil
}

// parseDate parses YYYY-MM-DD into a day number.
func parseDate(s, field string) (int64, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return 0, perr(field, s, ErrSyntax, "want a date YYYY-MM-DD")
	}
	return daysFromCivil(int64(t.Year()), int(t.Month()), t.Day()), nil
}
