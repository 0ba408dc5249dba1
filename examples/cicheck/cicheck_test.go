package cicheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
	"github.com/glidepath/glidepath/compat/compattest"
)

// TestProposedBumpKeepsProductionCompatible is the check to copy into your
// repository. It fails the pull request that edits testdata/bump.yaml if
// the bump breaks compatibility, now or during the rolling upgrade.
func TestProposedBumpKeepsProductionCompatible(t *testing.T) {
	m := compattest.Load(t, "testdata/matrix.yaml")
	prod := compattest.LoadDeployment(t, "testdata/production.yaml")
	bump := compattest.LoadDeployment(t, "testdata/bump.yaml")

	// Production must be compatible before the change; otherwise a failure
	// below would not be this change's fault.
	if !compattest.AssertCompatible(t, m, prod) {
		t.Fatal("production is already incompatible: fix that first")
	}

	// The end state: every instance of each bumped component on its new
	// version, under the same instance names.
	compattest.AssertCompatible(t, m, prod.UpgradeTo(bump))

	// The way there: an order of steps in which every state, including old
	// and new instances running side by side, is compatible. AssertPlan
	// replays the plan with Check alone, so a planner bug cannot hide a
	// broken state.
	if plan := compattest.AssertPlan(t, m, prod, bump, nil, compat.PlanOptions{}); plan != nil {
		t.Logf("rollout order:\n%s", plan)
	}
}

// recorder is a compattest.T that records failures instead of failing, to
// test the check itself and to show its messages.
type recorder struct{ failures []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

// TestCheckCatchesBreakingBumps makes sure the check above can fail: each
// bump is run through the same assertions, recorded instead of failing.
func TestCheckCatchesBreakingBumps(t *testing.T) {
	m := compattest.Load(t, "testdata/matrix.yaml")
	prod := compattest.LoadDeployment(t, "testdata/production.yaml")
	tests := []struct {
		name string
		bump map[string][]string
		// rules the end state breaks, in report order; none means it passes
		rules []string
	}{
		{"the proposed bump", nil, nil},
		{"the whole release train", map[string][]string{"web": {"5.0.0"}, "orders-api": {"3.2.0"}, "payments": {"2.3.0"}}, nil},
		{"web 5 before orders-api 3.2", map[string][]string{"web": {"5.0.0"}}, []string{"web-5-needs-orders-v2"}},
		{"orders-api 3.2 on PostgreSQL 14", map[string][]string{"orders-api": {"3.2.0"}, "postgres": {"14.10"}}, []string{"orders-api-needs-pg15", "pg14-tested-only"}},
		{"ledger ahead of payments by two minors", map[string][]string{"ledger": {"2.4.0"}}, []string{"ledger-skew"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bump := compattest.LoadDeployment(t, "testdata/bump.yaml")
			if tc.bump != nil {
				bump = compattest.Deployment(t, tc.bump)
			}
			next := prod.UpgradeTo(bump)
			// What the end state breaks, checked directly.
			compattest.AssertViolations(t, m, next, tc.rules...)

			// What the copied check reports.
			var r recorder
			compattest.AssertCompatible(&r, m, next)
			compattest.AssertPlan(&r, m, prod, bump, nil, compat.PlanOptions{})
			if len(tc.rules) == 0 {
				if len(r.failures) > 0 {
					t.Errorf("a compatible bump failed the check:\n%s", strings.Join(r.failures, "\n"))
				}
				return
			}
			if len(r.failures) == 0 {
				t.Fatal("an incompatible bump passed the check")
			}
			for _, rule := range tc.rules {
				if !strings.Contains(r.failures[0], rule) {
					t.Errorf("failure does not name rule %s:\n%s", rule, r.failures[0])
				}
			}
		})
	}
}

// TestLoadDeploymentFailsOnBadFiles makes sure a broken deployment file
// fails the check with a message that names the file, rather than passing
// on an empty deployment.
func TestLoadDeploymentFailsOnBadFiles(t *testing.T) {
	tests := []struct{ name, path, want string }{
		{"missing", "testdata/nope.yaml", "nope.yaml"},
		{"not a deployment", "testdata/matrix.yaml", "matrix.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r recorder
			compattest.LoadDeployment(&r, tc.path)
			if len(r.failures) == 0 || !strings.Contains(r.failures[0], tc.want) {
				t.Errorf("failures %q, want one naming %s", r.failures, tc.want)
			}
		})
	}
}

// Example_failingBump shows what a pull request that bumps web to 5.0
// before orders-api reaches 3.2 sees in its CI log.
func Example_failingBump() {
	var r recorder // in a real test, t
	m := compattest.Load(&r, "testdata/matrix.yaml")
	prod := compattest.LoadDeployment(&r, "testdata/production.yaml")
	bump := compattest.Deployment(&r, map[string][]string{"web": {"5.0.0"}})

	compattest.AssertCompatible(&r, m, prod.UpgradeTo(bump))
	compattest.AssertPlan(&r, m, prod, bump, nil, compat.PlanOptions{})
	for _, f := range r.failures {
		fmt.Println(f)
	}
	// Output:
	// compattest: deployment is unsupported; want at least supported. 1 violation:
	//   - [unsupported] web-5-needs-orders-v2 (owner team-storefront): web 5.0.0 on web-1, web-2 requires orders-api >=3.2, but orders-api runs 3.1.0 on orders-1, orders-2, orders-3. Fix: upgrade orders-api into >=3.2 (for example 3.2.0) before web, or roll web back outside >=5.0. Rule: web 5.0 calls the /v2/orders endpoint added in orders-api 3.2
	// compattest: no plan: target deployment is unsupported; want at least supported. 1 violation:
	//   - [unsupported] web-5-needs-orders-v2 (owner team-storefront): web 5.0.0 on web-1, web-2 requires orders-api >=3.2, but orders-api runs 3.1.0 on orders-1, orders-2, orders-3. Fix: upgrade orders-api into >=3.2 (for example 3.2.0) before web, or roll web back outside >=5.0. Rule: web 5.0 calls the /v2/orders endpoint added in orders-api 3.2
}
