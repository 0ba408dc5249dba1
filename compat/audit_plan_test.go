package compat_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/glidepath/glidepath/compat"
	"github.com/glidepath/glidepath/compat/compattest"
)

// TestPlanOptionsRandom plans random matrices with every combination of
// PerInstance, StepThroughMinors and MaxParallel, and checks that each plan
// passes compattest.VerifyPlan (every partial state of every wave passes
// Check, no wave is over MaxParallel), reaches the target, that the cap
// on parallelism never changes the number of steps, and that planning is
// deterministic.
func TestPlanOptionsRandom(t *testing.T) {
	rounds := 150
	if testing.Short() {
		rounds = 40
	}
	rng := rand.New(rand.NewPCG(21, 22))
	planned := 0
	for round := range rounds {
		spec, vers := randomSpec(rng)
		m, err := compat.Compile(spec)
		if err != nil {
			continue
		}
		cur, tgt := map[string][]string{}, map[string][]string{}
		for i, c := range spec.Components {
			cur[c.Name] = []string{vers[0]}
			if i == 0 {
				cur[c.Name] = []string{vers[0], vers[0]}
			}
			tgt[c.Name] = []string{vers[len(vers)-1]}
		}
		cd, td := compat.MustDeployment(cur), compat.MustDeployment(tgt)
		for _, per := range []bool{false, true} {
			for _, through := range []bool{false, true} {
				base := -1
				for _, par := range []int{0, 1, 2} {
					opts := compat.PlanOptions{PerInstance: per, StepThroughMinors: through, MaxParallel: par}
					name := fmt.Sprintf("round %d %+v", round, opts)
					p, err := m.Plan(cd, td, nil, opts)
					if err != nil {
						if !errors.Is(err, compat.ErrNoPath) && !errors.Is(err, compat.ErrIncompatible) {
							t.Errorf("%s: %v", name, err)
						}
						if base >= 0 {
							t.Errorf("%s: no plan, but a plan without the cap had %d steps", name, base)
						}
						break
					}
					planned++
					if err := compattest.VerifyPlan(m, cd, td, p, opts); err != nil {
						t.Errorf("%s: %v\n%s", name, err, p)
					}
					if base < 0 {
						base = len(p.Steps)
					} else if len(p.Steps) != base {
						t.Errorf("%s: %d steps, %d without the cap", name, len(p.Steps), base)
					}
					if again, err := m.Plan(cd, td, nil, opts); err != nil || again.String() != p.String() {
						t.Errorf("%s: planning twice differs:\n%s\n--\n%s", name, p, again)
					}
				}
			}
		}
	}
	if planned < rounds {
		t.Errorf("only %d plans in %d rounds; the random cases lost their coverage", planned, rounds)
	}
	t.Logf("%d plans verified", planned)
}
