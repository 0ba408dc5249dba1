package schedule

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func testCalendar(t testing.TB) *Calendar {
	t.Helper()
	cal, err := New(Config{
		Freezes: []Freeze{{Name: "year-end", From: "2025-12-20", Until: "2026-01-04", Zone: "UTC", Owner: "cab@example.com"}},
		Parties: []Party{
			{
				Name: "eu-west", Kind: PartyRegion, Zone: "Europe/Berlin", Owner: "eu-sre",
				Escalation: []string{"eu-oncall@example.com"},
				Windows:    []Window{{Name: "sat-night", Weekly: &WeeklySpec{Days: []string{"sat"}, Start: "22:00"}, Duration: Duration(6 * time.Hour)}},
				Freezes: []Freeze{
					{Name: "launch", Start: mustTime(t, "2025-06-07T00:00:00Z"), End: mustTime(t, "2025-06-09T00:00:00Z"), Scope: ScopeOf(ChangeMajor, ChangeMinor)},
				},
			},
			{
				Name: "us-east", Kind: PartyRegion, Zone: "America/New_York",
				Windows: []Window{{Name: "sat-evening", Cron: "0 18 * * 6", Duration: Duration(8 * time.Hour)}},
			},
			{
				Name: "payments", Kind: PartyService,
				Windows: []Window{{Name: "rds", Maintenance: "sat:23:00-sun:03:00"}},
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestState(t *testing.T) {
	cal := testCalendar(t)
	tests := []struct {
		name   string
		party  string
		at     string
		change Change
		want   string
	}{
		{"inside window (CEST)", "eu-west", "2025-05-03T20:30:00Z", ChangeAny, `eu-west: open (window "sat-night")`},
		{"before window (CEST)", "eu-west", "2025-05-03T19:59:59Z", ChangeAny, `eu-west: closed (outside every window)`},
		{"winter offset differs", "eu-west", "2025-01-04T21:00:00Z", ChangeAny, `eu-west: open (window "sat-night")`},
		{"window end is exclusive", "eu-west", "2025-01-05T03:00:00Z", ChangeAny, `eu-west: closed (outside every window)`},
		{"scoped freeze blocks minor", "eu-west", "2025-06-07T21:00:00Z", ChangeMinor, `eu-west: closed (frozen by "launch" during window "sat-night")`},
		{"scoped freeze spares patch", "eu-west", "2025-06-07T21:00:00Z", ChangePatch, `eu-west: open (window "sat-night")`},
		{"any change honours every freeze", "eu-west", "2025-06-07T21:00:00Z", ChangeAny, `eu-west: closed (frozen by "launch" during window "sat-night")`},
		{"global freeze", "us-east", "2026-01-03T23:30:00Z", ChangePatch, `us-east: closed (frozen by "year-end" during window "sat-evening")`},
		{"global freeze inclusive end date", "us-east", "2026-01-04T23:59:59Z", ChangePatch, `us-east: closed (frozen by "year-end")`},
		{"global freeze over", "us-east", "2026-01-05T00:00:00Z", ChangePatch, `us-east: closed (outside every window)`},
		{"after global freeze", "us-east", "2026-01-10T23:30:00Z", ChangePatch, `us-east: open (window "sat-evening")`},
		{"maintenance wraps midnight", "payments", "2025-05-04T01:00:00Z", ChangeAny, `payments: open (window "rds")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := cal.ForChange(tc.change).State(tc.party, mustTime(t, tc.at))
			if err != nil {
				t.Fatal(err)
			}
			if st.String() != tc.want {
				t.Fatalf("State = %s, want %s", st, tc.want)
			}
		})
	}
	if _, err := cal.State("nope", time.Time{}); !errors.Is(err, ErrUnknownParty) {
		t.Fatalf("unknown party error = %v", err)
	}
}

func TestNextSlot(t *testing.T) {
	cal := testCalendar(t)
	tests := []struct {
		name    string
		after   string
		min     time.Duration
		parties []string
		want    string // start/end, or error substring
	}{
		{"single party", "2025-05-01T00:00:00Z", time.Hour, []string{"eu-west"}, "2025-05-03T20:00:00Z/2025-05-04T02:00:00Z"},
		{"starts inside a window", "2025-05-03T21:00:00Z", time.Hour, []string{"eu-west"}, "2025-05-03T21:00:00Z/2025-05-04T02:00:00Z"},
		{"too little left in current window", "2025-05-04T01:30:00Z", time.Hour, []string{"eu-west"}, "2025-05-10T20:00:00Z/2025-05-11T02:00:00Z"},
		{"three parties overlap", "2025-05-01T00:00:00Z", 2 * time.Hour, []string{"eu-west", "us-east", "payments"}, "2025-05-03T23:00:00Z/2025-05-04T02:00:00Z"},
		{"global freeze skipped", "2025-12-15T00:00:00Z", time.Hour, []string{"us-east"}, "2026-01-10T23:00:00Z/2026-01-11T07:00:00Z"},
		{"longer than any window", "2025-05-01T00:00:00Z", 7 * time.Hour, []string{"eu-west"}, "no slot of 7h for [eu-west] within the 366d horizon"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cal.NextSlot(mustTime(t, tc.after), tc.min, tc.parties...)
			if err != nil {
				if !errors.Is(err, ErrNoSlot) || !contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want %q", err, tc.want)
				}
				return
			}
			if s := got.Start.Format(time.RFC3339) + "/" + got.End.Format(time.RFC3339); s != tc.want {
				t.Fatalf("NextSlot = %s, want %s", s, tc.want)
			}
		})
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// scanSlot is the reference implementation: step minute by minute through
// State for every party.
func scanSlot(cal *Calendar, after time.Time, minDur time.Duration, horizon time.Duration, parties ...string) (time.Time, bool) {
	var runStart time.Time
	running := false
	for t := after; t.Before(after.Add(horizon)); t = t.Add(time.Minute) {
		open := true
		for _, p := range parties {
			st, _ := cal.State(p, t)
			if !st.Open {
				open = false
				break
			}
		}
		switch {
		case open && !running:
			runStart, running = t, true
		case !open:
			running = false
		}
		if running && t.Add(time.Minute).Sub(runStart) >= minDur {
			return runStart, true
		}
	}
	return time.Time{}, false
}

// TestNextSlotMatchesScan cross-checks NextSlot against a minute-by-minute
// scan of State on randomly generated calendars in DST zones.
func TestNextSlotMatchesScan(t *testing.T) {
	zones := []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata", "+05:45"}
	rng := rand.New(rand.NewPCG(7, 11))
	rounds := 12
	if testing.Short() {
		rounds = 4
	}
	for round := range rounds {
		var parties []Party
		var names []string
		for i := range 3 {
			p := Party{Name: fmt.Sprintf("p%d", i), Zone: zones[rng.IntN(len(zones))]}
			days := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
			p.Windows = append(p.Windows, Window{
				Weekly:   &WeeklySpec{Days: []string{days[rng.IntN(7)], days[rng.IntN(7)]}, Start: fmt.Sprintf("%02d:%02d", rng.IntN(24), 15*rng.IntN(4))},
				Duration: Duration(time.Duration(4+rng.IntN(20)) * time.Hour),
			})
			if rng.IntN(2) == 0 {
				s := time.Date(2025, 3, 1+rng.IntN(60), rng.IntN(24), 0, 0, 0, time.UTC)
				p.Freezes = append(p.Freezes, Freeze{Name: "f", Start: s, End: s.Add(time.Duration(1+rng.IntN(72)) * time.Hour)})
			}
			parties = append(parties, p)
			names = append(names, p.Name)
		}
		cal, err := New(Config{Parties: parties, Horizon: Duration(70 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		after := time.Date(2025, 3, 1, rng.IntN(24), 0, 0, 0, time.UTC)
		minDur := time.Duration(1+rng.IntN(3)) * time.Hour
		t.Run(fmt.Sprint("round", round), func(t *testing.T) {
			want, ok := scanSlot(cal, after, minDur, cal.Horizon(), names...)
			got, err := cal.NextSlot(after, minDur, names...)
			if !ok {
				if !errors.Is(err, ErrNoSlot) {
					t.Fatalf("scan found nothing, NextSlot = %v, %v", got, err)
				}
				return
			}
			if err != nil || !got.Start.Equal(want) {
				t.Fatalf("NextSlot = %v, %v; scan = %v", got.Start, err, want)
			}
		})
	}
}

func TestTransitions(t *testing.T) {
	cal := testCalendar(t)
	at := mustTime(t, "2025-05-03T21:00:00Z")
	if got, err := cal.NextOpen("eu-west", at); err != nil || !got.Equal(at) {
		t.Errorf("NextOpen inside window = %v, %v", got, err)
	}
	if got, err := cal.NextClose("eu-west", at); err != nil || got.Format(time.RFC3339) != "2025-05-04T02:00:00Z" {
		t.Errorf("NextClose = %v, %v", got, err)
	}
	tr, err := cal.NextTransition("eu-west", at)
	if err != nil || tr.Open || tr.At.Format(time.RFC3339) != "2025-05-04T02:00:00Z" {
		t.Errorf("NextTransition = %+v, %v", tr, err)
	}
	tr, err = cal.NextTransition("eu-west", tr.At)
	if err != nil || !tr.Open || tr.At.Format(time.RFC3339) != "2025-05-10T20:00:00Z" {
		t.Errorf("NextTransition after close = %+v, %v", tr, err)
	}
	if got, err := cal.NextClose("eu-west", mustTime(t, "2025-05-05T00:00:00Z")); err != nil || got.Format(time.RFC3339) != "2025-05-05T00:00:00Z" {
		t.Errorf("NextClose when closed = %v, %v", got, err)
	}
	ivs, err := cal.OpenIntervals(mustTime(t, "2025-05-01T00:00:00Z"), mustTime(t, "2025-05-15T00:00:00Z"), "eu-west")
	if err != nil || len(ivs) != 2 || ivs[1].String() != "2025-05-10T20:00:00Z/2025-05-11T02:00:00Z" {
		t.Errorf("OpenIntervals = %v, %v", ivs, err)
	}
}

func TestSequence(t *testing.T) {
	cal := testCalendar(t)
	plan, err := cal.Sequence(mustTime(t, "2025-05-01T00:00:00Z"),
		Stage{Party: "payments", Duration: time.Hour, Bake: 2 * time.Hour},
		Stage{Party: "eu-west", Duration: 2 * time.Hour, Bake: 24 * time.Hour},
		Stage{Party: "us-east", Duration: 3 * time.Hour},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"payments 2025-05-03T23:00:00Z 2025-05-04T00:00:00Z 2025-05-04T02:00:00Z",
		// eu-west is still open at 02:00? No: its window ends 02:00 UTC, so it waits a week.
		"eu-west 2025-05-10T20:00:00Z 2025-05-10T22:00:00Z 2025-05-11T22:00:00Z",
		"us-east 2025-05-17T22:00:00Z 2025-05-18T01:00:00Z 2025-05-18T01:00:00Z",
	}
	for i, s := range plan.Stages {
		got := fmt.Sprintf("%s %s %s %s", s.Party, s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339), s.Ready.Format(time.RFC3339))
		if got != want[i] {
			t.Errorf("stage %d = %s, want %s", i, got, want[i])
		}
	}
	_, err = cal.WithHorizon(10*24*time.Hour).Sequence(mustTime(t, "2025-05-01T00:00:00Z"),
		Stage{Party: "eu-west", Duration: time.Hour, Bake: 30 * 24 * time.Hour},
		Stage{Party: "us-east", Duration: time.Hour})
	if !errors.Is(err, ErrNoSlot) || !contains(err.Error(), "stages[1]") || !contains(err.Error(), "10d horizon") {
		t.Fatalf("err = %v", err)
	}
}

func TestSequenceWithAndStates(t *testing.T) {
	cal := testCalendar(t)
	plan, err := cal.Sequence(mustTime(t, "2025-05-01T00:00:00Z"),
		Stage{Party: "eu-west", With: []string{"payments"}, Duration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if got := plan.Start().Format(time.RFC3339); got != "2025-05-03T23:00:00Z" || !plan.End().Equal(plan.Start().Add(time.Hour)) {
		t.Fatalf("plan %v", plan)
	}
	if _, err := cal.Sequence(time.Time{}, Stage{Party: "eu-west", With: []string{"mars"}, Duration: time.Hour}); !errors.Is(err, ErrUnknownParty) {
		t.Fatalf("err = %v", err)
	}
	if _, err := cal.Sequence(time.Time{}, Stage{Party: "eu-west", Duration: 0}); !errors.Is(err, ErrInvalidDuration) {
		t.Fatalf("err = %v", err)
	}
	sts := cal.States(mustTime(t, "2025-05-04T00:30:00Z"))
	var got []string
	for _, s := range sts {
		got = append(got, fmt.Sprint(s.Open))
	}
	if fmt.Sprint(got) != "[true true true]" {
		t.Fatalf("States = %v", sts)
	}
}

// TestWindowsSpanBoundaries covers windows that run past midnight, the end of
// the week and the end of the month, including one that spans a DST change:
// its length stays the elapsed duration, so its local end moves.
func TestWindowsSpanBoundaries(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	tests := []struct {
		name      string
		rule      func() (Recurrence, error)
		from      string
		wantStart string
		wantEnd   string // local
	}{
		{"30h over the spring change", func() (Recurrence, error) { return ParseWeekly("sat", "22:00", 30*time.Hour, In(berlin)) },
			"2025-03-29T00:00:00Z", "2025-03-29T22:00:00+01:00", "2025-03-31T05:00:00+02:00"},
		{"30h over the autumn change", func() (Recurrence, error) { return ParseWeekly("sat", "22:00", 30*time.Hour, In(berlin)) },
			"2025-10-25T00:00:00Z", "2025-10-25T22:00:00+02:00", "2025-10-27T03:00:00+01:00"},
		{"last day of month into the next", func() (Recurrence, error) {
			return ParseRRule("DTSTART;TZID=Europe/Berlin:20250131T220000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1", 6*time.Hour)
		}, "2025-02-01T00:00:00Z", "2025-02-28T22:00:00+01:00", "2025-03-01T04:00:00+01:00"},
		{"end of year", func() (Recurrence, error) { return ParseCron("CRON_TZ=Europe/Berlin 0 23 31 12 *", 3*time.Hour) },
			"2025-06-01T00:00:00Z", "2025-12-31T23:00:00+01:00", "2026-01-01T02:00:00+01:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.rule()
			if err != nil {
				t.Fatal(err)
			}
			iv, ok := r.Next(mustTime(t, tc.from))
			if !ok {
				t.Fatal("no occurrence")
			}
			if s, e := iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339); s != tc.wantStart || e != tc.wantEnd {
				t.Fatalf("occurrence %s – %s, want %s – %s", s, e, tc.wantStart, tc.wantEnd)
			}
			if got, ok := r.Active(iv.End.Add(-time.Second)); !ok || !got.Start.Equal(iv.Start) {
				t.Fatalf("Active just before the end = %v, %v", got, ok)
			}
		})
	}
}

// TestQueriesAtExtremeTimes checks that queries at the edges of the time
// range do not panic and answer sensibly.
func TestQueriesAtExtremeTimes(t *testing.T) {
	cal := testCalendar(t).WithHorizon(30 * 24 * time.Hour)
	for _, at := range []time.Time{{}, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 25, 0, 0, 0, 0, time.UTC), time.Unix(0, 0)} {
		for _, p := range cal.Parties() {
			if _, err := cal.State(p, at); err != nil {
				t.Fatal(err)
			}
			if slot, err := cal.NextSlot(at, time.Hour, p); err == nil && slot.Start.Before(at) {
				t.Fatalf("slot %v before %v", slot, at)
			}
		}
	}
}

// TestConcurrentQueries runs queries from several goroutines; with -race it
// proves the calendar is safe for concurrent use.
func TestConcurrentQueries(t *testing.T) {
	cal := loadTestCalendar(t)
	done := make(chan error)
	for g := range 4 {
		go func() {
			var err error
			at := mustTime(t, "2025-05-01T00:00:00Z").Add(time.Duration(g) * time.Hour)
			for i := range 50 {
				at = at.Add(time.Duration(i) * 37 * time.Minute)
				if _, e := cal.ForChange(ChangeMinor).State("emea", at); e != nil {
					err = e
				}
				if _, e := cal.NextSlot(at, time.Hour, "emea", "amer"); e != nil && !errors.Is(e, ErrNoSlot) {
					err = e
				}
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestFreezeLookupAndEscalation(t *testing.T) {
	cal := loadTestCalendar(t)
	tests := []struct {
		name, party, freeze string
		ok                  bool
		owner               string
		escalation          string
	}{
		{"global from a party", "emea", "year-end", true, "change-board@example.com", "cto@example.com,+1-212-555-0199"},
		{"global without a party", "", "year-end", true, "change-board@example.com", "cto@example.com,+1-212-555-0199"},
		{"party's own", "amer", "no-friday-deploys", true, "", ""},
		{"another party's", "emea", "no-friday-deploys", false, "", ""},
		{"unknown", "emea", "nope", false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := cal.Freeze(tc.party, tc.freeze)
			if ok != tc.ok || f.Owner != tc.owner || strings.Join(f.Escalation, ",") != tc.escalation {
				t.Fatalf("Freeze = %+v, %v", f, ok)
			}
			if ok && f.Name != tc.freeze {
				t.Fatalf("name %q", f.Name)
			}
		})
	}
	f, _ := cal.Freeze("", "year-end")
	f.Escalation[0] = "mutated"
	if g, _ := cal.Freeze("", "year-end"); g.Escalation[0] != "cto@example.com" {
		t.Fatal("Freeze shares its slices")
	}

	from, to := mustTime(t, "2025-12-15T00:00:00Z"), mustTime(t, "2026-01-10T00:00:00Z")
	var ics, md bytes.Buffer
	if err := cal.WriteICS(&ics, ICSOptions{From: from, To: to}); err != nil {
		t.Fatal(err)
	}
	if err := cal.WriteAgenda(&md, AgendaOptions{From: from, To: to}); err != nil {
		t.Fatal(err)
	}
	if s := strings.ReplaceAll(ics.String(), "\r\n ", ""); !strings.Contains(s, `Escalation: cto@example.com\, +1-212-555-0199`) {
		t.Errorf("ICS lacks the freeze's escalation:\n%s", s)
	}
	if !strings.Contains(md.String(), "escalation cto@example.com, +1-212-555-0199") {
		t.Errorf("agenda lacks the freeze's escalation:\n%s", md.String())
	}
}

func TestQueryArgumentErrors(t *testing.T) {
	cal := testCalendar(t)
	at := mustTime(t, "2025-05-01T00:00:00Z")
	if _, err := cal.OpenIntervals(at, at.Add(-time.Hour), "eu-west"); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("reversed range: %v", err)
	}
	if ivs, err := cal.OpenIntervals(at, at, "eu-west"); err != nil || len(ivs) != 0 {
		t.Errorf("empty range: %v, %v", ivs, err)
	}
	_, err := cal.Sequence(at, Stage{Party: "mars", Duration: time.Hour})
	if !errors.Is(err, ErrUnknownParty) || strings.Count(err.Error(), "schedule:") != 1 || !strings.Contains(err.Error(), "stages[0].party") {
		t.Errorf("unknown stage party: %v", err)
	}
	if got := cal.WithHorizon(-time.Hour).Horizon(); got != cal.Horizon() {
		t.Errorf("WithHorizon(-1h) = %v", got)
	}
}
