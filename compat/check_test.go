package compat_test

import (
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
	"github.com/google/go-cmp/cmp"
)

func loadShop(t testing.TB) *compat.Matrix {
	t.Helper()
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	return m
}

// healthy is a supported deployment of the shop matrix.
func healthy() map[string][]string {
	return map[string][]string{
		"web": {"5.0.0"}, "orders-client": {"1.0.0"}, "orders-api": {"3.2.0", "3.2.0"},
		"orders-worker": {"1.5.0"}, "payments": {"2.3.0"}, "ledger": {"2.3.0"}, "postgres": {"15.5"},
		"kube-apiserver": {"1.29.3"}, "kubelet": {"1.29.3", "1.28.5-eks-5678"},
	}
}

func with(base map[string][]string, kv ...any) map[string][]string {
	out := map[string][]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1].([]string)
	}
	return out
}

func ruleIDs(r compat.Report) []string {
	var ids []string
	for _, v := range r.Violations {
		ids = append(ids, v.Rule)
	}
	return ids
}

func TestCheck(t *testing.T) {
	m := loadShop(t)
	tests := []struct {
		name     string
		versions map[string][]string
		features []string
		verdict  compat.Level
		rules    []string
		why      string // substring of the first violation's Why
	}{
		{name: "healthy", versions: healthy(), verdict: compat.Supported},
		{name: "missing requirement", versions: with(healthy(), "postgres", nil), verdict: compat.Unsupported,
			rules: []string{"orders-api-needs-pg15"}, why: "postgres >=15, which is not deployed"},
		{name: "requirement too old", versions: with(healthy(), "postgres", []string{"14.10"}), verdict: compat.Unsupported,
			rules: []string{"orders-api-needs-pg15", "pg14-tested-only"}, why: "upgrade postgres into >=15 (for example 15.5) before orders-api"},
		{name: "tested only", versions: with(healthy(), "orders-api", []string{"3.1.0"}, "postgres", []string{"14.10"}), verdict: compat.TestedOnly,
			rules: []string{"pg14-tested-only"}, why: "postgres 14.10 on postgres[0] is tested-only"},
		{name: "conflict", versions: with(healthy(), "orders-api", []string{"3.3.0"}, "payments", []string{"2.1.0"}, "ledger", []string{"2.1.0"}, "orders-worker", []string{"1.6.0"}),
			verdict: compat.Unsupported, rules: []string{"payments-2.1-callbacks"}, why: "payments 2.1.0 on payments[0] must not run beside orders-api >=3.3"},
		{name: "skew behind", versions: with(healthy(), "kubelet", []string{"1.25.0"}), verdict: compat.Unsupported,
			rules: []string{"kubelet-skew"}, why: "is 4 minor versions behind kube-apiserver 1.29.3"},
		{name: "skew override below 1.28", versions: with(healthy(), "kubelet", []string{"1.26.12"}), verdict: compat.Unsupported,
			rules: []string{"kubelet-skew"}, why: "(at most 2 allowed)"},
		{name: "skew within override", versions: with(healthy(), "kubelet", []string{"1.27.9"}, "kube-apiserver", []string{"1.29.3"}), verdict: compat.Supported},
		{name: "skew ahead", versions: with(healthy(), "kubelet", []string{"1.30.1"}), verdict: compat.Unsupported,
			rules: []string{"kubelet-skew"}, why: "it must never be ahead"},
		{name: "skew different major", versions: with(healthy(), "kubelet", []string{"2.0.0"}), verdict: compat.Unsupported,
			rules: []string{"kubelet-skew"}, why: "different major version"},
		{name: "ledger too far ahead", versions: with(healthy(), "ledger", []string{"2.4.0"}, "payments", []string{"2.2.0"}), verdict: compat.Unsupported,
			rules: []string{"ledger-skew"}, why: "is 2 minor versions ahead of payments 2.2.0"},
		{name: "requires newer ledger", versions: with(healthy(), "ledger", []string{"2.2.0"}), verdict: compat.Unsupported,
			rules: []string{"payments-needs-ledger-2.3"}},
		{name: "instance skew", versions: with(healthy(), "orders-api", []string{"3.0.0", "3.2.0"}), verdict: compat.Unsupported,
			rules: []string{"orders-api-rollout"}, why: "orders-api instances span 2 minor versions (3.0.0 on orders-api[0] .. 3.2.0 on orders-api[1])"},
		{name: "schema unreadable", versions: with(healthy(), "orders-api", []string{"3.3.0"}, "orders-worker", []string{"1.4.0"}, "orders-client", []string{"1.0.0"}), verdict: compat.Unsupported,
			rules: []string{"orders-db"}, why: "orders-api 3.3.0 (orders-api[0]) writes orders-db 6, which orders-worker 1.4.0 (orders-worker[0]) cannot read (it reads 5). Fix: upgrade orders-worker to a version that reads 6 (for example 1.5.0)"},
		{name: "schema within one component", versions: with(healthy(), "orders-api", []string{"3.1.0", "3.3.0"}), verdict: compat.Unsupported,
			rules: []string{"orders-api-rollout", "orders-db"}},
		{name: "unsupported version", versions: with(healthy(), "web", []string{"4.8.0"}), verdict: compat.Unsupported,
			rules: []string{"web-4.8-eol"}, why: "web 4.8.0 on web[0] is unsupported (versions <4.9). Fix: move web out of <4.9 (for example to 5.1.0)."},
		{name: "feature enabled and usable", versions: healthy(), features: []string{"checkout-v2"}, verdict: compat.Supported},
		{name: "feature enabled but not usable", versions: with(healthy(), "web", []string{"4.9.0"}), features: []string{"checkout-v2"},
			verdict: compat.Unsupported, rules: []string{"checkout-v2"}, why: "feature checkout-v2 is enabled but not usable: web 4.9.0 on web[0] does not provide it (needs >=5.0)"},
		{name: "feature needs required feature", versions: with(healthy(), "payments", []string{"2.4.0"}, "ledger", []string{"2.4.0"}, "web", []string{"4.9.0"}), features: []string{"one-click"},
			verdict: compat.Unsupported, rules: []string{"one-click"}, why: "(needs >=5.0, needed by required feature checkout-v2)"},
		{name: "vendor build normalized", versions: with(healthy(), "kube-apiserver", []string{"1.29.3-eks-1"}), verdict: compat.Supported},
		{name: "other prerelease not matched", versions: with(healthy(), "postgres", []string{"15.5-beta"}), verdict: compat.Unsupported,
			rules: []string{"orders-api-needs-pg15"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := compat.MustDeployment(tt.versions)
			d.Features = tt.features
			rep := m.Check(d)
			if rep.Verdict != tt.verdict {
				t.Errorf("verdict = %s, want %s\n%s", rep.Verdict, tt.verdict, rep)
			}
			if diff := cmp.Diff(tt.rules, ruleIDs(rep)); diff != "" {
				t.Errorf("violated rules (-want +got):\n%s\n%s", diff, rep)
			}
			if tt.why != "" && (len(rep.Violations) == 0 || !strings.Contains(rep.Violations[0].Why, tt.why)) {
				t.Errorf("first Why lacks %q:\n%s", tt.why, rep)
			}
			for _, v := range rep.Violations {
				if v.Owner == "" || v.Description == "" || len(v.Instances) == 0 || v.Why == "" {
					t.Errorf("violation missing owner, description, instances or why: %+v", v)
				}
			}
			if again := m.Check(d); !cmp.Equal(rep, again) {
				t.Error("Check is not deterministic")
			}
		})
	}
}

