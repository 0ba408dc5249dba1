package compat_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
	"github.com/glidepath/glidepath/compat/compattest"
	"github.com/google/go-cmp/cmp"
)

// verifyPlan checks p with compattest.VerifyPlan and returns the end
// state.
func verifyPlan(t *testing.T, m *compat.Matrix, current compat.Deployment, p *compat.Plan, opts compat.PlanOptions) compat.Deployment {
	t.Helper()
	if err := compattest.VerifyPlan(m, current, compat.Deployment{}, p, opts); err != nil {
		t.Fatalf("%v\nplan:\n%s", err, p)
	}
	states := p.States(current)
	if len(states) == 0 {
		return current
	}
	return states[len(states)-1]
}

func shopCurrent() compat.Deployment {
	return compat.MustDeployment(map[string][]string{
		"web": {"4.9.0"}, "orders-client": {"0.9.0"}, "orders-api": {"3.1.0", "3.1.0"},
		"orders-worker": {"1.4.0"}, "payments": {"2.1.0"}, "ledger": {"2.1.0"}, "postgres": {"15.5"},
		"kube-apiserver": {"1.27.9"}, "kubelet": {"1.26.12", "1.27.9-eks-42"},
	})
}

func shopTarget() compat.Deployment {
	return compat.MustDeployment(map[string][]string{
		"web": {"5.1.0"}, "orders-client": {"1.1.0"}, "orders-api": {"3.3.0"},
		"orders-worker": {"1.6.0"}, "payments": {"2.4.0"}, "ledger": {"2.4.0"}, "postgres": {"16.1"},
		"kube-apiserver": {"1.30.1"}, "kubelet": {"1.30.1"},
	})
}

func TestPlanShop(t *testing.T) {
	m := loadShop(t)
	tests := []struct {
		name  string
		opts  compat.PlanOptions
		steps int
	}{
		{"whole components", compat.PlanOptions{}, 16},
		{"step through minors", compat.PlanOptions{StepThroughMinors: true}, 21},
		{"per instance", compat.PlanOptions{PerInstance: true}, 20},
		{"one at a time", compat.PlanOptions{MaxParallel: 1}, 16},
		{"two at a time per instance", compat.PlanOptions{MaxParallel: 2, PerInstance: true}, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Plan(shopCurrent(), shopTarget(), nil, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Steps) != tt.steps || !p.Optimal {
				t.Errorf("steps = %d optimal = %v, want %d optimal\n%s", len(p.Steps), p.Optimal, tt.steps, p)
			}
			end := verifyPlan(t, m, shopCurrent(), p, tt.opts)
			sameVersions(t, end, shopTarget())
			if tt.opts.StepThroughMinors {
				for _, s := range p.Steps {
					if s.Component == "kubelet" && s.From.String() == "1.26.12" {
						continue // kubelet starts mixed: 1.26 and 1.27 run, so 1.28 is next
					}
					if s.To.Major() == s.From.Major() && s.To.Minor()-s.From.Minor() > 1 {
						t.Errorf("step %v skips a minor", s)
					}
				}
			}
			again, _ := m.Plan(shopCurrent(), shopTarget(), nil, tt.opts)
			if diff := cmp.Diff(p, again); diff != "" {
				t.Errorf("Plan is not deterministic:\n%s", diff)
			}
		})
	}
}

// TestPlanInterleaves pins the leapfrog: payments needs a newer ledger, and
// ledger may be at most one minor ahead of payments.
func TestPlanInterleaves(t *testing.T) {
	m := loadShop(t)
	cur := compat.MustDeployment(map[string][]string{"payments": {"2.1.0"}, "ledger": {"2.1.0"}})
	tgt := compat.MustDeployment(map[string][]string{"payments": {"2.4.0"}, "ledger": {"2.4.0"}})
	p, err := m.Plan(cur, tgt, nil, compat.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := "wave 1: ledger 2.1.0 -> 2.2.0\nwave 2: payments 2.1.0 -> 2.2.0\nwave 3: ledger 2.2.0 -> 2.3.0\nwave 4: payments 2.2.0 -> 2.3.0\nwave 5: ledger 2.3.0 -> 2.4.0\nwave 6: payments 2.3.0 -> 2.4.0"
	if got := p.String(); got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
	verifyPlan(t, m, cur, p, compat.PlanOptions{})
}

func deadlockMatrix() *compat.Matrix {
	return compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{
			{Name: "a", Owner: "team-a", Versions: []string{"1.0", "2.0"}},
			{Name: "b", Owner: "team-b", Versions: []string{"1.0", "2.0"}},
		},
		Rules: []compat.RuleSpec{
			{ID: "a2-needs-b2", Description: "a 2 calls b's v2 API", Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: "a", Versions: ">= 2"}, Need: compat.Selector{Component: "b", Versions: ">= 2"}}},
			{ID: "b2-breaks-a1", Description: "b 2 dropped the v1 API", Conflicts: &compat.ConflictsSpec{
				When: compat.Selector{Component: "b", Versions: ">= 2"}, With: compat.Selector{Component: "a", Versions: "< 2"}}},
		},
	})
}

