package schedule

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	h := func(n int) Duration { return Duration(time.Duration(n) * time.Hour) }
	weekly := func(days, start string) *WeeklySpec { return &WeeklySpec{Days: []string{days}, Start: start} }
	from := mustTime(t, "2025-01-01T00:00:00Z")
	cal, err := New(Config{
		Horizon: Duration(90 * 24 * time.Hour),
		Parties: []Party{
			{Name: "weekly-6h", Windows: []Window{{Name: "sat", Weekly: weekly("sat", "22:00"), Duration: h(6)}}},
			{Name: "daily-3h", Windows: []Window{{Name: "night", Weekly: weekly("daily", "02:00"), Duration: h(3)}}},
			{Name: "daily-4h", Windows: []Window{{Name: "night", Weekly: weekly("daily", "02:00"), Duration: h(4)}}},
			{Name: "frozen", Windows: []Window{{Name: "night", Weekly: weekly("daily", "02:00"), Duration: h(4)}},
				Freezes: []Freeze{{Name: "all-quarter", From: "2024-12-01", Until: "2025-06-30"}}},
			{Name: "overlapping", Windows: []Window{
				{Name: "mon", Weekly: weekly("mon", "10:00"), Duration: h(4)},
				{Name: "mon-noon", Cron: "0 12 * * 1", Duration: Duration(30 * time.Minute)},
				{Name: "daily", Weekly: weekly("daily", "00:00"), Duration: h(8)},
			}},
			{Name: "empty"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := cal.Validate(Policy{MinWindow: time.Hour, MinOpen: 48 * time.Hour, Period: 32 * 24 * time.Hour, MinBlock: 4 * time.Hour}, from)
	var lines []string
	for _, f := range got {
		lines = append(lines, fmt.Sprintf("%s %s %s", f.Party, f.Check, f.Severity))
	}
	want := []string{
		"weekly-6h availability violation",
		"daily-3h availability violation",
		"frozen frozen-out warning",
		"frozen availability violation",
		"overlapping min-window violation",
		"overlapping overlap warning",
		"empty no-windows warning",
		"empty availability violation",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("findings:\n%s\nwant:\n%s\nmessages:\n%v", strings.Join(lines, "\n"), strings.Join(want, "\n"), got)
	}
	for _, f := range got {
		if f.Party == "weekly-6h" && !strings.Contains(f.Message, "only 1d open in blocks of at least 4h") {
			t.Errorf("message %q", f.Message)
		}
		if f.Check == CheckOverlap && (f.Window != "mon" || f.Other != "mon-noon" || f.At.String() != "2025-01-06T12:00:00Z/2025-01-06T12:30:00Z") {
			t.Errorf("overlap %+v", f)
		}
	}
}

// TestAvailabilityBlocksClippedByPeriod checks that a block counts only for
// the part inside the rolling period, and only if that part is long enough.
func TestAvailabilityBlocksClippedByPeriod(t *testing.T) {
	from := mustTime(t, "2025-01-01T00:00:00Z")
	mk := func(minOpen time.Duration) []Finding {
		cal, err := New(Config{Horizon: Duration(30 * 24 * time.Hour), Parties: []Party{{Name: "p",
			Windows: []Window{{Weekly: &WeeklySpec{Days: []string{"daily"}, Start: "00:00"}, Duration: Duration(10 * time.Hour)}}}}})
		if err != nil {
			t.Fatal(err)
		}
		return cal.Validate(Policy{MinOpen: minOpen, Period: 24 * time.Hour, MinBlock: 4 * time.Hour}, from)
	}
	// A period starting just after 06:00 sees just under 4h of one day's
	// block (not counted) and just over 6h of the next: the worst case, at
	// one-second resolution, is 6h01s.
	if f := mk(6 * time.Hour); len(f) != 0 {
		t.Fatalf("6h required: %v", f)
	}
	f := mk(6*time.Hour + time.Minute)
	if len(f) != 1 || !strings.Contains(f[0].Message, "only 6h1s open") {
		t.Fatalf("6h01m required: %v", f)
	}
}

// TestPolicyMinBlockLongerThanMinOpen checks that "2h a day in blocks of at
// least 4h" is a valid policy, met by one 4h block a day and not by two 2h
// blocks.
func TestPolicyMinBlockLongerThanMinOpen(t *testing.T) {
	for _, tc := range []struct {
		name     string
		windows  []Window
		violated bool
	}{
		{"one 4h block a day", []Window{{Weekly: &WeeklySpec{Days: []string{"daily"}, Start: "01:00"}, Duration: Duration(4 * time.Hour)}}, false},
		{"two 2h blocks a day", []Window{
			{Weekly: &WeeklySpec{Days: []string{"daily"}, Start: "01:00"}, Duration: Duration(2 * time.Hour)},
			{Weekly: &WeeklySpec{Days: []string{"daily"}, Start: "13:00"}, Duration: Duration(2 * time.Hour)},
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Policy{MinOpen: 2 * time.Hour, Period: 48 * time.Hour, MinBlock: 4 * time.Hour}
			cal, err := New(Config{Horizon: Duration(14 * 24 * time.Hour), Policy: p, Parties: []Party{{Name: "p", Windows: tc.windows}}})
			if err != nil {
				t.Fatal(err)
			}
			f := cal.Validate(cal.Policy(), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
			if got := len(f) > 0; got != tc.violated {
				t.Fatalf("findings %v, violated want %v", f, tc.violated)
			}
		})
	}
}
