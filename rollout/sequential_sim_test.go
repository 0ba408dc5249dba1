package rollout

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestSequentialGateCheckedAfterEveryEvent checks, through Decide, that a
// sequential gate evaluated after every single event keeps false rollbacks
// of an A/A canary at or below alpha, and catches a canary with twice the
// baseline's error rate.
func TestSequentialGateCheckedAfterEveryEvent(t *testing.T) {
	const (
		alpha  = 0.05
		share  = 0.2 // canary share of traffic
		events = 600
	)
	runs := 300
	if testing.Short() {
		runs = 100
	}
	p := sequentialPlan(t, SequentialSpec{Metric: "crashes", Alpha: alpha}, share*100)
	simulate := func(seed uint64, canaryP float64) (rolledBack bool, at int) {
		rng := rand.New(rand.NewPCG(seed, 42))
		_, s, err := Decide(p, State{}, Observations{}, epoch)
		if err != nil {
			t.Fatal(err)
		}
		now := epoch
		for i := 1; i <= events; i++ {
			c := Counts{Baseline: 1}
			if rng.Float64() < canaryP {
				c = Counts{Canary: 1}
			}
			now = now.Add(time.Second) // stays inside the 1h bake
			d, next, err := Decide(p, s, Observations{Counts: map[string]Counts{"crashes": c}}, now)
			if err != nil {
				t.Fatal(err)
			}
			if d.Action == ActionRollBack {
				return true, i
			}
			s = next
		}
		return false, 0
	}
	falseRollbacks := 0
	for seed := range uint64(runs) {
		if rb, _ := simulate(seed, share); rb {
			falseRollbacks++
		}
	}
	rate := float64(falseRollbacks) / float64(runs)
	// Tolerance: three binomial standard deviations above alpha.
	limit := alpha + 3*math.Sqrt(alpha*(1-alpha)/float64(runs))
	t.Logf("A/A: %d of %d runs rolled back (%.3f; limit %.3f) over %d events each", falseRollbacks, runs, rate, limit, events)
	if rate > limit {
		t.Errorf("false rollback rate %.3f > %.3f", rate, limit)
	}

	// Twice the baseline's error rate: the canary's share of events is
	// 2s / (2s + 1 − s).
	doubled := 2 * share / (2*share + 1 - share)
	var detections []int
	for seed := range uint64(runs / 2) {
		if rb, at := simulate(1000+seed, doubled); rb {
			detections = append(detections, at)
		}
	}
	slices.Sort(detections)
	power := float64(len(detections)) / float64(runs/2)
	median := 0
	if len(detections) > 0 {
		median = detections[len(detections)/2]
	}
	t.Logf("doubled error rate: detected in %.2f of runs, median %d events to detection", power, median)
	if power < 0.95 {
		t.Errorf("detected a doubled error rate in only %.2f of runs", power)
	}
}
