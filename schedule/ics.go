package schedule

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ICSOptions controls [Calendar.WriteICS].
type ICSOptions struct {
	// From and To bound the export: expanded occurrences and freezes that
	// overlap [From, To) are written, and time zone definitions cover it.
	From, To time.Time
	// Expand writes every occurrence as its own VEVENT in UTC instead of
	// one VEVENT with an RRULE per window. Windows that iCalendar cannot
	// express as a rule (cron, fixed offsets, non-default gap or fold
	// policies) are always expanded.
	Expand bool
	// Parties limits the export; empty means every party.
	Parties []string
	// ProdID is the PRODID; default "-//glidepath//schedule//EN".
	ProdID string
	// Domain makes UIDs globally unique; default "glidepath.invalid".
	Domain string
	// Stamp is the DTSTAMP of every event; default From. It is a parameter
	// so that output is deterministic.
	Stamp time.Time
	// Events are planned changes, such as the stages of a [Plan], written
	// after the calendar's own events in the order given, whatever From
	// and To say.
	Events []Event
}

// Event is a planned change written by [Calendar.WriteICS] as a VEVENT with
// its start and end in UTC.
type Event struct {
	// UID identifies the event across exports, so that a calendar
	// application updates it rather than adding a copy when it moves.
	// Empty derives one from Party, Summary and the start time, which
	// changes when the event moves. UIDs must be unique in an export.
	UID string
	// Summary is the event's title; empty means "planned change".
	Summary     string
	Description string
	// Interval is when the change runs; it must not be empty.
	Interval Interval
	// Party, when set, names the calendar party the change is for; its
	// owner and escalation contacts are written with the event.
	Party string
}

// StageEvents returns one [Event] per stage of the plan, summarised as
// "<summary>: stage i/n <party>", for [ICSOptions.Events].
func (p Plan) StageEvents(summary string) []Event {
	out := make([]Event, len(p.Stages))
	for i, st := range p.Stages {
		desc := "Duration: " + FormatDuration(st.Duration)
		if st.Bake > 0 {
			desc += "\nBake until: " + st.Ready.UTC().Format(time.RFC3339)
		}
		if len(st.With) > 0 {
			desc += "\nWith: " + strings.Join(st.With, ", ")
		}
		out[i] = Event{
			Summary:     fmt.Sprintf("%s: stage %d/%d %s", summary, i+1, len(p.Stages), st.Party),
			Description: desc,
			Interval:    Interval{Start: st.Start, End: st.End},
			Party:       st.Party,
		}
	}
	return out
}

