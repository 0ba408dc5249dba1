package compattest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
	"github.com/glidepath/glidepath/compat/compattest"
)

// recorder is a compattest.T that records failures instead of failing.
type recorder struct {
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
}

var _ compattest.T = (*recorder)(nil)
var _ compattest.T = (testing.TB)(nil)

func shop(t *testing.T) *compat.Matrix { return compattest.Load(t, "../testdata/shop.yaml") }

func good() map[string][]string {
	return map[string][]string{
		"web": {"5.0.0"}, "orders-client": {"1.0.0"}, "orders-api": {"3.2.0", "3.2.0"},
		"orders-worker": {"1.5.0"}, "payments": {"2.3.0"}, "ledger": {"2.3.0"}, "postgres": {"15.5"},
		"kube-apiserver": {"1.29.3"}, "kubelet": {"1.29.3"},
	}
}

func TestAssertCompatible(t *testing.T) {
	m := shop(t)
	tests := []struct {
		name     string
		edit     map[string][]string
		min      compat.Level
		ok       bool
		contains []string
	}{
		{name: "compatible", min: compat.Supported, ok: true},
		{name: "broken", edit: map[string][]string{"postgres": {"14.10"}}, min: compat.Supported,
			contains: []string{"deployment is unsupported; want at least supported. 2 violations:",
				"- [unsupported] orders-api-needs-pg15 (owner team-orders): orders-api 3.2.0 on orders-api[0], orders-api[1] requires postgres >=15",
				"- [tested-only] pg14-tested-only"}},
		{name: "tested-only accepted", edit: map[string][]string{"postgres": {"14.10"}, "orders-api": {"3.1.0"}}, min: compat.TestedOnly, ok: true},
		{name: "misspelled component", edit: map[string][]string{"orders-apl": {"3.2.0"}}, min: compat.Supported,
			contains: []string{"no rule checks it:\n  - unknown components: orders-apl"}},
		{name: "misspelled component, tested-only", edit: map[string][]string{"postgress": {"9.0"}}, min: compat.TestedOnly,
			contains: []string{"unknown components: postgress"}},
		{name: "tested-only rejected", edit: map[string][]string{"postgres": {"14.10"}, "orders-api": {"3.1.0"}}, min: compat.Supported,
			contains: []string{"deployment is tested-only; want at least supported. 1 violation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := good()
			for k, x := range tt.edit {
				v[k] = x
			}
			var r recorder
			got := compattest.AssertLevel(&r, m, compattest.Deployment(t, v), tt.min)
			if got != tt.ok || (len(r.errors) == 0) != tt.ok {
				t.Fatalf("AssertLevel = %v with errors %q", got, r.errors)
			}
			for _, c := range tt.contains {
				if !strings.Contains(r.errors[0], c) {
					t.Errorf("failure lacks %q:\n%s", c, r.errors[0])
				}
			}
			if tt.min == compat.Supported {
				var r2 recorder
				if compattest.AssertCompatible(&r2, m, compattest.Deployment(t, v)) != tt.ok {
					t.Error("AssertCompatible disagrees with AssertLevel(Supported)")
				}
			}
		})
	}
}

func TestAssertViolations(t *testing.T) {
	m := shop(t)
	v := good()
	v["postgres"] = []string{"14.10"}
	d := compattest.Deployment(t, v)
	if !compattest.AssertViolations(t, m, d, "orders-api-needs-pg15", "pg14-tested-only") {
		t.Fatal("exact ids rejected")
	}
	var r recorder
	if compattest.AssertViolations(&r, m, d, "pg14-tested-only") {
		t.Fatal("wrong ids accepted")
	}
	// go-cmp output is deliberately unstable in its spacing.
	if msg := r.errors[0]; !strings.Contains(msg, "(-want +got)") || !strings.Contains(msg, `"orders-api-needs-pg15"`) {
		t.Errorf("failure lacks a diff:\n%s", r.errors[0])
	}
	var r2 recorder
	if compattest.AssertViolations(&r2, m, compattest.Deployment(t, good())) != true || len(r2.errors) != 0 {
		t.Error("no violations expected and none found, but it failed")
	}
}

