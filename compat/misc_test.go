package compat_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/glidepath/glidepath/compat"
	"github.com/google/go-cmp/cmp"
)

func TestEnumStrings(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"level", compat.TestedOnly.String(), "tested-only"},
		{"level out of range", compat.Level(9).String(), "Level(9)"},
		{"level negative", compat.Level(-1).String(), "Level(-1)"},
		{"unit", compat.Patch.String(), "patch"},
		{"unit out of range", compat.Unit(0).String(), "Unit(0)"},
		{"policy", compat.PrereleaseAll.String(), "all"},
		{"policy out of range", compat.PrereleasePolicy(5).String(), "PrereleasePolicy(5)"},
		{"kind", compat.KindInstanceSkew.String(), "instance-skew"},
		{"kind out of range", compat.Kind(0).String(), "Kind(0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	for _, l := range []compat.Level{compat.Unsupported, compat.TestedOnly, compat.Supported} {
		b, err := l.MarshalText()
		var back compat.Level
		if err != nil || back.UnmarshalText(b) != nil || back != l {
			t.Errorf("Level %v text round trip failed", l)
		}
	}
	if _, err := compat.Level(7).MarshalText(); err == nil {
		t.Error("invalid Level marshals")
	}
	var u compat.Unit
	if u.UnmarshalText([]byte("decade")) == nil {
		t.Error("unknown unit accepted")
	}
	var k compat.Kind
	if k.UnmarshalText([]byte("skew")) != nil || k != compat.KindSkew {
		t.Error("Kind text")
	}
}

func TestDecodeDeployment(t *testing.T) {
	d, err := compat.DecodeDeployment([]byte(`
components:
  orders-api:
    - {name: api-eu-1, version: "3.2.0"}
    - {name: api-eu-2, version: "v3.3.0"}
features: [checkout-v2]
`), "deploy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := compat.Deployment{
		Components: map[string][]compat.Instance{"orders-api": {
			{Name: "api-eu-1", Version: compat.MustParseVersion("3.2.0")},
			{Name: "api-eu-2", Version: compat.MustParseVersion("v3.3.0")},
		}},
		Features: []string{"checkout-v2"},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Error(diff)
	}
	_, err = compat.DecodeDeployment([]byte("components:\n  api:\n    - {version: \"3.x\"}\n"), "deploy.yaml")
	if err == nil || !strings.Contains(err.Error(), `compat: deploy.yaml: components.api[0].version: "3.x": malformed version`) {
		t.Errorf("err = %v", err)
	}
	_, err = compat.DecodeDeployment([]byte("components:\n  api:\n    - {name: x}\n"), "deploy.yaml")
	if err == nil || err.Error() != "compat: deploy.yaml: components.api[0].version: version is required" {
		t.Errorf("err = %v", err)
	}
	_, err = compat.DecodeDeployment([]byte("components:\n  api:\n    - {version: 3.10}\n"), "deploy.yaml")
	if err == nil || !strings.Contains(err.Error(), "components.api[0].version") {
		t.Errorf("err = %v", err)
	}
}

func TestWithNormalizer(t *testing.T) {
	spec := compat.Spec{
		Components: []compat.ComponentSpec{{Name: "api"}, {Name: "db"}},
		Rules: []compat.RuleSpec{{ID: "r", Requires: &compat.RequiresSpec{
			When: compat.Selector{Component: "api"}, Need: compat.Selector{Component: "db", Versions: ">= 15"}}}},
	}
	d := compat.MustDeployment(map[string][]string{"api": {"1.0"}, "db": {"15.2-acme.7"}})
	plain := compat.MustCompile(spec)
	if plain.Check(d).OK() {
		t.Fatal("vendor prerelease should not match without a normalizer")
	}
	m := compat.MustCompile(spec, compat.WithNormalizer(compat.StripVendorPrerelease("acme")))
	rep := m.Check(d)
	if !rep.OK() {
		t.Fatalf("normalized vendor build should pass: %s", rep)
	}
	spec.VendorPrereleases = []string{"acme"}
	if !compat.MustCompile(spec).Check(d).OK() {
		t.Error("VendorPrereleases in the spec should normalize too")
	}
	// Reports show the version as deployed.
	bad := compat.MustDeployment(map[string][]string{"api": {"1.0"}, "db": {"14.2-acme.7"}})
	if v := m.Check(bad).Violations[0].Instances[1].Version.String(); v != "14.2-acme.7" {
		t.Errorf("reported version = %s", v)
	}
}

func TestPrereleasePolicyInMatrix(t *testing.T) {
	spec := compat.Spec{
		Components: []compat.ComponentSpec{{Name: "api"}, {Name: "db"}},
		Rules: []compat.RuleSpec{{ID: "r", Requires: &compat.RequiresSpec{
			When: compat.Selector{Component: "api"}, Need: compat.Selector{Component: "db", Versions: ">= 15"}}}},
	}
	d := compat.MustDeployment(map[string][]string{"api": {"1.0"}, "db": {"16.0-rc.1"}})
	if compat.MustCompile(spec).Check(d).OK() {
		t.Error("explicit policy: a prerelease must not match >= 15")
	}
	spec.Prerelease = compat.PrereleaseAll
	if !compat.MustCompile(spec).Check(d).OK() {
		t.Error("all policy: 16.0-rc.1 is >= 15")
	}
}

func TestConcurrentUse(t *testing.T) {
	m := loadShop(t)
	want := m.Check(compat.MustDeployment(with(healthy(), "postgres", []string{"14.10"}))).String()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := m.Check(compat.MustDeployment(with(healthy(), "postgres", []string{"14.10"}))).String(); got != want {
					t.Error("concurrent Check differs")
				}
				if _, err := m.Plan(shopCurrent(), shopTarget(), nil, compat.PlanOptions{}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func TestMatrixAccessors(t *testing.T) {
	m := loadShop(t)
	if m.Name() != "shop" || len(m.FeatureIDs()) != 3 || m.Catalog("nope") != nil {
		t.Error("accessors")
	}
	cat := m.Catalog("postgres")
	cat[0] = compat.MustParseVersion("1")
	if m.Catalog("postgres")[0].String() != "14.10" {
		t.Error("Catalog aliases the matrix")
	}
	_, err := compat.Compile(compat.Spec{})
	var me *compat.MatrixError
	if !errors.As(err, &me) || len(me.Unwrap()) != 1 {
		t.Errorf("Unwrap: %v", err)
	}
}

func TestMatrixErrorListsProblems(t *testing.T) {
	_, err := compat.Compile(compat.Spec{Components: []compat.ComponentSpec{{Name: ""}, {Name: "a", Versions: []string{"x", "y"}}}})
	msg := err.Error()
	for _, want := range []string{"compat: invalid matrix: 3 problems", "\n\tcomponents[0].name: component name is required", `components[1].versions[1]: "y": malformed version`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}
