package schedule

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestAvailabilityAgainstScan compares the rolling-period availability check
// with a scan of every period start on an hourly grid, for random weekly
// windows whose edges fall on whole hours. Every instant where the counted
// open time can jump or change pace is then a whole hour, so the least open
// time over all starts is the least of the values at those hours and of the
// limits beside them; a start one nanosecond away is within a few
// nanoseconds of the limit, and rounding to the minute recovers it.
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
		last := span.Add(-period)
		measure := func(st time.Time) time.Duration {
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
			return sum
		}
		worst, worstAt := time.Duration(-1), time.Time{}
		for st := from; !st.After(last); st = st.Add(time.Hour) {
			vals := []time.Duration{measure(st)}
			if st.After(from) {
				vals = append(vals, measure(st.Add(-time.Nanosecond)).Round(time.Minute))
			}
			if st.Before(last) {
				vals = append(vals, measure(st.Add(time.Nanosecond)).Round(time.Minute))
			}
			if m := slices.Min(vals); worst < 0 || m < worst {
				worst, worstAt = m, st
			}
		}
		var found *Finding
		for _, f := range cal.Validate(p, from) {
			if f.Check == CheckAvailability {
				found = &f
			}
		}
		checked++
		if found != nil {
			violations++
		}
		if want := worst < p.MinOpen; (found != nil) != want {
			t.Fatalf("round %d: %+v with windows %+v: Validate finding %v, scan minimum %v (want violation=%v)",
				i, p, windows, found, worst, want)
		}
		if found != nil && (found.Open != worst || !found.At.Start.Equal(worstAt) || !found.At.End.Equal(worstAt.Add(period))) {
			t.Fatalf("round %d: %+v with windows %+v: finding %v open during %s, scan minimum %v first at %s",
				i, p, windows, found.Open, found.At, worst, worstAt.Format(time.RFC3339))
		}
	}
	if checked < rounds/2 || violations == 0 || violations == checked {
		t.Fatalf("%d of %d rounds checked, %d with violations: the cases do not exercise both outcomes", checked, rounds, violations)
	}
}
