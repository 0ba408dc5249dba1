package schedule_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/glidepath/glidepath/schedule"
)

const calendarYAML = `
freezes:
  - name: year-end
    from: "2025-12-19"
    until: "2026-01-04"
    zone: America/New_York
    owner: change-board@example.com
parties:
  - name: emea
    kind: region
    zone: Europe/Berlin
    owner: emea-sre
    windows:
      - name: weeknights
        weekly: {days: [mon-thu], start: "20:00"}
        duration: 4h
  - name: amer
    kind: region
    zone: America/New_York
    windows:
      - name: afternoons
        cron: "0 14 * * 1-5"
        duration: 4h
    freezes:
      - name: launch
        from: "2025-06-02"
        until: "2025-06-04"
        scope: [minor, major]
`

func ExampleLoad() {
	cal, err := schedule.Load([]byte(calendarYAML))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cal.Parties())
	// Output: [emea amer]
}

func ExampleCalendar_NextSlot() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	now := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	// Berlin 20:00 CEST is 18:00 UTC; New York 14:00 EDT is 18:00 UTC.
	slot, err := cal.ForChange(schedule.ChangeMinor).NextSlot(now, 2*time.Hour, "emea", "amer")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(slot)
	// Output: 2025-06-05T18:00:00Z/2025-06-05T22:00:00Z
}

func ExampleCalendar_NextSlot_noSlot() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	now := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	_, err := cal.WithHorizon(48*time.Hour).NextSlot(now, 2*time.Hour, "emea", "amer")
	fmt.Println(errors.Is(err, schedule.ErrNoSlot))
	fmt.Println(err)
	// Output:
	// true
	// schedule: no slot of 2h for [emea amer] within the 2d horizon after 2025-06-02T00:00:00Z (until 2025-06-04T00:00:00Z)
}

func ExampleCalendar_State() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	at := time.Date(2025, 6, 2, 19, 0, 0, 0, time.UTC)
	for _, kind := range []schedule.Change{schedule.ChangePatch, schedule.ChangeMinor} {
		st, _ := cal.ForChange(kind).State("amer", at)
		fmt.Printf("%s: %s\n", kind, st)
	}
	// Output:
	// patch: amer: open (window "afternoons")
	// minor: amer: closed (frozen by "launch" during window "afternoons")
}

func ExampleCalendar_Sequence() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	plan, err := cal.Sequence(time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC),
		schedule.Stage{Party: "emea", Duration: 2 * time.Hour, Bake: 24 * time.Hour},
		schedule.Stage{Party: "amer", Duration: 2 * time.Hour},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range plan.Stages {
		fmt.Println(s.Party, s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339))
	}
	// Output:
	// emea 2025-03-03T19:00:00Z 2025-03-03T21:00:00Z
	// amer 2025-03-04T21:00:00Z 2025-03-04T23:00:00Z
}

func ExampleParseCron() {
	ny, _ := schedule.LoadZone("America/New_York")
	// 02:30 does not exist on 9 March 2025 in New York: the window starts at
	// 03:30 daylight time (RFC 5545), neither skipped nor moved to 01:30.
	r, err := schedule.ParseCron("30 2 * * *", time.Hour, schedule.In(ny))
	if err != nil {
		fmt.Println(err)
		return
	}
	from := time.Date(2025, 3, 8, 0, 0, 0, 0, ny)
	for _, iv := range r.Between(from, from.Add(72*time.Hour)) {
		fmt.Println(iv.Start.Format("Mon 15:04 MST"), iv.Duration())
	}
	// Output:
	// Sat 02:30 EST 1h0m0s
	// Sun 03:30 EDT 1h0m0s
	// Mon 02:30 EDT 1h0m0s
}

func ExampleParseRRule() {
	r, err := schedule.ParseRRule(`DTSTART;TZID=Europe/Berlin:20250114T020000
RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=4
EXDATE;TZID=Europe/Berlin:20250311T020000`, 4*time.Hour)
	if err != nil {
		fmt.Println(err)
		return
	}
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, iv := range r.Between(from, from.AddDate(1, 0, 0)) {
		fmt.Println(iv.Start.Format("2006-01-02 15:04 MST"), iv.Start.UTC().Format("15:04Z"))
	}
	// Output:
	// 2025-01-14 02:00 CET 01:00Z
	// 2025-02-11 02:00 CET 01:00Z
	// 2025-04-08 02:00 CEST 00:00Z
}

