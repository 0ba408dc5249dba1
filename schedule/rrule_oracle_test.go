package schedule

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// oracleRule is a randomly generated RRULE evaluated by brute force: every
// day is tested against the RFC 5545 rules directly, one period at a time.
type oracleRule struct {
	freq       int
	interval   int
	byMonth    []int
	byMonthDay []int
	byDay      []byDay
	bySetPos   []int
	wkst       time.Weekday
	count      int
}

func (o oracleRule) text(dt time.Time) string {
	parts := []string{"FREQ=" + freqNames[o.freq]}
	if o.interval > 1 {
		parts = append(parts, fmt.Sprintf("INTERVAL=%d", o.interval))
	}
	if o.count > 0 {
		parts = append(parts, fmt.Sprintf("COUNT=%d", o.count))
	}
	if len(o.byMonth) > 0 {
		parts = append(parts, "BYMONTH="+joinInts(o.byMonth))
	}
	if len(o.byMonthDay) > 0 {
		parts = append(parts, "BYMONTHDAY="+joinInts(o.byMonthDay))
	}
	if len(o.byDay) > 0 {
		var ds []string
		for _, b := range o.byDay {
			ds = append(ds, b.String())
		}
		parts = append(parts, "BYDAY="+strings.Join(ds, ","))
	}
	if len(o.bySetPos) > 0 {
		parts = append(parts, "BYSETPOS="+joinInts(o.bySetPos))
	}
	parts = append(parts, "WKST="+icalDay(o.wkst))
	return "DTSTART:" + dt.Format("20060102T150405Z") + "\nRRULE:" + strings.Join(parts, ";")
}

