package schedule

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// xmlWellFormed parses every token of the document with encoding/xml.
func xmlWellFormed(t *testing.T, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, doc)
		}
	}
}

// TestSVGWellFormedWithHostileNames draws parties, windows, freezes and
// marks whose names need escaping or cannot appear in XML at all.
func TestSVGWellFormedWithHostileNames(t *testing.T) {
	names := []struct{ name, party string }{
		{"markup", `<b>"eu" & 'us'</b>`},
		{"control characters", "ops\x01\x08\x0b\x1fteam"},
		{"invalid UTF-8", "bad\xff\xfeutf8"},
		{"CDATA end and comment", "]]> <!-- x -->"},
		{"unicode", "Zürich 東京 🙂"},
	}
	for _, tc := range names {
		t.Run(tc.name, func(t *testing.T) {
			cal, err := New(Config{
				Parties: []Party{{
					Name:    tc.party,
					Windows: []Window{{Name: tc.party + " window", Weekly: &WeeklySpec{Days: []string{"mon", "wed"}, Start: "02:00"}, Duration: Duration(3 * time.Hour)}},
					Freezes: []Freeze{{Name: tc.party + " freeze", Reason: tc.party, From: "2025-03-05", Until: "2025-03-05"}},
				}},
			})
			if err != nil {
				t.Fatal(err)
			}
			from := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			to := from.Add(14 * 24 * time.Hour)
			slot := Interval{Start: from.Add(50 * time.Hour), End: from.Add(52 * time.Hour)}
			var buf bytes.Buffer
			err = cal.WriteSVG(&buf, SVGOptions{From: from, To: to, Slot: &slot, Title: tc.party,
				Marks: []Mark{{Label: tc.party, Interval: slot, Party: tc.party}}})
			if err != nil {
				t.Fatal(err)
			}
			xmlWellFormed(t, buf.Bytes())
			var ics bytes.Buffer
			if err := cal.WriteICS(&ics, ICSOptions{From: from, To: to, ProdID: "-//x//" + tc.party + "\r\nBEGIN:VEVENT//EN"}); err != nil {
				t.Fatal(err)
			}
			for i, ln := range strings.Split(strings.TrimSuffix(ics.String(), "\r\n"), "\r\n") {
				if strings.ContainsAny(ln, "\r\n\x00\x01\x08\x0b\x1f") || !utf8.ValidString(ln) {
					t.Fatalf("ICS line %d holds a control character or invalid UTF-8: %q", i, ln)
				}
				if strings.HasPrefix(ln, "BEGIN:VEVENT//") {
					t.Fatalf("PRODID broke out of its line: %q", ln)
				}
			}
		})
	}
}

// vtzOffsets interprets VTIMEZONE lines (explicit observances and yearly
// BYMONTH/BYDAY rules) and returns a function giving the UTC offset they
// define at an instant.
func vtzOffsets(t *testing.T, lines []string) func(time.Time) int {
	t.Helper()
	type onset struct {
		u   int64
		off int
	}
	var onsets []onset
	parseOff := func(s string) int {
		sign := 1
		if s[0] == '-' {
			sign = -1
		}
		h, m := int(s[1]-'0')*10+int(s[2]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
		return sign * (h*3600 + m*60)
	}
	var dt, rule string
	var from, to int
	for _, ln := range lines {
		switch {
		case strings.HasPrefix(ln, "DTSTART:"):
			dt = strings.TrimPrefix(ln, "DTSTART:")
		case strings.HasPrefix(ln, "RRULE:"):
			rule = strings.TrimPrefix(ln, "RRULE:")
		case strings.HasPrefix(ln, "TZOFFSETFROM:"):
			from = parseOff(strings.TrimPrefix(ln, "TZOFFSETFROM:"))
		case strings.HasPrefix(ln, "TZOFFSETTO:"):
			to = parseOff(strings.TrimPrefix(ln, "TZOFFSETTO:"))
		case ln == "END:STANDARD" || ln == "END:DAYLIGHT":
			w, err := time.Parse("20060102T150405", dt)
			if err != nil {
				t.Fatalf("bad DTSTART %q", dt)
			}
			if rule == "" {
				onsets = append(onsets, onset{w.Unix() - int64(from), to})
			} else {
				r, err := ParseRRule("DTSTART:"+dt+"Z\nRRULE:"+rule, time.Second)
				if err != nil {
					t.Fatalf("observance rule %q: %v", rule, err)
				}
				for _, iv := range r.Between(w, time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)) {
					onsets = append(onsets, onset{iv.Start.Unix() - int64(from), to})
				}
			}
			dt, rule = "", ""
		}
	}
	return func(at time.Time) int {
		best, off := int64(-1<<62), 0
		for _, o := range onsets {
			if o.u <= at.Unix() && o.u > best {
				best, off = o.u, o.off
			}
		}
		return off
	}
}

