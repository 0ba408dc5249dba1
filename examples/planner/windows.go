package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/glidepath/glidepath/rollout"
	"github.com/glidepath/glidepath/schedule"
)

// regions returns the calendar's parties of kind region, in configuration
// order (which is the follow-the-sun order), or every party if none is.
func regions(cal *schedule.Calendar) []string {
	var out []string
	for _, name := range cal.Parties() {
		if p, ok := cal.Party(name); ok && p.Kind == schedule.PartyRegion {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		return cal.Parties()
	}
	return out
}

// changeDuration is how long one region's change takes: the rollout plan's
// total minimum bake time.
func changeDuration(p *rollout.Plan) time.Duration {
	var d time.Duration
	for i := range p.NumStages() {
		d += p.StageBake(i)
	}
	return d
}

// printPolicy checks the calendar against the policy its file carries, if
// any: a calendar that leaves a region too little time to change in is
// worth knowing about before planning in it.
func printPolicy(p *printer, cal *schedule.Calendar, now time.Time) {
	pol := cal.Policy()
	if pol == (schedule.Policy{}) {
		return
	}
	findings := cal.Validate(pol, now)
	p.f("  Calendar policy: %s.\n", describePolicy(pol))
	p.f("  Checked over the next %s: ", fmtDur(cal.Horizon()))
	if len(findings) == 0 {
		p.f("met.\n")
		return
	}
	p.f("%d finding%s.\n", len(findings), plural(len(findings)))
	for _, f := range findings {
		p.f("    - %s\n", describeFinding(f, pol))
	}
}

func describePolicy(pol schedule.Policy) string {
	var parts []string
	if pol.MinWindow > 0 {
		parts = append(parts, "windows of at least "+fmtDur(pol.MinWindow))
	}
	if pol.MinOpen > 0 {
		s := fmt.Sprintf("%s open in any %s", fmtDur(pol.MinOpen), fmtDur(pol.Period))
		if pol.MinBlock > 0 {
			s += ", in blocks of at least " + fmtDur(pol.MinBlock)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// describeFinding writes an availability finding with its period in the
// planner's time format; the other checks' messages are short already.
func describeFinding(f schedule.Finding, pol schedule.Policy) string {
	if f.Check == schedule.CheckAvailability && !f.At.IsZero() {
		return fmt.Sprintf("%s: less than %s open %s (%s %s)",
			f.Party, fmtDur(pol.MinOpen), fmtSpan(f.At.Start, f.At.End), f.Check, f.Severity)
	}
	return f.String()
}

func scheduleWaves(p *printer, in *inputs, o options, waves []*wave) error {
	regs := regions(in.cal)
	dur := changeDuration(in.plan)
	printPolicy(p, in.cal, o.now)
	p.f("  A region's change lasts %s (the rollout plan's bake times); regions soak %s apart.\n", fmtDur(dur), fmtDur(o.soak))
	p.f("  Each wave starts once the previous one has gone round the sun.\n")
	after := o.now
	for _, w := range waves {
		// Freezes block changes by kind: search the calendar as this
		// wave's kind of change sees it.
		view := in.cal.ForChange(w.kind)
		ex, err := view.ExplainSlot(after, dur, regs...)
		if err != nil {
			return fmt.Errorf("wave %d: %w", w.n, err)
		}
		w.slot = ex.Slot
		w.freezes = slotFreezes(in.cal, ex)
		w.why = explainSlot(ex, w.freezes)
		stages := make([]schedule.Stage, len(regs))
		for i, r := range regs {
			stages[i] = schedule.Stage{Party: r, Duration: dur, Bake: o.soak}
		}
		if w.seq, err = view.Sequence(after, stages...); err != nil {
			return fmt.Errorf("wave %d: %w", w.n, err)
		}

		p.f("  wave %d (%s change), searching from %s\n", w.n, w.kind, fmtTime(after))
		p.f("    all regions at once: %s, open %s\n", fmtSpan(w.slot.Start, w.slot.End), fmtDur(w.slot.Duration()))
		for _, why := range w.why {
			p.f("      %s\n", why)
		}
		p.f("    follow the sun:\n")
		for _, st := range w.seq.Stages {
			p.f("      %-5s %s  %s\n", st.Party, fmtSpan(st.Start, st.End), localNote(in.cal, st.Party, st.Start))
		}
		after = w.seq.Stages[len(w.seq.Stages)-1].Ready
	}
	return nil
}

// freezeSpan is a freeze that kept a wave's slot from being earlier: the
// regions it closed, over one span, with its configuration.
type freezeSpan struct {
	freeze      schedule.Freeze
	regions     []string
	first, till time.Time
}

// slotFreezes groups the explanation's frozen blockers by freeze and span.
func slotFreezes(cal *schedule.Calendar, ex schedule.SlotExplanation) []freezeSpan {
	var out []freezeSpan
next:
	for _, b := range ex.Blocked {
		if b.State.Reason != schedule.ReasonFrozen {
			continue
		}
		for i, f := range out {
			if f.freeze.Name == b.State.Freeze && f.first.Equal(b.First) && f.till.Equal(b.Until) {
				out[i].regions = append(out[i].regions, b.State.Party)
				continue next
			}
		}
		f, _ := cal.Freeze(b.State.Party, b.State.Freeze)
		out = append(out, freezeSpan{freeze: f, regions: []string{b.State.Party}, first: b.First, till: b.Until})
	}
	return out
}

// explainSlot says why the slot is where it is, from the calendar's own
// explanation: which window each region is in, which freezes kept earlier
// starts out (with whom to ask for an exception), and which common openings
// were too short. Time outside the windows is implied by the first line.
func explainSlot(ex schedule.SlotExplanation, freezes []freezeSpan) []string {
	var windows []string
	for _, st := range ex.At {
		windows = append(windows, fmt.Sprintf("%s %q", st.Party, st.Window))
	}
	why := []string{"why: the first time from then on when every region is in a window: " + strings.Join(windows, ", ")}
	for _, f := range freezes {
		line := fmt.Sprintf("not earlier: %q freezes %s %s", f.freeze.Name, strings.Join(f.regions, ", "), fmtSpan(f.first, f.till))
		if f.freeze.Reason != "" {
			line += " (" + f.freeze.Reason + ")"
		}
		why = append(why, line)
		if contacts := freezeContacts(f.freeze); contacts != "" {
			why = append(why, "  "+contacts)
		}
	}
	switch n := len(ex.TooShort); {
	case n == 1:
		why = append(why, fmt.Sprintf("not earlier: every region is open together %s, but for less than %s",
			fmtSpan(ex.TooShort[0].Start, ex.TooShort[0].End), fmtDur(ex.MinDuration)))
	case n > 1:
		last := ex.TooShort[n-1]
		why = append(why, fmt.Sprintf("not earlier: every region is open together %d times before, each for less than %s (the last: %s)",
			n, fmtDur(ex.MinDuration), fmtSpan(last.Start, last.End)))
	}
	return why
}

// freezeContacts says whom to ask to break a freeze: its owner, then its
// escalation contacts in order.
func freezeContacts(f schedule.Freeze) string {
	var s string
	if f.Owner != "" {
		s = "exceptions: " + f.Owner
	}
	if len(f.Escalation) > 0 {
		if s != "" {
			s += "; "
		}
		s += "escalation: " + strings.Join(f.Escalation, ", then ")
	}
	return s
}

// localNote renders t in the party's own zone, e.g. "(Tue 09:00 AEDT, window "morning")".
func localNote(cal *schedule.Calendar, party string, t time.Time) string {
	var parts []string
	if pc, ok := cal.Party(party); ok && pc.Zone != "" {
		if loc, err := schedule.LoadZone(pc.Zone); err == nil {
			parts = append(parts, t.In(loc).Format("Mon 15:04 MST"))
		}
	}
	if st, err := cal.State(party, t); err == nil && st.Window != "" {
		parts = append(parts, fmt.Sprintf("window %q", st.Window))
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// timelineMarks outlines, on the SVG timeline, each wave's common slot
// across every row and each of its follow-the-sun stages on its region's
// row.
func timelineMarks(waves []*wave) []schedule.Mark {
	var marks []schedule.Mark
	for _, w := range waves {
		marks = append(marks, schedule.Mark{Label: fmt.Sprintf("wave %d", w.n), Interval: w.slot})
		for _, st := range w.seq.Stages {
			marks = append(marks, schedule.Mark{
				Label:    fmt.Sprintf("w%d", w.n),
				Interval: schedule.Interval{Start: st.Start, End: st.End},
				Party:    st.Party,
			})
		}
	}
	return marks
}

// plannedEvents are the follow-the-sun stages of every wave as calendar
// events, each with the region's owner and escalation contacts.
func plannedEvents(in *inputs, waves []*wave) []schedule.Event {
	var events []schedule.Event
	for _, w := range waves {
		for _, ev := range w.seq.StageEvents(fmt.Sprintf("wave %d (%s)", w.n, componentsOf(w.steps))) {
			// A UID that does not depend on the time lets a calendar app
			// move the event when a later run reschedules the wave.
			ev.UID = fmt.Sprintf("%s/wave-%d/%s@glidepath.invalid", in.matrix.Name(), w.n, ev.Party)
			ev.Description = fmt.Sprintf("Upgrade %s with rollout plan %s.\n%s", joinSteps(w.steps), in.plan.Name(), ev.Description)
			events = append(events, ev)
		}
	}
	return events
}

// fmtSpan renders an interval compactly in UTC, e.g.
// "Mon 2026-12-14 22:00 → 23:00 UTC".
func fmtSpan(start, end time.Time) string {
	start, end = start.UTC(), end.UTC()
	if end.Sub(start) < 24*time.Hour && (end.YearDay() == start.YearDay() || end.Sub(start) <= 12*time.Hour) {
		return start.Format("Mon 2006-01-02 15:04") + " → " + end.Format("15:04") + " UTC"
	}
	return start.Format("Mon 2006-01-02 15:04") + " → " + end.Format("Mon 2006-01-02 15:04") + " UTC"
}

// fmtDur renders a duration the way the schedule package writes them ("1h",
// "2d"), which reads better than time.Duration's "1h0m0s".
func fmtDur(d time.Duration) string { return schedule.FormatDuration(d) }
