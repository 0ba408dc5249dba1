package schedule

import (
	"errors"
	"testing"
	"time"
)

// TestCalendarBoundaries pins half-open State at a window's ends, a date freeze
// from local midnight to local midnight after its inclusive end date, scope,
// freezes cutting a window, a common slot across zones and the horizon error.
func TestCalendarBoundaries(t *testing.T) {
	cal, err := New(Config{
		Horizon: Duration(60 * 24 * time.Hour),
		Parties: []Party{
			{Name: "eu", Zone: "Europe/Berlin",
				Windows: []Window{{Name: "sat", Weekly: &WeeklySpec{Days: []string{"sat"}, Start: "22:00"}, Duration: Duration(4 * time.Hour)}},
				Freezes: []Freeze{{Name: "xmas", From: "2025-12-20", Until: "2025-12-27", Scope: ScopeOf(ChangeMinor)}}},
			{Name: "us", Zone: "America/New_York",
				Windows: []Window{{Name: "sat", Weekly: &WeeklySpec{Days: []string{"sat"}, Start: "17:00"}, Duration: Duration(4 * time.Hour)}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// 2025-12-13 Sat 22:00 CET = 21:00Z; window [21:00Z, 01:00Z).
	at := time.Date(2025, 12, 13, 21, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		t    time.Time
		open bool
	}{{at.Add(-time.Nanosecond), false}, {at, true}, {at.Add(4*time.Hour - time.Nanosecond), true}, {at.Add(4 * time.Hour), false}} {
		st, _ := cal.State("eu", tc.t)
		if st.Open != tc.open {
			t.Errorf("State(%s) open=%v want %v", tc.t, st.Open, tc.open)
		}
	}
	// Freeze covers 2025-12-20 00:00 CET .. 2025-12-28 00:00 CET = 2025-12-27T23:00Z.
	minor := cal.ForChange(ChangeMinor)
	for _, tc := range []struct {
		t      time.Time
		frozen bool
	}{
		{time.Date(2025, 12, 19, 22, 59, 59, 0, time.UTC), false},
		{time.Date(2025, 12, 19, 23, 0, 0, 0, time.UTC), true},
		{time.Date(2025, 12, 27, 22, 59, 59, 0, time.UTC), true},
		{time.Date(2025, 12, 27, 23, 0, 0, 0, time.UTC), false},
	} {
		st, _ := minor.State("eu", tc.t)
		if (st.Reason == ReasonFrozen) != tc.frozen {
			t.Errorf("minor State(%s) = %v, frozen want %v", tc.t, st, tc.frozen)
		}
		st, _ = cal.ForChange(ChangePatch).State("eu", tc.t)
		if st.Reason == ReasonFrozen {
			t.Errorf("patch State(%s) = %v: minor-only freeze must not block patches", tc.t, st)
		}
	}
	// The freeze's last Saturday window (2025-12-27 21:00Z..01:00Z) is cut at 23:00Z.
	slot, err := minor.NextSlot(time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC), time.Hour, "eu")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 12, 27, 23, 0, 0, 0, time.UTC); !slot.Start.Equal(want) || !slot.End.Equal(want.Add(2*time.Hour)) {
		t.Errorf("slot %v, want from %v for 2h", slot, want)
	}
	// eu 21:00Z-01:00Z, us 22:00Z-02:00Z in winter: common 22:00Z-01:00Z.
	slot, err = cal.NextSlot(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), 3*time.Hour, "eu", "us")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 12, 6, 22, 0, 0, 0, time.UTC); !slot.Start.Equal(want) || slot.Duration() != 3*time.Hour {
		t.Errorf("common slot %v", slot)
	}
	_, err = cal.NextSlot(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), 4*time.Hour, "eu", "us")
	var ns *NoSlotError
	if !errors.As(err, &ns) || !errors.Is(err, ErrNoSlot) || ns.Horizon != 60*24*time.Hour {
		t.Errorf("err = %v, want NoSlotError with horizon", err)
	}
}

// TestWindowsAcrossDSTLastElapsedTime checks State at the ends of windows
// that span a DST transition: the end is start plus the elapsed duration, so
// the local end time moves by the shift.
func TestWindowsAcrossDSTLastElapsedTime(t *testing.T) {
	tests := []struct {
		zone, days, start string
		dur               time.Duration
		startUTC, endUTC  string
	}{
		// Sat 23:00 EDT + 4h = Sun 02:00 EST (not 03:00).
		{"America/New_York", "sat", "23:00", 4 * time.Hour, "2025-11-02T03:00:00Z", "2025-11-02T07:00:00Z"},
		// Sat 23:00 EST + 4h = Sun 04:00 EDT.
		{"America/New_York", "sat", "23:00", 4 * time.Hour, "2026-03-08T04:00:00Z", "2026-03-08T08:00:00Z"},
		// Sydney, Sat 23:00 AEST + 5h across the October gap = 05:00 AEDT.
		{"Australia/Sydney", "sat", "23:00", 5 * time.Hour, "2025-10-04T13:00:00Z", "2025-10-04T18:00:00Z"},
		// Lord Howe, Sat 23:30 +11 + 3h across the April fold (+11 -> +10:30).
		{"Australia/Lord_Howe", "sat", "23:30", 3 * time.Hour, "2026-04-04T12:30:00Z", "2026-04-04T15:30:00Z"},
		// Berlin, last day of the month into the next, across the October fold.
		{"Europe/Berlin", "fri", "22:00", 6 * time.Hour, "2026-10-30T21:00:00Z", "2026-10-31T03:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.zone+"/"+tc.startUTC, func(t *testing.T) {
			cal, err := New(Config{Parties: []Party{{Name: "p", Zone: tc.zone,
				Windows: []Window{{Name: "w", Weekly: &WeeklySpec{Days: []string{tc.days}, Start: tc.start}, Duration: Duration(tc.dur)}}}}})
			if err != nil {
				t.Fatal(err)
			}
			s, e := mustTime(t, tc.startUTC), mustTime(t, tc.endUTC)
			for _, c := range []struct {
				at   time.Time
				open bool
			}{{s.Add(-time.Second), false}, {s, true}, {e.Add(-time.Second), true}, {e, false}} {
				st, err := cal.State("p", c.at)
				if err != nil || st.Open != c.open {
					t.Fatalf("State(%s) = %v, %v; want open=%v", c.at, st, err, c.open)
				}
			}
			if ivs, _ := cal.OpenIntervals(s.Add(-time.Hour), e.Add(time.Hour), "p"); len(ivs) != 1 || !ivs[0].Start.Equal(s) || !ivs[0].End.Equal(e) {
				t.Fatalf("OpenIntervals = %v", ivs)
			}
		})
	}
}