func TestPlanNoPath(t *testing.T) {
	m := deadlockMatrix()
	cur := compat.MustDeployment(map[string][]string{"a": {"1.0"}, "b": {"1.0"}})
	tgt := compat.MustDeployment(map[string][]string{"a": {"2.0"}, "b": {"2.0"}})
	_, err := m.Plan(cur, tgt, nil, compat.PlanOptions{})
	if !errors.Is(err, compat.ErrNoPath) || errors.Is(err, compat.ErrSearchLimit) {
		t.Fatalf("err = %v, want ErrNoPath", err)
	}
	var npe *compat.NoPathError
	if !errors.As(err, &npe) {
		t.Fatalf("err is %T", err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, npe.Components); diff != "" {
		t.Error(diff)
	}
	var blocked []string
	for _, b := range npe.Blocked {
		for _, v := range b.Violations {
			blocked = append(blocked, b.Step.String()+" by "+v.Rule)
		}
	}
	if diff := cmp.Diff([]string{"a 1.0 -> 2.0 by a2-needs-b2", "b 1.0 -> 2.0 by b2-breaks-a1"}, blocked); diff != "" {
		t.Errorf("blocked (-want +got):\n%s", diff)
	}
	for _, want := range []string{"no compatible upgrade path for a, b", "a 1.0 -> 2.0:", "rule a2-needs-b2 [unsupported]: a 2.0 on a (upgraded instances) requires b >=2, but b runs 1.0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
}

func TestPlanSearchLimit(t *testing.T) {
	m := loadShop(t)
	cur := compat.MustDeployment(map[string][]string{"payments": {"2.1.0"}, "ledger": {"2.1.0"}})
	tgt := compat.MustDeployment(map[string][]string{"payments": {"2.4.0"}, "ledger": {"2.4.0"}})
	_, err := m.Plan(cur, tgt, nil, compat.PlanOptions{MaxStates: 2})
	if !errors.Is(err, compat.ErrSearchLimit) {
		t.Fatalf("err = %v, want ErrSearchLimit", err)
	}
	var npe *compat.NoPathError
	if !errors.As(err, &npe) || !npe.Limit || len(npe.Blocked) == 0 {
		t.Errorf("NoPathError = %+v", npe)
	}
}

func TestPlanInputErrors(t *testing.T) {
	m := loadShop(t)
	cur := compat.MustDeployment(healthy())
	tests := []struct {
		name   string
		target compat.Deployment
		cur    compat.Deployment
		is     error
		msg    string
	}{
		{"unknown component", compat.MustDeployment(map[string][]string{"nope": {"1"}}), cur, compat.ErrInvalidPlanInput, `"nope" is not in the matrix`},
		{"not deployed", compat.MustDeployment(map[string][]string{"web": {"5.1.0"}}), compat.MustDeployment(with(healthy(), "web", nil)), compat.ErrInvalidPlanInput, "not deployed"},
		{"no target version", compat.Deployment{Components: map[string][]compat.Instance{"web": {{Name: "x"}}}}, cur, compat.ErrInvalidPlanInput, "no valid version"},
		{"two target versions", compat.MustDeployment(map[string][]string{"web": {"5.1.0", "5.0.0"}}), cur, compat.ErrInvalidPlanInput, "several versions"},
		{"incompatible target", compat.MustDeployment(map[string][]string{"web": {"4.8.0"}}), cur, compat.ErrIncompatible, "target deployment is not compatible"},
		{"incompatible current", compat.MustDeployment(map[string][]string{"web": {"5.1.0"}}), compat.MustDeployment(with(healthy(), "web", []string{"4.8.0"})), compat.ErrIncompatible, "current deployment is not compatible"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.Plan(tt.cur, tt.target, nil, compat.PlanOptions{})
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want %v containing %q", err, tt.is, tt.msg)
			}
		})
	}
}

