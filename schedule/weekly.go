package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// weekly yields start at a fixed second of the day on a set of weekdays.
type weekly struct {
	days uint8 // bit i set: time.Weekday(i)
	sod  int64 // seconds since local midnight
}

func (g weekly) next(w int64) (int64, bool) {
	d := floorDiv(w, secondsPerDay)
	if w-d*secondsPerDay > g.sod {
		d++
	}
	for range 8 {
		if g.days&(1<<weekdayOf(d)) != 0 {
			return d*secondsPerDay + g.sod, true
		}
		d++
	}
	return 0, false
}

// Weekly returns a recurrence that starts at hour:minute local time on each
// of the given weekdays and lasts d. A window may run past midnight or the
// end of the week, but not into its own next start.
func Weekly(days []time.Weekday, hour, minute int, d time.Duration, opts ...Option) (Recurrence, error) {
	var mask uint8
	for _, wd := range days {
		if wd < time.Sunday || wd > time.Saturday {
			return Recurrence{}, perr("weekly.days", wd.String(), ErrInvalidConfig, "not a weekday")
		}
		mask |= 1 << wd
	}
	if hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return Recurrence{}, perr("weekly.start", fmt.Sprintf("%02d:%02d", hour, minute), ErrInvalidConfig, "hour must be 0-23 and minute 0-59")
	}
	return weeklyRule(mask, int64(hour*3600+minute*60), d, opts)
}

// ParseWeekly is [Weekly] with text arguments: days such as "Mon,Wed",
// "mon-fri", "Saturday", "weekdays", "weekend" or "daily", and a start time
// "hh:mm" or "hh:mm:ss" (24-hour clock).
func ParseWeekly(days, start string, d time.Duration, opts ...Option) (Recurrence, error) {
	mask, err := parseWeekdays(days)
	if err != nil {
		return Recurrence{}, err
	}
	sod, err := parseClock(start)
	if err != nil {
		return Recurrence{}, err
	}
	return weeklyRule(mask, sod, d, opts)
}

func weeklyRule(mask uint8, sod int64, d time.Duration, opts []Option) (Recurrence, error) {
	if mask == 0 {
		return Recurrence{}, perr("weekly.days", "", ErrInvalidConfig, "at least one weekday is required")
	}
	src := formatWeekdays(mask) + " " + formatClock(sod)
	o := collect(opts)
	o.resolveLoc()
	return compile(KindWeekly, src, "weekly", weekly{days: mask, sod: sod}, 0, d, o)
}

var dayAbbr = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// parseWeekday accepts English weekday names and their 2- and 3-letter
// abbreviations, in any case.
func parseWeekday(s string) (time.Weekday, bool) {
	ls := strings.ToLower(strings.TrimSpace(s))
	if len(ls) < 2 {
		return 0, false
	}
	for i := time.Sunday; i <= time.Saturday; i++ {
		full := strings.ToLower(i.String())
		if ls == full || ls == full[:2] || ls == full[:3] {
			return i, true
		}
	}
	return 0, false
}

func parseWeekdays(s string) (uint8, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "daily", "every day", "all":
		return 0x7f, nil
	case "weekdays":
		return 0x3e, nil
	case "weekend", "weekends":
		return 0x41, nil
	}
	var mask uint8
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, ok := parseWeekday(lo)
		if !ok {
			return 0, perr("weekly.days", part, ErrSyntax, "not a weekday name")
		}
		b := a
		if isRange {
			if b, ok = parseWeekday(hi); !ok {
				return 0, perr("weekly.days", part, ErrSyntax, "not a weekday range")
			}
		}
		for d := a; ; d = (d + 1) % 7 {
			mask |= 1 << d
			if d == b {
				break
			}
		}
	}
	if mask == 0 {
		return 0, perr("weekly.days", s, ErrInvalidConfig, "at least one weekday is required")
	}
	return mask, nil
}

func formatWeekdays(mask uint8) string {
	var parts []string
	for d := range 7 {
		if mask&(1<<d) != 0 {
			parts = append(parts, dayAbbr[d])
		}
	}
	return strings.Join(parts, ",")
}

// parseClock parses hh:mm or hh:mm:ss into seconds since midnight.
func parseClock(s string) (int64, error) {
	bad := perr("weekly.start", s, ErrSyntax, "want hh:mm or hh:mm:ss (00:00-23:59:59)")
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	lim := []int{23, 59, 59}
	var v [3]int
	for i, p := range parts {
		if len(p) < 1 || len(p) > 2 {
			return 0, bad
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > lim[i] || p[0] == '+' {
			return 0, bad
		}
		v[i] = n
	}
	return int64(v[0]*3600 + v[1]*60 + v[2]), nil
}

func formatClock(sod int64) string {
	if sod%60 != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", sod/3600, sod/60%60, sod%60)
	}
	return fmt.Sprintf("%02d:%02d", sod/3600, sod/60%60)
}

// ParseMaintenance parses the weekly maintenance-window form used by cloud
// databases, "ddd:hh24:mi-ddd:hh24:mi" in UTC, for example
// "sun:23:30-mon:01:00". The window may wrap past the end of the week.
func ParseMaintenance(s string) (Recurrence, error) {
	const field = "maintenance"
	bad := perr(field, s, ErrSyntax, "want ddd:hh24:mi-ddd:hh24:mi, e.g. sun:23:30-mon:01:00")
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Recurrence{}, bad
	}
	parse := func(p string) (int64, bool) {
		if len(p) != 9 || p[3] != ':' || p[6] != ':' {
			return 0, false
		}
		wd, ok := parseWeekday(p[:3])
		if !ok {
			return 0, false
		}
		sod, err := parseClock(p[4:])
		if err != nil {
			return 0, false
		}
		return int64(wd)*secondsPerDay + sod, true
	}
	start, ok1 := parse(a)
	end, ok2 := parse(b)
	if !ok1 || !ok2 {
		return Recurrence{}, bad
	}
	length := floorMod(end-start, 7*secondsPerDay)
	if length == 0 {
		return Recurrence{}, perr(field, s, ErrInvalidDuration, "start and end are equal")
	}
	wd := start / secondsPerDay
	src := strings.ToLower(a + "-" + b)
	return compile(KindMaintenance, src, field, weekly{days: 1 << wd, sod: start % secondsPerDay}, 0,
		time.Duration(length)*time.Second, options{loc: time.UTC})
}
