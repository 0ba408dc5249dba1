package compat_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
)

func baseSpec() compat.Spec {
	return compat.Spec{
		Name: "t",
		Components: []compat.ComponentSpec{
			{Name: "api", Owner: "team-api", Versions: []string{"1.0", "1.1", "1.2"}},
			{Name: "db", Owner: "team-db", Versions: []string{"14", "15"}},
		},
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*compat.Spec)
		path   string // expected field path of the first problem
		value  string
		reason string // substring
	}{
		{"no components", func(s *compat.Spec) { s.Components = nil }, "components", "", "at least one"},
		{"duplicate component", func(s *compat.Spec) { s.Components[1].Name = "api" }, "components[1].name", "api", "duplicate"},
		{"bad catalog version", func(s *compat.Spec) { s.Components[0].Versions[1] = "1.x" }, "components[0].versions[1]", "1.x", "malformed"},
		{"missing id", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{Support: &compat.Selector{Component: "api"}}}
		}, "rules[0].id", "", "required"},
		{"duplicate id", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{
				{ID: "x", Support: &compat.Selector{Component: "api"}},
				{ID: "x", Support: &compat.Selector{Component: "db"}},
			}
		}, "rules[1].id", "x", "duplicate id"},
		{"duplicate id across kinds", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", Support: &compat.Selector{Component: "api"}}}
			s.Features = []compat.FeatureSpec{{ID: "x", Providers: []compat.Selector{{Component: "api"}}}}
		}, "features[0].id", "x", "duplicate id"},
		{"no kind", func(s *compat.Spec) { s.Rules = []compat.RuleSpec{{ID: "x"}} }, "rules[0]", "x", "exactly one"},
		{"two kinds", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", Support: &compat.Selector{Component: "api"}, InstanceSkew: &compat.InstanceSkewSpec{Component: "api"}}}
		}, "rules[0]", "x", "exactly one"},
		{"unknown component", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: "api"}, Need: compat.Selector{Component: "cache"}}}}
		}, "rules[0].requires.need.component", "cache", "unknown component"},
		{"bad range", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: "api", Versions: ">= 1.x"}, Need: compat.Selector{Component: "db"}}}}
		}, "rules[0].requires.when.versions", ">= 1.x", "malformed"},
		{"empty range", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: "api"}, Need: compat.Selector{Component: "db", Versions: ">= 15, < 14"}}}}
		}, "rules[0].requires.need.versions", ">= 15, < 14", "matches no version"},
		{"self require", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: "api"}, Need: compat.Selector{Component: "api"}}}}
		}, "rules[0].requires.need.component", "api", "cannot require itself"},
		{"negative skew", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", Skew: &compat.SkewSpec{Component: "api", RelativeTo: "db", Behind: compat.Limit(-1)}}}
		}, "rules[0].skew.behind", "-1", "negative"},
		{"skew without bound", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", Skew: &compat.SkewSpec{Component: "api", RelativeTo: "db"}}}
		}, "rules[0].skew", "", "no bound"},
		{"bad unit", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", InstanceSkew: &compat.InstanceSkewSpec{Component: "api", Unit: 9}}}
		}, "rules[0].instanceSkew.unit", "Unit(9)", "unknown unit"},
		{"bad level", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{{ID: "x", Level: 7, Support: &compat.Selector{Component: "api"}}}
		}, "rules[0].level", "Level(7)", "unknown level"},
		{"requires vs conflicts", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{
				{ID: "need", Requires: &compat.RequiresSpec{When: compat.Selector{Component: "api", Versions: ">= 1.1"}, Need: compat.Selector{Component: "db", Versions: ">= 15"}}},
				{ID: "clash", Conflicts: &compat.ConflictsSpec{When: compat.Selector{Component: "db", Versions: ">= 15"}, With: compat.Selector{Component: "api", Versions: ">= 1.2"}}},
			}
		}, "rules[1]", "clash", `contradicts rule "need"`},
		{"disjoint requirements", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{
				{ID: "a", Requires: &compat.RequiresSpec{When: compat.Selector{Component: "api"}, Need: compat.Selector{Component: "db", Versions: "< 15"}}},
				{ID: "b", Requires: &compat.RequiresSpec{When: compat.Selector{Component: "api", Versions: ">= 1.2"}, Need: compat.Selector{Component: "db", Versions: ">= 15"}}},
			}
		}, "rules[1]", "b", `contradicts rule "a"`},
		{"unsatisfiable requirement cycle", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{
				{ID: "api-needs-db", Requires: &compat.RequiresSpec{When: compat.Selector{Component: "api", Versions: "~> 1.1.0"}, Need: compat.Selector{Component: "db", Versions: ">= 15"}}},
				{ID: "db-needs-api", Requires: &compat.RequiresSpec{When: compat.Selector{Component: "db", Versions: ">= 15"}, Need: compat.Selector{Component: "api", Versions: ">= 1.2"}}},
			}
		}, "rules[1]", "db-needs-api", `requirement cycle with rule "api-needs-db": api >=1.1.0, <1.2 needs db >=15, which needs api >=1.2, so api >=1.1.0, <1.2 can never run`},
		{"unsatisfiable requirement cycle, other direction", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{
				{ID: "db-needs-api", Requires: &compat.RequiresSpec{When: compat.Selector{Component: "db", Versions: ">= 15"}, Need: compat.Selector{Component: "api", Versions: ">= 1.2"}}},
				{ID: "api-needs-db", Requires: &compat.RequiresSpec{When: compat.Selector{Component: "api", Versions: "~> 1.1.0"}, Need: compat.Selector{Component: "db", Versions: ">= 15"}}},
			}
		}, "rules[1]", "api-needs-db", `requirement cycle with rule "db-needs-api": api >=1.1.0, <1.2 needs db >=15, which needs api >=1.2, so api >=1.1.0, <1.2 can never run`},
		{"support levels overlap", func(s *compat.Spec) {
			s.Rules = []compat.RuleSpec{
				{ID: "a", Support: &compat.Selector{Component: "db", Versions: "< 15"}},
				{ID: "b", Level: compat.TestedOnly, Support: &compat.Selector{Component: "db", Versions: "~> 14.1"}},
			}
		}, "rules[1]", "b", `contradicts rule "a"`},
		{"schema overlap", func(s *compat.Spec) {
			s.Schemas = []compat.SchemaSpec{{ID: "s", Access: []compat.SchemaAccess{
				{Component: "api", Versions: "< 1.2", Reads: "1"},
				{Component: "api", Versions: ">= 1.1", Reads: "2"},
			}}}
		}, "schemas[0].access[1].versions", ">= 1.1", "overlaps"},
		{"schema access without reads or writes", func(s *compat.Spec) {
			s.Schemas = []compat.SchemaSpec{{ID: "s", Access: []compat.SchemaAccess{{Component: "api"}}}}
		}, "schemas[0].access[0]", "api", "neither reads nor writes"},
		{"unknown feature", func(s *compat.Spec) {
			s.Features = []compat.FeatureSpec{{ID: "f", Providers: []compat.Selector{{Component: "api"}}, Requires: []string{"g"}}}
		}, "features[0].requires[0]", "g", "unknown feature"},
		{"feature cycle", func(s *compat.Spec) {
			s.Features = []compat.FeatureSpec{
				{ID: "f", Providers: []compat.Selector{{Component: "api"}}, Requires: []string{"g"}},
				{ID: "g", Providers: []compat.Selector{{Component: "db"}}, Requires: []string{"h"}},
				{ID: "h", Providers: []compat.Selector{{Component: "db"}}, Requires: []string{"f"}},
			}
		}, "features[2].requires[0]", "f", "cycle: f -> g -> h -> f"},
		{"feature without providers", func(s *compat.Spec) {
			s.Features = []compat.FeatureSpec{{ID: "f"}}
		}, "features[0].providers", "", "at least one provider"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := baseSpec()
			tt.edit(&s)
			m, err := compat.Compile(s)
			if err == nil {
				t.Fatalf("Compile succeeded: %v", m.Components())
			}
			if !errors.Is(err, compat.ErrInvalidMatrix) {
				t.Errorf("error %v is not ErrInvalidMatrix", err)
			}
			var me *compat.MatrixError
			if !errors.As(err, &me) || len(me.Problems) == 0 {
				t.Fatalf("error %T is not *MatrixError", err)
			}
			p := me.Problems[0]
			if p.Path != tt.path || p.Value != tt.value || !strings.Contains(p.Reason, tt.reason) {
				t.Errorf("problem = %q / %q / %q, want %q / %q / ~%q", p.Path, p.Value, p.Reason, tt.path, tt.value, tt.reason)
			}
			if !strings.HasPrefix(err.Error(), "compat: ") {
				t.Errorf("message lacks package prefix: %s", err)
			}
		})
	}
}

func TestParseMatrixErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // exact first line of the error
	}{
		{"unknown top-level field", "components: [{name: a}]\nrulez: []\n",
			`compat: bad.yaml: rulez: unknown field (known fields: name, description, prerelease, vendorPrereleases, components, rules, schemas, features)`},
		{"unknown nested field", "components: [{name: a}]\nrules:\n- id: x\n  support: {component: a, version: '1'}\n",
			`compat: bad.yaml: rules[0].support.version: unknown field (known fields: component, versions)`},
		{"unquoted decimal version", "components: [{name: a, versions: [1.10]}]\n",
			`compat: bad.yaml: components[0].versions[0]: "1.1": quote this value: YAML reads an unquoted 1.1 as a number and drops trailing zeros`},
		{"wrong type", "components: {name: a}\n",
			`compat: bad.yaml: components: "{...}": must be a list`},
		{"bad level", "components: [{name: a}]\nrules: [{id: x, level: maybe, support: {component: a}}]\n",
			`compat: bad.yaml: rules[0].level: unknown level "maybe" (want unsupported, tested-only or supported)`},
		{"bad integer", "components: [{name: a}]\nrules: [{id: x, instanceSkew: {component: a, max: 1.5}}]\n",
			`compat: bad.yaml: rules[0].instanceSkew.max: "1.5": must be an integer`},
		{"duplicate key", "components: [{name: a}]\ncomponents: []\n", ""},
		{"empty document", "", "compat: bad.yaml: document is empty"},
		{"compile error has file", "components: [{name: a}]\nrules: [{id: x, support: {component: b}}]\n",
			`compat: bad.yaml: rules[0].support.component: "b": unknown component (declare it under components)`},
		{"not yaml", "components: [\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compat.ParseMatrix([]byte(tt.yaml), "bad.yaml")
			if err == nil {
				t.Fatal("ParseMatrix succeeded")
			}
			if !errors.Is(err, compat.ErrInvalidMatrix) {
				t.Errorf("not ErrInvalidMatrix: %v", err)
			}
			first, _, _ := strings.Cut(err.Error(), "\n")
			if tt.want == "" {
				if !strings.HasPrefix(first, "compat: bad.yaml: ") {
					t.Errorf("error %q does not name the file", first)
				}
				return
			}
			if first != tt.want {
				t.Errorf("error:\n got %s\nwant %s", first, tt.want)
			}
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := compat.LoadFile("testdata/does-not-exist.yaml")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want ErrNotExist", err)
	}
}

func TestSpecJSONAndYAMLAgree(t *testing.T) {
	y, err := os.ReadFile("testdata/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := compat.DecodeSpec(y, "shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := compat.MustCompile(a)
	if got := len(m.Components()); got != 9 {
		t.Errorf("components = %d", got)
	}
	// Spec returns a deep copy.
	s := m.Spec()
	s.Components[0].Name = "changed"
	*s.Rules[7].Skew.Ahead = 99
	if m.Components()[0] == "changed" || *m.Spec().Rules[7].Skew.Ahead != 1 {
		t.Error("Spec() aliases the matrix")
	}
}