// WriteICS writes the calendar as RFC 5545 iCalendar: a VEVENT per window
// (with RRULE and EXDATE, or expanded occurrences) and per freeze, VTIMEZONE
// definitions for the zones used, CRLF line endings, lines folded at 75
// octets and text escaped. The output depends only on the calendar and opt.
func (c *Calendar) WriteICS(w io.Writer, opt ICSOptions) error {
	if !opt.To.After(opt.From) {
		return perr("To", opt.To.Format(time.RFC3339), ErrInvalidConfig, "must be after From")
	}
	names := opt.Parties
	if len(names) == 0 {
		names = c.Parties()
	}
	ps, err := c.lookup(names)
	if err != nil {
		return err
	}
	if opt.ProdID == "" {
		opt.ProdID = "-//glidepath//schedule//EN"
	}
	if opt.Domain == "" {
		opt.Domain = "glidepath.invalid"
	}
	if opt.Stamp.IsZero() {
		opt.Stamp = opt.From
	}
	stamp := icsUTC(opt.Stamp)
	planned, err := c.plannedEvents(opt, stamp)
	if err != nil {
		return err
	}

	var events [][]string
	zones := map[string]*time.Location{}
	earliest := opt.From
	for _, p := range ps {
		contacts := contactLines(p.cfg)
		for _, win := range p.windows {
			base := []string{
				"SUMMARY:" + icsText(p.cfg.Name+": "+win.name+" (upgrade window)"),
				"DESCRIPTION:" + icsText("Rule: "+win.rule.String()),
				"CATEGORIES:" + icsText("upgrade-window"),
				"TRANSP:TRANSPARENT",
			}
			if lines, dt, ok := ruleLines(win.rule, opt.From); ok && !opt.Expand {
				ev := []string{"UID:" + icsText(uid(p.cfg.Name, win.name, "", opt.Domain)), "DTSTAMP:" + stamp}
				ev = append(ev, lines...)
				ev = append(ev, base...)
				ev = append(ev, contacts...)
				events = append(events, ev)
				if loc := win.rule.Location(); loc != time.UTC {
					zones[loc.String()] = loc
				}
				if dt.Before(earliest) {
					earliest = dt
				}
				continue
			}
			for _, iv := range win.rule.Between(opt.From, opt.To) {
				ev := []string{
					"UID:" + icsText(uid(p.cfg.Name, win.name, icsUTC(iv.Start), opt.Domain)),
					"DTSTAMP:" + stamp,
					"DTSTART:" + icsUTC(iv.Start),
					"DTEND:" + icsUTC(iv.End),
				}
				ev = append(ev, base...)
				ev = append(ev, contacts...)
				events = append(events, ev)
			}
		}
		for _, f := range p.freezes {
			if !f.global {
				events = append(events, freezeEvents(p.cfg.Name, f, opt, stamp, contacts)...)
			}
		}
	}
	for _, f := range c.d.global {
		events = append(events, freezeEvents("", f, opt, stamp, nil)...)
	}
	events = append(events, planned...)

	bw := bufio.NewWriter(w)
	write := func(line string) { writeFolded(bw, line) }
	write("BEGIN:VCALENDAR")
	write("VERSION:2.0")
	// PRODID is free text; keep it on its line whatever it holds.
	write("PRODID:" + strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f {
			return ' '
		}
		return c
	}, strings.ToValidUTF8(opt.ProdID, "\uFFFD")))
	write("CALSCALE:GREGORIAN")
	write("METHOD:PUBLISH")
	zoneNames := make([]string, 0, len(zones))
	for n := range zones {
		zoneNames = append(zoneNames, n)
	}
	slices.Sort(zoneNames)
	for _, n := range zoneNames {
		for _, ln := range vtimezone(zones[n], earliest.AddDate(-1, 0, 0), opt.To.AddDate(1, 0, 0)) {
			write(ln)
		}
	}
	for _, ev := range events {
		write("BEGIN:VEVENT")
		for _, ln := range ev {
			write(ln)
		}
		write("END:VEVENT")
	}
	write("END:VCALENDAR")
	return bw.Flush()
}

// plannedEvents checks opt.Events and renders them.
func (c *Calendar) plannedEvents(opt ICSOptions, stamp string) ([][]string, error) {
	var out [][]string
	seen := make(map[string]int, len(opt.Events))
	for i, e := range opt.Events {
		field := pathf("Events[%d]", i)
		if !e.Interval.End.After(e.Interval.Start) || e.Interval.Start.IsZero() {
			return nil, perr(field+".Interval", e.Interval.String(), ErrInvalidConfig, "must be a non-empty interval")
		}
		var contacts []string
		if e.Party != "" {
			j, ok := c.d.index[e.Party]
			if !ok {
				return nil, perr(field+".Party", e.Party, ErrUnknownParty, "is not a party of the calendar")
			}
			contacts = contactLines(c.d.parties[j].cfg)
		}
		summary := e.Summary
		if summary == "" {
			summary = "planned change"
		}
		id := e.UID
		if id == "" {
			id = uid("plan/"+orAll(e.Party), summary, icsUTC(e.Interval.Start), opt.Domain)
		}
		if k, dup := seen[id]; dup {
			return nil, perr(field+".UID", id, ErrInvalidConfig, "repeats the UID of Events[%d]", k)
		}
		seen[id] = i
		ev := []string{
			"UID:" + icsText(id),
			"DTSTAMP:" + stamp,
			"DTSTART:" + icsUTC(e.Interval.Start),
			"DTEND:" + icsUTC(e.Interval.End),
			"SUMMARY:" + icsText(summary),
		}
		if e.Description != "" {
			ev = append(ev, "DESCRIPTION:"+icsText(e.Description))
		}
		ev = append(ev, "CATEGORIES:"+icsText("planned-change"), "TRANSP:OPAQUE")
		ev = append(ev, contacts...)
		out = append(out, ev)
	}
	return out, nil
}

