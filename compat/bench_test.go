package compat_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/glidepath/glidepath/compat"
	goversion "github.com/hashicorp/go-version"
)

// BenchmarkRangeContains compares a compiled Range with go-version's
// Constraints.Check on the same constraint and versions, in one run.
func BenchmarkRangeContains(b *testing.B) {
	const constraint = ">= 1.2.0, < 2.0.0"
	inputs := []string{"1.5.3", "2.1.0", "1.1.9", "1.2.0"}
	b.Run("compat", func(b *testing.B) {
		r := compat.MustParseRange(constraint)
		vs := make([]compat.Version, len(inputs))
		for i, s := range inputs {
			vs[i] = compat.MustParseVersion(s)
		}
		b.ReportAllocs()
		n := 0
		for i := 0; b.Loop(); i++ {
			if r.Contains(vs[i&3]) {
				n++
			}
		}
		_ = n
	})
	b.Run("go-version", func(b *testing.B) {
		c := goversion.MustConstraints(goversion.NewConstraint(constraint))
		vs := make([]*goversion.Version, len(inputs))
		for i, s := range inputs {
			vs[i] = goversion.Must(goversion.NewVersion(s))
		}
		b.ReportAllocs()
		n := 0
		for i := 0; b.Loop(); i++ {
			if c.Check(vs[i&3]) {
				n++
			}
		}
		_ = n
	})
}

// BenchmarkParseRange measures parsing, which happens once per matrix.
func BenchmarkParseRange(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = compat.ParseRange(">= 1.2, < 2.0 || ~> 3.1.4")
	}
}

// bigMatrix builds a synthetic matrix of nComps components and nRules
// rules of every kind, and a deployment of two instances per component.
func bigMatrix(tb testing.TB, nComps, nRules int) (*compat.Matrix, compat.Deployment) {
	rng := rand.New(rand.NewPCG(42, 42))
	var s compat.Spec
	versions := map[string][]string{}
	for i := range nComps {
		name := fmt.Sprintf("svc-%04d", i)
		s.Components = append(s.Components, compat.ComponentSpec{Name: name, Owner: fmt.Sprintf("team-%d", i%40),
			Versions: []string{"2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0"}})
		v := fmt.Sprintf("2.%d.%d", 1+rng.IntN(4), rng.IntN(5))
		w := v
		if rng.IntN(10) == 0 { // a rolling upgrade in progress
			w = fmt.Sprintf("2.%d.0", 1+rng.IntN(4))
		}
		versions[name] = []string{v, w}
	}
	comp := func() string { return s.Components[rng.IntN(nComps)].Name }
	for i := range nRules {
		id := fmt.Sprintf("rule-%05d", i)
		a, b := comp(), comp()
		for b == a {
			b = comp()
		}
		r := compat.RuleSpec{ID: id, Description: "synthetic rule"}
		switch i % 5 {
		case 0:
			r.Requires = &compat.RequiresSpec{When: compat.Selector{Component: a, Versions: ">= 2.2"}, Need: compat.Selector{Component: b, Versions: ">= 2.1, < 3"}}
		case 1:
			r.Conflicts = &compat.ConflictsSpec{When: compat.Selector{Component: a, Versions: "~> 2.0.0"}, With: compat.Selector{Component: b, Versions: ">= 2.4"}}
		case 2:
			r.Skew = &compat.SkewSpec{Component: a, RelativeTo: b, Unit: compat.Minor, Behind: compat.Limit(2), Ahead: compat.Limit(2), SameMajor: true}
		case 3:
			r.Support = &compat.Selector{Component: a, Versions: "< 2.1"}
		case 4:
			r.InstanceSkew = &compat.InstanceSkewSpec{Component: a, Unit: compat.Minor, Max: 1}
		}
		s.Rules = append(s.Rules, r)
	}
	m, err := compat.Compile(s)
	if err != nil {
		tb.Fatal(err)
	}
	return m, compat.MustDeployment(versions)
}

// BenchmarkCheck1000x5000 checks a deployment of 1,000 components against
// 5,000 rules; the target is at most 5 ms per Check.
func BenchmarkCheck1000x5000(b *testing.B) {
	m, d := bigMatrix(b, 1000, 5000)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Check(d)
	}
}

