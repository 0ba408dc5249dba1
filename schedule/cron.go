package schedule

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cron yields the start times of a 5-field cron expression.
type cron struct {
	minute, hour uint64 // bit sets
	dom          uint32 // bits 1-31
	month        uint16 // bits 1-12
	dow          uint8  // bits 0-6
	domStar      bool   // day-of-month field was * (or ?)
	dowStar      bool
	times        []int64 // seconds of the day, sorted
}

// cronScanDays bounds the search for a matching day: eight years always
// contain every calendar date that can occur at all, including February 29.
const cronScanDays = 8*366 + 1

func (c *cron) dayMatches(day int64) bool {
	_, m, d := civilFromDays(day)
	if c.month&(1<<m) == 0 {
		return false
	}
	domOK := c.dom&(1<<d) != 0
	dowOK := c.dow&(1<<weekdayOf(day)) != 0
	// Vixie cron: when both day fields are restricted, either may match.
	if !c.domStar && !c.dowStar {
		return domOK || dowOK
	}
	return domOK && dowOK
}

func (c *cron) next(w int64) (int64, bool) {
	d := floorDiv(w, secondsPerDay)
	sod := w - d*secondsPerDay
	if c.dayMatches(d) {
		if i, _ := slices.BinarySearch(c.times, sod); i < len(c.times) {
			return d*secondsPerDay + c.times[i], true
		}
	}
	for range cronScanDays {
		d++
		y, m, dd := civilFromDays(d)
		if c.month&(1<<m) == 0 {
			// Jump to the first day of the next month.
			d = daysFromCivil(y, m, 1) + int64(daysIn(y, m)) - 1
			_ = dd
			continue
		}
		if c.dayMatches(d) {
			return d*secondsPerDay + c.times[0], true
		}
	}
	return 0, false
}

var cronMacros = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