func ExampleParseRRule_impossible() {
	_, err := schedule.ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", time.Hour)
	fmt.Println(errors.Is(err, schedule.ErrImpossibleRule))
	fmt.Println(err)
	// Output:
	// true
	// schedule: rrule.BYMONTHDAY: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30": no month in BYMONTH has such a day
}

func ExampleParseMaintenance() {
	r, _ := schedule.ParseMaintenance("sun:23:30-mon:01:00")
	fmt.Println(r)
	// Output: maintenance "sun:23:30-mon:01:00" for 1h30m in UTC
}

func ExampleWeekly() {
	syd, _ := schedule.LoadZone("Australia/Sydney")
	r, _ := schedule.Weekly([]time.Weekday{time.Tuesday, time.Thursday}, 9, 0, 4*time.Hour, schedule.In(syd))
	iv, _ := r.Next(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(iv.Start.Format(time.RFC3339), iv.Start.UTC().Format(time.RFC3339))
	// Output: 2025-10-02T09:00:00+10:00 2025-10-01T23:00:00Z
}

func ExampleCalendar_Validate() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	findings := cal.Validate(schedule.Policy{
		MinWindow: 3 * time.Hour,
		MinOpen:   48 * time.Hour, Period: 32 * 24 * time.Hour, MinBlock: 4 * time.Hour,
	}, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC))
	for _, f := range findings {
		fmt.Println(f)
	}
	// Output:
	// violation availability: emea: only 1d8h open in blocks of at least 4h during 2025-12-04T19:00:00Z/2026-01-05T19:00:00Z, need 2d in any 32d
	// violation availability: amer: only 1d16h open in blocks of at least 4h during 2025-12-04T19:00:00Z/2026-01-05T19:00:00Z, need 2d in any 32d
}

func ExampleCalendar_WriteICS() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	var b strings.Builder
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	_ = cal.WriteICS(&b, schedule.ICSOptions{From: from, To: from.AddDate(0, 0, 7), Parties: []string{"emea"}})
	inEvent := false
	for _, ln := range strings.Split(b.String(), "\r\n") {
		inEvent = (inEvent || ln == "BEGIN:VEVENT") && ln != "END:VEVENT"
		if inEvent && (strings.HasPrefix(ln, "DTSTART;") || strings.HasPrefix(ln, "RRULE") || strings.HasPrefix(ln, "DURATION")) {
			fmt.Println(ln)
		}
	}
	// Output:
	// DTSTART;TZID=Europe/Berlin:20250602T200000
	// DURATION:PT4H
	// RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH
}

func ExampleCalendar_WriteAgenda() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	from := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	_ = cal.ForChange(schedule.ChangePatch).WriteAgenda(os.Stdout, schedule.AgendaOptions{From: from, To: from.Add(24 * time.Hour), Parties: []string{"amer"}})
	// Output:
	// # Upgrade calendar Mon 2025-06-02 00:00 – Tue 2025-06-03 00:00 (UTC)
	//
	// For patch changes: freezes that do not block them are listed but do not close windows.
	//
	// ## amer (region)
	//
	// | Start (UTC) | End (UTC) | Local | What |
	// |---|---|---|---|
	// | Mon 2025-06-02 04:00 | Thu 2025-06-05 04:00 | | **freeze** launch — blocks minor,major |
	// | Mon 2025-06-02 18:00 | Mon 2025-06-02 22:00 | Mon 14:00 EDT–18:00 EDT | window afternoons |
	//
	// ## Open for amer
	//
	// - Mon 2025-06-02 18:00 – Mon 2025-06-02 22:00 (4h)
}