func uid(party, name, at, domain string) string {
	s := party + "/" + name
	if at != "" {
		s += "/" + at
	}
	return strings.ReplaceAll(s, " ", "-") + "@" + domain
}

func contactLines(p Party) []string {
	var out []string
	if p.Owner != "" {
		out = append(out, "CONTACT:"+icsText("owner: "+p.Owner))
	}
	for _, e := range p.Escalation {
		out = append(out, "CONTACT:"+icsText("escalation: "+e))
	}
	return out
}

func freezeEvents(party string, f *freeze, opt ICSOptions, stamp string, contacts []string) [][]string {
	who := party
	if who == "" {
		who = "all parties"
	}
	desc := "Scope: " + f.scope.String()
	if f.reason != "" {
		desc = f.reason + "\n" + desc
	}
	if f.owner != "" {
		desc += "\nOwner: " + f.owner
	}
	if len(f.escalation) > 0 {
		desc += "\nEscalation: " + strings.Join(f.escalation, ", ")
	}
	var spans []Interval
	if f.recurring() {
		spans = f.rule.Between(opt.From, opt.To)
	} else if f.span.Start.Before(opt.To) && f.span.End.After(opt.From) {
		spans = []Interval{f.span}
	}
	var out [][]string
	for _, iv := range spans {
		id := ""
		if f.recurring() {
			id = icsUTC(iv.Start)
		}
		ev := []string{
			"UID:" + icsText(uid(orAll(party), "freeze/"+f.name, id, opt.Domain)),
			"DTSTAMP:" + stamp,
			"DTSTART:" + icsUTC(iv.Start),
			"DTEND:" + icsUTC(iv.End),
			"SUMMARY:" + icsText(who+": FREEZE "+f.name),
			"DESCRIPTION:" + icsText(desc),
			"CATEGORIES:" + icsText("freeze"),
			"TRANSP:OPAQUE",
		}
		ev = append(ev, contacts...)
		out = append(out, ev)
	}
	return out
}

func orAll(p string) string {
	if p == "" {
		return "all"
	}
	return p
}

