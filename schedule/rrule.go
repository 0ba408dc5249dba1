package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	freqDaily = iota
	freqWeekly
	freqMonthly
	freqYearly
)

var freqNames = []string{"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}

// maxCount bounds COUNT, whose occurrences are computed once at parse time.
const maxCount = 10000

type byDay struct {
	ord int // 0: every such weekday; n>0: nth; n<0: nth from the end
	wd  time.Weekday
}

// String formats b as an RFC 5545 BYDAY element: "MO", "2TU", "-1FR".
func (b byDay) String() string {
	if b.ord == 0 {
		return icalDay(b.wd)
	}
	return strconv.Itoa(b.ord) + icalDay(b.wd)
}

// icalDay is the two-letter RFC 5545 code of a weekday: "SU" … "SA".
func icalDay(wd time.Weekday) string { return strings.ToUpper(dayAbbr[wd][:2]) }

// rrule yields the start times of an RFC 5545 recurrence rule.
type rrule struct {
	freq       int
	interval   int64
	count      int
	until      int64 // inclusive wall time, when hasUntil
	hasUntil   bool
	untilUTC   bool  // UNTIL was written in UTC
	untilUnix  int64 // the UNTIL instant, when untilUTC
	untilText  string
	byDay      []byDay
	dayMask    uint8 // weekdays in byDay, for limiting
	hasOrd     bool
	byMonthDay []int
	byMonth    uint16
	bySetPos   []int
	wkst       time.Weekday
	wkstSet    bool
	dtstart    int64 // wall
	sod        int64
	p0         int64   // period of dtstart
	exWalls    []int64 // sorted excluded start walls
	exDays     []int64 // sorted excluded dates (VALUE=DATE)
	countList  []int64 // all starts when COUNT is set, EXDATEs removed
	// lone is set when DTSTART is not itself produced by the rule: RFC
	// 5545 still makes it the first instance of the recurrence set (and
	// the first one COUNT counts), as its own examples rely on.
	lone bool
}

func (r *rrule) period(day int64) int64 {
	switch r.freq {
	case freqWeekly:
		return floorDiv(day-r.wkDay0(), 7)
	case freqMonthly:
		y, m, _ := civilFromDays(day)
		return y*12 + int64(m-1)
	case freqYearly:
		y, _, _ := civilFromDays(day)
		return y
	}
	return day
}

// wkDay0 is a day number that falls on the week start.
func (r *rrule) wkDay0() int64 { return floorMod(int64(r.wkst)-4, 7) }

func (r *rrule) periodFirstDay(p int64) int64 {
	switch r.freq {
	case freqWeekly:
		return p*7 + r.wkDay0()
	case freqMonthly:
		return daysFromCivil(floorDiv(p, 12), int(floorMod(p, 12))+1, 1)
	case freqYearly:
		return daysFromCivil(p, 1, 1)
	}
	return p
}

func (r *rrule) excluded(w int64) bool {
	if _, ok := slices.BinarySearch(r.exWalls, w); ok {
		return true
	}
	_, ok := slices.BinarySearch(r.exDays, floorDiv(w, secondsPerDay))
	return ok
}

// maxPeriods bounds the search for the next occurrence. It covers a whole
// 400-year Gregorian cycle, after which every pattern of dates, weekdays and
// leap days repeats, so a rule that finds nothing within it never will: a
// rare but possible rule (February 29 on a Monday) is found, however far.
func (r *rrule) maxPeriods() int {
	switch r.freq {
	case freqDaily:
		return 146097 + 1 // days in 400 years
	case freqWeekly:
		return 146097/7 + 1
	case freqMonthly:
		return 12*400 + 1
	}
	return 400 + 1
}

func (r *rrule) next(w int64) (int64, bool) {
	if r.countList != nil {
		i, _ := slices.BinarySearch(r.countList, w)
		if i < len(r.countList) {
			return r.countList[i], true
		}
		return 0, false
	}
	if r.lone && w <= r.dtstart && !r.excluded(r.dtstart) {
		return r.dtstart, true
	}
	return r.nextRaw(w, true)
}

// nextRaw ignores COUNT; it skips EXDATEs when withEx is set.
func (r *rrule) nextRaw(w int64, withEx bool) (int64, bool) {
	lower := max(w, r.dtstart)
	if r.hasUntil && lower > r.until {
		return 0, false
	}
	p := r.period(floorDiv(lower, secondsPerDay))
	k := int64(0)
	if p > r.p0 {
		k = (p - r.p0 + r.interval - 1) / r.interval
	}
	p = r.p0 + k*r.interval
	var buf [32]int64
	for range r.maxPeriods() {
		if r.hasUntil && r.periodFirstDay(p)*secondsPerDay > r.until {
			return 0, false
		}
		for _, day := range r.expand(p, buf[:0]) {
			wall := day*secondsPerDay + r.sod
			if wall < lower {
				continue
			}
			if r.hasUntil && wall > r.until {
				return 0, false
			}
			if withEx && r.excluded(wall) {
				continue
			}
			return wall, true
		}
		p += r.interval
	}
	return 0, false
}

// expand returns the sorted days of period p that the BYxxx parts select.
func (r *rrule) expand(p int64, out []int64) []int64 {
	_, dm, dd := civilFromDays(floorDiv(r.dtstart, secondsPerDay))
	switch r.freq {
	case freqDaily:
		if r.limit(p, false, false) {
			out = append(out, p)
		}
	case freqWeekly:
		start := r.periodFirstDay(p)
		mask := r.dayMask
		if len(r.byDay) == 0 {
			mask = 1 << weekdayOf(floorDiv(r.dtstart, secondsPerDay))
		}
		for i := range int64(7) {
			d := start + i
			if mask&(1<<weekdayOf(d)) != 0 && r.monthOK(d) {
				out = append(out, d)
			}
		}
	case freqMonthly:
		y, m := floorDiv(p, 12), int(floorMod(p, 12))+1
		if r.byMonth != 0 && r.byMonth&(1<<m) == 0 {
			return out
		}
		out = r.monthDays(y, m, dd, out)
	case freqYearly:
		y := p
		switch {
		case r.byMonth == 0 && len(r.byMonthDay) == 0 && len(r.byDay) == 0:
			if dd <= daysIn(y, dm) {
				out = append(out, daysFromCivil(y, dm, dd))
			}
		case len(r.byMonthDay) > 0 || r.byMonth != 0:
			if len(r.byDay) > 0 && len(r.byMonthDay) == 0 {
				for m := 1; m <= 12; m++ {
					if r.byMonth&(1<<m) != 0 {
						out = expandInRange(daysFromCivil(y, m, 1), int64(daysIn(y, m)), r.byDay, out)
					}
				}
				break
			}
			for m := 1; m <= 12; m++ {
				if r.byMonth != 0 && r.byMonth&(1<<m) == 0 {
					continue
				}
				out = r.monthDays(y, m, dd, out)
			}
			if len(r.byDay) > 0 && r.byMonth == 0 && r.hasOrd {
				// Ordinals refer to the year when BYMONTH is absent.
				first := daysFromCivil(y, 1, 1)
				n := int64(365)
				if isLeap(y) {
					n = 366
				}
				out = slices.DeleteFunc(out, func(d int64) bool { return !matchByDay(d, first, n, r.byDay) })
			}
		default: // BYDAY alone: expand within the year
			n := int64(365)
			if isLeap(y) {
				n = 366
			}
			out = expandInRange(daysFromCivil(y, 1, 1), n, r.byDay, out)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(r.bySetPos) > 0 && len(out) > 0 {
		var sel [32]int64
		picked := sel[:0]
		for _, sp := range r.bySetPos {
			i := sp - 1
			if sp < 0 {
				i = len(out) + sp
			}
			if i >= 0 && i < len(out) {
				picked = append(picked, out[i])
			}
		}
		slices.Sort(picked)
		picked = slices.Compact(picked)
		out = append(out[:0], picked...)
	}
	return out
}

// monthDays expands one month for MONTHLY, or for YEARLY with BYMONTH or
// BYMONTHDAY.
func (r *rrule) monthDays(y int64, m, dtDay int, out []int64) []int64 {
	first := daysFromCivil(y, m, 1)
	n := daysIn(y, m)
	switch {
	case len(r.byMonthDay) > 0:
		for _, md := range r.byMonthDay {
			d := md
			if md < 0 {
				d = n + md + 1
			}
			if d < 1 || d > n {
				continue
			}
			day := first + int64(d-1)
			if len(r.byDay) > 0 {
				if r.freq == freqYearly && r.byMonth == 0 && r.hasOrd {
					// Checked against the year by the caller.
					if r.dayMask&(1<<weekdayOf(day)) == 0 {
						continue
					}
				} else if !matchByDay(day, first, int64(n), r.byDay) {
					continue
				}
			}
			out = append(out, day)
		}
	case len(r.byDay) > 0:
		out = expandInRange(first, int64(n), r.byDay, out)
	default:
		if dtDay <= n {
			out = append(out, first+int64(dtDay-1))
		}
	}
	return out
}

// limit applies the limiting parts for DAILY.
func (r *rrule) limit(day int64, _, _ bool) bool {
	if !r.monthOK(day) {
		return false
	}
	if len(r.byMonthDay) > 0 {
		y, m, d := civilFromDays(day)
		n := daysIn(y, m)
		ok := false
		for _, md := range r.byMonthDay {
			if md == d || n+md+1 == d {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return len(r.byDay) == 0 || r.dayMask&(1<<weekdayOf(day)) != 0
}

func (r *rrule) monthOK(day int64) bool {
	if r.byMonth == 0 {
		return true
	}
	_, m, _ := civilFromDays(day)
	return r.byMonth&(1<<m) != 0
}

// expandInRange returns the days among [first, first+n) that BYDAY selects,
// with ordinals counted within the range.
func expandInRange(first, n int64, bd []byDay, out []int64) []int64 {
	last := first + n - 1
	for _, b := range bd {
		firstMatch := first + floorMod(int64(b.wd)-int64(weekdayOf(first)), 7)
		lastMatch := last - floorMod(int64(weekdayOf(last))-int64(b.wd), 7)
		switch {
		case b.ord == 0:
			for d := firstMatch; d <= last; d += 7 {
				out = append(out, d)
			}
		case b.ord > 0:
			if d := firstMatch + int64(b.ord-1)*7; d <= last {
				out = append(out, d)
			}
		default:
			if d := lastMatch + int64(b.ord+1)*7; d >= first {
				out = append(out, d)
			}
		}
	}
	return out
}

// matchByDay reports whether day, inside [first, first+n), is selected by bd.
func matchByDay(day, first, n int64, bd []byDay) bool {
	idx := day - first
	for _, b := range bd {
		if weekdayOf(day) != b.wd {
			continue
		}
		if b.ord == 0 || int64(b.ord) == idx/7+1 || int64(b.ord) == -((n-1-idx)/7+1) {
			return true
		}
	}
	return false
}

// ParseRRule parses RFC 5545 recurrence text and returns a recurrence of
// windows of length d. The text holds a DTSTART line, one RRULE line and any
// number of EXDATE lines, for example:
//
//	DTSTART;TZID=Europe/Berlin:20250114T020000
//	RRULE:FREQ=MONTHLY;BYDAY=2TU
//	EXDATE;TZID=Europe/Berlin:20250311T020000
//
// Supported rule parts are FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL,
// COUNT, UNTIL, BYDAY (with ordinals such as 2TU or -1FR for MONTHLY and
// YEARLY), BYMONTHDAY (negative counts from the month's end), BYMONTH,
// BYSETPOS and WKST; any other part is an error wrapping [ErrUnsupported].
// The zone is DTSTART's TZID, UTC for a DTSTART ending in Z, or the [In]
// option for a floating DTSTART. As in RFC 5545, DTSTART is always the first
// instance and the first that COUNT counts, even when the rule itself would
// not produce it (the RFC's own "Friday the 13th" example then removes it
// with EXDATE); DTSTART should nevertheless match the rule.
func ParseRRule(text string, d time.Duration, opts ...Option) (Recurrence, error) {
	o := collect(opts)
	hasIn := o.loc != nil
	lines := unfoldLines(text)
	var dtLine, ruleLine string
	var exLines []string
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		name, _, _ := strings.Cut(ln, ":")
		name, _, _ = strings.Cut(name, ";")
		switch strings.ToUpper(strings.TrimSpace(name)) {
		case "DTSTART":
			if dtLine != "" {
				return Recurrence{}, perr("rrule.DTSTART", ln, ErrSyntax, "DTSTART given twice")
			}
			dtLine = ln
		case "RRULE":
			if ruleLine != "" {
				return Recurrence{}, perr("rrule.RRULE", ln, ErrUnsupported, "only one RRULE is supported")
			}
			ruleLine = ln
		case "EXDATE":
			exLines = append(exLines, ln)
		default:
			if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(ln)), "FREQ=") && ruleLine == "" {
				ruleLine = "RRULE:" + strings.TrimSpace(ln)
				continue
			}
			return Recurrence{}, perr("rrule", ln, ErrUnsupported, "unsupported line; want DTSTART, RRULE or EXDATE")
		}
	}
	if ruleLine == "" {
		return Recurrence{}, perr("rrule.RRULE", text, ErrSyntax, "missing RRULE")
	}
	if dtLine == "" {
		return Recurrence{}, perr("rrule.DTSTART", text, ErrSyntax, "missing DTSTART")
	}

	// DTSTART fixes the zone.
	params, value := splitProp(dtLine)
	tzid := params["TZID"]
	utc := strings.HasSuffix(value, "Z")
	switch {
	case tzid != "":
		loc, err := LoadZone(tzid)
		if err != nil {
			return Recurrence{}, perr("rrule.DTSTART.TZID", tzid, ErrUnknownZone, "not an IANA time zone")
		}
		if hasIn && loc.String() != o.loc.String() {
			return Recurrence{}, perr("rrule.DTSTART.TZID", tzid, ErrInvalidConfig, "disagrees with the window's zone %s", o.loc)
		}
		o.loc = loc
	case utc:
		if hasIn && o.loc.String() != "UTC" {
			return Recurrence{}, perr("rrule.DTSTART", value, ErrInvalidConfig, "a UTC DTSTART disagrees with the window's zone %s", o.loc)
		}
		o.loc = time.UTC
	}
	o.resolveLoc()
	z := newZone(o.loc)
	dt, isDate, err := parseICalTime(value, z)
	if err != nil {
		return Recurrence{}, withPrefix("rrule.DTSTART", err)
	}
	_ = isDate
	r := &rrule{interval: 1, dtstart: dt, sod: floorMod(dt, secondsPerDay), wkst: time.Monday}

	_, rv := splitProp(ruleLine)
	if err := r.parseParts(rv, z); err != nil {
		return Recurrence{}, err
	}
	r.p0 = r.period(floorDiv(dt, secondsPerDay))

	for _, ln := range exLines {
		params, value := splitProp(ln)
		var ez *zone // the EXDATE's own zone, when it differs from DTSTART's
		if tz := params["TZID"]; tz != "" {
			loc, err := LoadZone(tz)
			if err != nil {
				return Recurrence{}, perr("rrule.EXDATE.TZID", tz, ErrUnknownZone, "not an IANA time zone")
			}
			if loc.String() != o.loc.String() {
				x := newZone(loc)
				ez = &x
			}
		}
		for v := range strings.SplitSeq(value, ",") {
			v = strings.TrimSpace(v)
			var w int64
			var isDate bool
			var err error
			if ez != nil && !strings.HasSuffix(v, "Z") {
				// A date-time in another zone names an instant: convert it
				// to DTSTART's wall clock.
				w, isDate, err = parseICalTime(v, *ez)
				if err == nil && !isDate {
					u, _ := ez.resolve(w, GapShift, FoldFirst)
					w = z.wall(u)
				}
			} else {
				w, isDate, err = parseICalTime(v, z)
			}
			if err != nil {
				return Recurrence{}, withPrefix("rrule.EXDATE", err)
			}
			if isDate || strings.EqualFold(params["VALUE"], "DATE") {
				r.exDays = append(r.exDays, floorDiv(w, secondsPerDay))
			} else {
				r.exWalls = append(r.exWalls, w)
			}
		}
	}
	slices.Sort(r.exWalls)
	slices.Sort(r.exDays)

	first, ok := r.nextRaw(r.dtstart, false)
	if !ok {
		return Recurrence{}, perr("rrule.RRULE", rv, ErrImpossibleRule, "the rule never produces an occurrence")
	}
	r.lone = first != r.dtstart
	if r.count > 0 {
		list := make([]int64, 0, r.count)
		if r.lone {
			list = append(list, r.dtstart)
		}
		// Occurrences after year 9999 (which iCalendar cannot write) are
		// not computed: a rare rule with a large COUNT would take long.
		end := daysFromCivil(10000, 1, 1) * secondsPerDay
		for w := r.dtstart; len(list) < r.count; {
			s, ok := r.nextRaw(w, false)
			if !ok || s >= end {
				break
			}
			list = append(list, s)
			w = s + 1
		}
		r.countList = slices.DeleteFunc(list, r.excluded)
		if len(r.countList) == 0 {
			return Recurrence{}, perr("rrule.EXDATE", "", ErrImpossibleRule, "EXDATE removes every occurrence")
		}
	} else if _, ok := r.next(r.dtstart); !ok {
		return Recurrence{}, perr("rrule.EXDATE", "", ErrImpossibleRule, "EXDATE removes every occurrence")
	}
	return compile(KindRRule, r.text(o.loc), "rrule", r, r.dtstart, d, o)
}

func (r *rrule) parseParts(rv string, z zone) error {
	seen := map[string]bool{}
	for part := range strings.SplitSeq(rv, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		v = strings.ToUpper(strings.TrimSpace(v))
		field := "rrule." + k
		if !ok || v == "" {
			return perr("rrule", part, ErrSyntax, "want NAME=VALUE")
		}
		if seen[k] {
			return perr(field, v, ErrSyntax, "given twice")
		}
		seen[k] = true
		switch k {
		case "FREQ":
			i := slices.Index(freqNames, v)
			if i < 0 {
				if slices.Contains([]string{"HOURLY", "MINUTELY", "SECONDLY"}, v) {
					return perr(field, v, ErrUnsupported, "only DAILY, WEEKLY, MONTHLY and YEARLY are supported")
				}
				return perr(field, v, ErrSyntax, "unknown frequency")
			}
			r.freq = i
		case "INTERVAL":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 10000 {
				return perr(field, v, ErrSyntax, "must be an integer 1-10000")
			}
			r.interval = int64(n)
		case "COUNT":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return perr(field, v, ErrSyntax, "must be a positive integer")
			}
			if n > maxCount {
				return perr(field, v, ErrUnsupported, "at most %d", maxCount)
			}
			r.count = n
		case "UNTIL":
			w, isDate, err := parseICalTime(v, z)
			if err != nil {
				return withPrefix(field, err)
			}
			if isDate {
				w += secondsPerDay - 1
			}
			r.until, r.hasUntil, r.untilUTC, r.untilText = w, true, strings.HasSuffix(v, "Z"), v
			if r.untilUTC {
				// UNTIL is an instant: the wall-clock bound is widened by
				// the zone's largest shift and the instant itself is
				// enforced once occurrences are resolved (see rule.until).
				r.untilUnix, _, _ = parseICalTime(v, newZone(time.UTC))
				r.until += maxShift(z)
			}
		case "BYDAY":
			for item := range strings.SplitSeq(v, ",") {
				item = strings.TrimSpace(item)
				if len(item) < 2 {
					return perr(field, item, ErrSyntax, "want [+-n]MO..SU")
				}
				wd, ok := parseWeekday(item[len(item)-2:])
				if !ok || len(item[len(item)-2:]) != 2 {
					return perr(field, item, ErrSyntax, "want [+-n]MO..SU")
				}
				ord := 0
				if num := item[:len(item)-2]; num != "" {
					n, err := strconv.Atoi(num)
					if err != nil || n == 0 || n < -53 || n > 53 {
						return perr(field, item, ErrSyntax, "ordinal must be ±1..±53")
					}
					ord = n
					r.hasOrd = true
				}
				r.byDay = append(r.byDay, byDay{ord: ord, wd: wd})
				r.dayMask |= 1 << wd
			}
		case "BYMONTHDAY":
			for item := range strings.SplitSeq(v, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(item))
				if err != nil || n == 0 || n < -31 || n > 31 {
					return perr(field, item, ErrSyntax, "must be ±1..±31")
				}
				r.byMonthDay = append(r.byMonthDay, n)
			}
		case "BYMONTH":
			for item := range strings.SplitSeq(v, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(item))
				if err != nil || n < 1 || n > 12 {
					return perr(field, item, ErrSyntax, "must be 1-12")
				}
				r.byMonth |= 1 << n
			}
		case "BYSETPOS":
			for item := range strings.SplitSeq(v, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(item))
				if err != nil || n == 0 || n < -366 || n > 366 {
					return perr(field, item, ErrSyntax, "must be ±1..±366")
				}
				r.bySetPos = append(r.bySetPos, n)
			}
		case "WKST":
			wd, ok := parseWeekday(v)
			if !ok || len(v) != 2 {
				return perr(field, v, ErrSyntax, "want MO..SU")
			}
			r.wkst, r.wkstSet = wd, true
		case "BYHOUR", "BYMINUTE", "BYSECOND", "BYYEARDAY", "BYWEEKNO", "RSCALE", "SKIP":
			return perr(field, v, ErrUnsupported, "rule part %s is not supported", k)
		default:
			return perr(field, v, ErrSyntax, "unknown rule part %s", k)
		}
	}
	if !seen["FREQ"] {
		return perr("rrule.FREQ", rv, ErrSyntax, "FREQ is required")
	}
	if r.count > 0 && r.hasUntil {
		return perr("rrule.COUNT", rv, ErrSyntax, "COUNT and UNTIL must not both be given")
	}
	if r.hasOrd && r.freq != freqMonthly && r.freq != freqYearly {
		return perr("rrule.BYDAY", rv, ErrSyntax, "ordinals such as 2TU need FREQ=MONTHLY or YEARLY")
	}
	if r.hasOrd && r.freq == freqYearly && len(r.byMonthDay) > 0 && r.byMonth == 0 {
		// Allowed by RFC 5545 but rarely meant; still supported.
		_ = r
	}
	if len(r.byMonthDay) > 0 && r.freq == freqWeekly {
		return perr("rrule.BYMONTHDAY", rv, ErrSyntax, "BYMONTHDAY must not be used with FREQ=WEEKLY")
	}
	if len(r.bySetPos) > 0 && len(r.byDay) == 0 && len(r.byMonthDay) == 0 && r.byMonth == 0 {
		return perr("rrule.BYSETPOS", rv, ErrSyntax, "BYSETPOS needs another BYxxx part")
	}
	if len(r.byMonthDay) > 0 && r.byMonth != 0 {
		// February 30 and friends: reject day numbers no chosen month has.
		possible := false
		for m := 1; m <= 12 && !possible; m++ {
			if r.byMonth&(1<<m) == 0 {
				continue
			}
			n := daysIn(2024, m) // leap year: the longest February
			for _, md := range r.byMonthDay {
				if (md > 0 && md <= n) || (md < 0 && -md <= n) {
					possible = true
				}
			}
		}
		if !possible {
			return perr("rrule.BYMONTHDAY", rv, ErrImpossibleRule, "no month in BYMONTH has such a day")
		}
	}
	return nil
}

