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
// the part inside the rolling period, and only if that part is long enough,
// and that the finding names the exact period and least open time, also
// when that least value is a limit at a block boundary.
func TestAvailabilityBlocksClippedByPeriod(t *testing.T) {
	daily := func(start string, hours int) []Window {
		return []Window{{Weekly: &WeeklySpec{Days: []string{"daily"}, Start: start}, Duration: Duration(time.Duration(hours) * time.Hour)}}
	}
	tests := []struct {
		name    string
		windows []Window
		policy  Policy
		from    string
		at      string        // the finding's period; "" for no finding
		open    time.Duration // the finding's open time
	}{
		// Daily 00:00–10:00 in any 24h, blocks of at least 4h: a period
		// starting just before 04:00 counts just over 6h of the first
		// block and just under 4h (so nothing) of the next; the least open
		// time, 6h, is a limit at 04:00.
		{name: "exactly the least open time is enough", windows: daily("00:00", 10),
			policy: Policy{MinOpen: 6 * time.Hour, Period: 24 * time.Hour, MinBlock: 4 * time.Hour}, from: "2025-01-01T00:00:00Z"},
		{name: "block enters the period", windows: daily("00:00", 10),
			policy: Policy{MinOpen: 6*time.Hour + time.Minute, Period: 24 * time.Hour, MinBlock: 4 * time.Hour}, from: "2025-01-01T00:00:00Z",
			at: "2025-01-01T04:00:00Z/2025-01-02T04:00:00Z", open: 6 * time.Hour},
		// From 05:00 the entering limit lies behind: a period starting just
		// after 06:00 counts under 4h of the first block and 6h of the next.
		{name: "block leaves the period", windows: daily("00:00", 10),
			policy: Policy{MinOpen: 7 * time.Hour, Period: 24 * time.Hour, MinBlock: 4 * time.Hour}, from: "2025-01-01T05:00:00Z",
			at: "2025-01-01T06:00:00Z/2025-01-02T06:00:00Z", open: 6 * time.Hour},
		// No minimum block: the least value is reached, first by the
		// period starting as a block ends.
		{name: "least value reached", windows: daily("00:00", 10),
			policy: Policy{MinOpen: time.Hour, Period: 12 * time.Hour}, from: "2025-01-01T00:00:00Z",
			at: "2025-01-01T10:00:00Z/2025-01-01T22:00:00Z", open: 0},
		// A 2h block in a 2h-minimum policy counts only while wholly inside:
		// the period starting as it starts counts it, one starting an
		// instant later does not, and has barely begun the next day's.
		{name: "block of exactly the minimum", windows: daily("12:00", 2),
			policy: Policy{MinOpen: time.Hour, Period: 24 * time.Hour, MinBlock: 2 * time.Hour}, from: "2025-01-01T00:00:00Z",
			at: "2025-01-01T12:00:00Z/2025-01-02T12:00:00Z", open: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := New(Config{Horizon: Duration(30 * 24 * time.Hour), Parties: []Party{{Name: "p", Windows: tt.windows}}})
			if err != nil {
				t.Fatal(err)
			}
			f := cal.Validate(tt.policy, mustTime(t, tt.from))
			if tt.at == "" {
				if len(f) != 0 {
					t.Fatalf("findings %v, want none", f)
				}
				return
			}
			if len(f) != 1 || f[0].Check != CheckAvailability {
				t.Fatalf("findings %v, want one availability finding", f)
			}
			if f[0].At.String() != tt.at || f[0].Open != tt.open {
				t.Errorf("finding during %s with %v open, want %s with %v", f[0].At, f[0].Open, tt.at, tt.open)
			}
			want := fmt.Sprintf("only %s open in blocks of at least %s during %s,", FormatDuration(tt.open), FormatDuration(tt.policy.MinBlock), tt.at)
			if !strings.Contains(f[0].Message, want) {
				t.Errorf("message %q lacks %q", f[0].Message, want)
			}
		})
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
