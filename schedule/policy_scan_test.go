package schedule

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestAvailabilityAgainstScan compares the rolling-period availability check
// with a scan of every period start on a 10-minute grid, for random weekly
// windows whose edges fall on whole hours (so the true minimum is a whole
// number of hours and the grid cannot miss a violation).
func TestAvailabilityAgainstScan(t *testing.T) {
	r := rand.New(rand.NewPCG(48, 32))
	rounds := 150
	if testing.Short() {
		rounds = 40
	}
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	days := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat", "daily", "weekdays", "weekend"}
	checked, violations := 0, 0
	for i := range rounds {
		var windows []Window
		for range 1 + r.IntN(3) {
			windows = append(windows, Window{
				Weekly:   &WeeklySpec{Days: []string{days[r.IntN(len(days))]}, Start: fmt.Sprintf("%02d:00", r.IntN(24))},
				Duration: Duration(time.Duration(1+r.IntN(8)) * time.Hour),
			})
		}
		period := []time.Duration{24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour}[r.IntN(3)]
		p := Policy{Period: period, MinBlock: time.Duration(r.IntN(5)) * time.Hour}
		p.MinOpen = time.Duration(1+r.IntN(int(min(period, 30*time.Hour)/time.Hour))) * time.Hour
		p.MinBlock = min(p.MinBlock, p.Period)
		cal, err := New(Config{Horizon: Duration(21 * 24 * time.Hour), Parties: []Party{{Name: "p", Windows: windows}}})
		if err != nil {
			continue // e.g. a window longer than its spacing
		}
		span := from.Add(21 * 24 * time.Hour)
		open, err := cal.OpenIntervals(from, span, "p")
		if err != nil {
			t.Fatal(err)
		}
		worst := time.Duration(-1)
		for st := from; !st.After(span.Add(-period)); st = st.Add(10 * time.Minute) {
			en := st.Add(period)
			var sum time.Duration
			for _, b := range open {
				s, e := b.Start, b.End
				if s.Before(st) {
					s = st
				}
				if e.After(en) {
					e = en
				}
				if d := e.Sub(s); d > 0 && d >= p.MinBlock {
					sum += d
				}
			}
			if worst < 0 || sum < worst {
				worst = sum
			}
		}
		violated := false
		for _, f := range cal.Validate(p, from) {
			if f.Check == CheckAvailability {
				violated = true
			}
		}
		checked++
		if violated {
			violations++
		}
		if want := worst < p.MinOpen; violated != want {
			t.Fatalf("round %d: %+v with windows %+v: Validate violation=%v, scan minimum %v (want violation=%v)",
				i, p, windows, violated, worst, want)
		}
	}
	if checked < rounds/2 || violations == 0 || violations == checked {
		t.Fatalf("%d of %d rounds checked, %d with violations: the cases do not exercise both outcomes", checked, rounds, violations)
	}
}