// text writes the rule back in canonical RFC 5545 form.
func (r *rrule) text(loc *time.Location) string {
	var b strings.Builder
	dt := icalWall(r.dtstart)
	switch {
	case loc == time.UTC:
		b.WriteString("DTSTART:" + dt + "Z")
	case newZone(loc).fixed:
		b.WriteString("DTSTART:" + dt) // floating: fixed offsets have no TZID
	default:
		b.WriteString("DTSTART;TZID=" + loc.String() + ":" + dt)
	}
	b.WriteString("\nRRULE:" + r.ruleValue(""))
	if len(r.exWalls) > 0 || len(r.exDays) > 0 {
		var vals []string
		for _, w := range r.exWalls {
			vals = append(vals, icalWall(w))
		}
		if len(vals) > 0 && (loc == time.UTC || newZone(loc).fixed) {
			for i := range vals {
				if loc != time.UTC {
					break
				}
				vals[i] += "Z"
			}
			b.WriteString("\nEXDATE:" + strings.Join(vals, ","))
		} else if len(vals) > 0 {
			b.WriteString("\nEXDATE;TZID=" + loc.String() + ":" + strings.Join(vals, ","))
		}
		if len(r.exDays) > 0 {
			var ds []string
			for _, d := range r.exDays {
				ds = append(ds, icalWall(d * secondsPerDay)[:8])
			}
			b.WriteString("\nEXDATE;VALUE=DATE:" + strings.Join(ds, ","))
		}
	}
	return b.String()
}

