package schedule

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestExplainSlot(t *testing.T) {
	cal := testCalendar(t)
	tests := []struct {
		name     string
		change   Change
		after    string
		min      time.Duration
		parties  []string
		slot     string   // start, or "" for no slot
		at       []string // State.String() at the slot start
		blocked  []string // party/freeze-or-"-"@first
		tooShort int
	}{
		{
			name: "already open", after: "2025-05-03T21:00:00Z", min: time.Hour, parties: []string{"eu-west"},
			slot: "2025-05-03T21:00:00Z", at: []string{`eu-west: open (window "sat-night")`},
		},
		{
			name: "outside every window", after: "2025-05-01T00:00:00Z", min: time.Hour, parties: []string{"eu-west"},
			slot: "2025-05-03T20:00:00Z", at: []string{`eu-west: open (window "sat-night")`},
			blocked: []string{"eu-west/-@2025-05-01T00:00:00Z"},
		},
		{
			name: "scoped freeze blocks minor changes", change: ChangeMinor, after: "2025-06-06T00:00:00Z", min: time.Hour, parties: []string{"eu-west"},
			slot: "2025-06-14T20:00:00Z", at: []string{`eu-west: open (window "sat-night")`},
			blocked: []string{"eu-west/-@2025-06-06T00:00:00Z", "eu-west/launch@2025-06-07T00:00:00Z"},
		},
		{
			name: "scoped freeze lets patches through", change: ChangePatch, after: "2025-06-06T00:00:00Z", min: time.Hour, parties: []string{"eu-west"},
			slot: "2025-06-07T20:00:00Z", at: []string{`eu-west: open (window "sat-night")`},
			blocked: []string{"eu-west/-@2025-06-06T00:00:00Z"},
		},
		{
			name: "global freeze and a short common block", after: "2025-12-15T00:00:00Z", min: 5 * time.Hour, parties: []string{"eu-west", "us-east", "payments"},
			slot: "", // the common block is four hours at most
		},
		{
			name: "summer blocks too short", after: "2025-10-01T00:00:00Z", min: 4 * time.Hour, parties: []string{"eu-west", "us-east", "payments"},
			slot:     "2025-11-01T23:00:00Z",
			at:       []string{`eu-west: open (window "sat-night")`, `us-east: open (window "sat-evening")`, `payments: open (window "rds")`},
			blocked:  []string{"eu-west/-@2025-10-01T00:00:00Z", "us-east/-@2025-10-01T00:00:00Z", "payments/-@2025-10-01T00:00:00Z"},
			tooShort: 4,
		},
		{
			name: "two parties, global freeze", after: "2025-12-15T00:00:00Z", min: time.Hour, parties: []string{"us-east", "payments"},
			slot: "2026-01-10T23:00:00Z",
			at:   []string{`us-east: open (window "sat-evening")`, `payments: open (window "rds")`},
			blocked: []string{
				"us-east/-@2025-12-15T00:00:00Z", "payments/-@2025-12-15T00:00:00Z",
				"us-east/year-end@2025-12-20T00:00:00Z", "payments/year-end@2025-12-20T00:00:00Z",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			view := cal.ForChange(tc.change)
			after := mustTime(t, tc.after)
			ex, err := view.ExplainSlot(after, tc.min, tc.parties...)
			slot, slotErr := view.NextSlot(after, tc.min, tc.parties...)
			if (err == nil) != (slotErr == nil) || ex.Slot != slot {
				t.Fatalf("ExplainSlot slot %v err %v; NextSlot %v err %v", ex.Slot, err, slot, slotErr)
			}
			if tc.slot == "" {
				if !errors.Is(err, ErrNoSlot) || !ex.Slot.IsZero() || len(ex.At) != 0 {
					t.Fatalf("want no slot, got %v, %v", ex.Slot, err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if got := ex.Slot.Start.Format(time.RFC3339); got != tc.slot {
					t.Fatalf("slot starts %s, want %s", got, tc.slot)
				}
				var at []string
				for _, st := range ex.At {
					at = append(at, st.String())
				}
				if strings.Join(at, "|") != strings.Join(tc.at, "|") {
					t.Fatalf("at slot start:\n got %q\nwant %q", at, tc.at)
				}
				var blocked []string
				for _, b := range ex.Blocked {
					name := b.State.Freeze
					if name == "" {
						name = "-"
					}
					blocked = append(blocked, b.State.Party+"/"+name+"@"+b.First.Format(time.RFC3339))
				}
				if strings.Join(blocked, "|") != strings.Join(tc.blocked, "|") {
					t.Fatalf("blocked:\n got %q\nwant %q", blocked, tc.blocked)
				}
			}
			checkExplanation(t, view, ex, tc.parties)
			if tc.slot != "" && len(ex.TooShort) != tc.tooShort {
				t.Fatalf("too short: %v, want %d", ex.TooShort, tc.tooShort)
			}
		})
	}
}

// checkExplanation checks invariants that hold for every explanation: each
// blocker's state is what State says at its first instant and not before
// it; every closed party at a sampled instant before the slot has its cause
// listed; too-short blocks are shorter than the minimum and all-open.
func checkExplanation(t *testing.T, cal *Calendar, ex SlotExplanation, parties []string) {
	t.Helper()
	end := ex.Slot.Start
	if ex.Slot.IsZero() {
		end = ex.After.Add(cal.Horizon())
	}
	type key struct{ party, freeze string }
	seen := map[key]Blocker{}
	for _, b := range ex.Blocked {
		k := key{b.State.Party, b.State.Freeze}
		if _, dup := seen[k]; dup {
			t.Fatalf("cause %v listed twice", k)
		}
		seen[k] = b
		st, _ := cal.State(b.State.Party, b.First)
		if st != b.State {
			t.Fatalf("blocker %v: State at First is %v", b, st)
		}
		if b.First.Before(ex.After) || !b.Until.After(b.First) || b.Until.After(end) || b.Closed <= 0 || b.Closed > b.Until.Sub(b.First) {
			t.Fatalf("blocker %v: bad bounds (after %v, end %v)", b, ex.After, end)
		}
	}
	for tm := ex.After; tm.Before(end); tm = tm.Add(17 * time.Minute) {
		for _, p := range parties {
			st, _ := cal.State(p, tm)
			if st.Open {
				continue
			}
			b, ok := seen[key{p, st.Freeze}]
			if !ok {
				t.Fatalf("%v at %v is not explained", st, tm)
			}
			if tm.Before(b.First) || !tm.Before(b.Until) {
				t.Fatalf("%v at %v is outside its blocker's bounds %v", st, tm, b)
			}
		}
	}
	for _, iv := range ex.TooShort {
		if iv.Duration() >= ex.MinDuration || iv.Start.Before(ex.After) || iv.End.After(end) {
			t.Fatalf("too-short block %v (min %v)", iv, ex.MinDuration)
		}
		for _, p := range parties {
			if st, _ := cal.State(p, iv.Start); !st.Open {
				t.Fatalf("too-short block %v: %v", iv, st)
			}
		}
	}
}

func TestExplainSlotYAMLCalendar(t *testing.T) {
	cal := loadTestCalendar(t)
	for _, tc := range []struct {
		name    string
		change  Change
		after   string
		min     time.Duration
		parties []string
	}{
		{"all regions minor across fiscal close", ChangeMinor, "2025-09-28T00:00:00Z", time.Hour, []string{"apac", "emea", "amer"}},
		{"emea and amer over the year end", ChangeAny, "2025-12-15T00:00:00Z", 2 * time.Hour, []string{"emea", "amer"}},
		{"amer and billing", ChangeAny, "2025-03-01T00:00:00Z", time.Hour, []string{"amer", "billing-db"}},
		{"no slot", ChangeAny, "2025-03-01T00:00:00Z", 12 * time.Hour, []string{"emea", "amer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			view := cal.ForChange(tc.change).WithHorizon(60 * 24 * time.Hour)
			after := mustTime(t, tc.after)
			ex, err := view.ExplainSlot(after, tc.min, tc.parties...)
			slot, slotErr := view.NextSlot(after, tc.min, tc.parties...)
			if (err == nil) != (slotErr == nil) || ex.Slot != slot {
				t.Fatalf("ExplainSlot slot %v err %v; NextSlot %v err %v", ex.Slot, err, slot, slotErr)
			}
			if err == nil && ex.Slot.Start.After(after) && len(ex.Blocked) == 0 {
				t.Fatal("a late slot with nothing blocking it")
			}
			checkExplanation(t, view, ex, tc.parties)
			if s := ex.String(); !strings.Contains(s, "blocked: ") {
				t.Fatalf("String:\n%s", s)
			}
		})
	}
}

func TestExplainSlotErrors(t *testing.T) {
	cal := testCalendar(t)
	at := mustTime(t, "2025-05-01T00:00:00Z")
	if _, err := cal.ExplainSlot(at, time.Hour, "mars"); !errors.Is(err, ErrUnknownParty) {
		t.Errorf("unknown party: %v", err)
	}
	if _, err := cal.ExplainSlot(at, time.Hour); !errors.Is(err, ErrUnknownParty) {
		t.Errorf("no party: %v", err)
	}
	if _, err := cal.ExplainSlot(at, 0, "eu-west"); !errors.Is(err, ErrInvalidDuration) {
		t.Errorf("zero duration: %v", err)
	}
}

func TestStateFreezeReason(t *testing.T) {
	cal := loadTestCalendar(t)
	for _, tc := range []struct {
		name, party, at, freeze, reason, owner string
	}{
		{"global freeze with reason", "emea", "2025-12-22T12:00:00Z", "year-end", "holiday change freeze", "change-board@example.com"},
		{"party freeze without reason", "amer", "2025-03-07T18:00:00Z", "no-friday-deploys", "", ""},
		{"open", "amer", "2025-03-03T23:30:00Z", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := cal.State(tc.party, mustTime(t, tc.at))
			if err != nil {
				t.Fatal(err)
			}
			if st.Freeze != tc.freeze || st.FreezeReason != tc.reason || st.Owner != tc.owner {
				t.Fatalf("state %+v", st)
			}
		})
	}
}
