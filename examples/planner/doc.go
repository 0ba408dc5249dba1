// Planner plans, schedules and rehearses the upgrade of a small service
// ecosystem from end to end, using only the public APIs of glidepath's
// packages. It is the first thing to run:
//
//	go run ./examples/planner
//
// With no arguments it works on a sample shop (web, orders-api, payments,
// ledger, postgres) embedded in the binary, so it runs from any directory,
// and prints, top to bottom:
//
//  1. the services, their owners, today's versions and the target;
//  2. the compatibility report of today's deployment and of the target
//     (package compat), with the features each one can use;
//  3. the safe upgrade order in waves: every state on the way, including the
//     mixed states while a wave runs, passes the matrix (compat's Plan);
//  4. whether the calendar meets the policy its file carries; then, for each
//     wave, the next slot in which every region is open at once and a
//     region-by-region sequence that follows the sun, with why that slot —
//     which window each region is in, which freeze pushed it back and whom
//     to ask for an exception (package schedule);
//  5. the flag that exposes the new feature: the exact share of users it
//     serves the feature to, now and at each step of its ramp (package
//     flags), cross-checked by evaluating synthetic users, and whether the
//     ramp starts only after the feature is usable everywhere;
//  6. a rehearsal of each wave's rollout on simulated metrics, in which an
//     injected error burst makes the last wave roll back automatically, with
//     the gates' reasons (packages rollout and rollout/rehearse);
//  7. a Markdown runbook: every action with its expected result, the owner
//     and escalation contacts of each window, and whom to ask to break a
//     freeze a wave waits for;
//  8. the summary metrics of the rehearsals' decision log (rollback rate,
//     cadence, mean time to detect and to resolve).
//
// It writes the iCalendar file (windows, freezes and every wave's stages as
// events), the SVG timeline (every wave's common slot and stages marked),
// the Markdown compatibility matrix, the full runbook and the decision log
// into the folder named by -out, or into a new temporary folder whose path
// it prints.
//
// # Your own files
//
// Each input has a flag; the sample fills in those not given:
//
//	-matrix      compatibility matrix (compat's YAML/JSON format)
//	-deployment  what runs today, instance by instance (compat.Deployment)
//	-target      one version per component to move (compat.Deployment)
//	-calendar    regions, windows, freezes and optionally a policy
//	             (schedule's format); parties of kind region, in file order,
//	             are the follow-the-sun order
//	-flags       flag configuration (flags' format); -flag names the flag,
//	             which is also the feature's id in the matrix
//	-plan        the rollout plan used for every wave in every region
//	             (rollout's format)
//
// # Time
//
// Nothing reads the clock unless asked to. By default "now" is a fixed
// reference instant of the sample, Monday 2026-12-14 08:00 UTC, a few days
// before the sample's holiday freeze, so the output is the same on every run;
// -now=2027-01-05T00:00:00Z picks another instant and -now=wall uses the real
// clock. -soak sets how long each region bakes before the next one starts,
// -seed the seed of the simulated metrics, and -regress-wave which wave's
// rehearsal gets the injected regression (0 for none).
//
// The golden test in main_test.go covers the whole output; run
// go test ./examples/planner -update after an intended change.
package main
