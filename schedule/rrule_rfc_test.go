package schedule

import (
	"bufio"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestRRuleRFCUnsynchronizedDTSTART pins RFC 5545's rule that DTSTART is the
// first instance of the recurrence set (and the first COUNT counts) even when
// the rule itself would not produce it; the RFC's "Friday the 13th" example
// removes it again with EXDATE.
func TestRRuleRFCUnsynchronizedDTSTART(t *testing.T) {
	tests := []struct {
		name, text, to, want string
	}{
		{"RFC Friday the 13th with EXDATE",
			"DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13\nEXDATE;TZID=America/New_York:19970902T090000",
			"20010101", "1998-02-13 1998-03-13 1998-11-13 1999-08-13 2000-10-13"},
		{"DTSTART counts as the first of COUNT",
			"DTSTART;TZID=America/New_York:20250101T090000\nRRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=3",
			"20260101", "2025-01-01 2025-01-14 2025-02-11"},
		{"unsynchronized DTSTART without COUNT",
			"DTSTART;TZID=America/New_York:20250101T090000\nRRULE:FREQ=MONTHLY;BYDAY=2TU",
			"20250401", "2025-01-01 2025-01-14 2025-02-11 2025-03-11"},
		{"RFC invalid date February 30 is ignored",
			"DTSTART;TZID=America/New_York:20070115T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
			"20080101", "2007-01-15 2007-01-30 2007-02-15 2007-03-15 2007-03-30"},
		{"RFC second-to-last weekday",
			"DTSTART;TZID=America/New_York:19970929T090000\nRRULE:FREQ=MONTHLY;COUNT=7;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
			"19990101", "1997-09-29 1997-10-30 1997-11-27 1997-12-30 1998-01-29 1998-02-26 1998-03-30"},
		{"RFC every other year January to March",
			"DTSTART;TZID=America/New_York:19970310T090000\nRRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
			"20040101", "1997-03-10 1999-01-10 1999-02-10 1999-03-10 2001-01-10 2001-02-10 2001-03-10 2003-01-10 2003-02-10 2003-03-10"},
		{"RFC daily until in UTC",
			"DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=DAILY;UNTIL=19970905T000000Z",
			"19980101", "1997-09-02 1997-09-03 1997-09-04"},
		{"31st and 30th skipped in short months",
			"DTSTART;TZID=America/New_York:20250130T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=30,31",
			"20250601", "2025-01-30 2025-01-31 2025-03-30 2025-03-31 2025-04-30 2025-05-30 2025-05-31"},
		{"yearly 2nd Tuesday of January",
			"DTSTART;TZID=America/New_York:20250114T090000\nRRULE:FREQ=YEARLY;BYMONTH=1;BYDAY=2TU",
			"20290101", "2025-01-14 2026-01-13 2027-01-12 2028-01-11"},
		{"yearly 1st Tuesday of the year without BYMONTH",
			"DTSTART;TZID=America/New_York:20250107T090000\nRRULE:FREQ=YEARLY;BYDAY=1TU",
			"20290101", "2025-01-07 2026-01-06 2027-01-05 2028-01-04"},
	}
	ny := mustZone(t, "America/New_York")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseRRule(tc.text, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			from := time.Date(1990, 1, 1, 0, 0, 0, 0, ny)
			to, _ := time.ParseInLocation("20060102", tc.to, ny)
			var got []string
			for _, iv := range r.Between(from, to) {
				got = append(got, iv.Start.In(ny).Format(time.DateOnly))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Fatalf("got  %s\nwant %s", g, tc.want)
			}
			r2, err := ParseRRule(r.Rule(), time.Hour)
			if err != nil {
				t.Fatalf("canonical text %q: %v", r.Rule(), err)
			}
			if a, b := len(r.Between(from, to)), len(r2.Between(from, to)); a != b {
				t.Fatalf("round trip changed the count: %d vs %d", a, b)
			}
		})
	}
}

// TestRRuleUntilIsAnInstant checks that an UNTIL in UTC bounds the resolved
// start instant, not the wall clock, around a fold and a gap.
func TestRRuleUntilIsAnInstant(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		opts  []Option
		count int
	}{
		// 01:30 on 2025-11-02 is first 05:30Z (EDT); UNTIL 06:15Z (01:15 EST wall) is after it.
		{"fold: first 01:30 is before UNTIL", "DTSTART;TZID=America/New_York:20251101T013000\nRRULE:FREQ=DAILY;UNTIL=20251102T061500Z", nil, 2},
		{"fold: UNTIL just before the first 01:30", "DTSTART;TZID=America/New_York:20251101T013000\nRRULE:FREQ=DAILY;UNTIL=20251102T052959Z", nil, 1},
		{"fold second: 06:30Z is after UNTIL 06:15Z", "DTSTART;TZID=America/New_York:20251101T013000\nRRULE:FREQ=DAILY;UNTIL=20251102T061500Z", []Option{OnFold(FoldSecond)}, 1},
		// 02:30 on 2025-03-09 shifts to 03:30 EDT = 07:30Z, after UNTIL 07:00Z.
		{"gap: shifted start is after UNTIL", "DTSTART;TZID=America/New_York:20250308T023000\nRRULE:FREQ=DAILY;UNTIL=20250309T070000Z", nil, 1},
		{"gap: shifted start equals UNTIL", "DTSTART;TZID=America/New_York:20250308T023000\nRRULE:FREQ=DAILY;UNTIL=20250309T073000Z", nil, 2},
		{"plain: UNTIL equal to a start includes it", "DTSTART;TZID=Europe/Berlin:20250101T020000\nRRULE:FREQ=DAILY;UNTIL=20250103T010000Z", nil, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseRRule(tc.text, 30*time.Minute, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			to := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			occ := r.Between(from, to)
			if len(occ) != tc.count {
				t.Fatalf("%d occurrences %v, want %d", len(occ), occ, tc.count)
			}
			last := occ[len(occ)-1]
			if nx, ok := r.Next(last.Start.Add(time.Second)); ok {
				t.Fatalf("Next after the last occurrence = %v, want none", nx)
			}
		})
	}
}

