package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/glidepath/glidepath/internal/interval"
)

// DefaultHorizon bounds searches when the configuration sets no horizon.
const DefaultHorizon = 366 * 24 * time.Hour

// chunk is how much time a search computes at once: long enough that most
// searches finish in the first chunk, short enough that nothing computes a
// year of occurrences to answer a question about next week.
const chunk = 28 * 24 * time.Hour

// Calendar combines parties' windows and freezes and answers questions about
// them. Build one with [New] or [Load]; the zero Calendar is not usable. A
// Calendar is immutable and safe for concurrent use; [Calendar.ForChange] and [Calendar.WithHorizon] return
// adjusted views that share the compiled data.
type Calendar struct {
	d       *calData
	change  Change
	horizon time.Duration
}

type calData struct {
	cfg     Config // deep copy of what New was given
	parties []*party
	index   map[string]int
	global  []*freeze
}

type party struct {
	cfg     Party
	windows []window
	freezes []*freeze // own then global
}

type window struct {
	name string
	rule Recurrence
}

// New validates and compiles a configuration. Errors are [*ParseError] values
// whose Field is a path such as "parties[1].windows[0].cron".
func New(cfg Config) (*Calendar, error) {
	d := &calData{cfg: cloneConfig(cfg), index: map[string]int{}}
	horizon := time.Duration(cfg.Horizon)
	if horizon < 0 {
		return nil, perr("horizon", cfg.Horizon.String(), ErrInvalidDuration, "must not be negative")
	}
	if horizon == 0 {
		horizon = DefaultHorizon
	}
	if cfg.Policy != nil {
		if err := cfg.Policy.check(); err != nil {
			return nil, err
		}
	}
	for i, f := range cfg.Freezes {
		cf, err := compileFreeze(f, "")
		if err != nil {
			return nil, withPrefix(pathf("freezes[%d]", i), err)
		}
		cf.global = true
		d.global = append(d.global, cf)
	}
	if len(cfg.Parties) == 0 {
		return nil, perr("parties", "", ErrInvalidConfig, "at least one party is required")
	}
	for i, p := range cfg.Parties {
		path := pathf("parties[%d]", i)
		if p.Name == "" {
			return nil, perr(path+".name", "", ErrInvalidConfig, "a party needs a name")
		}
		if _, dup := d.index[p.Name]; dup {
			return nil, perr(path+".name", p.Name, ErrInvalidConfig, "duplicate party name")
		}
		if p.Kind > PartyService {
			return nil, perr(path+".kind", p.Kind.String(), ErrInvalidConfig, "unknown party kind")
		}
		if p.Zone != "" {
			if _, err := LoadZone(p.Zone); err != nil {
				return nil, withPrefix(path, err)
			}
		}
		cp := &party{cfg: d.cfg.Parties[i]}
		for j, w := range p.Windows {
			r, err := w.Compile(p.Zone)
			if err != nil {
				return nil, withPrefix(pathf("%s.windows[%d]", path, j), err)
			}
			name := w.Name
			if name == "" {
				name = pathf("window-%d", j+1)
			}
			cp.windows = append(cp.windows, window{name: name, rule: r})
		}
		for j, f := range p.Freezes {
			cf, err := compileFreeze(f, p.Zone)
			if err != nil {
				return nil, withPrefix(pathf("%s.freezes[%d]", path, j), err)
			}
			cp.freezes = append(cp.freezes, cf)
		}
		cp.freezes = append(cp.freezes, d.global...)
		d.index[p.Name] = len(d.parties)
		d.parties = append(d.parties, cp)
	}
	return &Calendar{d: d, horizon: horizon}, nil
}

func cloneConfig(c Config) Config {
	out := c
	out.Freezes = cloneFreezes(c.Freezes)
	if c.Policy != nil {
		p := *c.Policy
		out.Policy = &p
	}
	out.Parties = slices.Clone(c.Parties)
	for i := range out.Parties {
		p := &out.Parties[i]
		p.Escalation = slices.Clone(p.Escalation)
		p.Windows = slices.Clone(p.Windows)
		for j := range p.Windows {
			p.Windows[j] = cloneWindow(p.Windows[j])
		}
		p.Freezes = cloneFreezes(p.Freezes)
	}
	return out
}