func ExampleNew() {
	ny, _ := schedule.LoadZone("America/New_York")
	cal, err := schedule.New(schedule.Config{
		Freezes: []schedule.Freeze{{Name: "launch", From: "2025-03-10", Until: "2025-03-11", Zone: "America/New_York"}},
		Parties: []schedule.Party{
			{
				Name: "us-east", Owner: "sre-east", Escalation: []string{"oncall-east@example.com"},
				Windows: []schedule.Window{{
					Name: "nightly",
					Rule: schedule.Must(schedule.ParseCron("30 2 * * *", 2*time.Hour, schedule.In(ny))),
				}},
			},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	slot, _ := cal.NextSlot(time.Date(2025, 3, 9, 0, 0, 0, 0, time.UTC), time.Hour, "us-east")
	fmt.Println(slot.Start.In(ny).Format("Mon Jan 2 15:04 MST"))
	slot, _ = cal.NextSlot(slot.End, time.Hour, "us-east")
	fmt.Println(slot.Start.In(ny).Format("Mon Jan 2 15:04 MST"))
	// Output:
	// Sun Mar 9 03:30 EDT
	// Wed Mar 12 02:30 EDT
}

func ExampleCalendar_OpenIntervals() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	from := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	ivs, _ := cal.OpenIntervals(from, from.AddDate(0, 0, 3), "emea", "amer")
	for _, iv := range ivs {
		fmt.Println(iv)
	}
	// Output:
	// 2025-03-03T19:00:00Z/2025-03-03T23:00:00Z
	// 2025-03-04T19:00:00Z/2025-03-04T23:00:00Z
	// 2025-03-05T19:00:00Z/2025-03-05T23:00:00Z
}

func ExampleCalendar_NextTransition() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	at := time.Date(2025, 3, 3, 20, 0, 0, 0, time.UTC)
	tr, _ := cal.NextTransition("emea", at)
	fmt.Println(tr.At.Format(time.RFC3339), tr.Open)
	tr, _ = cal.NextTransition("emea", tr.At)
	fmt.Println(tr.At.Format(time.RFC3339), tr.Open)
	// Output:
	// 2025-03-03T23:00:00Z false
	// 2025-03-04T19:00:00Z true
}

func ExampleCalendar_WriteSVG() {
	cal, _ := schedule.Load([]byte(calendarYAML))
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	slot, _ := cal.NextSlot(from, 2*time.Hour, "emea", "amer")
	var b strings.Builder
	_ = cal.WriteSVG(&b, schedule.SVGOptions{From: from, To: from.AddDate(0, 0, 14), Slot: &slot})
	fmt.Println(strings.HasPrefix(b.String(), "<svg"), strings.Count(b.String(), "<rect") > 10)
	// Output: true true
}

func ExampleCalendar_ExplainSlot() {
	cal, err := schedule.Load([]byte(calendarYAML))
	if err != nil {
		fmt.Println(err)
		return
	}
	after := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC) // a Monday
	ex, err := cal.ForChange(schedule.ChangeMinor).ExplainSlot(after, time.Hour, "emea", "amer")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("slot:", ex.Slot)
	for _, st := range ex.At {
		fmt.Println("  ", st)
	}
	for _, b := range ex.Blocked {
		fmt.Println("not earlier:", b)
	}
	// Output:
	// slot: 2025-06-05T18:00:00Z/2025-06-05T22:00:00Z
	//    emea: open (window "weeknights")
	//    amer: open (window "afternoons")
	// not earlier: emea: outside every window from 2025-06-02T00:00:00Z for 3d6h in total
	// not earlier: amer: outside every window from 2025-06-02T00:00:00Z for 18h in total
	// not earlier: amer: frozen by "launch" from 2025-06-02T04:00:00Z for 3d in total
}

func ExampleCalendar_Policy() {
	cal, err := schedule.Load([]byte(`
policy: {minWindow: 2h, minOpen: 8h, period: 14d, minBlock: 2h}
parties:
  - name: db
    windows:
      - name: sunday
        maintenance: "sun:01:00-sun:02:30"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	from := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range cal.WithHorizon(28*24*time.Hour).Validate(cal.Policy(), from) {
		fmt.Println(f.Check)
	}
	_, err = schedule.Load([]byte("policy: {minOpen: 8h}\nparties: [{name: db}]\n"))
	fmt.Println(err)
	// Output:
	// min-window
	// availability
	// schedule: policy.minOpen: "8h": minOpen and period must be set together (period is 0s)
}
