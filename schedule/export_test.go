package schedule

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/glidepath/glidepath/internal/goldenfile"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, *update, name, got)
}

func exportRange(t *testing.T) (time.Time, time.Time) {
	return mustTime(t, "2025-03-01T00:00:00Z"), mustTime(t, "2025-04-01T00:00:00Z")
}

func TestWriteICS(t *testing.T) {
	cal := loadTestCalendar(t)
	from, to := exportRange(t)
	for _, tc := range []struct {
		name   string
		expand bool
	}{{"calendar.ics", false}, {"calendar-expanded.ics", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := cal.WriteICS(&buf, ICSOptions{From: from, To: to, Expand: tc.expand}); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()
			checkICSSyntax(t, out)
			golden(t, tc.name, out)
			var again bytes.Buffer
			_ = cal.WriteICS(&again, ICSOptions{From: from, To: to, Expand: tc.expand})
			if !bytes.Equal(out, again.Bytes()) {
				t.Fatal("output is not deterministic")
			}
		})
	}
}

// checkICSSyntax checks the RFC 5545 framing: CRLF everywhere, physical lines
// of at most 75 octets, valid UTF-8 and balanced BEGIN/END.
func checkICSSyntax(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Fatal("missing final CRLF")
	}
	var stack []string
	for i, ln := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
		if strings.ContainsAny(ln, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF", i+1)
		}
		if len(ln) > 75 {
			t.Fatalf("line %d is %d octets: %q", i+1, len(ln), ln)
		}
		if !utf8.ValidString(ln) {
			t.Fatalf("line %d splits a UTF-8 sequence", i+1)
		}
		if v, ok := strings.CutPrefix(ln, "BEGIN:"); ok {
			stack = append(stack, v)
		}
		if v, ok := strings.CutPrefix(ln, "END:"); ok {
			if len(stack) == 0 || stack[len(stack)-1] != v {
				t.Fatalf("line %d: END:%s does not match %v", i+1, v, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed %v", stack)
	}
}

// TestICSRoundTrip re-reads every VEVENT that carries an RRULE with this
// package's own RRULE parser and checks it yields the same occurrences as
// the window it came from.
func TestICSRoundTrip(t *testing.T) {
	cal := loadTestCalendar(t)
	from, to := exportRange(t)
	var buf bytes.Buffer
	if err := cal.WriteICS(&buf, ICSOptions{From: from, To: to}); err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(buf.String(), "\r\n ", "") // unfold
	events := strings.Split(text, "BEGIN:VEVENT\r\n")[1:]
	checked := 0
	for _, ev := range events {
		var rule []string
		var dur time.Duration
		var summary string
		for _, ln := range strings.Split(ev, "\r\n") {
			switch {
			case strings.HasPrefix(ln, "DTSTART"), strings.HasPrefix(ln, "RRULE:"), strings.HasPrefix(ln, "EXDATE"):
				rule = append(rule, ln)
			case strings.HasPrefix(ln, "DURATION:PT"):
				d, err := time.ParseDuration(strings.ToLower(strings.TrimPrefix(ln, "DURATION:PT")))
				if err != nil {
					t.Fatal(err)
				}
				dur = d
			case strings.HasPrefix(ln, "SUMMARY:"):
				summary = ln
			}
		}
		if dur == 0 {
			continue
		}
		r, err := ParseRRule(strings.Join(rule, "\n"), dur)
		if err != nil {
			t.Fatalf("%s: %v\n%s", summary, err, strings.Join(rule, "\n"))
		}
		party, win, _ := strings.Cut(strings.TrimPrefix(summary, "SUMMARY:"), ": ")
		win = strings.TrimSuffix(win, " (upgrade window)")
		var orig Recurrence
		for _, w := range cal.d.parties[cal.d.index[party]].windows {
			if w.name == win {
				orig = w.rule
			}
		}
		a, b := r.Between(from, to), orig.Between(from, to)
		if len(a) != len(b) || len(a) == 0 {
			t.Fatalf("%s: %d occurrences from the .ics, %d from the calendar", summary, len(a), len(b))
		}
		for i := range a {
			if !a[i].Start.Equal(b[i].Start) || !a[i].End.Equal(b[i].End) {
				t.Fatalf("%s: occurrence %d %v vs %v", summary, i, a[i], b[i])
			}
		}
		checked++
	}
	if checked != 3 {
		t.Fatalf("checked %d RRULE events, want 3 (weekly, rrule, maintenance)", checked)
	}
}

func TestICSFoldingAndEscaping(t *testing.T) {
	var buf bytes.Buffer
	cal, err := New(Config{Parties: []Party{{
		Name:    "ünïcode; team, with \\ a very long name that forces the line to fold more than once ✓✓✓✓✓✓✓✓✓✓",
		Windows: []Window{{Name: "w\nnewline", Cron: "0 1 * * *", Duration: Duration(time.Hour)}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	from := mustTime(t, "2025-01-01T00:00:00Z")
	if err := cal.WriteICS(&buf, ICSOptions{From: from, To: from.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	checkICSSyntax(t, buf.Bytes())
	unfolded := strings.ReplaceAll(buf.String(), "\r\n ", "")
	if !strings.Contains(unfolded, `SUMMARY:ünïcode\; team\, with \\ a very long name`) || !strings.Contains(unfolded, `w\nnewline`) {
		t.Fatalf("escaping wrong:\n%s", unfolded)
	}
}

func TestWriteAgenda(t *testing.T) {
	cal := loadTestCalendar(t)
	from := mustTime(t, "2025-11-09T00:00:00Z")
	to := from.Add(7 * 24 * time.Hour)
	slot, err := cal.NextSlot(from, time.Hour, "emea", "amer")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := cal.ForChange(ChangeMinor).WriteAgenda(&buf, AgendaOptions{From: from, To: to, Slot: &slot}); err != nil {
		t.Fatal(err)
	}
	golden(t, "agenda.md", buf.Bytes())
}

func TestWriteSVG(t *testing.T) {
	cal := loadTestCalendar(t)
	from := mustTime(t, "2025-11-02T00:00:00Z")
	to := from.Add(14 * 24 * time.Hour)
	slot, err := cal.ForChange(ChangeMinor).NextSlot(from, time.Hour, "emea", "amer")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := cal.ForChange(ChangeMinor).WriteSVG(&buf, SVGOptions{From: from, To: to, Slot: &slot, Parties: []string{"emea", "amer"}, Title: "Rollout of billing 4.2"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "timeline.svg", buf.Bytes())
}

func TestWriteICSEvents(t *testing.T) {
	cal := loadTestCalendar(t)
	from := mustTime(t, "2025-11-02T00:00:00Z")
	to := from.Add(7 * 24 * time.Hour)
	plan, err := cal.ForChange(ChangeMinor).Sequence(from,
		Stage{Party: "apac", Duration: time.Hour, Bake: 12 * time.Hour},
		Stage{Party: "emea", Duration: time.Hour, Bake: 12 * time.Hour},
		Stage{Party: "amer", Duration: 30 * time.Minute, With: []string{"billing-db"}})
	if err != nil {
		t.Fatal(err)
	}
	events := plan.StageEvents("billing 4.2")
	events = append(events, Event{
		UID:         "drill-2025-11@example.com",
		Summary:     "Rollback drill; all regions, ✓ observed",
		Description: "Runbook: https://runbooks.example.com/billing/rollback-drill-with-a-long-address-that-folds\nAsk the change board first.",
		Interval:    Interval{Start: mustTime(t, "2025-11-07T15:00:00+01:00"), End: mustTime(t, "2025-11-07T16:30:00+01:00")},
	})
	opt := ICSOptions{From: from, To: to, Parties: []string{"billing-db"}, Events: events, Stamp: mustTime(t, "2025-11-01T12:00:00Z")}
	var buf bytes.Buffer
	if err := cal.WriteICS(&buf, opt); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	checkICSSyntax(t, out)
	unfolded := strings.ReplaceAll(string(out), "\r\n ", "")
	for _, want := range []string{
		"SUMMARY:billing 4.2: stage 1/3 apac\r\n",
		"UID:plan/apac/billing-4.2:-stage-1/3-apac/20251103T220000Z@glidepath.invalid\r\n",
		"DTSTART:20251107T140000Z\r\nDTEND:20251107T153000Z\r\n",
		`SUMMARY:Rollback drill\; all regions\, ✓ observed`,
		"UID:drill-2025-11@example.com\r\n",
		"CONTACT:escalation: apac-oncall@example.com\r\n",
		`DESCRIPTION:Duration: 1h\nBake until: 2025-11-04T11:00:00Z` + "\r\n",
		`DESCRIPTION:Duration: 30m\nWith: billing-db` + "\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("missing %q", want)
		}
	}
	if n := strings.Count(unfolded, "CATEGORIES:planned-change"); n != 4 {
		t.Errorf("%d planned events, want 4", n)
	}
	golden(t, "calendar-events.ics", out)
	var again bytes.Buffer
	_ = cal.WriteICS(&again, opt)
	if !bytes.Equal(out, again.Bytes()) {
		t.Fatal("output is not deterministic")
	}

	iv := Interval{Start: from, End: from.Add(time.Hour)}
	for _, tc := range []struct {
		name   string
		events []Event
		want   string
		is     error
	}{
		{"empty interval", []Event{{Summary: "x", Interval: Interval{Start: from, End: from}}}, "Events[0].Interval", ErrInvalidConfig},
		{"zero interval", []Event{{Summary: "x"}}, "Events[0].Interval", ErrInvalidConfig},
		{"unknown party", []Event{{Interval: iv}, {Interval: iv, Party: "mars"}}, "Events[1].Party", ErrUnknownParty},
		{"duplicate given UID", []Event{{UID: "a", Interval: iv}, {UID: "a", Interval: iv.shift(time.Hour)}}, "Events[1].UID", ErrInvalidConfig},
		{"duplicate derived UID", []Event{{Summary: "s", Interval: iv}, {Summary: "s", Interval: iv}}, "Events[1].UID", ErrInvalidConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := cal.WriteICS(&buf, ICSOptions{From: from, To: to, Events: tc.events})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Fatal("wrote output before failing")
			}
		})
	}
}

func (i Interval) shift(d time.Duration) Interval {
	return Interval{Start: i.Start.Add(d), End: i.End.Add(d)}
}

func TestWriteSVGMarks(t *testing.T) {
	cal := loadTestCalendar(t).ForChange(ChangeMinor)
	from := mustTime(t, "2025-11-02T00:00:00Z")
	to := from.Add(14 * 24 * time.Hour)
	plan, err := cal.Sequence(from, Stage{Party: "apac", Duration: time.Hour, Bake: 12 * time.Hour},
		Stage{Party: "emea", Duration: time.Hour, Bake: 12 * time.Hour}, Stage{Party: "amer", Duration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var marks []Mark
	for i, st := range plan.Stages {
		marks = append(marks, Mark{Label: fmt.Sprintf("stage %d", i+1), Interval: Interval{Start: st.Start, End: st.End}, Party: st.Party})
	}
	marks = append(marks,
		Mark{Label: "bake <all>", Interval: Interval{Start: plan.End(), End: plan.End().Add(24 * time.Hour)}},
		Mark{Label: "outside", Interval: Interval{Start: to.Add(time.Hour), End: to.Add(2 * time.Hour)}},
	)
	var buf bytes.Buffer
	if err := cal.WriteSVG(&buf, SVGOptions{From: from, To: to, Parties: []string{"apac", "emea", "amer"}, Marks: marks, Title: "Follow the sun"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{">stage 1</text>", ">stage 3</text>", `stroke="#e37400"`, "bake &lt;all&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(out, ">outside</text>") {
		t.Error("a mark outside the range was drawn")
	}
	golden(t, "timeline-marks.svg", buf.Bytes())

	for _, tc := range []struct {
		name string
		mark Mark
		want string
	}{
		{"party not drawn", Mark{Party: "billing-db", Interval: Interval{Start: from, End: to}}, "Marks[0].Party"},
		{"unknown party", Mark{Party: "mars", Interval: Interval{Start: from, End: to}}, "Marks[0].Party"},
		{"reversed", Mark{Interval: Interval{Start: to, End: from}}, "Marks[0].Interval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := cal.WriteSVG(&bytes.Buffer{}, SVGOptions{From: from, To: to, Parties: []string{"apac"}, Marks: []Mark{tc.mark}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestExportErrors(t *testing.T) {
	cal := loadTestCalendar(t)
	from := mustTime(t, "2025-01-01T00:00:00Z")
	var buf bytes.Buffer
	if err := cal.WriteICS(&buf, ICSOptions{From: from, To: from}); err == nil {
		t.Error("empty ICS range accepted")
	}
	if err := cal.WriteAgenda(&buf, AgendaOptions{From: from, To: from.Add(time.Hour), Parties: []string{"mars"}}); err == nil {
		t.Error("unknown party accepted")
	}
	if err := cal.WriteSVG(&buf, SVGOptions{From: from.Add(time.Hour), To: from}); err == nil {
		t.Error("reversed SVG range accepted")
	}
}