func TestCheckUnknowns(t *testing.T) {
	m := loadShop(t)
	d := compat.MustDeployment(with(healthy(), "zeta", []string{"1"}, "alpha", []string{"2"}))
	d.Features = []string{"teleport", "checkout-v2", "kubelet-skew"}
	rep := m.Check(d)
	if diff := cmp.Diff([]string{"alpha", "zeta"}, rep.UnknownComponents); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"kubelet-skew", "teleport"}, rep.UnknownFeatures); diff != "" {
		t.Error(diff)
	}
	if !rep.OK() {
		t.Errorf("unknowns must not be violations: %s", rep)
	}
}

func TestViolationOrderAndInstances(t *testing.T) {
	m := loadShop(t)
	d := compat.MustDeployment(with(healthy(), "postgres", []string{"14.10"}, "kubelet", []string{"1.25.0", "1.29.3"}, "web", []string{"4.8.0"}))
	rep := m.Check(d)
	want := []string{"orders-api-needs-pg15", "kubelet-skew", "web-4.8-eol", "pg14-tested-only"}
	if diff := cmp.Diff(want, ruleIDs(rep)); diff != "" {
		t.Fatalf("order (-want +got):\n%s", diff)
	}
	wantRefs := []compat.InstanceRef{
		{Component: "kubelet", Instance: "kubelet[0]", Version: compat.MustParseVersion("1.25.0")},
		{Component: "kube-apiserver", Instance: "kube-apiserver[0]", Version: compat.MustParseVersion("1.29.3")},
	}
	if diff := cmp.Diff(wantRefs, rep.Violations[1].Instances); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
	if rep.Violations[1].Owner != "team-platform" {
		t.Errorf("owner = %q", rep.Violations[1].Owner)
	}
	if rep.Violations[0].Owner != "team-orders" {
		t.Errorf("owner = %q", rep.Violations[0].Owner)
	}
}

func TestFeatures(t *testing.T) {
	m := loadShop(t)
	d := compat.MustDeployment(with(healthy(), "web", []string{"4.9.0", "5.0.0"}))
	if diff := cmp.Diff([]string{"saved-carts"}, m.UsableFeatures(d)); diff != "" {
		t.Error(diff)
	}
	st := m.Features(d)
	if len(st) != 3 || st[0].Feature != "checkout-v2" || st[0].Usable || len(st[0].Blocking) != 1 || st[0].Blocking[0].Instance != "web[0]" {
		t.Errorf("Features = %+v", st)
	}
	if !strings.HasPrefix(st[0].Why, "web 4.9.0 on web[0] does not provide it") {
		t.Errorf("Why = %s", st[0].Why)
	}
	if got := st[0].String(); !strings.HasPrefix(got, "feature checkout-v2 is not usable: web 4.9.0 on web[0] does not provide it") {
		t.Errorf("String = %s", got)
	}
	if got := st[1].String(); got != "feature saved-carts is usable" || st[1].Why != "" {
		t.Errorf("usable: String = %q, Why = %q", got, st[1].Why)
	}
	if diff := cmp.Diff([]string{"checkout-v2", "saved-carts", "one-click"}, m.UsableFeatures(compat.MustDeployment(with(healthy(), "payments", []string{"2.4.0"}, "ledger", []string{"2.4.0"})))); diff != "" {
		t.Error(diff)
	}
	fp, ok := m.FeatureProviders("one-click")
	if !ok || len(fp) != 4 || fp[0].Component != "payments" || fp[1].Via != "checkout-v2" {
		t.Fatalf("FeatureProviders = %+v", fp)
	}
	if got := fp[1].Catalog; len(got) != 2 || got[0].String() != "5.0.0" {
		t.Errorf("web catalog providing checkout-v2 = %v", got)
	}
	if _, ok := m.FeatureProviders("nope"); ok {
		t.Error("unknown feature reported as known")
	}
}