func TestPlanNothingToDo(t *testing.T) {
	m := loadShop(t)
	d := compat.MustDeployment(healthy())
	p, err := m.Plan(d, compat.MustDeployment(map[string][]string{"web": {"5.0.0"}}), nil, compat.PlanOptions{})
	if err != nil || len(p.Steps) != 0 || p.String() != "nothing to do" {
		t.Errorf("plan = %v, %v", p, err)
	}
}

func TestPlanMixedStart(t *testing.T) {
	m := loadShop(t)
	cur := compat.MustDeployment(with(healthy(), "orders-api", []string{"3.1.0", "3.2.0"}))
	tgt := compat.MustDeployment(map[string][]string{"orders-api": {"3.2.0"}})
	p, err := m.Plan(cur, tgt, nil, compat.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != 1 || p.Steps[0].From.String() != "3.1.0" {
		t.Errorf("plan = %s", p)
	}
	verifyPlan(t, m, cur, p, compat.PlanOptions{})
}

func TestPlanCatalogAndDowngrade(t *testing.T) {
	m := loadShop(t)
	cur := compat.MustDeployment(map[string][]string{"payments": {"2.3.0"}, "ledger": {"2.4.0"}})
	tgt := compat.MustDeployment(map[string][]string{"payments": {"2.1.0"}, "ledger": {"2.1.0"}})
	p, err := m.Plan(cur, tgt, nil, compat.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	verifyPlan(t, m, cur, p, compat.PlanOptions{})
	// A catalog without intermediate versions makes the leapfrog impossible.
	cur = compat.MustDeployment(map[string][]string{"payments": {"2.1.0"}, "ledger": {"2.1.0"}})
	tgt = compat.MustDeployment(map[string][]string{"payments": {"2.4.0"}, "ledger": {"2.4.0"}})
	_, err = m.Plan(cur, tgt, compat.Catalog{"ledger": {}}, compat.PlanOptions{})
	if !errors.Is(err, compat.ErrNoPath) {
		t.Errorf("err = %v, want ErrNoPath", err)
	}
}

// TestPlanMatchesExhaustiveSearch compares Plan with a brute-force
// breadth-first search over every state of small random matrices: Plan
// must find a path exactly when one exists, with the fewest steps.
func TestPlanMatchesExhaustiveSearch(t *testing.T) {
	rounds := 400
	if testing.Short() {
		rounds = 80
	}
	rng := rand.New(rand.NewPCG(7, 11))
	found, none := 0, 0
	for round := range rounds {
		spec, vers := randomSpec(rng)
		m, err := compat.Compile(spec)
		if err != nil {
			continue // contradictory random rules
		}
		cur, tgt := map[string][]string{}, map[string][]string{}
		for _, c := range spec.Components {
			cur[c.Name] = []string{vers[0]}
			tgt[c.Name] = []string{vers[len(vers)-1]}
		}
		cd, td := compat.MustDeployment(cur), compat.MustDeployment(tgt)
		opts := compat.PlanOptions{StepThroughMinors: round%2 == 1}
		want, ok := bruteForce(m, spec, vers, opts.StepThroughMinors)
		p, err := m.Plan(cd, td, nil, opts)
		if errors.Is(err, compat.ErrIncompatible) {
			continue
		}
		name := fmt.Sprintf("round %d", round)
		switch {
		case !ok && err == nil:
			t.Errorf("%s: Plan found %d steps, exhaustive search found none\n%s", name, len(p.Steps), p)
		case ok && err != nil:
			t.Errorf("%s: Plan failed but a %d-step path exists: %v", name, want, err)
		case ok:
			found++
			if len(p.Steps) != want {
				t.Errorf("%s: Plan has %d steps, minimum is %d\n%s", name, len(p.Steps), want, p)
			}
			t.Run(name, func(t *testing.T) { verifyPlan(t, m, cd, p, opts) })
		default:
			none++
			if !errors.Is(err, compat.ErrNoPath) {
				t.Errorf("%s: err = %v, want ErrNoPath", name, err)
			}
		}
	}
	if found == 0 || none == 0 {
		t.Errorf("random cases not varied enough: %d with a path, %d without", found, none)
	}
}

func randomSpec(rng *rand.Rand) (compat.Spec, []string) {
	vers := []string{"1.0.0", "1.1.0", "1.2.0", "1.3.0"}
	n := 2 + rng.IntN(3)
	var s compat.Spec
	for i := range n {
		s.Components = append(s.Components, compat.ComponentSpec{Name: fmt.Sprintf("c%d", i), Versions: vers})
	}
	pick := func() string { return vers[rng.IntN(len(vers))] }
	ops := []string{">=", "<", "~>", "="}
	for i := range 2 + rng.IntN(2*n) {
		a, b := rng.IntN(n), rng.IntN(n)
		for b == a {
			b = rng.IntN(n)
		}
		ca, cb := s.Components[a].Name, s.Components[b].Name
		id := fmt.Sprintf("r%d", i)
		switch rng.IntN(4) {
		case 0:
			s.Rules = append(s.Rules, compat.RuleSpec{ID: id, Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: ca, Versions: ">= " + pick()},
				Need: compat.Selector{Component: cb, Versions: ">= " + pick()}}})
		case 1:
			s.Rules = append(s.Rules, compat.RuleSpec{ID: id, Conflicts: &compat.ConflictsSpec{
				When: compat.Selector{Component: ca, Versions: ops[rng.IntN(4)] + " " + pick()},
				With: compat.Selector{Component: cb, Versions: ops[rng.IntN(4)] + " " + pick()}}})
		case 2:
			s.Rules = append(s.Rules, compat.RuleSpec{ID: id, Skew: &compat.SkewSpec{
				Component: ca, RelativeTo: cb, Unit: compat.Minor,
				Behind: compat.Limit(rng.IntN(3)), Ahead: compat.Limit(rng.IntN(3))}})
		case 3:
			s.Rules = append(s.Rules, compat.RuleSpec{ID: id, Level: compat.Level(rng.IntN(2)), Support: &compat.Selector{
				Component: ca, Versions: "= " + vers[1+rng.IntN(2)]}})
		}
	}
	return s, vers
}