// planMatrix builds 50 components in 10 stacks of 5 with 10 catalog
// versions each. Within a stack every component requires its predecessor
// at the same minor or newer and may be at most one minor ahead of it, so
// upgrades must leapfrog; every component also requires a shared platform
// version that is always satisfied.
func planMatrix(tb testing.TB) (*compat.Matrix, compat.Deployment, compat.Deployment) {
	var s compat.Spec
	var vers []string
	for i := range 10 {
		vers = append(vers, fmt.Sprintf("1.%d.0", i))
	}
	cur, tgt := map[string][]string{}, map[string][]string{}
	name := func(stack, i int) string { return fmt.Sprintf("s%d-c%d", stack, i) }
	s.Components = append(s.Components, compat.ComponentSpec{Name: "platform", Versions: []string{"5.0.0"}})
	cur["platform"] = []string{"5.0.0"}
	for st := range 10 {
		for i := range 5 {
			n := name(st, i)
			s.Components = append(s.Components, compat.ComponentSpec{Name: n, Owner: fmt.Sprintf("team-%d", st), Versions: vers})
			cur[n] = []string{"1.0.0", "1.0.0"}
			tgt[n] = []string{"1.9.0"}
			s.Rules = append(s.Rules, compat.RuleSpec{ID: n + "-platform", Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: n}, Need: compat.Selector{Component: "platform", Versions: ">= 5"}}})
			if i == 0 {
				continue
			}
			prev := name(st, i-1)
			s.Rules = append(s.Rules, compat.RuleSpec{ID: n + "-skew", Skew: &compat.SkewSpec{
				Component: n, RelativeTo: prev, Unit: compat.Minor, Ahead: compat.Limit(1), Behind: compat.Limit(2)}})
			for v := 3; v < 10; v += 3 {
				s.Rules = append(s.Rules, compat.RuleSpec{ID: fmt.Sprintf("%s-needs-%d", n, v), Requires: &compat.RequiresSpec{
					When: compat.Selector{Component: n, Versions: fmt.Sprintf(">= 1.%d", v)},
					Need: compat.Selector{Component: prev, Versions: fmt.Sprintf(">= 1.%d", v-1)}}})
			}
		}
	}
	m, err := compat.Compile(s)
	if err != nil {
		tb.Fatal(err)
	}
	return m, compat.MustDeployment(cur), compat.MustDeployment(tgt)
}

// BenchmarkPlan50x10 plans 50 components with 10 catalog versions each;
// the target is at most 100 ms per Plan.
func BenchmarkPlan50x10(b *testing.B) {
	m, cur, tgt := planMatrix(b)
	for _, o := range []struct {
		name string
		opts compat.PlanOptions
	}{{"whole", compat.PlanOptions{}}, {"minors", compat.PlanOptions{StepThroughMinors: true}}} {
		b.Run(o.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Plan(cur, tgt, nil, o.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestPlan50x10(t *testing.T) {
	m, cur, tgt := planMatrix(t)
	// The per-instance search is given a small budget so that its
	// fallback (whole-component plan, expanded per instance) runs quickly.
	for _, opts := range []compat.PlanOptions{{}, {StepThroughMinors: true}, {PerInstance: true, MaxStates: 2000}} {
		p, err := m.Plan(cur, tgt, nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v: %d steps in %d waves, optimal %v", opts, len(p.Steps), len(p.Waves), p.Optimal)
		end := verifyPlan(t, m, cur, p, opts)
		sameVersions(t, end, tgt)
	}
}

func TestCheck1000x5000(t *testing.T) {
	m, d := bigMatrix(t, 1000, 5000)
	rep := m.Check(d)
	if rep.OK() {
		t.Fatal("synthetic deployment should break some rules")
	}
	t.Logf("%d violations, verdict %s", len(rep.Violations), rep.Verdict)
}

// BenchmarkParseVersion measures version parsing, done once per input.
func BenchmarkParseVersion(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = compat.ParseVersion("v1.29.3-eks-1234")
	}
}

// BenchmarkRangeMatchPrerelease measures the prerelease policy path.
func BenchmarkRangeMatchPrerelease(b *testing.B) {
	r := compat.MustParseRange(">= 2.0.0-rc.1, < 3")
	v := compat.MustParseVersion("2.0.0-rc.2")
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Match(v, compat.PrereleaseExplicit)
	}
}

// BenchmarkUsableFeatures measures the feature query on the sample matrix.
func BenchmarkUsableFeatures(b *testing.B) {
	m := loadShop(b)
	d := compat.MustDeployment(healthy())
	b.ReportAllocs()
	for b.Loop() {
		_ = m.UsableFeatures(d)
	}
}

// BenchmarkPlanStates measures replaying a plan of the 50-component
// benchmark (one deployment per wave) and classifying its waves.
func BenchmarkPlanStates(b *testing.B) {
	m, cur, tgt := planMatrix(b)
	p, err := m.Plan(cur, tgt, nil, compat.PlanOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		states := p.States(cur)
		for i := range states {
			_ = p.WaveChange(i)
		}
	}
}

// BenchmarkUpgradeTo measures "production after a bump" on the
// 50-component deployment.
func BenchmarkUpgradeTo(b *testing.B) {
	_, cur, tgt := planMatrix(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = cur.UpgradeTo(tgt)
	}
}