// periodStart returns the first day of the period containing d.
func (o oracleRule) periodStart(d time.Time) time.Time {
	switch o.freq {
	case freqWeekly:
		back := (int(d.Weekday()) - int(o.wkst) + 7) % 7
		return d.AddDate(0, 0, -back)
	case freqMonthly:
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	case freqYearly:
		return time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

func (o oracleRule) periodIndex(d time.Time) int {
	switch o.freq {
	case freqWeekly:
		return int(o.periodStart(d).Unix() / (7 * 86400))
	case freqMonthly:
		return d.Year()*12 + int(d.Month())
	case freqYearly:
		return d.Year()
	}
	return int(d.Unix() / 86400)
}

// dayIn reports whether day d is a candidate of its period (before BYSETPOS).
func (o oracleRule) dayIn(d, dtstart time.Time) bool {
	if len(o.byMonth) > 0 && !slices.Contains(o.byMonth, int(d.Month())) {
		return false
	}
	mdays := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if len(o.byMonthDay) > 0 {
		ok := false
		for _, md := range o.byMonthDay {
			if md == d.Day() || (md < 0 && mdays+md+1 == d.Day()) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if len(o.byDay) > 0 {
		ok := false
		for _, b := range o.byDay {
			if d.Weekday() != b.wd {
				continue
			}
			if b.ord == 0 {
				ok = true
				continue
			}
			// Ordinals count within the month, or within the year for
			// YEARLY without BYMONTH.
			idx, n := d.Day()-1, mdays
			if o.freq == freqYearly && len(o.byMonth) == 0 {
				idx = d.YearDay() - 1
				n = time.Date(d.Year(), 12, 31, 0, 0, 0, 0, time.UTC).YearDay()
			}
			if b.ord > 0 && idx/7+1 == b.ord || b.ord < 0 && (n-1-idx)/7+1 == -b.ord {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	// Defaults taken from DTSTART when no BYxxx part selects days.
	switch o.freq {
	case freqWeekly:
		if len(o.byDay) == 0 && d.Weekday() != dtstart.Weekday() {
			return false
		}
	case freqMonthly:
		if len(o.byDay) == 0 && len(o.byMonthDay) == 0 && d.Day() != dtstart.Day() {
			return false
		}
	case freqYearly:
		if len(o.byDay) == 0 && len(o.byMonthDay) == 0 {
			if d.Day() != dtstart.Day() || (len(o.byMonth) == 0 && d.Month() != dtstart.Month()) {
				return false
			}
		}
	}
	return true
}

// expand returns the occurrence dates from dtstart until end.
func (o oracleRule) expand(dtstart, end time.Time) []time.Time {
	var out []time.Time
	p0 := o.periodIndex(dtstart)
	var period []time.Time
	flush := func() {
		if len(o.bySetPos) > 0 {
			var sel []time.Time
			for _, sp := range o.bySetPos {
				i := sp - 1
				if sp < 0 {
					i = len(period) + sp
				}
				if i >= 0 && i < len(period) && !slices.ContainsFunc(sel, period[i].Equal) {
					sel = append(sel, period[i])
				}
			}
			slices.SortFunc(sel, func(a, b time.Time) int { return a.Compare(b) })
			period = sel
		}
		for _, d := range period {
			if !d.Before(dtstart) && d.Before(end) {
				out = append(out, d)
			}
		}
		period = period[:0]
	}
	cur := -1 << 31
	// Whole periods only, so BYSETPOS sees every candidate of the last one.
	for d := o.periodStart(dtstart); d.Before(end.AddDate(1, 0, 1)); d = d.AddDate(0, 0, 1) {
		pi := o.periodIndex(d)
		if pi != cur {
			flush()
			cur = pi
		}
		if (pi-p0)%o.interval != 0 {
			continue
		}
		if o.dayIn(d, dtstart) {
			period = append(period, d)
		}
	}
	flush()
	// DTSTART is always the first instance.
	if len(out) == 0 || !out[0].Equal(dtstart) {
		out = append([]time.Time{dtstart}, out...)
	}
	if o.count > 0 && len(out) > o.count {
		out = out[:o.count]
	}
	return out
}

func randomOracleRule(r *rand.Rand) oracleRule {
	o := oracleRule{freq: r.IntN(4), interval: 1 + r.IntN(3), wkst: time.Weekday(r.IntN(7))}
	if r.IntN(3) == 0 {
		for range 1 + r.IntN(3) {
			if m := 1 + r.IntN(12); !slices.Contains(o.byMonth, m) {
				o.byMonth = append(o.byMonth, m)
			}
		}
	}
	if o.freq != freqWeekly && r.IntN(3) == 0 {
		for range 1 + r.IntN(3) {
			md := 1 + r.IntN(31)
			if r.IntN(3) == 0 {
				md = -md
			}
			if !slices.Contains(o.byMonthDay, md) {
				o.byMonthDay = append(o.byMonthDay, md)
			}
		}
	}
	if r.IntN(2) == 0 {
		ordinals := o.freq == freqMonthly || (o.freq == freqYearly && len(o.byMonthDay) == 0)
		for range 1 + r.IntN(3) {
			b := byDay{wd: time.Weekday(r.IntN(7))}
			if ordinals && r.IntN(2) == 0 {
				b.ord = 1 + r.IntN(5)
				if o.freq == freqYearly && len(o.byMonth) == 0 {
					b.ord = 1 + r.IntN(53)
				}
				if r.IntN(2) == 0 {
					b.ord = -b.ord
				}
			}
			if !slices.Contains(o.byDay, b) {
				o.byDay = append(o.byDay, b)
			}
		}
	}
	if (len(o.byDay) > 0 || len(o.byMonthDay) > 0 || len(o.byMonth) > 0) && r.IntN(3) == 0 {
		for range 1 + r.IntN(2) {
			sp := 1 + r.IntN(4)
			if r.IntN(2) == 0 {
				sp = -sp
			}
			if !slices.Contains(o.bySetPos, sp) {
				o.bySetPos = append(o.bySetPos, sp)
			}
		}
	}
	if r.IntN(3) == 0 {
		o.count = 1 + r.IntN(20)
	}
	return o
}

// TestRRuleAgainstOracle compares random rules with the brute-force
// evaluator over six years.
func TestRRuleAgainstOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(5545, 3))
	rounds := 1500
	if testing.Short() {
		rounds = 300
	}
	end := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	checked := 0
	for range rounds {
		o := randomOracleRule(r)
		dt := time.Date(2025, time.Month(1+r.IntN(12)), 1+r.IntN(28), 9, 0, 0, 0, time.UTC)
		// Half the time start on the rule's first instance (synchronized).
		if r.IntN(2) == 0 {
			all := o.expand(dt, end)
			if len(all) > 1 {
				dt = all[1].Add(9 * time.Hour)
				dt = time.Date(dt.Year(), dt.Month(), dt.Day(), 9, 0, 0, 0, time.UTC)
			}
		}
		text := o.text(dt)
		rec, err := ParseRRule(text, time.Minute)
		want := o.expand(time.Date(dt.Year(), dt.Month(), dt.Day(), 0, 0, 0, 0, time.UTC), end)
		if err != nil {
			if len(want) > 1 {
				t.Fatalf("%s: %v, but the oracle finds %d instances", text, err, len(want))
			}
			continue
		}
		checked++
		var got, exp []string
		for _, iv := range rec.Between(dt, end) {
			got = append(got, iv.Start.Format(time.DateOnly))
		}
		for _, d := range want {
			exp = append(exp, d.Format(time.DateOnly))
		}
		if g, w := strings.Join(got, " "), strings.Join(exp, " "); g != w {
			t.Fatalf("%s\ngot  %s\nwant %s", text, g, w)
		}
	}
	if checked < rounds/2 {
		t.Fatalf("only %d of %d random rules parsed", checked, rounds)
	}
}
