package schedule

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // hermetic zone data for the DST tables
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestDSTKnownCases pins the RFC 5545 defaults and the alternative policies
// on hand-checked transitions.
func TestDSTKnownCases(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		day   string // local date of the transition
		start string // local start time
		gap   GapPolicy
		fold  FoldPolicy
		want  string // UTC start, or "" for skipped
	}{
		{"NY spring gap shifts to 03:30 EDT", "America/New_York", "2025-03-09", "02:30", GapShift, FoldFirst, "2025-03-09T07:30:00Z"},
		{"NY spring gap transition policy", "America/New_York", "2025-03-09", "02:30", GapTransition, FoldFirst, "2025-03-09T07:00:00Z"},
		{"NY spring gap skip policy", "America/New_York", "2025-03-09", "02:30", GapSkip, FoldFirst, ""},
		{"NY fall fold first is EDT", "America/New_York", "2025-11-02", "01:30", GapShift, FoldFirst, "2025-11-02T05:30:00Z"},
		{"NY fall fold second is EST", "America/New_York", "2025-11-02", "01:30", GapShift, FoldSecond, "2025-11-02T06:30:00Z"},
		{"NY 2026 spring", "America/New_York", "2026-03-08", "02:00", GapShift, FoldFirst, "2026-03-08T07:00:00Z"},
		{"NY 2027 fall", "America/New_York", "2027-11-07", "01:00", GapShift, FoldFirst, "2027-11-07T05:00:00Z"},
		{"Berlin spring gap", "Europe/Berlin", "2025-03-30", "02:30", GapShift, FoldFirst, "2025-03-30T01:30:00Z"},
		{"Berlin fall fold first is CEST", "Europe/Berlin", "2025-10-26", "02:30", GapShift, FoldFirst, "2025-10-26T00:30:00Z"},
		{"Berlin fall fold second is CET", "Europe/Berlin", "2025-10-26", "02:30", GapShift, FoldSecond, "2025-10-26T01:30:00Z"},
		{"Berlin 2027 spring", "Europe/Berlin", "2027-03-28", "02:15", GapShift, FoldFirst, "2027-03-28T01:15:00Z"},
		{"Sydney October gap", "Australia/Sydney", "2025-10-05", "02:30", GapShift, FoldFirst, "2025-10-04T16:30:00Z"},
		{"Sydney April fold first is AEDT", "Australia/Sydney", "2025-04-06", "02:30", GapShift, FoldFirst, "2025-04-05T15:30:00Z"},
		{"Sydney April fold second is AEST", "Australia/Sydney", "2025-04-06", "02:30", GapShift, FoldSecond, "2025-04-05T16:30:00Z"},
		{"Lord Howe 30-minute gap", "Australia/Lord_Howe", "2025-10-05", "02:15", GapShift, FoldFirst, "2025-10-04T15:45:00Z"},
		{"Lord Howe gap transition", "Australia/Lord_Howe", "2025-10-05", "02:15", GapTransition, FoldFirst, "2025-10-04T15:30:00Z"},
		{"Lord Howe 30-minute fold first", "Australia/Lord_Howe", "2026-04-05", "01:45", GapShift, FoldFirst, "2026-04-04T14:45:00Z"},
		{"Lord Howe 30-minute fold second", "Australia/Lord_Howe", "2026-04-05", "01:45", GapShift, FoldSecond, "2026-04-04T15:15:00Z"},
		{"Kolkata has no DST", "Asia/Kolkata", "2026-03-29", "02:30", GapShift, FoldFirst, "2026-03-28T21:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc := mustZone(t, tc.zone)
			r, err := ParseWeekly("daily", tc.start, time.Hour, In(loc), OnGap(tc.gap), OnFold(tc.fold))
			if err != nil {
				t.Fatal(err)
			}
			day, _ := time.Parse(time.DateOnly, tc.day)
			// The window of that local date: search a UTC range around it.
			from := day.Add(-16 * time.Hour)
			to := day.Add(40 * time.Hour)
			var got string
			for _, iv := range r.Between(from, to) {
				if iv.Start.In(loc).Format(time.DateOnly) == tc.day {
					if got != "" {
						t.Fatalf("two occurrences on %s: %s and %s", tc.day, got, iv.Start.UTC().Format(time.RFC3339))
					}
					got = iv.Start.UTC().Format(time.RFC3339)
					if iv.Duration() != time.Hour {
						t.Errorf("duration %v, want elapsed 1h", iv.Duration())
					}
				}
			}
			if got != tc.want {
				t.Fatalf("start on %s = %q, want %q", tc.day, got, tc.want)
			}
		})
	}
}

