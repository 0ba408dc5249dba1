package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/glidepath/glidepath/internal/interval"
)

// Policy states what a healthy calendar looks like. Zero fields disable
// their checks. A calendar file may carry one under "policy:", with
// durations written as text ("4h", "32d"); [Calendar.Policy] returns it.
type Policy struct {
	// MinWindow is the shortest acceptable window.
	MinWindow time.Duration `json:"minWindow,omitzero"`
	// MinOpen is the open time required in every rolling Period, counting
	// only contiguous blocks of at least MinBlock (within the period).
	// For example 48h in any 32 days, in blocks of at least 4h.
	MinOpen  time.Duration `json:"minOpen,omitzero"`
	Period   time.Duration `json:"period,omitzero"`
	MinBlock time.Duration `json:"minBlock,omitzero"`
}

// fields returns the JSON names and addresses of Policy's fields, in declaration order.
func (p *Policy) fields() []struct {
	name string
	d    *time.Duration
} {
	return []struct {
		name string
		d    *time.Duration
	}{{"minWindow", &p.MinWindow}, {"minOpen", &p.MinOpen}, {"period", &p.Period}, {"minBlock", &p.MinBlock}}
}

// MarshalJSON writes the policy with durations as text such as "4h",
// leaving out zero fields.
func (p Policy) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for _, f := range p.fields() {
		if *f.d == 0 {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%q", f.name, FormatDuration(*f.d))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object of durations written as text. Unknown
// fields and numbers are errors naming the field, such as
// "policy.minOpen". It does not check that the values make sense together;
// [New] does.
func (p *Policy) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		v := string(b)
		_ = json.Unmarshal(b, &v) // a string is shown unquoted
		return perr("policy", v, ErrSyntax, "want an object of durations such as {minWindow: 4h}")
	}
	var out Policy
	known := map[string]*time.Duration{}
	var names []string
	for _, f := range out.fields() {
		known[f.name] = f.d
		names = append(names, f.name)
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		d, ok := known[k]
		if !ok {
			return perr("policy."+k, "", ErrSyntax, "unknown field; want one of %s", strings.Join(names, ", "))
		}
		if string(raw[k]) == "null" {
			continue
		}
		var v Duration
		if err := v.UnmarshalJSON(raw[k]); err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				cp := *pe
				cp.Field = "policy." + k
				return &cp
			}
			return err
		}
		*d = time.Duration(v)
	}
	*p = out
	return nil
}

// check validates a configured policy; field paths start with "policy".
func (p Policy) check() error {
	for _, f := range p.fields() {
		if *f.d < 0 {
			return perr("policy."+f.name, FormatDuration(*f.d), ErrInvalidDuration, "must not be negative")
		}
	}
	switch {
	case (p.MinOpen > 0) != (p.Period > 0):
		return perr("policy.minOpen", FormatDuration(p.MinOpen), ErrInvalidConfig, "minOpen and period must be set together (period is %s)", FormatDuration(p.Period))
	case p.MinOpen > p.Period:
		return perr("policy.minOpen", FormatDuration(p.MinOpen), ErrInvalidConfig, "is longer than the period %s", FormatDuration(p.Period))
	case p.MinBlock > 0 && p.MinOpen == 0:
		return perr("policy.minBlock", FormatDuration(p.MinBlock), ErrInvalidConfig, "has no effect without minOpen and period")
	case p.MinBlock > p.Period:
		// A minBlock longer than minOpen is fine ("2h a day, in one block
		// of at least 4h"); one longer than the period can never count.
		return perr("policy.minBlock", FormatDuration(p.MinBlock), ErrInvalidConfig, "is longer than the period %s, so no block could count", FormatDuration(p.Period))
	}
	return nil
}

// Policy returns the policy the configuration carries, or the zero Policy
// (which checks nothing) when it has none. Pass it to [Calendar.Validate].
func (c *Calendar) Policy() Policy {
	if c.d.cfg.Policy == nil {
		return Policy{}
	}
	return *c.d.cfg.Policy
}

// Severity grades a [Finding].
type Severity uint8

// The severities.
const (
	SeverityWarning   Severity = iota // worth a look; the calendar works
	SeverityViolation                 // the policy is not met
)

var severityNames = []string{"warning", "violation"}

