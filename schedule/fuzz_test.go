package schedule

import (
	"slices"
	"testing"
	"time"
)

var fuzzFrom = time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)

// checkOccurrences asserts the invariants every recurrence keeps over two
// weeks spanning the March DST changes.
func checkOccurrences(t *testing.T, r Recurrence) {
	t.Helper()
	to := fuzzFrom.Add(28 * 24 * time.Hour)
	occ := r.Between(fuzzFrom, to)
	if !slices.IsSortedFunc(occ, func(a, b Interval) int { return a.Start.Compare(b.Start) }) {
		t.Fatalf("occurrences not sorted: %v", occ)
	}
	for i, iv := range occ {
		if i > 50 {
			break // enough samples; keep each input fast
		}
		if iv.End.Sub(iv.Start) != r.Duration() {
			t.Fatalf("occurrence %v does not last %v", iv, r.Duration())
		}
		if !iv.Start.Before(to) || !iv.End.After(fuzzFrom) {
			t.Fatalf("occurrence %v outside the range", iv)
		}
		if got, ok := r.Active(iv.Start); !ok || got.Start.After(iv.Start) {
			t.Fatalf("Active(%v) = %v, %v", iv.Start, got, ok)
		}
	}
	if len(occ) > 0 {
		if n, ok := r.Next(occ[0].Start); !ok || !n.Start.Equal(occ[0].Start) {
			t.Fatalf("Next(%v) = %v, %v", occ[0].Start, n, ok)
		}
	}
}

func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"0 2 * * 6", "*/15 1-3 * * *", "CRON_TZ=Europe/Berlin 30 2 * * *", "0 0 29 2 *",
		"@weekly", "0 0 1,15 * mon-fri", "TZ=America/New_York 0 1 * * 0", "5 4 * jan,jul */2", "0 0 30 2 *"} {
		f.Add(s, int64(30))
	}
	f.Fuzz(func(t *testing.T, expr string, minutes int64) {
		r, err := ParseCron(expr, time.Duration(minutes)*time.Minute, In(time.UTC))
		if err != nil {
			r, err = ParseCron(expr, time.Duration(minutes)*time.Minute)
		}
		if err != nil {
			return
		}
		checkOccurrences(t, r)
		r2, err := ParseCron(r.Rule(), r.Duration())
		if err != nil {
			t.Fatalf("canonical form %q does not parse: %v", r.Rule(), err)
		}
		if a, b := r.Between(fuzzFrom, fuzzFrom.Add(7*24*time.Hour)), r2.Between(fuzzFrom, fuzzFrom.Add(7*24*time.Hour)); !slices.EqualFunc(a, b, sameInterval) {
			t.Fatalf("canonical form %q changes occurrences", r.Rule())
		}
	})
}

func FuzzParseRRule(f *testing.F) {
	for _, s := range []string{
		"DTSTART;TZID=Europe/Berlin:20250114T020000\nRRULE:FREQ=MONTHLY;BYDAY=2TU",
		"DTSTART:20250301T023000Z\nRRULE:FREQ=DAILY;COUNT=10\nEXDATE:20250303T023000Z",
		"DTSTART;TZID=America/New_York:20250309T023000\nRRULE:FREQ=WEEKLY;BYDAY=SU;UNTIL=20250601T000000Z",
		"DTSTART;TZID=Australia/Lord_Howe:20250131T020000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1;BYSETPOS=1",
		"DTSTART:20240229T000000Z\nRRULE:FREQ=YEARLY;INTERVAL=4",
		"DTSTART:20250101T000000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
		"DTSTART:20250106T000000Z\nRRULE:FREQ=YEARLY;BYDAY=MO,-1FR;BYSETPOS=1,-1;WKST=SU",
	} {
		f.Add(s, int64(60))
	}
	f.Fuzz(func(t *testing.T, text string, minutes int64) {
		r, err := ParseRRule(text, time.Duration(minutes)*time.Minute)
		if err != nil {
			return
		}
		checkOccurrences(t, r)
		if _, err := ParseRRule(r.Rule(), r.Duration()); err != nil {
			t.Fatalf("canonical form %q does not parse: %v", r.Rule(), err)
		}
	})
}

