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

func scheduleWaves(p *printer, in *inputs, o options, waves []*wave) error {
	regs := regions(in.cal)
	dur := changeDuration(in.plan)
	p.f("  A region's change lasts %s (the rollout plan's bake times); regions soak %s apart.\n", fmtDur(dur), fmtDur(o.soak))
	p.f("  Each wave starts once the previous one has gone round the sun.\n")
	after := o.now
	for _, w := range waves {
		view := in.cal.ForChange(w.kind)
		slot, err := view.NextSlot(after, dur, regs...)
		if err != nil {
			return fmt.Errorf("wave %d: %w", w.n, err)
		}
		w.slot = slot
		w.why = explainSlot(in.cal, view, after, slot, dur, regs)
		stages := make([]schedule.Stage, len(regs))
		for i, r := range regs {
			stages[i] = schedule.Stage{Party: r, Duration: dur, Bake: o.soak}
		}
		if w.seq, err = view.Sequence(after, stages...); err != nil {
			return fmt.Errorf("wave %d: %w", w.n, err)
		}

		p.f("  wave %d (%s change), searching from %s\n", w.n, w.kind, fmtTime(after))
		p.f("    all regions at once: %s, open %s\n", fmtSpan(slot.Start, slot.End), fmtDur(slot.Duration()))
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

// explainSlot says why the slot is where it is: which window each region is
// in, and, when a freeze pushed the slot back, which one and where. The
// calendar answers the counterfactual "without the freeze" through the view
// for emergency changes, which such freezes usually let through.
func explainSlot(cal, view *schedule.Calendar, after time.Time, slot schedule.Interval, dur time.Duration, regs []string) []string {
	var windows []string
	for _, r := range regs {
		st, err := view.State(r, slot.Start)
		if err == nil && st.Open {
			windows = append(windows, fmt.Sprintf("%s %q", r, st.Window))
		}
	}
	why := []string{"why: the first time from then on when every region is in a window: " + strings.Join(windows, ", ")}
	if view.Change() == schedule.ChangeEmergency {
		return why
	}
	alt, err := cal.ForChange(schedule.ChangeEmergency).NextSlot(after, dur, regs...)
	if err != nil || !alt.Start.Before(slot.Start) {
		return why
	}
	// Group the regions by what closes them at that instant.
	var order []string
	closedBy := map[string][]string{}
	for _, r := range regs {
		st, err := view.State(r, alt.Start)
		if err != nil || st.Open {
			continue
		}
		what := "outside every window"
		if st.Reason == schedule.ReasonFrozen {
			what = freezeNote(cal, st)
		}
		if closedBy[what] == nil {
			order = append(order, what)
		}
		closedBy[what] = append(closedBy[what], r)
	}
	for _, what := range order {
		why = append(why, fmt.Sprintf("not earlier: %s is closed in %s: %s", fmtTime(alt.Start), strings.Join(closedBy[what], ", "), what))
	}
	return why
}

// freezeNote describes the freeze that closes a party, with its reason and
// the owner to ask for an exception.
func freezeNote(cal *schedule.Calendar, st schedule.State) string {
	note := fmt.Sprintf("frozen by %q", st.Freeze)
	cfg := cal.Config()
	freezes := cfg.Freezes
	for _, p := range cfg.Parties {
		if p.Name == st.Party {
			freezes = append(freezes, p.Freezes...)
		}
	}
	for _, f := range freezes {
		if f.Name == st.Freeze && f.Reason != "" {
			note += " (" + f.Reason + ")"
			break
		}
	}
	if st.Owner != "" {
		note += ", exceptions: " + st.Owner
	}
	return note
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
