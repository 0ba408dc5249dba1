package rehearse_test

import (
	"fmt"
	"time"

	"github.com/glidepath/glidepath/rollout"
	"github.com/glidepath/glidepath/rollout/rehearse"
)

func ExampleRehearse() {
	plan := rollout.MustCompile(rollout.PlanSpec{
		Name: "api",
		Gates: []rollout.GateSpec{{
			Name:       "errors-vs-baseline",
			Sequential: &rollout.SequentialSpec{Metric: "errors", Alpha: 0.05},
		}},
		Stages: []rollout.StageSpec{
			{Name: "canary", Exposure: rollout.Percent(10), Bake: rollout.Duration(30 * time.Minute), Gates: []string{"errors-vs-baseline"}},
			{Name: "all", Exposure: rollout.Percent(100), Bake: rollout.Duration(10 * time.Minute)},
		},
	})
	metrics := rehearse.Metrics{Errors: "errors"}

	healthy, _ := rehearse.Rehearse(plan, rehearse.Scenario{Name: "healthy", Metrics: metrics}, 1, 100)
	fmt.Printf("healthy: %d of 100 completed, median %v\n", healthy.Completed, healthy.MedianCompletion)

	burst := rehearse.Scenario{Name: "error burst", Metrics: metrics,
		Faults: []rehearse.Fault{{Kind: rehearse.ErrorBurst, Start: 5 * time.Minute, Factor: 5}}}
	bad, _ := rehearse.Rehearse(plan, burst, 1, 100)
	fmt.Printf("error burst: %d of 100 detected\n", bad.Detected)

	run, _ := rehearse.RunOne(plan, burst, 1)
	fmt.Println(run.Outcome, "reason:", run.Reasons[0].Gate, run.Reasons[0].Statistic)
	// Output:
	// healthy: 100 of 100 completed, median 40m0s
	// error burst: 100 of 100 detected
	// rolled-back reason: errors-vs-baseline log-bayes-factor
}