func TestAssertFeatures(t *testing.T) {
	m := shop(t)
	d := compattest.Deployment(t, good())
	compattest.AssertFeatures(t, m, d, "checkout-v2", "saved-carts")
	var r recorder
	if compattest.AssertFeatures(&r, m, d, "one-click") || len(r.errors) != 1 {
		t.Error("wrong features accepted")
	}
}

func TestLoadAndDeploymentFail(t *testing.T) {
	var r recorder
	compattest.Load(&r, "../testdata/missing.yaml")
	if !r.fatal {
		t.Error("Load of a missing file did not fail")
	}
	var r2 recorder
	compattest.Deployment(&r2, map[string][]string{"web": {"five"}})
	if !r2.fatal || !strings.Contains(r2.errors[0], `web[0]`) {
		t.Errorf("Deployment with a bad version: %q", r2.errors)
	}
}

func TestAssertPlan(t *testing.T) {
	m := shop(t)
	cur := compattest.Deployment(t, map[string][]string{"payments": {"2.1.0"}, "ledger": {"2.1.0"}})
	tgt := compattest.Deployment(t, map[string][]string{"payments": {"2.4.0"}, "ledger": {"2.4.0"}})
	p := compattest.AssertPlan(t, m, cur, tgt, nil, compat.PlanOptions{})
	if p == nil || len(p.Steps) != 6 {
		t.Fatalf("plan = %v", p)
	}
	// A tampered plan must be rejected by VerifyPlan.
	bad := &compat.Plan{Steps: []compat.Step{p.Steps[1]}, Waves: [][]compat.Step{{p.Steps[1]}}}
	bad.Steps[0].Wave = 0
	bad.Waves[0][0].Wave = 0
	if err := compattest.VerifyPlan(m, cur, compat.Deployment{}, bad, compat.PlanOptions{}); err == nil || !strings.Contains(err.Error(), "payments-needs-ledger-2.2") {
		t.Errorf("VerifyPlan accepted an unsafe plan: %v", err)
	}
	// Two steps that are safe in sequence but not in parallel.
	par := &compat.Plan{Steps: p.Steps[:2], Waves: [][]compat.Step{p.Steps[:2]}}
	if err := compattest.VerifyPlan(m, cur, compat.Deployment{}, par, compat.PlanOptions{}); err == nil {
		t.Error("VerifyPlan accepted an unsafe wave")
	}
	if err := compattest.VerifyPlan(m, cur, tgt, &compat.Plan{}, compat.PlanOptions{}); err == nil || !strings.Contains(err.Error(), "target is 2.4.0") {
		t.Errorf("VerifyPlan accepted a plan that stops short: %v", err)
	}
	var r recorder
	dead := compattest.Deployment(t, map[string][]string{"payments": {"2.1.0"}, "ledger": {"2.1.0"}})
	if compattest.AssertPlan(&r, m, dead, tgt, compat.Catalog{"ledger": {}}, compat.PlanOptions{}) != nil || len(r.errors) != 1 {
		t.Errorf("AssertPlan without a path: %q", r.errors)
	}
}