// String returns the name of the severity, or Severity(n) for an unknown value.
func (s Severity) String() string { return enumString(severityNames, int(s), "Severity") }

// Check names the policy check that produced a [Finding].
type Check uint8

// The checks.
const (
	CheckMinWindow    Check = iota // a window is shorter than Policy.MinWindow
	CheckAvailability              // too little open time in some rolling period
	CheckFrozenOut                 // freezes remove every window within the horizon
	CheckOverlap                   // two windows of a party overlap
	CheckNoWindows                 // a party has no window within the horizon
)

var checkNames = []string{"min-window", "availability", "frozen-out", "overlap", "no-windows"}

// String returns the name of the check, or Check(n) for an unknown value.
func (c Check) String() string { return enumString(checkNames, int(c), "Check") }

// Finding is one result of [Calendar.Validate].
type Finding struct {
	Check    Check
	Severity Severity
	Party    string
	Window   string // the window concerned, if any
	Other    string // the other window of an overlap

	// At is the interval concerned, if any: the first overlap of two
	// windows, the horizon for a party left without windows, or, for
	// [CheckAvailability], the rolling period with the least open time.
	// That least value can be a limit: when a block counts only because
	// exactly Policy.MinBlock of it lies inside At, periods starting an
	// instant before or after At.Start leave it out and have just over
	// Open.
	At Interval

	// Open is, for [CheckAvailability], the least open time counted in
	// any rolling period (blocks of at least Policy.MinBlock only), which
	// is less than Policy.MinOpen. It is zero for the other checks.
	Open time.Duration

	Message string
}

// String formats the finding for people.
func (f Finding) String() string {
	return fmt.Sprintf("%s %s: %s", f.Severity, f.Check, f.Message)
}

