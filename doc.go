// Package glidepath is the root of a library for upgrading a fleet of
// services predictably: across regions, across teams, one safe step at a
// time. The root package holds no code; it is the map of the module.
//
// Every package answers one question a deploy tool has to answer, and every
// answer says why — which rule, which version, which window, which metric —
// so that it can be explained to an on-call engineer at 3 a.m.
//
// # Which package for which job
//
//   - [github.com/glidepath/glidepath/compat]: "Is what runs right now
//     compatible, which features can we turn on, and in what order can we
//     upgrade so that every intermediate state stays compatible?"
//     Version ranges, compatibility matrices (requires, conflicts, version
//     skew, features, data schemas, support levels), a Check of a mixed
//     deployment and an upgrade Plan grouped into parallel waves.
//     The sibling package compat/compattest asserts compatibility in a
//     unit test before merge.
//
//   - [github.com/glidepath/glidepath/schedule]: "When may we change
//     things?" Recurring maintenance windows in each region's own time
//     zone (weekly, cron, RFC 5545 RRULE, cloud-database form), freezes
//     with scopes, a calendar of parties with owners and escalation
//     contacts, the next slot where every party is open, follow-the-sun
//     sequencing, and export to iCalendar, Markdown and SVG.
//
//   - [github.com/glidepath/glidepath/flags]: "Who sees the new code?"
//     Feature flags with targeting, deterministic percentage bucketing
//     (bit-compatible with flagd), time-based ramps and kill switches,
//     served to services as an OpenFeature provider and through a typed,
//     allocation-free API for hot paths.
//
//   - [github.com/glidepath/glidepath/rollout]: "Is the canary healthy
//     enough to widen, or must we roll back?" Staged rollout plans
//     (canary and blue-green), health gates with explicit policies for
//     missing data, statistical comparison of canary and baseline, an
//     anytime-valid sequential test for error counts, a pure Decide
//     function, a decision log with delivery metrics, and an optional
//     runner that drives it all.
//
// The leaf packages compat, schedule and flags do not import one another,
// so a service that only gates features links only flags. Package rollout
// sits on top. Shared machinery (interval sets, hashing, statistics) lives
// under internal/ and is not part of the public API.
//
// # Time and determinism
//
// Nothing that decides calls time.Now. Every time-dependent function takes
// the instant as a parameter (or a small clock interface in the few loops
// that need one), so every replica of a service computes the same answer
// from the same inputs without coordinating, and tests are exact.
//
// # An upgrade, end to end
//
// In outline, a deploy tool that upgrades one service does this:
//
//	report := matrix.Check(deployed)                             // compat: is today compatible?
//	plan, err := matrix.Plan(deployed, target, catalog, compat.PlanOptions{MaxParallel: 2})
//	slot, err := cal.NextSlot(now, 2*time.Hour, "emea", "amer")   // schedule: when?
//	on := checkout.ValueAt(flags.Context{TargetingKey: user}, now, false) // flags: who?
//	d, state, err := rollout.Decide(rolloutPlan, state, observations, now) // rollout: widen or roll back?
//
// The runnable program in examples/planner does all of it on a sample
// ecosystem: go run ./examples/planner.
package glidepath