func FuzzParseWeekly(f *testing.F) {
	f.Add("mon,wed", "22:00", int64(240), "Europe/Berlin")
	f.Add("sat-mon", "02:30", int64(60), "America/New_York")
	f.Add("weekend", "01:45:30", int64(30), "Australia/Lord_Howe")
	f.Add("tu", "23:59", int64(1), "+05:45")
	f.Fuzz(func(t *testing.T, days, start string, minutes int64, zone string) {
		loc, err := LoadZone(zone)
		if err != nil {
			return
		}
		r, err := ParseWeekly(days, start, time.Duration(minutes)*time.Minute, In(loc))
		if err != nil {
			return
		}
		checkOccurrences(t, r)
	})
}

func FuzzParseMaintenance(f *testing.F) {
	for _, s := range []string{"sun:23:30-mon:01:00", "Wed:05:00-wed:05:30", "sat:00:00-sat:00:00", "mon:25:00-mon:26:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseMaintenance(s)
		if err != nil {
			return
		}
		checkOccurrences(t, r)
		r2, err := ParseMaintenance(r.Rule())
		if err != nil || r2.Rule() != r.Rule() || r2.Duration() != r.Duration() {
			t.Fatalf("round trip of %q: %v %v", s, r2, err)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"4h", "1w2d3h4m5s", "32d", "-1h", "1.5h", "90m", "d", "1d-1h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		back, err := ParseDuration(FormatDuration(d))
		if err != nil || back != d {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, d, FormatDuration(d), back, err)
		}
	})
}

func FuzzLoadZone(f *testing.F) {
	for _, s := range []string{"Europe/Berlin", "+05:30", "UTC-8", "GMT+0530", "-14", "Mars/Olympus", "", "Local", "../etc/passwd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, err := LoadZone(s)
		if err == nil && loc == nil {
			t.Fatal("nil location without error")
		}
	})
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte("parties:\n  - name: a\n    windows:\n      - cron: \"0 2 * * *\"\n        duration: 1h\n"))
	f.Add([]byte("parties:\n  - name: a\n    zone: Europe/Berlin\n    windows:\n      - weekly: {days: [sat], start: \"02:30\"}\n        duration: 4h\n    freezes:\n      - name: f\n        from: \"2025-03-01\"\n        until: \"2025-03-09\"\n        scope: [minor]\n"))
	f.Add([]byte(`{"parties":[{"name":"db","windows":[{"maintenance":"sun:23:00-mon:01:00"}]}],"horizon":"30d"}`))
	f.Add([]byte("policy: {minWindow: 1h, minOpen: 8h, period: 14d, minBlock: 2h}\nparties:\n  - name: a\n    windows:\n      - cron: \"0 2 * * 1\"\n        duration: 3h\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cal, err := Load(data)
		if err != nil {
			return
		}
		cal = cal.WithHorizon(40 * 24 * time.Hour)
		if p := cal.Policy(); p.Period <= 60*24*time.Hour {
			_ = cal.Validate(p, fuzzFrom)
		}
		if ex, err := cal.ExplainSlot(fuzzFrom, time.Hour, cal.Parties()...); err == nil {
			if st, _ := cal.State(cal.Parties()[0], ex.Slot.Start); !st.Open {
				t.Fatalf("explained slot %v starts while %v", ex.Slot, st)
			}
		}
		for _, p := range cal.Parties() {
			if _, err := cal.State(p, fuzzFrom); err != nil {
				t.Fatal(err)
			}
			slot, err := cal.NextSlot(fuzzFrom, time.Hour, p)
			if err == nil {
				if slot.Duration() < time.Hour || slot.Start.Before(fuzzFrom) {
					t.Fatalf("bad slot %v", slot)
				}
				if st, _ := cal.State(p, slot.Start); !st.Open {
					t.Fatalf("slot %v starts while %v", slot, st)
				}
			}
		}
	})
}

func sameInterval(a, b Interval) bool { return a.Start.Equal(b.Start) && a.End.Equal(b.End) }