// TestICSDurationIsElapsed checks that DURATION uses exact units: P1D is a
// nominal day (23 or 25 hours across a DST change), a window's duration is
// elapsed time.
func TestICSDurationIsElapsed(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{24 * time.Hour, "PT24H"},
		{7 * 24 * time.Hour, "PT168H"},
		{26*time.Hour + 30*time.Minute, "PT26H30M"},
		{90 * time.Minute, "PT1H30M"},
		{45 * time.Second, "PT45S"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := icsDuration(tc.d); got != tc.want {
				t.Fatalf("icsDuration(%v) = %s, want %s", tc.d, got, tc.want)
			}
		})
	}
}

// TestICSFoldingUTF8 checks 75-octet folding never splits a multi-byte
// character and that unfolding restores the line.
func TestICSFoldingUTF8(t *testing.T) {
	for _, line := range []string{
		"SUMMARY:" + strings.Repeat("é", 100),
		"SUMMARY:" + strings.Repeat("x", 66) + strings.Repeat("日本", 30),
		"DESCRIPTION:" + strings.Repeat("🙂", 40),
		"X:" + strings.Repeat("a", 73),
	} {
		var b strings.Builder
		w := bufio.NewWriter(&b)
		writeFolded(w, line)
		w.Flush()
		out := b.String()
		if !strings.HasSuffix(out, "\r\n") {
			t.Fatalf("no CRLF at the end")
		}
		phys := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		for i, p := range phys {
			if len(p) > 75 {
				t.Fatalf("physical line %d has %d octets", i, len(p))
			}
			if !utf8.ValidString(p) {
				t.Fatalf("physical line %d splits a character: %q", i, p)
			}
			if i > 0 && !strings.HasPrefix(p, " ") {
				t.Fatalf("continuation line %d does not start with a space", i)
			}
		}
		if got := strings.Join(unfoldLines(out), ""); got != line {
			t.Fatalf("unfolded %q, want %q", got, line)
		}
	}
}

// TestRRuleEXDATEForms checks EXDATE in DTSTART's zone, in UTC, in another
// zone (the same instant) and as a date.
func TestRRuleEXDATEForms(t *testing.T) {
	tests := []struct{ name, exdate, want string }{
		{"same TZID", "EXDATE;TZID=America/New_York:20250102T090000", "2025-01-01 2025-01-03"},
		{"UTC instant", "EXDATE:20250102T140000Z", "2025-01-01 2025-01-03"},
		{"other TZID, same instant", "EXDATE;TZID=Europe/Berlin:20250102T150000", "2025-01-01 2025-01-03"},
		{"other TZID, other instant", "EXDATE;TZID=Europe/Berlin:20250102T090000", "2025-01-01 2025-01-02 2025-01-03"},
		{"date", "EXDATE;VALUE=DATE:20250103", "2025-01-01 2025-01-02"},
		{"list", "EXDATE;TZID=America/New_York:20250101T090000,20250103T090000", "2025-01-02"},
	}
	ny := mustZone(t, "America/New_York")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseRRule("DTSTART;TZID=America/New_York:20250101T090000\nRRULE:FREQ=DAILY;COUNT=3\n"+tc.exdate, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, iv := range r.Between(time.Date(2025, 1, 1, 0, 0, 0, 0, ny), time.Date(2025, 2, 1, 0, 0, 0, 0, ny)) {
				got = append(got, iv.Start.In(ny).Format(time.DateOnly))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Fatalf("got %s, want %s", g, tc.want)
			}
			r2, err := ParseRRule(r.Rule(), time.Hour)
			if err != nil || len(r2.Between(time.Date(2025, 1, 1, 0, 0, 0, 0, ny), time.Date(2025, 2, 1, 0, 0, 0, 0, ny))) != len(got) {
				t.Fatalf("canonical text %q does not round-trip: %v", r.Rule(), err)
			}
		})
	}
}

// TestRRuleRareButPossible checks rules whose occurrences are decades apart:
// they are neither rejected as impossible nor cut short.
func TestRRuleRareButPossible(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"daily: February 29 on a Monday", "DTSTART:20160229T000000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "2016-02-29 2044-02-29 2072-02-29"},
		{"monthly: February 29 on a Monday", "DTSTART:20160229T000000Z\nRRULE:FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "2016-02-29 2044-02-29 2072-02-29"},
		{"yearly: fifth Monday of February", "DTSTART:20160229T000000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYDAY=5MO", "2016-02-29 2044-02-29 2072-02-29"},
		{"daily every other day on February 29", "DTSTART:20240229T000000Z\nRRULE:FREQ=DAILY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=29", "2024-02-29 2032-02-29 2040-02-29 2048-02-29 2056-02-29 2064-02-29 2072-02-29"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseRRule(tc.text, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, iv := range r.Between(time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2080, 1, 1, 0, 0, 0, 0, time.UTC)) {
				got = append(got, iv.Start.UTC().Format(time.DateOnly))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Fatalf("got  %s\nwant %s", g, tc.want)
			}
		})
	}
	// Impossible for ever: INTERVAL=7 from a Monday only visits Mondays.
	if _, err := ParseRRule("DTSTART:20250106T000000Z\nRRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TU", time.Hour); !errors.Is(err, ErrImpossibleRule) {
		t.Fatalf("INTERVAL=7 from a Monday never reaches a Tuesday: err = %v", err)
	}
}