// ruleLines expresses a recurrence as DTSTART, DURATION, RRULE and EXDATE
// lines, if iCalendar can carry its meaning exactly.
func ruleLines(r Recurrence, from time.Time) ([]string, time.Time, bool) {
	rr := r.r
	if rr == nil || rr.gap != GapShift || rr.fold != FoldFirst {
		return nil, time.Time{}, false
	}
	loc := rr.zone.loc
	if loc != time.UTC && rr.zone.fixed {
		return nil, time.Time{}, false // no TZID for a fixed offset
	}
	dtstart := func(wall int64) string {
		if loc == time.UTC {
			return "DTSTART:" + icalWall(wall) + "Z"
		}
		return "DTSTART;TZID=" + loc.String() + ":" + icalWall(wall)
	}
	dur := "DURATION:" + icsDuration(rr.dur)
	switch g := rr.gen.(type) {
	case weekly:
		first, ok := g.next(rr.zone.wall(from.Unix()))
		if !ok {
			return nil, time.Time{}, false
		}
		var days []string
		for d := range 7 {
			if g.days&(1<<d) != 0 {
				days = append(days, icalDay(time.Weekday(d)))
			}
		}
		u, _ := rr.zone.resolve(first, rr.gap, rr.fold)
		return []string{dtstart(first), dur, "RRULE:FREQ=WEEKLY;BYDAY=" + strings.Join(days, ",")}, time.Unix(u, 0), true
	case *rrule:
		until := ""
		if g.untilUTC {
			until = g.untilText
		} else if g.hasUntil && loc != time.UTC {
			u, _ := rr.zone.resolve(g.until, GapShift, FoldFirst)
			until = icalWall(u) + "Z"
		} else if g.hasUntil {
			until = icalWall(g.until) + "Z"
		}
		lines := []string{dtstart(g.dtstart), dur, "RRULE:" + g.ruleValue(until)}
		if len(g.exWalls) > 0 {
			var vals []string
			for _, w := range g.exWalls {
				vals = append(vals, icalWall(w))
			}
			if loc == time.UTC {
				for i := range vals {
					vals[i] += "Z"
				}
				lines = append(lines, "EXDATE:"+strings.Join(vals, ","))
			} else {
				lines = append(lines, "EXDATE;TZID="+loc.String()+":"+strings.Join(vals, ","))
			}
		}
		if len(g.exDays) > 0 {
			// iCalendar EXDATE values must match DTSTART's type: list
			// the excluded occurrences' start times.
			var vals []string
			for _, d := range g.exDays {
				w := d*secondsPerDay + g.sod
				vals = append(vals, icalWall(w))
			}
			if loc == time.UTC {
				for i := range vals {
					vals[i] += "Z"
				}
				lines = append(lines, "EXDATE:"+strings.Join(vals, ","))
			} else {
				lines = append(lines, "EXDATE;TZID="+loc.String()+":"+strings.Join(vals, ","))
			}
		}
		u, _ := rr.zone.resolve(g.dtstart, rr.gap, rr.fold)
		return lines, time.Unix(u, 0), true
	}
	return nil, time.Time{}, false
}

func icsUTC(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsDuration writes an RFC 5545 DURATION value such as PT4H30M or PT36H.
// Only the exact time units are used: per RFC 5545 §3.3.6 a day (and a
// week) is nominal and lasts 23 or 25 hours across a daylight-saving
// change, while a window's duration is elapsed time.
func icsDuration(d time.Duration) string {
	secs := int64((d + time.Second - 1) / time.Second)
	if secs <= 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("PT")
	if h := secs / 3600; h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m := secs / 60 % 60; m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if s := secs % 60; s > 0 {
		fmt.Fprintf(&b, "%dS", s)
	}
	return b.String()
}

// icsText escapes a TEXT value (RFC 5545 §3.3.11).
// Control characters other than newlines and tabs, which TEXT does not
// allow, and invalid UTF-8 become U+FFFD.
func icsText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	s = strings.Map(func(c rune) rune {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return '\uFFFD'
		}
		return c
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return r.Replace(s)
}

// writeFolded writes one content line, folded so that no physical line is
// longer than 75 octets, without splitting a UTF-8 sequence, ending in CRLF.
func writeFolded(w *bufio.Writer, line string) {
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.WriteString(line[:cut])
		w.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(line)
	w.WriteString("\r\n")
}

// vtimezone describes loc's offsets between from and to as explicit
// observances, one per transition, so any reader gets Go's zone data.
func vtimezone(loc *time.Location, from, to time.Time) []string {
	out := []string{"BEGIN:VTIMEZONE", "TZID:" + loc.String()}
	t := from.In(loc)
	start, _ := t.ZoneBounds()
	obs := func(at time.Time) {
		name, off := at.Zone()
		_, prevOff := at.Add(-time.Second).Zone()
		kind := "STANDARD"
		if at.IsDST() {
			kind = "DAYLIGHT"
		}
		wall := at.Unix() + int64(prevOff)
		out = append(out, "BEGIN:"+kind,
			"DTSTART:"+icalWall(wall),
			"TZOFFSETFROM:"+icsOffset(prevOff),
			"TZOFFSETTO:"+icsOffset(off),
			"TZNAME:"+icsText(name),
			"END:"+kind)
	}
	if start.IsZero() {
		// No transition before from: one observance from 1970 on.
		name, off := t.Zone()
		kind := "STANDARD"
		if t.IsDST() {
			kind = "DAYLIGHT"
		}
		out = append(out, "BEGIN:"+kind, "DTSTART:19700101T000000", "TZOFFSETFROM:"+icsOffset(off),
			"TZOFFSETTO:"+icsOffset(off), "TZNAME:"+icsText(name), "END:"+kind)
	} else {
		obs(start.In(loc))
	}
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			break
		}
		t = end.In(loc)
		obs(t)
	}
	// Windows exported as RRULEs recur past to: continue the zone's
	// transitions with yearly rules when they follow one (as in most
	// zones), or else list them explicitly, so readers that use this
	// VTIMEZONE rather than their own zone data keep the right offsets.
	var later []time.Time
	for u := t; len(later) < 2*vtzRuleYears; {
		_, end := u.ZoneBounds()
		if end.IsZero() {
			break
		}
		u = end.In(loc)
		_, o1 := u.Add(-time.Second).Zone()
		if _, o2 := u.Zone(); o1 != o2 {
			later = append(later, u) // not a mere end of Go's zone table
		}
	}
	if rules, ok := yearlyObservances(later); ok {
		out = append(out, rules...)
	} else {
		for _, at := range later {
			obs(at)
		}
	}
	return append(out, "END:VTIMEZONE")
}

