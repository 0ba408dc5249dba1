package schedule

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind is the textual form a [Recurrence] was written in.
type Kind uint8

// The recurrence forms.
const (
	KindNone        Kind = iota // the zero Recurrence
	KindWeekly                  // days of the week, a local start time and a duration
	KindCron                    // a 5-field cron expression and a duration
	KindRRule                   // an RFC 5545 recurrence rule and a duration
	KindMaintenance             // the cloud-database form ddd:hh24:mi-ddd:hh24:mi (UTC)
)

var kindNames = []string{"none", "weekly", "cron", "rrule", "maintenance"}

// String returns the name of the kind, or Kind(n) for an unknown value.
func (k Kind) String() string { return enumString(kindNames, int(k), "Kind") }

// Interval is the half-open range of instants [Start, End).
type Interval struct {
	Start time.Time
	End   time.Time
}

// Duration returns End - Start, or zero for an empty interval.
func (i Interval) Duration() time.Duration {
	if !i.End.After(i.Start) {
		return 0
	}
	return i.End.Sub(i.Start)
}

// Contains reports whether t lies in [Start, End).
func (i Interval) Contains(t time.Time) bool { return !t.Before(i.Start) && t.Before(i.End) }

// IsZero reports whether both ends are the zero time.
func (i Interval) IsZero() bool { return i.Start.IsZero() && i.End.IsZero() }

// String formats the interval as start/end in RFC 3339, like an ISO 8601
// interval.
func (i Interval) String() string {
	return i.Start.Format(time.RFC3339) + "/" + i.End.Format(time.RFC3339)
}

// Recurrence is a compiled, immutable recurring window: a rule that yields
// local start times in a time zone, and a duration of elapsed time. Build one
// with [Weekly], [ParseWeekly], [ParseCron], [ParseRRule] or
// [ParseMaintenance]. The zero Recurrence never occurs; [Recurrence.IsValid]
// reports false for it.
//
// Each occurrence is computed in the rule's zone at its own instant, so a
// 02:00 Berlin window is 01:00 UTC in winter and 00:00 UTC in summer. A start
// time that falls in a daylight-saving gap or fold is resolved by the
// [GapPolicy] and [FoldPolicy] given with [OnGap] and [OnFold]; the defaults
// follow RFC 5545. A Recurrence is safe for concurrent use.
type Recurrence struct {
	r *rule
}

type rule struct {
	kind   Kind
	src    string // canonical text of the rule part
	zone   zone
	dur    time.Duration
	durSec int64 // dur rounded up to whole seconds
	margin int64 // wall-clock search margin covering the zone's largest shift
	gap    GapPolicy
	fold   FoldPolicy
	gen    generator
	// until, when capped, is the last instant an occurrence may start at:
	// an RRULE UNTIL written in UTC bounds the resolved start, which a
	// gap or fold may move away from the wall time the rule yields.
	until  int64
	capped bool
}

// generator yields local wall start times in increasing order.
type generator interface {
	// next returns the first start wall >= w, or false if there is none.
	next(w int64) (int64, bool)
}

// Option adjusts how a recurrence is bound to time; see [In], [OnGap] and
// [OnFold].
type Option interface{ apply(*options) }