func cloneWindow(w Window) Window {
	if w.Weekly != nil {
		ws := *w.Weekly
		ws.Days = slices.Clone(ws.Days)
		w.Weekly = &ws
	}
	return w
}

func cloneFreezes(fs []Freeze) []Freeze {
	out := slices.Clone(fs)
	for i := range out {
		out[i].Escalation = slices.Clone(out[i].Escalation)
		if out[i].Recurring != nil {
			w := cloneWindow(*out[i].Recurring)
			out[i].Recurring = &w
		}
	}
	return out
}

// ForChange returns a view of the calendar for one kind of change: freezes
// whose [Scope] does not block c are ignored. The default, [ChangeAny],
// honours every freeze.
func (c *Calendar) ForChange(k Change) *Calendar {
	cp := *c
	cp.change = k
	return &cp
}

// WithHorizon returns a view whose searches look at most h ahead. A zero or
// negative h keeps the current horizon.
func (c *Calendar) WithHorizon(h time.Duration) *Calendar {
	cp := *c
	if h > 0 {
		cp.horizon = h
	}
	return &cp
}

// Horizon returns how far searches look ahead.
func (c *Calendar) Horizon() time.Duration { return c.horizon }

// Change returns the kind of change the view is for.
func (c *Calendar) Change() Change { return c.change }

// Parties returns the party names in configuration order.
func (c *Calendar) Parties() []string {
	out := make([]string, len(c.d.parties))
	for i, p := range c.d.parties {
		out[i] = p.cfg.Name
	}
	return out
}

// Party returns a copy of a party's configuration, including its owner and
// escalation contacts.
func (c *Calendar) Party(name string) (Party, bool) {
	i, ok := c.d.index[name]
	if !ok {
		return Party{}, false
	}
	return cloneConfig(Config{Parties: []Party{c.d.parties[i].cfg}}).Parties[0], true
}

// Freeze returns a copy of the configuration of the freeze a [State] or
// [Blocker] names: the party's own freeze of that name, else the global
// one. It carries what State leaves out, such as escalation contacts.
func (c *Calendar) Freeze(party, name string) (Freeze, bool) {
	var own []Freeze
	if i, ok := c.d.index[party]; ok {
		own = c.d.parties[i].cfg.Freezes
	}
	for _, fs := range [][]Freeze{own, c.d.cfg.Freezes} {
		for _, f := range fs {
			if f.Name == name {
				return cloneFreezes([]Freeze{f})[0], true
			}
		}
	}
	return Freeze{}, false
}

// Config returns a copy of the configuration the calendar was built from.
func (c *Calendar) Config() Config { return cloneConfig(c.d.cfg) }

func (c *Calendar) lookup(names []string) ([]*party, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("schedule: %w: no party named", ErrUnknownParty)
	}
	out := make([]*party, len(names))
	for i, n := range names {
		j, ok := c.d.index[n]
		if !ok {
			return nil, fmt.Errorf("schedule: %w %q", ErrUnknownParty, n)
		}
		out[i] = c.d.parties[j]
	}
	return out, nil
}

// Reason says why a party is open or closed.
type Reason uint8

// The reasons.
const (
	ReasonNone     Reason = iota // zero State
	ReasonWindow                 // open: inside a window
	ReasonNoWindow               // closed: outside every window
	ReasonFrozen                 // closed: a freeze holds
)

var reasonNames = []string{"none", "window", "no-window", "frozen"}

// String returns the name of the reason, or Reason(n) for an unknown value.
func (r Reason) String() string { return enumString(reasonNames, int(r), "Reason") }