var monthAbbr = []string{"", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// ParseCron parses a standard 5-field cron expression (minute, hour, day of
// month, month, day of week) and returns a recurrence of windows of length d
// starting at each time the expression fires. Fields accept *, ?, numbers,
// ranges a-b, steps */n and a-b/n, lists, and month and weekday names; the
// macros @yearly, @monthly, @weekly, @daily and @hourly are accepted too. As in
// Vixie cron, when both day fields are restricted a day matching either one
// fires; a day field that starts with * (including a step such as */2)
// counts as unrestricted, as in Vixie cron and cronie (robfig/cron instead
// treats */2 as restricted). Day of week 7 is Sunday, like 0. A "CRON_TZ=Zone " (or "TZ=Zone ") prefix sets the zone; it must not
// disagree with an [In] option.
func ParseCron(expr string, d time.Duration, opts ...Option) (Recurrence, error) {
	o := collect(opts)
	hasIn := o.loc != nil
	s := strings.TrimSpace(expr)
	zonePrefix := ""
	for _, p := range []string{"CRON_TZ=", "TZ="} {
		if strings.HasPrefix(s, p) {
			name, rest, _ := strings.Cut(s[len(p):], " ")
			loc, err := LoadZone(name)
			if err != nil {
				return Recurrence{}, withPrefix("cron", err)
			}
			if hasIn && loc.String() != o.loc.String() {
				return Recurrence{}, perr("cron.CRON_TZ", name, ErrInvalidConfig, "disagrees with the window's zone %s", o.loc)
			}
			o.loc = loc
			zonePrefix = p + name + " "
			s = strings.TrimSpace(rest)
			break
		}
	}
	o.resolveLoc()
	if m, ok := cronMacros[strings.ToLower(s)]; ok {
		s = m
	}
	fields := strings.Fields(s)
	if len(fields) != 5 {
		return Recurrence{}, perr("cron", expr, ErrSyntax, "want 5 fields (minute hour day-of-month month day-of-week), got %d", len(fields))
	}
	type spec struct {
		name     string
		lo, hi   int
		names    []string
		nameBase int
	}
	specs := []spec{
		{"minute", 0, 59, nil, 0},
		{"hour", 0, 23, nil, 0},
		{"day-of-month", 1, 31, nil, 0},
		{"month", 1, 12, monthAbbr[1:], 1},
		{"day-of-week", 0, 7, []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, 0},
	}
	var sets [5]uint64
	for i, f := range fields {
		sp := specs[i]
		set, err := parseCronField(f, sp.lo, sp.hi, sp.names, sp.nameBase)
		if err != nil {
			return Recurrence{}, perr("cron."+sp.name, f, ErrSyntax, "%s", err.Error())
		}
		sets[i] = set
	}
	if sets[4]&(1<<7) != 0 { // 7 is Sunday too
		sets[4] = sets[4]&^(1<<7) | 1
	}
	c := &cron{
		minute: sets[0], hour: sets[1], dom: uint32(sets[2]), month: uint16(sets[3]), dow: uint8(sets[4]),
		domStar: fields[2] == "*" || fields[2] == "?" || strings.HasPrefix(fields[2], "*/"),
		dowStar: fields[4] == "*" || fields[4] == "?" || strings.HasPrefix(fields[4], "*/"),
	}
	for h := range 24 {
		if c.hour&(1<<h) == 0 {
			continue
		}
		for m := range 60 {
			if c.minute&(1<<m) != 0 {
				c.times = append(c.times, int64(h*3600+m*60))
			}
		}
	}
	src := zonePrefix + strings.Join(fields, " ")
	// Anchor the sample at 2000-01-01: a valid expression fires within
	// eight years of any date.
	return compile(KindCron, src, "cron", c, daysFromCivil(2000, 1, 1)*secondsPerDay, d, o)
}

type cronErr string

// Error implements the error interface.
func (e cronErr) Error() string { return string(e) }

// parseCronField returns the bit set of values a field allows.
func parseCronField(f string, lo, hi int, names []string, nameBase int) (uint64, error) {
	if f == "" {
		return 0, cronErr("empty field")
	}
	value := func(s string) (int, error) {
		for i, n := range names {
			if strings.EqualFold(s, n) {
				return i + nameBase, nil
			}
		}
		if s == "" || len(s) > 3 {
			return 0, cronErr("bad value " + strconv.Quote(s))
		}
		n, err := strconv.Atoi(s)
		if err != nil || s[0] == '+' || s[0] == '-' {
			if strings.ContainsAny(s, "LW#") {
				return 0, cronErr("L, W and # are not supported")
			}
			return 0, cronErr("bad value " + strconv.Quote(s))
		}
		if n < lo || n > hi {
			return 0, cronErr("value " + s + " out of range " + strconv.Itoa(lo) + "-" + strconv.Itoa(hi))
		}
		return n, nil
	}
	var set uint64
	for part := range strings.SplitSeq(f, ",") {
		rng, stepStr, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepStr)
			if err != nil || n < 1 || n > hi || stepStr[0] == '+' {
				return 0, cronErr("bad step " + strconv.Quote(stepStr))
			}
			step = n
		}
		var a, b int
		switch {
		case rng == "*" || rng == "?":
			a, b = lo, hi
			if hi == 7 { // day of week: * means 0-6
				b = 6
			}
		case strings.Contains(rng, "-"):
			x, y, _ := strings.Cut(rng, "-")
			var err error
			if a, err = value(x); err != nil {
				return 0, err
			}
			if b, err = value(y); err != nil {
				return 0, err
			}
			if a > b {
				return 0, cronErr("range " + rng + " runs backwards")
			}
		default:
			v, err := value(rng)
			if err != nil {
				return 0, err
			}
			a, b = v, v
			if hasStep {
				b = hi
			}
		}
		for v := a; v <= b; v += step {
			set |= 1 << uint(v)
		}
	}
	if bits.OnesCount64(set) == 0 {
		return 0, cronErr("matches nothing")
	}
	return set, nil
}