// transitions returns the instants in [from, to) at which loc changes offset.
func transitions(loc *time.Location, from, to time.Time) []time.Time {
	var out []time.Time
	t := from.In(loc)
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			return out
		}
		out = append(out, end)
		t = end
	}
}

// oracle resolves a local wall time by brute force: every instant within a
// day is checked minute by minute, which is slow but obviously right.
func oracle(loc *time.Location, y int, m time.Month, d, hh, mm int) (time.Time, bool) {
	wall := time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
	var hits []time.Time
	for u := wall.Add(-15 * time.Hour); u.Before(wall.Add(15 * time.Hour)); u = u.Add(time.Minute) {
		l := u.In(loc)
		if l.Year() == y && l.Month() == m && l.Day() == d && l.Hour() == hh && l.Minute() == mm {
			hits = append(hits, u)
		}
	}
	if len(hits) > 0 {
		return hits[0], true // first occurrence of a repeated time
	}
	// In a gap: use the offset in effect before the gap.
	_, off := wall.Add(-15 * time.Hour).In(loc).Zone()
	return wall.Add(-time.Duration(off) * time.Second), false
}

// TestDSTTransitions2025to2027 checks, for every DST transition of 2025-2027
// in the five zones, daily windows starting at every quarter hour across the
// transition day: each local day has exactly one occurrence (never skipped,
// never doubled), at the instant the brute-force oracle finds, with its full
// elapsed duration.
func TestDSTTransitions2025to2027(t *testing.T) {
	zones := []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata"}
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	step := 15
	if testing.Short() {
		step = 30
	}
	for _, name := range zones {
		loc := mustZone(t, name)
		trs := transitions(loc, from, to)
		if name == "Asia/Kolkata" {
			if len(trs) != 0 {
				t.Fatalf("Kolkata has transitions %v", trs)
			}
			trs = []time.Time{time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)} // an ordinary day
		} else if len(trs) != 6 {
			t.Fatalf("%s: %d transitions in 2025-2027, want 6", name, len(trs))
		}
		for _, tr := range trs {
			day := tr.In(loc)
			for sod := 0; sod < 24*60; sod += step {
				hh, mm := sod/60, sod%60
				t.Run(fmt.Sprintf("%s/%s/%02d:%02d", name, day.Format(time.DateOnly), hh, mm), func(t *testing.T) {
					r, err := Weekly([]time.Weekday{day.Weekday()}, hh, mm, 45*time.Minute, In(loc))
					if err != nil {
						t.Fatal(err)
					}
					want, _ := oracle(loc, day.Year(), day.Month(), day.Day(), hh, mm)
					occ := r.Between(want.Add(-3*24*time.Hour), want.Add(3*24*time.Hour))
					if len(occ) != 1 {
						t.Fatalf("%d occurrences within ±3 days, want 1: %v", len(occ), occ)
					}
					if !occ[0].Start.Equal(want) {
						t.Fatalf("start %s, want %s", occ[0].Start.UTC(), want.UTC())
					}
					if occ[0].End.Sub(occ[0].Start) != 45*time.Minute {
						t.Fatalf("elapsed duration %v", occ[0].End.Sub(occ[0].Start))
					}
				})
			}
		}
	}
}

// TestNeverSkipOrDouble counts a daily 02:30 and a daily 01:30 window over
// three years: one per local day, DST or not (the bugs reported against
// cron libraries skip the first and double the second).
func TestNeverSkipOrDouble(t *testing.T) {
	for _, name := range []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata"} {
		for _, expr := range []string{"30 2 * * *", "30 1 * * *", "45 1 * * *", "15 2 * * *"} {
			t.Run(name+"/"+expr, func(t *testing.T) {
				loc := mustZone(t, name)
				r, err := ParseCron(expr, 30*time.Minute, In(loc))
				if err != nil {
					t.Fatal(err)
				}
				from := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
				to := time.Date(2028, 1, 1, 0, 0, 0, 0, loc)
				occ := r.Between(from, to)
				days := map[string]int{}
				for _, iv := range occ {
					days[iv.Start.In(loc).Format(time.DateOnly)]++
				}
				if len(occ) != 365*3 || len(days) != 365*3 {
					t.Fatalf("%d occurrences on %d distinct days, want %d", len(occ), len(days), 365*3)
				}
			})
		}
	}
}
