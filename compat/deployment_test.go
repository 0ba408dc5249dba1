package compat_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
	"github.com/google/go-cmp/cmp"
)

// versionsOf flattens d to component -> "name=version" strings, in
// instance order, for comparisons.
func versionsOf(d compat.Deployment) map[string][]string {
	out := map[string][]string{}
	for name, insts := range d.Components {
		out[name] = []string{}
		for _, in := range insts {
			out[name] = append(out[name], in.Name+"="+in.Version.String())
		}
	}
	return out
}

func named() compat.Deployment {
	return compat.Deployment{
		Components: map[string][]compat.Instance{
			"web": {
				{Name: "web-1", Version: compat.MustParseVersion("4.9.0")},
				{Name: "web-2", Version: compat.MustParseVersion("5.0.0")},
			},
			"db": {{Version: compat.MustParseVersion("15.5")}, {Version: compat.MustParseVersion("15.5")}},
		},
		Features: []string{"saved-carts"},
	}
}

func TestDeploymentUpgrade(t *testing.T) {
	tests := []struct {
		name      string
		component string
		version   string
		want      map[string][]string
	}{
		{"mixed component converges, names kept", "web", "5.1.0", map[string][]string{
			"web": {"web-1=5.1.0", "web-2=5.1.0"}, "db": {"=15.5", "=15.5"}}},
		{"unnamed instances stay unnamed", "db", "16.1", map[string][]string{
			"web": {"web-1=4.9.0", "web-2=5.0.0"}, "db": {"=16.1", "=16.1"}}},
		{"new component gets one instance", "cache", "7.2", map[string][]string{
			"web": {"web-1=4.9.0", "web-2=5.0.0"}, "db": {"=15.5", "=15.5"}, "cache": {"=7.2"}}},
		{"downgrade is a move like any other", "web", "4.8.0", map[string][]string{
			"web": {"web-1=4.8.0", "web-2=4.8.0"}, "db": {"=15.5", "=15.5"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := named()
			before := versionsOf(d)
			got := d.Upgrade(tt.component, compat.MustParseVersion(tt.version))
			if diff := cmp.Diff(tt.want, versionsOf(got)); diff != "" {
				t.Errorf("Upgrade (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, versionsOf(d)); diff != "" {
				t.Errorf("Upgrade modified its receiver (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(d.Features, got.Features); diff != "" {
				t.Errorf("features changed: %s", diff)
			}
		})
	}
	t.Run("zero deployment", func(t *testing.T) {
		got := compat.Deployment{}.Upgrade("web", compat.MustParseVersion("1.0"))
		if diff := cmp.Diff(map[string][]string{"web": {"=1.0"}}, versionsOf(got)); diff != "" {
			t.Error(diff)
		}
	})
}

func TestDeploymentApply(t *testing.T) {
	v := compat.MustParseVersion
	tests := []struct {
		name  string
		steps []compat.Step
		want  map[string][]string
	}{
		{"no steps", nil, map[string][]string{
			"web": {"web-1=4.9.0", "web-2=5.0.0"}, "db": {"=15.5", "=15.5"}}},
		{"whole component", []compat.Step{{Component: "web", From: v("4.9.0"), To: v("5.1.0")}}, map[string][]string{
			"web": {"web-1=5.1.0", "web-2=5.1.0"}, "db": {"=15.5", "=15.5"}}},
		{"named instance", []compat.Step{{Component: "web", Instance: "web-1", From: v("4.9.0"), To: v("5.0.0")}}, map[string][]string{
			"web": {"web-1=5.0.0", "web-2=5.0.0"}, "db": {"=15.5", "=15.5"}}},
		{"unnamed instance by its report name", []compat.Step{{Component: "db", Instance: "db[1]", From: v("15.5"), To: v("16.1")}}, map[string][]string{
			"web": {"web-1=4.9.0", "web-2=5.0.0"}, "db": {"=15.5", "=16.1"}}},
		{"unknown instance changes nothing", []compat.Step{{Component: "web", Instance: "web-9", To: v("6.0.0")}}, map[string][]string{
			"web": {"web-1=4.9.0", "web-2=5.0.0"}, "db": {"=15.5", "=15.5"}}},
		{"steps apply in order", []compat.Step{
			{Component: "db", Instance: "db[0]", To: v("16.0")},
			{Component: "db", To: v("16.1")},
			{Component: "web", Instance: "web-2", To: v("5.1.0")},
		}, map[string][]string{
			"web": {"web-1=4.9.0", "web-2=5.1.0"}, "db": {"=16.1", "=16.1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := named()
			before := versionsOf(d)
			got := d.Apply(tt.steps...)
			if diff := cmp.Diff(tt.want, versionsOf(got)); diff != "" {
				t.Errorf("Apply (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, versionsOf(d)); diff != "" {
				t.Errorf("Apply modified its receiver (-before +after):\n%s", diff)
			}
		})
	}
}

func TestDeploymentUpgradeTo(t *testing.T) {
	tests := []struct {
		name   string
		target map[string][]string
		want   map[string][]string
	}{
		{"empty target", map[string][]string{}, map[string][]string{
			"web": {"web-1=4.9.0", "web-2=5.0.0"}, "db": {"=15.5", "=15.5"}}},
		{"one component, all instances, names kept", map[string][]string{"web": {"5.1.0"}}, map[string][]string{
			"web": {"web-1=5.1.0", "web-2=5.1.0"}, "db": {"=15.5", "=15.5"}}},
		{"several components and a new one", map[string][]string{"web": {"5.1.0"}, "db": {"16.1"}, "cache": {"7.2"}}, map[string][]string{
			"web": {"web-1=5.1.0", "web-2=5.1.0"}, "db": {"=16.1", "=16.1"}, "cache": {"=7.2"}}},
		{"a target lists its version on the first instance", map[string][]string{"web": {"5.1.0", "9.9.9"}}, map[string][]string{
			"web": {"web-1=5.1.0", "web-2=5.1.0"}, "db": {"=15.5", "=15.5"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := named()
			before := versionsOf(d)
			target := compat.MustDeployment(tt.target)
			got := d.UpgradeTo(target)
			if diff := cmp.Diff(tt.want, versionsOf(got)); diff != "" {
				t.Errorf("UpgradeTo (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, versionsOf(d)); diff != "" {
				t.Errorf("UpgradeTo modified its receiver:\n%s", diff)
			}
		})
	}
	t.Run("empty instance list in target is ignored", func(t *testing.T) {
		got := named().UpgradeTo(compat.Deployment{Components: map[string][]compat.Instance{"web": nil}})
		if diff := cmp.Diff(versionsOf(named()), versionsOf(got)); diff != "" {
			t.Error(diff)
		}
	})
}

func TestLoadDeployment(t *testing.T) {
	tests := []struct {
		file string
		want map[string][]string // on success: the web instances
		errs []string            // on failure: substrings of the error
	}{
		{file: "production.yaml", want: map[string][]string{"web": {"web-1=4.9.0", "web-2=4.9.0"}}},
		{file: "production.json", want: map[string][]string{"web": {"web-1=4.9.0", "web-2=4.9.0"}}},
		{file: "unknown-field.yaml", errs: []string{"unknown-field.yaml", "components.web[0].verison", "unknown field"}},
		{file: "bad-version.yaml", errs: []string{"bad-version.yaml", "components.web[1].version", `"four"`, "malformed version"}},
		{file: "missing-version.yaml", errs: []string{"missing-version.yaml", "components.postgres[0].version", "version is required"}},
		{file: "duplicate-name.yaml", errs: []string{"duplicate-name.yaml", "components.web[1].name", `"web-1"`, "duplicate instance name"}},
		{file: "empty.yaml", errs: []string{"empty.yaml", "document is empty"}},
		{file: "missing.yaml", errs: []string{"compat: ", "missing.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d, err := compat.LoadDeployment("testdata/deployments/" + tt.file)
			if tt.errs == nil {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want["web"], versionsOf(d)["web"]); diff != "" {
					t.Errorf("web (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; got %v", versionsOf(d))
			}
			for _, s := range tt.errs {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			var me *compat.MatrixError
			if tt.file != "missing.yaml" {
				if !errors.As(err, &me) || len(me.Problems) == 0 || me.Problems[0].File == "" {
					t.Errorf("error %v is not a *MatrixError naming the file", err)
				}
			} else if !errors.Is(err, os.ErrNotExist) {
				t.Errorf("error %v does not match os.ErrNotExist", err)
			}
		})
	}
}

func TestLoadDeploymentChecks(t *testing.T) {
	m := loadShop(t)
	d, err := compat.LoadDeployment("testdata/deployments/production.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if rep := m.Check(d); !rep.OK() {
		t.Errorf("production fails Check:\n%s", rep)
	}
	if rep := m.Check(d.Upgrade("postgres", compat.MustParseVersion("14.10"))); rep.OK() {
		t.Error("postgres 14 under orders-api 3.1 passed Check")
	}
}

func TestDeploymentErrorWording(t *testing.T) {
	_, err := compat.DecodeDeployment([]byte("components:\n  web: [{name: a}, {name: a}]\n"), "d.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.HasPrefix(err.Error(), "compat: invalid deployment: 3 problems") {
		t.Errorf("error = %q; want it to call the input a deployment", err)
	}
	if !errors.Is(err, compat.ErrInvalidMatrix) {
		t.Errorf("error %v does not match ErrInvalidMatrix", err)
	}
}

func TestNewDeploymentErrors(t *testing.T) {
	tests := []struct {
		name     string
		versions map[string][]string
		want     string
	}{
		{"malformed", map[string][]string{"web": {"1.0", "x.y"}}, `compat: components.web[1].version: "x.y": malformed version`},
		{"empty", map[string][]string{"db": {""}}, `compat: components.db[0].version: empty version`},
		{"five segments", map[string][]string{"db": {"1.2.3.4.5"}}, `compat: components.db[0].version: "1.2.3.4.5": more than 4 numeric segments`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compat.NewDeployment(tt.versions)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %s", err, tt.want)
			}
			var fe *compat.FieldError
			var pe *compat.ParseError
			if !errors.As(err, &fe) || !errors.As(err, &pe) {
				t.Errorf("error %v is not a *FieldError wrapping a *ParseError", err)
			}
		})
	}
}