// Validate checks the calendar against p over the horizon starting at from,
// for the view's change kind. Findings come in party order, then check
// order. An empty result means the calendar meets the policy.
func (c *Calendar) Validate(p Policy, from time.Time) []Finding {
	var out []Finding
	to := from.Add(c.horizon)
	span := to
	if p.Period > 0 && from.Add(p.Period).After(span) {
		span = from.Add(p.Period)
	}
	for _, pt := range c.d.parties {
		name := pt.cfg.Name
		if p.MinWindow > 0 {
			for _, w := range pt.windows {
				if d := w.rule.Duration(); d < p.MinWindow {
					out = append(out, Finding{Check: CheckMinWindow, Severity: SeverityViolation, Party: name, Window: w.name,
						Message: fmt.Sprintf("%s: window %q lasts %s, less than the minimum %s", name, w.name, FormatDuration(d), FormatDuration(p.MinWindow))})
				}
			}
		}
		var windows []Interval
		for _, w := range pt.windows {
			windows = w.rule.r.appendBetween(windows, from, to)
		}
		open, _ := pt.open(from, span, c.change, nil)
		inHorizon := open.Clip(interval.Interval{Start: from, End: to})
		switch {
		case len(windows) == 0:
			out = append(out, Finding{Check: CheckNoWindows, Severity: SeverityWarning, Party: name, At: Interval{Start: from, End: to},
				Message: fmt.Sprintf("%s: no window within the %s horizon", name, FormatDuration(c.horizon))})
		case inHorizon.IsEmpty():
			out = append(out, Finding{Check: CheckFrozenOut, Severity: SeverityWarning, Party: name, At: Interval{Start: from, End: to},
				Message: fmt.Sprintf("%s: freezes remove every window within the %s horizon", name, FormatDuration(c.horizon))})
		}
		if p.MinOpen > 0 && p.Period > 0 {
			if f, ok := availability(name, open, from, span, p); ok {
				out = append(out, f)
			}
		}
		for i := range pt.windows {
			for j := i + 1; j < len(pt.windows); j++ {
				if f, ok := overlap(name, pt.windows[i], pt.windows[j], from, to); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// availability finds the rolling period with the least counted open time.
//
// The open time counted for a period starting at t is a sum over blocks of
// the part of each block inside [t, t+Period), counted only when that part
// is at least MinBlock. As t moves, each part grows, stays or shrinks
// linearly and only changes pace where a block edge enters or leaves the
// period; a part starts or stops counting where it crosses MinBlock, which
// makes the sum jump. Between two such instants the sum is linear, so its
// infimum over all starts is the least of its values at those instants and
// of its limits as the start approaches them from either side. A limit
// matters when a part is exactly MinBlock at the instant and shorter just
// beside it: the period starting there counts the part, periods starting
// an instant away do not. The finding names that instant and the limit.
func availability(name string, open interval.Set, from, to time.Time, p Policy) (Finding, bool) {
	last := to.Add(-p.Period)
	blocks := open.Intervals()
	// measure returns the open time counted for the period starting at t,
	// and its limits as the start approaches t from below and from above.
	measure := func(t time.Time) (at, below, above time.Duration) {
		end := t.Add(p.Period)
		i, _ := slices.BinarySearchFunc(blocks, t, func(b interval.Interval, t time.Time) int {
			if b.End.After(t) {
				return 1
			}
			return -1
		})
		for ; i < len(blocks) && blocks[i].Start.Before(end); i++ {
			b := blocks[i]
			d := b.Intersect(interval.Interval{Start: t, End: end}).Duration()
			if d <= 0 {
				continue
			}
			// The part's pace as the start moves later, just after t and
			// just before t: the period's end gains block while it is
			// inside the block, its start loses block once it is inside.
			// Just before t the part is d minus that pace, so it stays at
			// least MinBlock there only if the pace is not positive.
			after := rate(end.Before(b.End), !t.Before(b.Start))
			before := rate(!end.After(b.End), t.After(b.Start))
			if d >= p.MinBlock {
				at += d
			}
			if d > p.MinBlock || (d == p.MinBlock && after >= 0) {
				above += d
			}
			if d > p.MinBlock || (d == p.MinBlock && before <= 0) {
				below += d
			}
		}
		return at, below, above
	}
	cands := []time.Time{from, last}
	for i := range open.Len() {
		b := open.At(i)
		cands = append(cands, b.Start, b.End, b.Start.Add(-p.Period), b.End.Add(-p.Period),
			b.End.Add(-p.MinBlock), b.Start.Add(p.MinBlock-p.Period))
	}
	slices.SortFunc(cands, time.Time.Compare)
	cands = slices.CompactFunc(cands, time.Time.Equal)
	worstT, worst := from, time.Duration(-1)
	for _, t := range cands {
		if t.Before(from) || t.After(last) {
			continue
		}
		at, below, above := measure(t)
		m := at
		if t.After(from) {
			m = min(m, below)
		}
		if t.Before(last) {
			m = min(m, above)
		}
		// Candidates come in time order: the first least value wins.
		if worst < 0 || m < worst {
			worst, worstT = m, t
		}
	}
	if worst < 0 || worst >= p.MinOpen {
		return Finding{}, false
	}
	at := Interval{Start: worstT.UTC(), End: worstT.Add(p.Period).UTC()}
	return Finding{Check: CheckAvailability, Severity: SeverityViolation, Party: name, At: at, Open: worst,
		Message: fmt.Sprintf("%s: only %s open in blocks of at least %s during %s, need %s in any %s",
			name, FormatDuration(worst), FormatDuration(p.MinBlock), at, FormatDuration(p.MinOpen), FormatDuration(p.Period))}, true
}

// rate is +1, 0 or -1: the pace at which a block's part inside a rolling
// period grows as the period moves later, given whether the period's end
// gains block and whether its start loses block.
func rate(endGains, startLoses bool) int {
	n := 0
	if endGains {
		n++
	}
	if startLoses {
		n--
	}
	return n
}

// overlap reports the first overlap of two windows' occurrences.
func overlap(name string, a, b window, from, to time.Time) (Finding, bool) {
	x := interval.New(toInternal(a.rule.Between(from, to))...)
	y := interval.New(toInternal(b.rule.Between(from, to))...)
	both := x.Intersect(y)
	if both.IsEmpty() {
		return Finding{}, false
	}
	first := Interval(both.At(0))
	first = utc(first)
	return Finding{Check: CheckOverlap, Severity: SeverityWarning, Party: name, Window: a.name, Other: b.name, At: first,
		Message: fmt.Sprintf("%s: windows %q and %q overlap, first during %s", name, a.name, b.name, first)}, true
}