// State is whether a party is open at an instant, and why.
type State struct {
	Party  string
	Open   bool
	Reason Reason
	// Window is the name of the window containing the instant, if any, even
	// when a freeze closes it.
	Window string
	// Freeze is the name of the freeze that closes the party, if any.
	Freeze string
	// FreezeReason is the freeze's reason text, if it has one.
	FreezeReason string
	// Owner is the freeze's owner, to ask about an exception.
	Owner string
}

// String formats the state for people.
func (s State) String() string {
	switch {
	case s.Open:
		return fmt.Sprintf("%s: open (window %q)", s.Party, s.Window)
	case s.Reason == ReasonFrozen && s.Window != "":
		return fmt.Sprintf("%s: closed (frozen by %q during window %q)", s.Party, s.Freeze, s.Window)
	case s.Reason == ReasonFrozen:
		return fmt.Sprintf("%s: closed (frozen by %q)", s.Party, s.Freeze)
	}
	return fmt.Sprintf("%s: closed (outside every window)", s.Party)
}

// State reports whether the party is open at the instant, and why. A freeze
// that applies to the view's change kind always wins over a window.
func (c *Calendar) State(partyName string, at time.Time) (State, error) {
	i, ok := c.d.index[partyName]
	if !ok {
		return State{}, fmt.Errorf("schedule: %w %q", ErrUnknownParty, partyName)
	}
	return c.d.parties[i].state(at, c.change), nil
}

// States reports the state of every party at the instant, in configuration
// order.
func (c *Calendar) States(at time.Time) []State {
	out := make([]State, len(c.d.parties))
	for i, p := range c.d.parties {
		out[i] = p.state(at, c.change)
	}
	return out
}

func (p *party) state(at time.Time, k Change) State {
	st := State{Party: p.cfg.Name, Reason: ReasonNoWindow}
	for _, w := range p.windows {
		if _, ok := w.rule.Active(at); ok {
			st.Window = w.name
			st.Open, st.Reason = true, ReasonWindow
			break
		}
	}
	for _, f := range p.freezes {
		if f.scope.Blocks(k) && f.active(at) {
			st.Open, st.Reason, st.Freeze, st.FreezeReason, st.Owner = false, ReasonFrozen, f.name, f.reason, f.owner
			break
		}
	}
	return st
}

// open returns the party's open time within [a, b).
func (p *party) open(a, b time.Time, k Change, buf []Interval) (interval.Set, []Interval) {
	buf = buf[:0]
	for _, w := range p.windows {
		buf = w.rule.r.appendBetween(buf, a, b)
	}
	if len(buf) == 0 {
		return interval.Set{}, buf
	}
	set := interval.New(toInternal(buf)...).Clip(interval.Interval{Start: a, End: b})
	buf = buf[:0]
	for _, f := range p.freezes {
		if f.scope.Blocks(k) {
			buf = f.appendBetween(buf, a, b)
		}
	}
	if len(buf) > 0 {
		set = set.Subtract(interval.New(toInternal(buf)...))
	}
	return set, buf
}

func toInternal(v []Interval) []interval.Interval {
	out := make([]interval.Interval, len(v))
	for i, x := range v {
		out[i] = interval.Interval(x)
	}
	return out
}

// common returns the time in [a, b) when every party is open.
func (c *Calendar) common(a, b time.Time, ps []*party, buf []Interval) (interval.Set, []Interval) {
	var acc interval.Set
	for i, p := range ps {
		var s interval.Set
		s, buf = p.open(a, b, c.change, buf)
		if i == 0 {
			acc = s
		} else {
			acc = acc.Intersect(s)
		}
		if acc.IsEmpty() {
			break
		}
	}
	return acc, buf
}