// bruteForce runs breadth-first search over all whole-component states,
// moving one component forward per step; a move is allowed when the state
// with the component running both versions passes Check.
func bruteForce(m *compat.Matrix, spec compat.Spec, vers []string, noSkip bool) (int, bool) {
	n := len(spec.Components)
	type state [4]int
	var start, goal state
	for i := range n {
		goal[i] = len(vers) - 1
	}
	ok := func(s state, moving, to int) bool {
		d := compat.Deployment{Components: map[string][]compat.Instance{}}
		for i := range n {
			name := spec.Components[i].Name
			insts := []compat.Instance{{Name: name, Version: compat.MustParseVersion(vers[s[i]])}}
			if i == moving {
				insts = append(insts, compat.Instance{Name: name + "'", Version: compat.MustParseVersion(vers[to])})
			}
			d.Components[name] = insts
		}
		for _, v := range m.Check(d).Violations {
			if v.Level < compat.Supported {
				return false
			}
		}
		return true
	}
	if !ok(start, -1, 0) {
		return 0, false
	}
	dist := map[state]int{start: 0}
	queue := []state{start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s == goal {
			return dist[s], true
		}
		for i := range n {
			for to := s[i] + 1; to < len(vers); to++ {
				if noSkip && to > s[i]+1 {
					break
				}
				next := s
				next[i] = to
				if _, seen := dist[next]; seen || !ok(s, i, to) {
					continue
				}
				dist[next] = dist[s] + 1
				queue = append(queue, next)
			}
		}
	}
	return 0, false
}

func sameVersions(t *testing.T, got compat.Deployment, target compat.Deployment) {
	t.Helper()
	for name, want := range target.Components {
		for _, in := range got.Components[name] {
			if !in.Version.Equal(want[0].Version) {
				t.Errorf("after plan %s runs %s, want %s", name, in.Version, want[0].Version)
			}
		}
	}
}

// TestPlanPerInstanceMatchesExhaustiveSearch does the same for
// per-instance plans with two instances per component.
func TestPlanPerInstanceMatchesExhaustiveSearch(t *testing.T) {
	rounds := 80
	if testing.Short() {
		rounds = 25
	}
	rng := rand.New(rand.NewPCG(3, 5))
	found := 0
	opts := compat.PlanOptions{PerInstance: true}
	for round := range rounds {
		spec, vers := randomSpec(rng)
		if len(spec.Components) > 3 {
			spec.Components = spec.Components[:3]
			spec.Rules = slices.DeleteFunc(spec.Rules, func(r compat.RuleSpec) bool {
				return strings.Contains(fmt.Sprintf("%+v %+v %+v %+v", r.Requires, r.Conflicts, r.Skew, r.Support), "c3")
			})
		}
		spec.Rules = append(spec.Rules, compat.RuleSpec{ID: "rollout", InstanceSkew: &compat.InstanceSkewSpec{Component: "c0", Max: 1}})
		m, err := compat.Compile(spec)
		if err != nil {
			continue
		}
		cur, tgt := map[string][]string{}, map[string][]string{}
		for _, c := range spec.Components {
			cur[c.Name] = []string{vers[0], vers[0]}
			tgt[c.Name] = []string{vers[len(vers)-1]}
		}
		cd, td := compat.MustDeployment(cur), compat.MustDeployment(tgt)
		want, ok := bruteForceInstances(m, spec, vers)
		p, err := m.Plan(cd, td, nil, opts)
		if errors.Is(err, compat.ErrIncompatible) {
			continue
		}
		name := fmt.Sprintf("round %d", round)
		switch {
		case !ok && err == nil:
			t.Errorf("%s: Plan found %d steps, exhaustive search found none\n%s", name, len(p.Steps), p)
		case ok && err != nil:
			t.Errorf("%s: Plan failed but a %d-step path exists: %v", name, want, err)
		case ok:
			found++
			if len(p.Steps) != want {
				t.Errorf("%s: Plan has %d steps, minimum is %d\n%s", name, len(p.Steps), want, p)
			}
			verifyPlan(t, m, cd, p, opts)
		}
	}
	if found == 0 {
		t.Error("no random case had a path")
	}
	t.Logf("%d of %d rounds had a path", found, rounds)
}

