package compat_test

import (
	"fmt"
	"testing"

	"github.com/glidepath/glidepath/compat"
)

// hubMatrix: one platform and n clients; every client must stay within
// one minor of the platform (either side), so all move in lockstep.
func hubMatrix(tb testing.TB, n int) (*compat.Matrix, compat.Deployment, compat.Deployment) {
	var s compat.Spec
	var vers []string
	for i := range 10 {
		vers = append(vers, fmt.Sprintf("1.%d.0", i))
	}
	s.Components = append(s.Components, compat.ComponentSpec{Name: "platform", Versions: vers})
	cur := map[string][]string{"platform": {"1.0.0"}}
	tgt := map[string][]string{"platform": {"1.9.0"}}
	for i := range n {
		c := fmt.Sprintf("client-%02d", i)
		s.Components = append(s.Components, compat.ComponentSpec{Name: c, Versions: vers})
		cur[c] = []string{"1.0.0"}
		tgt[c] = []string{"1.9.0"}
		s.Rules = append(s.Rules, compat.RuleSpec{ID: c + "-skew", Skew: &compat.SkewSpec{
			Component: c, RelativeTo: "platform", Unit: compat.Minor, Behind: compat.Limit(1), Ahead: compat.Limit(1)}})
	}
	m, err := compat.Compile(s)
	if err != nil {
		tb.Fatal(err)
	}
	return m, compat.MustDeployment(cur), compat.MustDeployment(tgt)
}

// TestPlanHub plans a star of tightly coupled components, too large for
// the exact search at 49 clients: the greedy phase must still find a safe
// plan. Moving in lockstep takes 5 platform steps and 5 per client.
func TestPlanHub(t *testing.T) {
	for _, n := range []int{3, 12, 49} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			m, cur, tgt := hubMatrix(t, n)
			p, err := m.Plan(cur, tgt, nil, compat.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if want := 5 + 5*n; len(p.Steps) < want || (p.Optimal && len(p.Steps) != want) {
				t.Errorf("%d steps (optimal %v), want %d", len(p.Steps), p.Optimal, want)
			}
			if n == 3 && !p.Optimal {
				t.Error("a 4-component group should be planned exactly")
			}
			if n <= 12 {
				end := verifyPlan(t, m, cur, p, compat.PlanOptions{})
				sameVersions(t, end, tgt)
			}
		})
	}
}