// blocks calls fn with each maximal interval of common open time in
// [after, limit), in order, computing a chunk at a time. atLimit is true for
// a block cut off by limit. It stops when fn returns false.
func (c *Calendar) blocks(after, limit time.Time, ps []*party, fn func(b Interval, atLimit bool) bool) {
	var pend Interval
	has := false
	var buf []Interval
	for cur := after; cur.Before(limit); {
		end := cur.Add(chunk)
		if end.After(limit) {
			end = limit
		}
		var s interval.Set
		s, buf = c.common(cur, end, ps, buf)
		for i := range s.Len() {
			iv := Interval(s.At(i))
			if has && iv.Start.Equal(pend.End) {
				pend.End = iv.End
				continue
			}
			if has && !fn(pend, false) {
				return
			}
			pend, has = iv, true
		}
		if has && !pend.End.Equal(end) {
			if !fn(pend, false) {
				return
			}
			has = false
		}
		cur = end
	}
	if has {
		fn(pend, true)
	}
}

func utc(iv Interval) Interval { return Interval{Start: iv.Start.UTC(), End: iv.End.UTC()} }

// OpenIntervals returns the maximal intervals within [from, to) when every
// named party is open, in UTC. A range that ends before it starts is an
// error; an empty one has no intervals.
func (c *Calendar) OpenIntervals(from, to time.Time, parties ...string) ([]Interval, error) {
	ps, err := c.lookup(parties)
	if err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, perr("to", to.UTC().Format(time.RFC3339), ErrInvalidConfig, "is before from %s", from.UTC().Format(time.RFC3339))
	}
	var out []Interval
	c.blocks(from, to, ps, func(b Interval, _ bool) bool {
		out = append(out, utc(b))
		return true
	})
	return out, nil
}

// NextSlot returns the earliest interval of at least minDuration, starting
// no earlier than after, during which every named party is open and no
// applicable freeze holds. The interval returned is the whole open block from
// its start (it may be longer than minDuration), cut off at the horizon. When
// there is none within the horizon the error is a [*NoSlotError] wrapping
// [ErrNoSlot]; the time is never silently zero.
func (c *Calendar) NextSlot(after time.Time, minDuration time.Duration, parties ...string) (Interval, error) {
	ps, err := c.lookup(parties)
	if err != nil {
		return Interval{}, err
	}
	if minDuration <= 0 {
		return Interval{}, perr("minDuration", minDuration.String(), ErrInvalidDuration, "must be positive")
	}
	return c.nextSlot(after, after.Add(c.horizon), minDuration, ps, parties)
}

func (c *Calendar) nextSlot(after, limit time.Time, minDuration time.Duration, ps []*party, names []string) (Interval, error) {
	var found Interval
	ok := false
	c.blocks(after, limit, ps, func(b Interval, _ bool) bool {
		if b.Duration() >= minDuration {
			found, ok = b, true
			return false
		}
		return true
	})
	if !ok {
		return Interval{}, &NoSlotError{What: fmt.Sprintf("slot of %s for %v", FormatDuration(minDuration), names), After: after, Horizon: limit.Sub(after)}
	}
	return utc(found), nil
}

// NextOpen returns the earliest instant at or after after when the party is
// open (after itself when it is open then).
func (c *Calendar) NextOpen(party string, after time.Time) (time.Time, error) {
	ps, err := c.lookup([]string{party})
	if err != nil {
		return time.Time{}, err
	}
	var t time.Time
	ok := false
	c.blocks(after, after.Add(c.horizon), ps, func(b Interval, _ bool) bool {
		t, ok = b.Start, true
		return false
	})
	if !ok {
		return time.Time{}, &NoSlotError{What: "opening of " + party, After: after, Horizon: c.horizon}
	}
	return t.UTC(), nil
}

// NextClose returns the earliest instant at or after after when the party is
// closed (after itself when it is closed then).
func (c *Calendar) NextClose(party string, after time.Time) (time.Time, error) {
	ps, err := c.lookup([]string{party})
	if err != nil {
		return time.Time{}, err
	}
	t, ok := after, true
	c.blocks(after, after.Add(c.horizon), ps, func(b Interval, atLimit bool) bool {
		if b.Start.Equal(after) {
			t, ok = b.End, !atLimit
		}
		return false
	})
	if !ok {
		return time.Time{}, &NoSlotError{What: "closing of " + party, After: after, Horizon: c.horizon}
	}
	return t.UTC(), nil
}

