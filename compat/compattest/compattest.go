// Package compattest asserts compatibility in unit tests, so that a change
// that breaks the compatibility matrix fails before merge:
//
//	func TestProductionIsCompatible(t *testing.T) {
//		m := compattest.Load(t, "../compat.yaml")
//		compattest.AssertCompatible(t, m, compattest.Deployment(t, map[string][]string{
//			"orders-api": {"3.2.0", "3.2.0"},
//			"postgres":   {"15.5"},
//		}))
//	}
//
// Failures list every violation with its rule, owner and what to do. A
// proposed change is checked against what runs in production with
// [LoadDeployment] and [compat.Deployment.UpgradeTo]:
//
//	prod := compattest.LoadDeployment(t, "../production.yaml")
//	bump := compattest.Deployment(t, map[string][]string{"web": {"5.0.0"}})
//	compattest.AssertCompatible(t, m, prod.UpgradeTo(bump))
//	compattest.AssertPlan(t, m, prod, bump, nil, compat.PlanOptions{})
package compattest

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/glidepath/glidepath/compat"
	"github.com/google/go-cmp/cmp"
)

// T is the part of [testing.TB] the assertions use.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Load compiles the matrix file at path or fails the test.
func Load(t T, path string, opts ...compat.Option) *compat.Matrix {
	t.Helper()
	m, err := compat.LoadFile(path, opts...)
	if err != nil {
		t.Fatalf("compattest: %s", reason(err))
	}
	return m
}

// Deployment builds a deployment from version strings (one per instance)
// or fails the test.
func Deployment(t T, versions map[string][]string) compat.Deployment {
	t.Helper()
	d, err := compat.NewDeployment(versions)
	if err != nil {
		t.Fatalf("compattest: %s", reason(err))
	}
	return d
}

// LoadDeployment reads the deployment file at path (see
// [compat.LoadDeployment]) or fails the test.
func LoadDeployment(t T, path string) compat.Deployment {
	t.Helper()
	d, err := compat.LoadDeployment(path)
	if err != nil {
		t.Fatalf("compattest: %s", reason(err))
	}
	return d
}

// AssertCompatible fails t, listing every violation, unless m rates d
// Supported (no violation below Supported), and also when d names
// components or features that m does not declare: a misspelled name
// would otherwise pass unchecked. It reports whether d passed.
func AssertCompatible(t T, m *compat.Matrix, d compat.Deployment) bool {
	t.Helper()
	return AssertLevel(t, m, d, compat.Supported)
}

// AssertLevel fails t unless the verdict for d is at least min; use
// compat.TestedOnly to accept combinations that are tested but not
// supported. Like [AssertCompatible] it fails when d names components or
// features unknown to m. It reports whether d passed.
func AssertLevel(t T, m *compat.Matrix, d compat.Deployment, min compat.Level) bool {
	t.Helper()
	rep := m.Check(d)
	bad := below(rep, min)
	unknown := len(rep.UnknownComponents) > 0 || len(rep.UnknownFeatures) > 0
	if len(bad) == 0 && !unknown {
		return true
	}
	var b strings.Builder
	if len(bad) > 0 {
		b.WriteString(describe("deployment", rep.Verdict, min, bad))
	}
	if unknown {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString("deployment names what the matrix does not declare, so no rule checks it:")
		if len(rep.UnknownComponents) > 0 {
			fmt.Fprintf(&b, "\n  - unknown components: %s", strings.Join(rep.UnknownComponents, ", "))
		}
		if len(rep.UnknownFeatures) > 0 {
			fmt.Fprintf(&b, "\n  - unknown features: %s", strings.Join(rep.UnknownFeatures, ", "))
		}
	}
	t.Errorf("compattest: %s", b.String())
	return false
}

// describe renders violations the way every assertion shows them: a
// headline naming what was checked, then one indented line per violation.
func describe(what string, verdict, min compat.Level, bad []compat.Violation) string {
	var b strings.Builder
	noun := "violations"
	if len(bad) == 1 {
		noun = "violation"
	}
	fmt.Fprintf(&b, "%s is %s; want at least %s. %d %s:", what, verdict, min, len(bad), noun)
	for _, v := range bad {
		b.WriteString("\n  - ")
		b.WriteString(v.String())
	}
	return b.String()
}

// below returns the violations of rep under min, in report order.
func below(rep compat.Report, min compat.Level) []compat.Violation {
	var bad []compat.Violation
	for _, v := range rep.Violations {
		if v.Level < min {
			bad = append(bad, v)
		}
	}
	return bad
}

// reason is err's message without the "compat: " prefix, which would
// otherwise follow "compattest: ".
func reason(err error) string {
	return strings.TrimPrefix(err.Error(), "compat: ")
}

// AssertViolations fails t unless d breaks exactly the rules with the
// given ids, in report order; the failure shows a diff. It reports whether
// the rules matched.
func AssertViolations(t T, m *compat.Matrix, d compat.Deployment, ruleIDs ...string) bool {
	t.Helper()
	rep := m.Check(d)
	got := []string{}
	for _, v := range rep.Violations {
		got = append(got, v.Rule)
	}
	want := append([]string{}, ruleIDs...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("compattest: violated rules differ (-want +got):\n%s\nreport:\n%s", diff, rep)
		return false
	}
	return true
}