type options struct {
	loc      *time.Location // explicit zone
	fallback *time.Location // zone when neither the text nor In names one
	gap      GapPolicy
	fold     FoldPolicy
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// In binds the recurrence to a location. The default is UTC. Use [LoadZone]
// to obtain a location from a name or a fixed offset.
func In(loc *time.Location) Option { return optionFunc(func(o *options) { o.loc = loc }) }

// OnGap sets the policy for start times inside a spring-forward gap.
func OnGap(p GapPolicy) Option { return optionFunc(func(o *options) { o.gap = p }) }

// OnFold sets the policy for start times inside a fall-back fold.
func OnFold(p FoldPolicy) Option { return optionFunc(func(o *options) { o.fold = p }) }

func collect(opts []Option) options {
	var o options
	for _, op := range opts {
		if op != nil {
			op.apply(&o)
		}
	}
	return o
}

// fallbackZone is an internal option: the zone to use when neither the rule
// text nor an In option names one.
func fallbackZone(loc *time.Location) Option {
	return optionFunc(func(o *options) { o.fallback = loc })
}

// resolveLoc fills in the zone once the rule text has had its say.
func (o *options) resolveLoc() {
	if o.loc == nil {
		o.loc = o.fallback
	}
	if o.loc == nil {
		o.loc = time.UTC
	}
}

// sampleSize is how many starts compile examines to find the shortest spacing.
const sampleSize = 400

// compile validates the generator against the duration and builds the rule.
// anchor is the wall time from which the rule is sampled.
func compile(kind Kind, src, field string, gen generator, anchor int64, dur time.Duration, o options) (Recurrence, error) {
	if dur <= 0 {
		return Recurrence{}, perr(field+".duration", dur.String(), ErrInvalidDuration, "must be positive")
	}
	if o.gap > GapSkip {
		return Recurrence{}, perr(field+".gap", o.gap.String(), ErrInvalidConfig, "unknown gap policy")
	}
	if o.fold > FoldSecond {
		return Recurrence{}, perr(field+".fold", o.fold.String(), ErrInvalidConfig, "unknown fold policy")
	}
	first, ok := gen.next(anchor)
	if !ok {
		return Recurrence{}, perr(field, src, ErrImpossibleRule, "the rule never produces a start time")
	}
	minGap := int64(-1)
	prev := first
	for range sampleSize {
		nx, ok := gen.next(prev + 1)
		if !ok {
			break
		}
		if g := nx - prev; minGap < 0 || g < minGap {
			minGap = g
		}
		prev = nx
	}
	if minGap > 0 && dur > time.Duration(minGap)*time.Second {
		return Recurrence{}, perr(field+".duration", FormatDuration(dur), ErrWindowTooLong,
			"longer than the %s between consecutive starts", FormatDuration(time.Duration(minGap)*time.Second))
	}
	z := newZone(o.loc)
	durSec := int64((dur + time.Second - 1) / time.Second)
	ru := &rule{
		kind: kind, src: src, zone: z, dur: dur, durSec: durSec,
		margin: maxShift(z) + 3600, gap: o.gap, fold: o.fold, gen: gen,
	}
	if rr, ok := gen.(*rrule); ok && rr.untilUTC {
		ru.until, ru.capped = rr.untilUnix, true
		if _, ok := ru.firstStart(anchor); !ok {
			return Recurrence{}, perr(field, src, ErrImpossibleRule, "no occurrence starts before UNTIL")
		}
	}
	return Recurrence{r: ru}, nil
}

// maxShift returns the largest offset change of the zone between 1970 and
// 2038 (where zone tables end and rules repeat), in seconds, so searches by
// wall time can widen by that much.
func maxShift(z zone) int64 {
	if z.fixed {
		return 0
	}
	var best int64
	t := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).In(z.loc)
	limit := time.Date(2038, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 2000 && t.Before(limit); i++ {
		_, end := t.ZoneBounds()
		if end.IsZero() {
			break
		}
		_, o1 := t.Zone()
		_, o2 := end.Zone()
		if d := int64(o2 - o1); d > best {
			best = d
		} else if -d > best {
			best = -d
		}
		t = end
	}
	return best
}

// firstStart returns the first resolved start at or after wall w.
func (r *rule) firstStart(w int64) (int64, bool) {
	for i := 0; i < 8; i++ {
		s, ok := r.gen.next(w)
		if !ok {
			return 0, false
		}
		if u, ok := r.zone.resolve(s, r.gap, r.fold); ok && (!r.capped || u <= r.until) {
			return u, true
		}
		w = s + 1
	}
	return 0, false
}

// IsValid reports whether r was built by a constructor (the zero Recurrence
// is not valid and never occurs).
func (r Recurrence) IsValid() bool { return r.r != nil }

// Kind returns the form the rule was written in.
func (r Recurrence) Kind() Kind {
	if r.r == nil {
		return KindNone
	}
	return r.r.kind
}

// Duration returns the elapsed length of each occurrence.
func (r Recurrence) Duration() time.Duration {
	if r.r == nil {
		return 0
	}
	return r.r.dur
}

// Location returns the zone the rule is evaluated in.
func (r Recurrence) Location() *time.Location {
	if r.r == nil {
		return time.UTC
	}
	return r.r.zone.loc
}

// Gap returns the gap policy.
func (r Recurrence) Gap() GapPolicy {
	if r.r == nil {
		return GapShift
	}
	return r.r.gap
}

// Fold returns the fold policy.
func (r Recurrence) Fold() FoldPolicy {
	if r.r == nil {
		return FoldFirst
	}
	return r.r.fold
}

// Rule returns the canonical text of the rule part: the weekly days and
// start, the cron expression, the RRULE lines or the maintenance range.
func (r Recurrence) Rule() string {
	if r.r == nil {
		return ""
	}
	return r.r.src
}

// String describes the recurrence, e.g.
// `cron "0 2 * * 6" for 4h in Europe/Berlin`.
func (r Recurrence) String() string {
	if r.r == nil {
		return "never"
	}
	return r.r.kind.String() + " " + strconv.Quote(strings.ReplaceAll(r.r.src, "\n", " ")) + " for " + FormatDuration(r.r.dur) + " in " + r.r.zone.loc.String()
}

// each calls fn for every occurrence that overlaps [from, to), in generation
// order (which is start order except around a gap under GapShift). It stops
// when fn returns false.
func (r *rule) each(from, to time.Time, fn func(start int64) bool) {
	lo := r.zone.wall(from.Unix()-r.durSec-1) - r.margin
	hi := r.zone.wall(to.Unix()+1) + r.margin
	for w := lo; ; {
		s, ok := r.gen.next(w)
		if !ok || s > hi {
			return
		}
		w = s + 1
		u, ok := r.zone.resolve(s, r.gap, r.fold)
		if !ok || (r.capped && u > r.until) {
			continue
		}
		st := time.Unix(u, 0)
		if st.Before(to) && st.Add(r.dur).After(from) {
			if !fn(u) {
				return
			}
		}
	}
}

func (r *rule) interval(u int64) Interval {
	st := time.Unix(u, 0).In(r.zone.loc)
	return Interval{Start: st, End: st.Add(r.dur)}
}

// Between returns the occurrences that overlap [from, to), sorted by start
// and without duplicates. Times are in the rule's location.
func (r Recurrence) Between(from, to time.Time) []Interval {
	if r.r == nil || !to.After(from) {
		return nil
	}
	var starts []int64
	r.r.each(from, to, func(u int64) bool {
		starts = append(starts, u)
		return true
	})
	slices.Sort(starts)
	starts = slices.Compact(starts)
	out := make([]Interval, len(starts))
	for i, u := range starts {
		out[i] = r.r.interval(u)
	}
	return out
}

// Active returns the occurrence that contains t, if any. When occurrences
// overlap (possible only around a daylight-saving gap) it returns the one
// that started first.
func (r Recurrence) Active(t time.Time) (Interval, bool) {
	if r.r == nil {
		return Interval{}, false
	}
	best, found := int64(0), false
	r.r.each(t, t.Add(time.Nanosecond), func(u int64) bool {
		if !found || u < best {
			best, found = u, true
		}
		return true
	})
	if !found {
		return Interval{}, false
	}
	return r.r.interval(best), true
}

// Next returns the first occurrence that starts at or after t. It reports
// false if the rule has ended (COUNT or UNTIL) before t.
func (r Recurrence) Next(t time.Time) (Interval, bool) {
	if r.r == nil {
		return Interval{}, false
	}
	r0 := r.r
	tu := t.Unix()
	var best int64
	found := false
	for w := r0.zone.wall(tu) - r0.margin - 1; ; {
		s, ok := r0.gen.next(w)
		if !ok || (found && s > r0.zone.wall(best)+r0.margin) {
			break
		}
		w = s + 1
		u, ok := r0.zone.resolve(s, r0.gap, r0.fold)
		if !ok || u < tu || time.Unix(u, 0).Before(t) || (r0.capped && u > r0.until) {
			continue
		}
		if !found || u < best {
			best, found = u, true
		}
	}
	if !found {
		return Interval{}, false
	}
	return r0.interval(best), true
}

// appendBetween appends the occurrences overlapping [from, to), in no
// particular order and possibly with duplicates, with UTC times.
func (r *rule) appendBetween(dst []Interval, from, to time.Time) []Interval {
	r.each(from, to, func(u int64) bool {
		st := time.Unix(u, 0).UTC()
		dst = append(dst, Interval{Start: st, End: st.Add(r.dur)})
		return true
	})
	return dst
}

// Must returns r, and panics if err is not nil. It is for rules fixed at
// compile time, as in
//
//	var nightly = schedule.Must(schedule.ParseCron("0 2 * * *", time.Hour))
func Must(r Recurrence, err error) Recurrence {
	if err != nil {
		panic(err)
	}
	return r
}
