package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/glidepath/glidepath/internal/interval"
)

// SlotExplanation says why [Calendar.NextSlot] chose its slot: the window
// each party is in when the slot starts, and what kept every earlier
// candidate start out. It is what [Calendar.ExplainSlot] returns.
type SlotExplanation struct {
	// After and MinDuration repeat the question.
	After       time.Time
	MinDuration time.Duration
	// Slot is the answer of [Calendar.NextSlot]; zero when there is none
	// within the horizon.
	Slot Interval
	// At holds each party's [State] at Slot.Start, in the order the
	// parties were named: the window each one is in.
	At []State
	// Blocked lists, once per distinct cause, what closed a party at some
	// instant in [After, Slot.Start) (or in the whole horizon when there is
	// no slot), ordered by the first instant it did so.
	Blocked []Blocker
	// TooShort lists the blocks before the slot when every party was open,
	// but for less than MinDuration.
	TooShort []Interval
}

// Blocker is one cause that kept a party closed before a slot: a freeze, or
// being outside every window.
type Blocker struct {
	// State is the party's state at First; its Reason is [ReasonFrozen]
	// (with Freeze, FreezeReason and Owner set) or [ReasonNoWindow].
	State State
	// First is the first instant at or after the search start at which
	// this cause closed the party.
	First time.Time
	// Until is when it last stopped closing the party before the slot
	// (or the end of the search), so [First, Until) bounds its effect.
	Until time.Time
	// Closed is how long, in total, it kept the party closed.
	Closed time.Duration
}

// String formats the blocker for people.
func (b Blocker) String() string {
	what := "outside every window"
	if b.State.Reason == ReasonFrozen {
		what = fmt.Sprintf("frozen by %q", b.State.Freeze)
		if b.State.FreezeReason != "" {
			what += " (" + b.State.FreezeReason + ")"
		}
	}
	return fmt.Sprintf("%s: %s from %s for %s in total",
		b.State.Party, what, b.First.UTC().Format(time.RFC3339), FormatDuration(b.Closed))
}

// String formats the explanation for people, one fact a line.
func (e SlotExplanation) String() string {
	var b strings.Builder
	if e.Slot.IsZero() {
		fmt.Fprintf(&b, "no slot of %s after %s\n", FormatDuration(e.MinDuration), e.After.UTC().Format(time.RFC3339))
	} else {
		fmt.Fprintf(&b, "slot %s\n", e.Slot)
		for _, st := range e.At {
			fmt.Fprintf(&b, "  %s\n", st)
		}
	}
	for _, bl := range e.Blocked {
		fmt.Fprintf(&b, "  blocked: %s\n", bl)
	}
	for _, iv := range e.TooShort {
		fmt.Fprintf(&b, "  too short: %s\n", iv)
	}
	return b.String()
}

// ExplainSlot answers the question [Calendar.NextSlot] answers and says why
// the slot is not earlier: for each party, each freeze that closed it and
// its time outside every window between after and the slot, with the first
// instant each did so, and the common open blocks that were too short. The
// causes follow [Calendar.State]: at any instant the first applicable
// freeze in configuration order is the cause, else the lack of a window.
//
// ExplainSlot costs more than NextSlot, since it looks at every party over
// the whole span; use it to tell people, not in a search loop. When there is
// no slot within the horizon it returns the explanation for the whole
// horizon together with the [*NoSlotError].
func (c *Calendar) ExplainSlot(after time.Time, minDuration time.Duration, parties ...string) (SlotExplanation, error) {
	ps, err := c.lookup(parties)
	if err != nil {
		return SlotExplanation{}, err
	}
	if minDuration <= 0 {
		return SlotExplanation{}, perr("minDuration", minDuration.String(), ErrInvalidDuration, "must be positive")
	}
	ex := SlotExplanation{After: after.UTC(), MinDuration: minDuration}
	limit := after.Add(c.horizon)
	slot, slotErr := c.nextSlot(after, limit, minDuration, ps, parties)
	end := limit
	if slotErr == nil {
		ex.Slot = slot
		end = slot.Start
		ex.At = make([]State, len(ps))
		for i, p := range ps {
			ex.At[i] = p.state(slot.Start, c.change)
		}
	}
	if end.After(after) {
		span := interval.Interval{Start: after, End: end}
		for _, p := range ps {
			ex.Blocked = append(ex.Blocked, p.blockers(span, c.change)...)
		}
		slices.SortStableFunc(ex.Blocked, func(a, b Blocker) int { return a.First.Compare(b.First) })
		c.blocks(after, end, ps, func(b Interval, _ bool) bool {
			ex.TooShort = append(ex.TooShort, utc(b))
			return true
		})
	}
	return ex, slotErr
}

// blockers returns the causes that closed the party within span, each with
// the set of instants at which [party.state] would name it.
func (p *party) blockers(span interval.Interval, k Change) []Blocker {
	var buf []Interval
	for _, w := range p.windows {
		buf = w.rule.r.appendBetween(buf, span.Start, span.End)
	}
	closed := interval.New(toInternal(buf)...).Complement(span)
	var out []Blocker
	var earlier interval.Set // time claimed by freezes listed before
	add := func(s interval.Set, st State) {
		if s.IsEmpty() {
			return
		}
		st.Party = p.cfg.Name
		out = append(out, Blocker{State: st, First: s.At(0).Start.UTC(), Until: s.At(s.Len() - 1).End.UTC(), Closed: s.Total()})
	}
	for _, f := range p.freezes {
		if !f.scope.Blocks(k) {
			continue
		}
		fs := interval.New(toInternal(f.appendBetween(nil, span.Start, span.End))...).Clip(span)
		own := fs.Subtract(earlier)
		earlier = earlier.Union(fs)
		add(own, State{Reason: ReasonFrozen, Freeze: f.name, FreezeReason: f.reason, Owner: f.owner})
	}
	add(closed.Subtract(earlier), State{Reason: ReasonNoWindow})
	// The window a freeze interrupted is part of the state at First.
	for i := range out {
		if out[i].State.Reason == ReasonFrozen {
			out[i].State.Window = p.state(out[i].First, k).Window
		}
	}
	return out
}