// Transition is a change of a party's state.
type Transition struct {
	At   time.Time
	Open bool // the state from At on
}

// NextTransition returns the first change of the party's state strictly
// after after.
func (c *Calendar) NextTransition(party string, after time.Time) (Transition, error) {
	ps, err := c.lookup([]string{party})
	if err != nil {
		return Transition{}, err
	}
	var tr Transition
	ok := false
	c.blocks(after, after.Add(c.horizon), ps, func(b Interval, atLimit bool) bool {
		if b.Start.After(after) {
			tr, ok = Transition{At: b.Start.UTC(), Open: true}, true
		} else if !atLimit {
			tr, ok = Transition{At: b.End.UTC(), Open: false}, true
		}
		return false
	})
	if !ok {
		return Transition{}, &NoSlotError{What: "state change of " + party, After: after, Horizon: c.horizon}
	}
	return tr, nil
}

// Stage is one step of a staged rollout: a party, how long the change takes
// there, and how long to wait (bake) before the next stage may start.
type Stage struct {
	Party    string
	Duration time.Duration
	Bake     time.Duration
	// With lists further parties that must be open during the stage too,
	// such as the team that owns the service being upgraded.
	With []string
}

// PlannedStage is a [Stage] placed in time.
type PlannedStage struct {
	Stage
	Start time.Time // the change runs in [Start, End)
	End   time.Time
	Ready time.Time // End plus the bake time: when the next stage may start
}

// Plan is the earliest schedule for a sequence of stages.
type Plan struct {
	Stages []PlannedStage
}

// Start returns when the first stage starts.
func (p Plan) Start() time.Time {
	if len(p.Stages) == 0 {
		return time.Time{}
	}
	return p.Stages[0].Start
}

// End returns when the last stage's change ends (before its bake).
func (p Plan) End() time.Time {
	if len(p.Stages) == 0 {
		return time.Time{}
	}
	return p.Stages[len(p.Stages)-1].End
}

// Sequence schedules stages in order, each as early as possible: in an open
// slot of its party at least as long as its duration, starting no earlier
// than the previous stage's end plus its bake time. Placing each stage at its
// earliest start is optimal: an earlier finish never delays a later stage.
// The whole plan must fit in the horizon from after.
func (c *Calendar) Sequence(after time.Time, stages ...Stage) (Plan, error) {
	if len(stages) == 0 {
		return Plan{}, perr("stages", "", ErrInvalidConfig, "at least one stage is required")
	}
	limit := after.Add(c.horizon)
	var plan Plan
	t := after
	for i, s := range stages {
		field := pathf("stages[%d]", i)
		names := append([]string{s.Party}, s.With...)
		ps, err := c.lookup(names)
		if err != nil {
			return Plan{}, withPrefix(field+".party", &ParseError{Value: strings.Join(names, ","), Reason: strings.TrimPrefix(err.Error(), "schedule: "), Err: ErrUnknownParty})
		}
		if s.Duration <= 0 {
			return Plan{}, perr(field+".duration", s.Duration.String(), ErrInvalidDuration, "must be positive")
		}
		if s.Bake < 0 {
			return Plan{}, perr(field+".bake", s.Bake.String(), ErrInvalidDuration, "must not be negative")
		}
		slot, err := c.nextSlot(t, limit, s.Duration, ps, names)
		if err != nil {
			return Plan{}, &NoSlotError{
				What:  fmt.Sprintf("slot of %s for %s %v starting after %s", FormatDuration(s.Duration), field, names, t.UTC().Format(time.RFC3339)),
				After: after, Horizon: c.horizon,
			}
		}
		ps0 := PlannedStage{Stage: s, Start: slot.Start, End: slot.Start.Add(s.Duration)}
		ps0.Ready = ps0.End.Add(s.Bake)
		plan.Stages = append(plan.Stages, ps0)
		t = ps0.Ready
	}
	return plan, nil
}