// TestAssertPlanFailureText: AssertPlan's failures read like
// AssertCompatible's, with one package prefix and the same indented
// violation lines.
func TestAssertPlanFailureText(t *testing.T) {
	m := shop(t)
	cur := compattest.Deployment(t, good())
	tests := []struct {
		name   string
		target map[string][]string
		opts   compat.PlanOptions
		want   []string // the failure's lines, or prefixes of them ending in "…"
	}{
		{name: "incompatible target", target: map[string][]string{"postgres": {"14.10"}},
			want: []string{
				"compattest: no plan: target deployment is unsupported; want at least supported. 2 violations:",
				"  - [unsupported] orders-api-needs-pg15 (owner team-orders): …",
				"  - [tested-only] pg14-tested-only …",
			}},
		{name: "incompatible target, tested-only allowed", target: map[string][]string{"postgres": {"14.10"}}, opts: compat.PlanOptions{AllowTestedOnly: true},
			want: []string{
				"compattest: no plan: target deployment is unsupported; want at least tested-only. 1 violation:",
				"  - [unsupported] orders-api-needs-pg15 (owner team-orders): …",
			}},
		{name: "invalid input", target: map[string][]string{"postgres": {"15.5", "16.1"}},
			want: []string{`compattest: no plan: invalid plan input: target component "postgres" lists several versions (15.5 and 16.1)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r recorder
			if p := compattest.AssertPlan(&r, m, cur, compattest.Deployment(t, tt.target), nil, tt.opts); p != nil || len(r.errors) != 1 {
				t.Fatalf("AssertPlan = %v with failures %q; want nil and one failure", p, r.errors)
			}
			lines := strings.Split(r.errors[0], "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("failure has %d lines, want %d:\n%s", len(lines), len(tt.want), r.errors[0])
			}
			for i, w := range tt.want {
				ok := lines[i] == w
				if p, cut := strings.CutSuffix(w, "…"); cut {
					ok = strings.HasPrefix(lines[i], p)
				}
				if !ok {
					t.Errorf("line %d = %q, want %q", i+1, lines[i], w)
				}
			}
		})
	}
}

func Example() {
	m := compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{{Name: "api", Owner: "team-api"}, {Name: "db", Owner: "team-db"}},
		Rules: []compat.RuleSpec{{
			ID: "api-needs-db-15", Description: "api 2 uses MERGE",
			Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: "api", Versions: ">= 2"},
				Need: compat.Selector{Component: "db", Versions: ">= 15"},
			},
		}},
	})
	// In a test this is compattest.AssertCompatible(t, m, d); here a
	// printing T shows the failure message.
	d := compat.MustDeployment(map[string][]string{"api": {"2.0.0"}, "db": {"14.10"}})
	compattest.AssertCompatible(printer{}, m, d)
	// Output:
	// compattest: deployment is unsupported; want at least supported. 1 violation:
	//   - [unsupported] api-needs-db-15 (owner team-api): api 2.0.0 on api[0] requires db >=15, but db runs 14.10 on db[0]. Fix: upgrade db into >=15 before api, or roll api back outside >=2. Rule: api 2 uses MERGE
}

type printer struct{}

func (printer) Helper()                           {}
func (printer) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }
func (printer) Fatalf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

func TestLoadDeployment(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		fail    string // "" when the load succeeds
		running string // on success: orders-api's first instance
	}{
		{name: "yaml", path: "../testdata/deployments/production.yaml", running: "orders-1=3.1.0"},
		{name: "bad version", path: "../testdata/deployments/bad-version.yaml", fail: `bad-version.yaml: components.web[1].version: "four": malformed version`},
		{name: "missing file", path: "../testdata/deployments/nope.yaml", fail: "compattest: open ../testdata/deployments/nope.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r recorder
			d := compattest.LoadDeployment(&r, tt.path)
			if tt.fail == "" {
				if len(r.errors) > 0 {
					t.Fatalf("failures: %q", r.errors)
				}
				in := d.Components["orders-api"][0]
				if got := in.Name + "=" + in.Version.String(); got != tt.running {
					t.Errorf("orders-api[0] = %s, want %s", got, tt.running)
				}
				compattest.AssertCompatible(t, shop(t), d)
				return
			}
			if !r.fatal || len(r.errors) != 1 || !strings.Contains(r.errors[0], tt.fail) {
				t.Errorf("fatal=%v failures=%q; want one fatal containing %q", r.fatal, r.errors, tt.fail)
			}
		})
	}
}

func TestVerifyPlanInstanceSteps(t *testing.T) {
	m := shop(t)
	cur := compattest.LoadDeployment(t, "../testdata/deployments/production.yaml")
	tgt := compattest.Deployment(t, map[string][]string{"orders-api": {"3.2.0"}, "web": {"5.0.0"}})
	opts := compat.PlanOptions{PerInstance: true}
	p := compattest.AssertPlan(t, m, cur, tgt, nil, opts)
	if p == nil {
		t.FailNow()
	}
	if len(p.Steps) != 4 || p.Steps[0].Instance == "" {
		t.Errorf("want 4 instance steps, got:\n%s", p)
	}
	// A plan that skips an instance does not reach the target.
	short := &compat.Plan{Steps: p.Steps[:len(p.Steps)-1]}
	for _, s := range short.Steps {
		for len(short.Waves) <= s.Wave {
			short.Waves = append(short.Waves, nil)
		}
		short.Waves[s.Wave] = append(short.Waves[s.Wave], s)
	}
	if err := compattest.VerifyPlan(m, cur, tgt, short, opts); err == nil || !strings.Contains(err.Error(), "after the plan") {
		t.Errorf("VerifyPlan accepted a plan that leaves an instance behind: %v", err)
	}
}