// AssertFeatures fails t unless the features usable in d are exactly
// want, in matrix order.
func AssertFeatures(t T, m *compat.Matrix, d compat.Deployment, want ...string) bool {
	t.Helper()
	got := m.UsableFeatures(d)
	if diff := cmp.Diff(append([]string{}, want...), append([]string{}, got...)); diff != "" {
		t.Errorf("compattest: usable features differ (-want +got):\n%s", diff)
		return false
	}
	return true
}

// AssertPlan plans current to target, fails t if there is no plan (an
// incompatible end state is listed like [AssertLevel] lists violations), and
// verifies the plan with [VerifyPlan]. It returns the plan, or nil.
func AssertPlan(t T, m *compat.Matrix, current, target compat.Deployment, catalog compat.Catalog, opts compat.PlanOptions) *compat.Plan {
	t.Helper()
	p, err := m.Plan(current, target, catalog, opts)
	if err != nil {
		var se *compat.StateError
		if errors.As(err, &se) {
			min := compat.Supported
			if opts.AllowTestedOnly {
				min = compat.TestedOnly
			}
			t.Errorf("compattest: no plan: %s", describe(se.Which+" deployment", se.Report.Verdict, min, below(se.Report, min)))
		} else {
			t.Errorf("compattest: no plan: %s", reason(err))
		}
		return nil
	}
	if err := VerifyPlan(m, current, target, p, opts); err != nil {
		t.Errorf("compattest: %v\nplan:\n%s", err, p)
		return nil
	}
	return p
}

// VerifyPlan replays p from current with [compat.Matrix.Check] alone and
// returns an error describing the first problem: a wave over
// opts.MaxParallel, a step listed twice in a wave, a reachable state that
// fails Check, or an end state that differs from target. For each wave it
// checks every combination of its steps being not started, in progress
// (whole-component steps: old and new instances side by side) or done;
// waves with more than 2187 combinations are checked on a deterministic
// sample of 200 of them.
func VerifyPlan(m *compat.Matrix, current, target compat.Deployment, p *compat.Plan, opts compat.PlanOptions) error {
	threshold := compat.Supported
	if opts.AllowTestedOnly {
		threshold = compat.TestedOnly
	}
	pass := func(d compat.Deployment) *compat.Report {
		rep := m.Check(d)
		for _, v := range rep.Violations {
			if v.Level < threshold {
				return &rep
			}
		}
		return nil
	}
	// apply moves s not at all (phase 0), half way (phase 1: for a
	// whole-component step, old and new instances side by side) or fully
	// (phase 2, as compat.Deployment.Apply does).
	apply := func(d compat.Deployment, s compat.Step, phase int) compat.Deployment {
		switch {
		case phase == 0:
			return d
		case phase == 1 && s.Instance == "":
			insts := append(slices.Clone(d.Components[s.Component]), compat.Instance{Name: s.Component + " (rolling)", Version: s.To})
			return d.With(s.Component, insts...)
		}
		return d.Apply(s)
	}
	if rep := pass(current); rep != nil {
		return fmt.Errorf("current deployment fails Check:\n%s", rep)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	d := current
	n := 0
	for wi, w := range p.Waves {
		if opts.MaxParallel > 0 && len(w) > opts.MaxParallel {
			return fmt.Errorf("wave %d has %d steps; MaxParallel is %d", wi+1, len(w), opts.MaxParallel)
		}
		seen := map[string]bool{}
		for _, s := range w {
			if n >= len(p.Steps) || p.Steps[n] != s {
				return fmt.Errorf("wave %d step %v is not Steps[%d]", wi+1, s, n)
			}
			n++
			key := s.Component + "/" + s.Instance
			if seen[key] {
				return fmt.Errorf("wave %d moves %s twice", wi+1, key)
			}
			seen[key] = true
		}
		phases := 3
		if opts.PerInstance {
			phases = 2
		}
		total := 1
		for range w {
			if total > 1<<20 {
				break
			}
			total *= phases
		}
		check := func(code int) error {
			x := d
			for _, s := range w {
				ph := code % phases
				code /= phases
				if phases == 2 && ph == 1 {
					ph = 2
				}
				x = apply(x, s, ph)
			}
			if rep := pass(x); rep != nil {
				return fmt.Errorf("wave %d: a reachable state fails Check:\n%s", wi+1, rep)
			}
			return nil
		}
		if total <= 2187 {
			for code := range total {
				if err := check(code); err != nil {
					return err
				}
			}
		} else {
			for range 200 {
				if err := check(rng.IntN(total)); err != nil {
					return err
				}
			}
		}
		for _, s := range w {
			d = apply(d, s, 2)
		}
	}
	if n != len(p.Steps) {
		return fmt.Errorf("waves hold %d steps but Steps has %d", n, len(p.Steps))
	}
	for _, name := range slices.Sorted(maps.Keys(target.Components)) { // first mismatch by name, not by map order
		want := target.Components[name]
		for _, in := range d.Components[name] {
			if len(want) > 0 && !in.Version.Equal(want[0].Version) {
				return fmt.Errorf("after the plan %s runs %s, target is %s", name, in.Version, want[0].Version)
			}
		}
	}
	return nil
}