// ruleValue returns the RRULE value; untilUTC, when set, replaces UNTIL.
func (r *rrule) ruleValue(untilUTC string) string {
	parts := []string{"FREQ=" + freqNames[r.freq]}
	if r.interval != 1 {
		parts = append(parts, "INTERVAL="+strconv.FormatInt(r.interval, 10))
	}
	if r.count > 0 {
		parts = append(parts, "COUNT="+strconv.Itoa(r.count))
	}
	if r.hasUntil {
		u := r.untilText
		if untilUTC != "" {
			u = untilUTC
		}
		parts = append(parts, "UNTIL="+u)
	}
	if r.byMonth != 0 {
		var ms []string
		for m := 1; m <= 12; m++ {
			if r.byMonth&(1<<m) != 0 {
				ms = append(ms, strconv.Itoa(m))
			}
		}
		parts = append(parts, "BYMONTH="+strings.Join(ms, ","))
	}
	if len(r.byMonthDay) > 0 {
		parts = append(parts, "BYMONTHDAY="+joinInts(r.byMonthDay))
	}
	if len(r.byDay) > 0 {
		var ds []string
		for _, b := range r.byDay {
			ds = append(ds, b.String())
		}
		parts = append(parts, "BYDAY="+strings.Join(ds, ","))
	}
	if len(r.bySetPos) > 0 {
		parts = append(parts, "BYSETPOS="+joinInts(r.bySetPos))
	}
	if r.wkstSet {
		parts = append(parts, "WKST="+icalDay(r.wkst))
	}
	return strings.Join(parts, ";")
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func icalWall(w int64) string {
	y, m, d := civilFromDays(floorDiv(w, secondsPerDay))
	s := floorMod(w, secondsPerDay)
	return fmt.Sprintf("%04d%02d%02dT%02d%02d%02d", y, m, d, s/3600, s/60%60, s%60)
}

// parseICalTime parses DATE (YYYYMMDD) or DATE-TIME (YYYYMMDDTHHMMSS[Z])
// into a wall time of zone z; a trailing Z converts from UTC.
func parseICalTime(v string, z zone) (wall int64, isDate bool, err error) {
	bad := perr("", v, ErrSyntax, "want YYYYMMDD or YYYYMMDDTHHMMSS[Z]")
	num := func(s string) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, len(s) > 0
	}
	if len(v) != 8 && len(v) != 15 && len(v) != 16 {
		return 0, false, bad
	}
	y, ok1 := num(v[:4])
	mo, ok2 := num(v[4:6])
	d, ok3 := num(v[6:8])
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > daysIn(int64(y), mo) {
		return 0, false, bad
	}
	day := daysFromCivil(int64(y), mo, d)
	if len(v) == 8 {
		return day * secondsPerDay, true, nil
	}
	if v[8] != 'T' || (len(v) == 16 && v[15] != 'Z') {
		return 0, false, bad
	}
	h, ok1 := num(v[9:11])
	mi, ok2 := num(v[11:13])
	s, ok3 := num(v[13:15])
	if !ok1 || !ok2 || !ok3 || h > 23 || mi > 59 || s > 59 {
		return 0, false, bad
	}
	w := day*secondsPerDay + int64(h*3600+mi*60+s)
	if len(v) == 16 { // UTC instant: convert to the zone's wall clock
		w = z.wall(w)
	}
	return w, false, nil
}

// unfoldLines splits iCalendar text into logical lines, joining folded
// continuation lines that start with a space or tab.
func unfoldLines(text string) []string {
	raw := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var out []string
	for _, ln := range raw {
		if (strings.HasPrefix(ln, " ") || strings.HasPrefix(ln, "\t")) && len(out) > 0 {
			out[len(out)-1] += ln[1:]
			continue
		}
		out = append(out, strings.TrimSpace(ln))
	}
	return out
}

// splitProp splits "NAME;P1=V1;P2=V2:VALUE" into upper-cased parameters and
// the value.
func splitProp(ln string) (map[string]string, string) {
	cut := len(ln)
	quoted := false
	for i := 0; i < len(ln); i++ {
		if ln[i] == '"' {
			quoted = !quoted
		}
		if ln[i] == ':' && !quoted {
			cut = i
			break
		}
	}
	head, value := ln, ""
	if cut < len(ln) {
		head, value = ln[:cut], ln[cut+1:]
	}
	params := map[string]string{}
	parts := strings.Split(head, ";")
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, "=")
		params[strings.ToUpper(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return params, strings.TrimSpace(value)
}
