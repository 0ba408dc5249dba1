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
