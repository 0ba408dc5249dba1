// Package rehearse runs a [rollout] plan against synthetic metrics, with
// injected faults, over many seeds, and reports how the plan behaves: how
// fast it detects real regressions, how often it rolls back a healthy
// version (false rollbacks), and how long a clean rollout takes.
//
// A [Scenario] describes the traffic (requests per interval, error rate,
// latency distribution), which metric names the generator fills (an error
// ratio for threshold gates, error counts for sequential gates, latency
// samples for comparison gates) and the [Fault]s to inject: an error burst, a
// latency shift, a metric source outage, or no traffic. Error bursts and
// latency shifts are regressions the plan should catch; outages and silence
// are not, and a rollback caused by them is a false rollback.
//
//	report, err := rehearse.Rehearse(plan, scenario, 1, 200) // seeds 1..200
//	fmt.Println(report.FalseRollbacks, report.MedianDetection)
//
// Every run is deterministic for its seed (math/rand/v2 with a PCG source)
// and runs on simulated time: a two-hour rollout takes milliseconds.
package rehearse
