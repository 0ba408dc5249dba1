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

// TestPlanSkipsPrereleaseStopovers: catalog prereleases are never
// intermediate steps (production would run a release candidate on the way
// to a release); vendor builds the matrix normalizes to releases are.
func TestPlanSkipsPrereleaseStopovers(t *testing.T) {
	m := compat.MustCompile(compat.Spec{
		VendorPrereleases: []string{"eks"},
		Components: []compat.ComponentSpec{
			{Name: "a", Versions: []string{"1.0.0", "1.1.0-rc.1", "1.2.0", "1.2.1-rc.1", "2.0.0-rc.1"}},
			{Name: "k", Versions: []string{"1.27.0", "1.28.1-eks-3", "1.29.0-rc.0", "1.29.2-eks-1"}},
		},
	})
	through := compat.PlanOptions{StepThroughMinors: true}
	tests := []struct {
		name, comp, from, to string
		opts                 compat.PlanOptions
		want                 string
	}{
		{"skip to release", "a", "1.0.0", "1.2.0", compat.PlanOptions{}, "wave 1: a 1.0.0 -> 1.2.0"},
		{"minor with only an rc is not a step", "a", "1.0.0", "1.2.0", through, "wave 1: a 1.0.0 -> 1.2.0"},
		{"release, not rc, of the last minor", "a", "1.0.0", "2.0.0", through, "wave 1: a 1.0.0 -> 1.2.0\nwave 2: a 1.2.0 -> 2.0.0"},
		{"prerelease target is reached", "a", "1.2.0", "2.0.0-rc.1", compat.PlanOptions{}, "wave 1: a 1.2.0 -> 2.0.0-rc.1"},
		{"vendor builds are steps", "k", "1.27.0", "1.30.0", through, "wave 1: k 1.27.0 -> 1.28.1-eks-3\nwave 2: k 1.28.1-eks-3 -> 1.29.2-eks-1\nwave 3: k 1.29.2-eks-1 -> 1.30.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := compat.MustDeployment(map[string][]string{tt.comp: {tt.from}})
			tgt := compat.MustDeployment(map[string][]string{tt.comp: {tt.to}})
			p, err := m.Plan(cur, tgt, nil, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if p.String() != tt.want {
				t.Errorf("plan:\n%s\nwant:\n%s", p, tt.want)
			}
			if err := compattest.VerifyPlan(m, cur, tgt, p, tt.opts); err != nil {
				t.Error(err)
			}
		})
	}
}