// vtzRuleYears is how many years of transitions a yearly observance rule
// must reproduce to be used.
const vtzRuleYears = 12

// yearlyObservances expresses transitions as one yearly RRULE observance per
// kind (STANDARD, DAYLIGHT), such as BYMONTH=3;BYDAY=-1SU, if every
// transition of that kind lands on the same month, weekday ordinal, local
// time and offsets.
func yearlyObservances(ts []time.Time) ([]string, bool) {
	if len(ts) < 2*vtzRuleYears {
		return nil, false
	}
	type key struct {
		dst           bool
		month         time.Month
		wd            time.Weekday
		clock         int
		fromOff, toOf int
	}
	var lines []string
	for _, dst := range []bool{true, false} {
		var first time.Time
		var k0 key
		pos, neg := 0, 0
		posOK, negOK := true, true
		n := 0
		for _, at := range ts {
			if at.IsDST() != dst {
				continue
			}
			_, prevOff := at.Add(-time.Second).Zone()
			_, off := at.Zone()
			wall := time.Unix(at.Unix()+int64(prevOff), 0).UTC()
			k := key{dst, wall.Month(), wall.Weekday(), wall.Hour()*3600 + wall.Minute()*60 + wall.Second(), prevOff, off}
			p := (wall.Day()-1)/7 + 1
			q := -((daysIn(int64(wall.Year()), int(wall.Month()))-wall.Day())/7 + 1)
			if n == 0 {
				first, k0, pos, neg = at, k, p, q
			} else if k != k0 || wall.Year() != first.Year()+n {
				return nil, false
			}
			posOK = posOK && p == pos
			negOK = negOK && q == neg
			n++
		}
		if n < vtzRuleYears-1 {
			return nil, false
		}
		ord := pos
		if !posOK {
			if !negOK {
				return nil, false
			}
			ord = neg
		}
		kind := "STANDARD"
		if dst {
			kind = "DAYLIGHT"
		}
		name, _ := first.Zone()
		wall := first.Unix() + int64(k0.fromOff)
		lines = append(lines, "BEGIN:"+kind,
			"DTSTART:"+icalWall(wall),
			"RRULE:FREQ=YEARLY;BYMONTH="+strconv.Itoa(int(k0.month))+";BYDAY="+byDay{ord: ord, wd: k0.wd}.String(),
			"TZOFFSETFROM:"+icsOffset(k0.fromOff),
			"TZOFFSETTO:"+icsOffset(k0.toOf),
			"TZNAME:"+icsText(name),
			"END:"+kind)
	}
	return lines, true
}

func icsOffset(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	if off%60 != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, off/3600, off/60%60, off%60)
	}
	return fmt.Sprintf("%c%02d%02d", sign, off/3600, off/60%60)
}
