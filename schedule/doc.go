// Package schedule computes upgrade windows across regions, teams and
// services: recurring maintenance windows in each party's own time zone,
// freezes that block some or all kinds of change, the next slot in which
// everyone required is open, and staged "follow the sun" sequences. It
// exports the calendar as iCalendar, a Markdown agenda and an SVG timeline.
//
// Most callers build a [Calendar] once, from Go values with [New] or from a
// YAML or JSON file with [Load], and then query it:
//
//	cal, err := schedule.Load(yamlBytes)
//	if err != nil { ... }
//	slot, err := cal.NextSlot(now, 2*time.Hour, "eu-west", "us-east")
//	st, err := cal.State("eu-west", now) // open or closed, and why
//
// # Recurrences
//
// A [Recurrence] is one compiled rule bound to a zone, whatever form it was
// written in: weekly days and a local start time ([Weekly], [ParseWeekly]),
// a 5-field cron expression with an optional CRON_TZ= prefix ([ParseCron]),
// RFC 5545 RRULE text with DTSTART and EXDATE ([ParseRRule]), or the
// cloud-database form "sun:23:00-mon:01:30" in UTC ([ParseMaintenance]).
// Each occurrence lasts the rule's duration in elapsed time. Occurrences are
// computed lazily near the instant asked about, never by expanding a year.
//
// # Time zones and daylight saving
//
// Every occurrence is computed in its rule's zone at its own instant, so the
// UTC time of a 02:00 Berlin window moves by an hour twice a year. A local
// start that does not exist (a spring-forward gap) or exists twice (a
// fall-back fold) follows the rule's [GapPolicy] and [FoldPolicy]. The
// defaults follow RFC 5545 §3.3.5: a nonexistent time takes the offset from
// before the gap (02:30 becomes 03:30 daylight time) and a repeated time
// means its first occurrence. No occurrence is skipped or doubled across a
// transition unless [GapSkip] asks for it. Zones are IANA names or fixed
// offsets such as "+05:30"; see [LoadZone].
//
// # Freezes
//
// A [Freeze] is an absolute range (calendar dates in a zone with an
// inclusive end date, or instants) or a recurring rule, with a [Scope] of
// the kinds of [Change] it blocks, a reason, an owner and escalation
// contacts. A freeze always wins over a window. [Calendar.ForChange]
// selects the kind of change a query is about; by default every freeze
// applies. [Calendar.Freeze] returns the configuration of a freeze that a
// [State] names.
//
// # Queries
//
// [Calendar.State] says whether a party is open and why.
// [Calendar.NextOpen], [Calendar.NextClose] and [Calendar.NextTransition]
// find state changes; [Calendar.OpenIntervals] lists common open time;
// [Calendar.NextSlot] finds the earliest common slot of a given length; and
// [Calendar.Sequence] places a list of [Stage] values one after another.
// Searches look no further than the calendar's horizon and fail with a
// [*NoSlotError] that names it, never with a zero time.
//
// [Calendar.ExplainSlot] says why a slot is where it is: the window each
// party is in when it starts, and, as a [Blocker] per freeze or closed
// party, what kept every earlier start out, from the first instant it did.
// A [State] carries the blocking freeze's name, reason text and owner.
//
//	ex, err := cal.ForChange(schedule.ChangeMinor).ExplainSlot(now, 2*time.Hour, "eu-west", "us-east")
//	for _, b := range ex.Blocked {
//		fmt.Println("not earlier:", b) // us-east: frozen by "launch" (...) from ...
//	}
//
// # Policy and export
//
// [Calendar.Validate] checks a [Policy]: minimum window length, minimum
// availability in a rolling period, freezes that remove every window, and
// overlapping windows. A calendar file may carry its policy under
// "policy:" (minWindow, minOpen, period, minBlock, as text durations);
// [Calendar.Policy] returns it, so cal.Validate(cal.Policy(), now) checks a
// calendar against its own rules.
//
// [Calendar.WriteICS], [Calendar.WriteAgenda] and [Calendar.WriteSVG]
// export the calendar deterministically. [ICSOptions.Events] adds planned
// changes, such as a [Plan]'s stages from [Plan.StageEvents], as UTC
// events; [SVGOptions.Marks] outlines labelled intervals, across the
// timeline or on one party's row, besides the chosen slot.
//
// # Errors
//
// Invalid input yields a [*ParseError] naming the field path and the value;
// it wraps a sentinel such as [ErrUnknownZone], [ErrUnsupported] or
// [ErrImpossibleRule] for [errors.Is]. Nothing in this package panics on
// bad input.
package schedule
