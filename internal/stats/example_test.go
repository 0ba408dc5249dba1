package stats_test

import (
	"fmt"

	"github.com/glidepath/glidepath/internal/stats"
)

// Latencies of a canary and its baseline measured over the same window:
// is the canary slower, and by how much? (R's wilcox.test gives the same
// W, p-value, estimate 28.21874 and bound 13.00005.)
func ExampleMannWhitney() {
	canary := []float64{212, 230, 198, 245, 260, 222, 238, 251, 219, 241}
	baseline := []float64{201, 190, 215, 208, 199, 220, 205, 211, 196, 209}
	res, err := stats.MannWhitney(canary, baseline, stats.Greater, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("W = %.1f, p = %.4f\n", res.W, res.PValue)
	fmt.Printf("shift %.1f ms, 95%% CI [%.1f, %v)\n", res.Estimate, res.CILow, res.CIHigh)
	// Output:
	// W = 89.0, p = 0.0018
	// shift 28.2 ms, 95% CI [13.0, +Inf)
}

// Errors counted per event as they arrive: the canary takes 10 % of the
// traffic. The test may be evaluated after every event.
func ExampleSequentialTest() {
	test, err := stats.NewSequentialTest(stats.SequentialConfig{CanaryShare: 0.1, Alpha: 0.05})
	if err != nil {
		fmt.Println(err)
		return
	}
	var counts stats.SequentialCounts
	for i := 1; i <= 200; i++ {
		canaryErr := i%4 == 0 // the canary sees 25 % of the errors
		if canaryErr {
			counts, err = test.Observe(counts, 1, 0)
		} else {
			counts, err = test.Observe(counts, 0, 1)
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		if res := test.Evaluate(counts); res.Verdict != stats.Continue {
			fmt.Printf("%v after %d events: canary share %.2f, log BF %.2f ≥ %.2f\n",
				res.Verdict, counts.Total(), res.CanaryShare, res.LogBayesFactor, res.Threshold)
			return
		}
	}
	fmt.Println("no decision")
	// Output:
	// reject after 56 events: canary share 0.25, log BF 3.18 ≥ 3.00
}