// bruteForceInstances is bruteForce with two instances per component, one
// instance moving per step; a move is allowed when the state with the
// component's instances plus the moved instance's new version passes.
func bruteForceInstances(m *compat.Matrix, spec compat.Spec, vers []string) (int, bool) {
	n := len(spec.Components)
	var start, goal [6]int
	for i := range 2 * n {
		goal[i] = len(vers) - 1
	}
	okState := okInstances(m, spec, vers)
	memo := map[string]bool{}
	ok := func(s [6]int, moving, to int) bool {
		// Validity depends only on each component's set of versions.
		var key []byte
		for c := range n {
			a, b := s[2*c], s[2*c+1]
			if a > b {
				a, b = b, a
			}
			extra := -1
			if moving/2 == c {
				extra = to
			}
			key = append(key, byte(a), byte(b), byte(extra+1))
		}
		if v, seen := memo[string(key)]; seen {
			return v
		}
		good := okState(s, moving, to)
		memo[string(key)] = good
		return good
	}
	return searchInstances(n, vers, start, goal, ok)
}

func okInstances(m *compat.Matrix, spec compat.Spec, vers []string) func(s [6]int, moving, to int) bool {
	n := len(spec.Components)
	return func(s [6]int, moving, to int) bool {
		d := compat.Deployment{Components: map[string][]compat.Instance{}}
		for c := range n {
			name := spec.Components[c].Name
			insts := []compat.Instance{
				{Name: name + "[0]", Version: compat.MustParseVersion(vers[s[2*c]])},
				{Name: name + "[1]", Version: compat.MustParseVersion(vers[s[2*c+1]])},
			}
			if moving/2 == c {
				insts = append(insts, compat.Instance{Name: name + "'", Version: compat.MustParseVersion(vers[to])})
			}
			d.Components[name] = insts
		}
		for _, v := range m.Check(d).Violations {
			if v.Level < compat.Supported {
				return false
			}
		}
		return true
	}
}

func searchInstances(n int, vers []string, start, goal [6]int, ok func(s [6]int, moving, to int) bool) (int, bool) {
	type state = [6]int
	if !ok(start, -2, 0) {
		return 0, false
	}
	dist := map[state]int{start: 0}
	queue := []state{start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s == goal {
			return dist[s], true
		}
		for i := range 2 * n {
			for to := s[i] + 1; to < len(vers); to++ {
				next := s
				next[i] = to
				if _, seen := dist[next]; seen || !ok(s, i, to) {
					continue
				}
				dist[next] = dist[s] + 1
				queue = append(queue, next)
			}
		}
	}
	return 0, false
}

func TestPlanLargeCatalog(t *testing.T) {
	m := compat.MustCompile(compat.Spec{Components: []compat.ComponentSpec{{Name: "a"}}})
	var cat []compat.Version
	for minor := range 30 {
		for patch := range 20 {
			cat = append(cat, compat.MustParseVersion(fmt.Sprintf("1.%d.%d", minor, patch)))
		}
	}
	cur := compat.MustDeployment(map[string][]string{"a": {"1.0.0"}})
	tgt := compat.MustDeployment(map[string][]string{"a": {"1.29.19"}})
	opts := compat.PlanOptions{StepThroughMinors: true}
	p, err := m.Plan(cur, tgt, compat.Catalog{"a": cat}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != 29 || p.Steps[0].To.String() != "1.1.19" {
		t.Errorf("plan:\n%s", p)
	}
	verifyPlan(t, m, cur, p, opts)
}