// TestVTIMEZONEMatchesZoneData interprets the exported VTIMEZONE the way a
// calendar application without its own zone data would, and compares the
// offset with Go's for every transition (±1s) and every day through 2040,
// long after the export range, since RRULE windows recur indefinitely.
func TestVTIMEZONEMatchesZoneData(t *testing.T) {
	for _, name := range []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata"} {
		t.Run(name, func(t *testing.T) {
			loc := mustZone(t, name)
			from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			lines := vtimezone(loc, from.AddDate(-1, 0, 0), from.AddDate(2, 0, 0))
			end := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
			var probes []time.Time
			for d := from; d.Before(end); d = d.Add(24 * time.Hour) {
				probes = append(probes, d.Add(6*time.Hour), d.Add(18*time.Hour))
			}
			for _, tr := range transitions(loc, from, end) {
				probes = append(probes, tr.Add(-time.Second), tr)
			}
			offset := vtzOffsets(t, lines)
			for _, at := range probes {
				_, want := at.In(loc).Zone()
				if got := offset(at); got != want {
					t.Fatalf("offset at %s = %d, zone data says %d\n%s", at, got, want, strings.Join(lines, "\n"))
				}
			}
		})
	}
}

// TestSVGNarrowWidthStaysValid checks that a tiny Width still yields
// rectangles of non-negative size inside a well-formed document.
func TestSVGNarrowWidthStaysValid(t *testing.T) {
	cal, err := New(Config{Parties: []Party{{Name: "p", Windows: []Window{{Weekly: &WeeklySpec{Days: []string{"daily"}, Start: "01:00"}, Duration: Duration(time.Hour)}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{1, 50, 169, 400} {
		var buf bytes.Buffer
		from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := cal.WriteSVG(&buf, SVGOptions{From: from, To: from.Add(72 * time.Hour), Width: w}); err != nil {
			t.Fatal(err)
		}
		xmlWellFormed(t, buf.Bytes())
		if strings.Contains(buf.String(), `width="-`) {
			t.Fatalf("Width %d: negative width in\n%s", w, buf.String())
		}
	}
}

// TestAgendaEscapesNames checks that names cannot break the Markdown
// structure: headings stay on one line and table cells keep their columns.
func TestAgendaEscapesNames(t *testing.T) {
	name := "eu|west\nnext *line*"
	cal, err := New(Config{Parties: []Party{{Name: name, Owner: "ops|team\nx", Escalation: []string{"a_b@example.com"},
		Windows: []Window{{Name: "w|1", Weekly: &WeeklySpec{Days: []string{"daily"}, Start: "01:00"}, Duration: Duration(time.Hour)}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := cal.WriteAgenda(&b, AgendaOptions{From: from, To: from.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"## eu\\|west next \\*line\\*\n", "Owner: ops\\|team x; escalation: a\\_b@example.com\n"} {
		if !strings.Contains(out, want) {
			t.Fatalf("agenda lacks %q:\n%s", want, out)
		}
	}
	for _, ln := range strings.Split(out, "\n") {
		if strings.HasPrefix(ln, "| Wed") && strings.Count(strings.ReplaceAll(ln, `\|`, ""), "|") != 5 {
			t.Fatalf("table row has extra columns: %q", ln)
		}
	}
}
