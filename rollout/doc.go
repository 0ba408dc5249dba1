// Package rollout is the decision logic of staged rollouts: plans whose stages
// widen exposure only while health gates pass, and that roll back, with
// reasons, when they do not.
//
// It is pure, embeddable logic. The caller measures, [Decide] decides, the
// caller acts and persists the returned [State]; the same inputs give the same
// decision on any replica. Sub-packages add an optional driver
// (rollout/runner) and a rehearsal harness with synthetic metrics
// (rollout/rehearse).
//
// # Plans
//
// A [PlanSpec] lists readiness criteria, gates and ordered stages; each stage
// has an [Exposure] (a percentage, a named cohort or a set of regions), a
// minimum bake time, an optional progress deadline, the gates it evaluates,
// exit criteria, an owner and an optional manual approval or pause. Two
// strategies are supported: [Canary] (growing exposure) and [BlueGreen]
// (verification at 0 %, a switch to 100 % at once, and the old version kept
// for a rollback window). Plans are Go values or strict YAML/JSON read with
// [ParsePlan]; [Compile] validates them into an immutable [Plan], and every
// problem is a [*PlanError] naming the field:
//
//	rollout: stages[2].exposure: 10% is below the previous stage's 25%
//
// [RenderRunbook] writes a plan as a Markdown runbook.
//
// # Gates
//
// Every gate ([GateSpec]) has a minimum sample and a [MissingPolicy]. A
// measurement with too small a sample is inconclusive, never a failure, so a
// low-traffic stage is not rolled back for lack of traffic; provider errors
// ([Observations.Errors]) are missing data and never count as success.
//
//   - Threshold gates ([ThresholdSpec]) bound a metric, measured at an
//     interval, with limits on failed, inconclusive and consecutive missing
//     measurements.
//   - Comparison gates ([ComparisonSpec]) compare canary and baseline samples
//     with the Mann–Whitney U test and the Hodges–Lehmann interval of the
//     shift, with per-metric directions, allowed mean ratios, critical and
//     muted metrics, weighted groups and a score.
//   - Sequential gates ([SequentialSpec]) test event counts after every event
//     with an anytime-valid Bayes factor whose null hypothesis is the traffic
//     split; they fail when the evidence reaches 1/α and may promote early.
//
// # Deciding
//
//	plan, err := rollout.ParsePlan(yamlBytes)
//	state := rollout.State{ID: "checkout 2.3.1"}
//	d, state, err := rollout.Decide(plan, state, observations, now)
//	// act on d.Action (advance, roll back, complete...), persist state,
//	// call again at d.NextEvaluation.
//
// A [Decision] carries an [Action], the stage and exposure, the [Reason]s
// (gate, metric, statistic, value, threshold) and the next evaluation time.
// Manual approvals, pauses, resumes and aborts go through [Apply] and are
// decisions too, with an actor.
//
// # Decision log
//
// A [Record] is a decision with the plan's labels; [LogWriter] writes records
// as JSON lines, [ReadLog] reads them back, and records are [log/slog]
// values. [Summarize] computes, from a log, the cadence of successful
// upgrades, rollback frequency, mean time to detect and mean time to resolve,
// broken down by a label.
package rollout
