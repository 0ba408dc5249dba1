package compat_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
	"github.com/google/go-cmp/cmp"
)

// TestSchemaExpandContract walks an expand/contract migration of schema
// "orders-db" from 1 to 2: readers learn 2 first (expand), then writers
// switch, then support for 1 is dropped (contract). A writer of 2 beside
// any instance that reads only 1 is a violation, whichever component it is.
func TestSchemaExpandContract(t *testing.T) {
	m := compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{{Name: "api", Owner: "team-api"}, {Name: "report"}},
		Schemas: []compat.SchemaSpec{{ID: "orders-db", Description: "orders table layout", Access: []compat.SchemaAccess{
			{Component: "api", Versions: "< 2", Reads: "1", Writes: "1"},
			{Component: "api", Versions: ">= 2, < 3", Reads: ">= 1, <= 2", Writes: "1"}, // expand
			{Component: "api", Versions: ">= 3, < 4", Reads: ">= 1, <= 2", Writes: "2"}, // switch
			{Component: "api", Versions: ">= 4", Reads: "2", Writes: "2"},               // contract
			{Component: "report", Versions: "< 2", Reads: "1"},
			{Component: "report", Versions: ">= 2", Reads: ">= 1, <= 2"},
		}}},
	})
	tests := []struct {
		name     string
		api, rep []string
		ok       bool
		why      []string
	}{
		{"all on 1", []string{"1.0", "1.0"}, []string{"1.0"}, true, nil},
		{"expand rolling", []string{"1.0", "2.0"}, []string{"1.0"}, true, nil},
		{"writer of 2 beside reader of 1 (other component)", []string{"3.0"}, []string{"1.0"}, false,
			[]string{"api 3.0 (api[0]) writes orders-db 2, which report 1.0 (report[0]) cannot read (it reads 1)"}},
		{"writer of 2 beside reader of 1 (same component)", []string{"1.0", "3.0"}, []string{"2.0"}, false,
			[]string{"api 3.0 (api[1]) writes orders-db 2, which api 1.0 (api[0]) cannot read"}},
		{"switch rolling", []string{"2.0", "3.0"}, []string{"2.0"}, true, nil},
		{"contract rolling", []string{"3.0", "4.0"}, []string{"2.0"}, true, nil},
		{"contract done", []string{"4.0"}, []string{"2.0"}, true, nil},
		{"contract skipped switch", []string{"2.0", "4.0"}, []string{"2.0"}, false,
			[]string{"api 2.0 (api[0]) writes orders-db 1, which api 4.0 (api[1]) cannot read (it reads 2)"}},
		{"reader absent", []string{"3.0"}, nil, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := map[string][]string{"api": tt.api}
			if tt.rep != nil {
				v["report"] = tt.rep
			}
			rep := m.Check(compat.MustDeployment(v))
			if rep.OK() != tt.ok {
				t.Fatalf("OK = %v, want %v\n%s", rep.OK(), tt.ok, rep)
			}
			if tt.ok {
				return
			}
			got := rep.Violations[0]
			if got.Rule != "orders-db" || got.Kind != compat.KindSchema || got.Description != "orders table layout" || got.Owner != "team-api" {
				t.Errorf("violation = %+v", got)
			}
			for _, w := range tt.why {
				if !strings.Contains(got.Why, w) {
					t.Errorf("Why = %q\nwant it to contain %q", got.Why, w)
				}
			}
		})
	}
}

// TestCheckDeterministic builds the same deployment many times (Go map
// order differs between builds) and expects identical reports, and checks
// that the worst level wins the verdict.
func TestCheckDeterministic(t *testing.T) {
	m := loadShop(t)
	broken := with(healthy(), "postgres", []string{"14.10"}, "kubelet", []string{"1.25.0", "1.29.3", "1.24.0"},
		"web", []string{"4.8.0", "4.9.0"}, "mystery", []string{"1.0"}, "another", []string{"2.0"})
	var first compat.Report
	for i := range 30 {
		v := map[string][]string{}
		for k, x := range broken {
			v[k] = x
		}
		d := compat.MustDeployment(v)
		d.Features = []string{"zzz", "checkout-v2", "aaa"}
		rep := m.Check(d)
		if i == 0 {
			first = rep
			continue
		}
		if diff := cmp.Diff(first, rep); diff != "" {
			t.Fatalf("report %d differs (-first +now):\n%s", i, diff)
		}
	}
	if first.Verdict != compat.Unsupported {
		t.Errorf("verdict = %s, want unsupported (worst level wins)", first.Verdict)
	}
	for i := 1; i < len(first.Violations); i++ {
		if first.Violations[i].Level < first.Violations[i-1].Level {
			t.Errorf("violation %d (%s) is worse than violation %d", i, first.Violations[i].Level, i-1)
		}
	}
	if diff := cmp.Diff([]string{"another", "mystery"}, first.UnknownComponents); diff != "" {
		t.Errorf("unknown components: %s", diff)
	}
	if diff := cmp.Diff([]string{"aaa", "zzz"}, first.UnknownFeatures); diff != "" {
		t.Errorf("unknown features: %s", diff)
	}
}

// TestSupportVerdicts: the verdict is the worst level among violations;
// a tested-only rule alone gives tested-only.
func TestSupportVerdicts(t *testing.T) {
	m := compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{{Name: "db"}, {Name: "app"}},
		Rules: []compat.RuleSpec{
			{ID: "db-13-eol", Level: compat.Unsupported, Support: &compat.Selector{Component: "db", Versions: "< 14"}},
			{ID: "db-14-tested", Level: compat.TestedOnly, Support: &compat.Selector{Component: "db", Versions: "~> 14.0"}},
			{ID: "db-15", Level: compat.Supported, Support: &compat.Selector{Component: "db", Versions: ">= 15"}},
			{ID: "app-needs-14", Level: compat.TestedOnly, Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: "app", Versions: ">= 2"}, Need: compat.Selector{Component: "db", Versions: ">= 15"}}},
		},
	})
	tests := []struct {
		db, app string
		verdict compat.Level
		rules   []string
	}{
		{"15.1", "2.0", compat.Supported, nil},
		{"14.9", "1.0", compat.TestedOnly, []string{"db-14-tested"}},
		{"14.9", "2.0", compat.TestedOnly, []string{"db-14-tested", "app-needs-14"}},
		{"13.2", "2.0", compat.Unsupported, []string{"db-13-eol", "app-needs-14"}},
		{"13.2", "1.0", compat.Unsupported, []string{"db-13-eol"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("db %s app %s", tt.db, tt.app), func(t *testing.T) {
			rep := m.Check(compat.MustDeployment(map[string][]string{"db": {tt.db}, "app": {tt.app}}))
			if rep.Verdict != tt.verdict {
				t.Errorf("verdict = %s, want %s\n%s", rep.Verdict, tt.verdict, rep)
			}
			if diff := cmp.Diff(tt.rules, ruleIDs(rep)); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMarkdownCellsStayInOneRow: a description with pipes or any kind of
// line break must not split a table row.
func TestMarkdownCellsStayInOneRow(t *testing.T) {
	m := compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{{Name: "a", Versions: []string{"1.0"}}, {Name: "b"}},
		Rules: []compat.RuleSpec{{ID: "r", Description: "one | two\r\nthree\rfour\nfive", Owner: "x",
			Requires: &compat.RequiresSpec{When: compat.Selector{Component: "a"}, Need: compat.Selector{Component: "b"}}}},
	})
	md := m.Table().Markdown()
	var row string
	for line := range strings.Lines(md) {
		if strings.HasPrefix(line, "| r |") {
			row = line
		}
	}
	if want := `one \| two three four five |` + "\n"; !strings.HasSuffix(row, want) {
		t.Errorf("rule row = %q, want it to end with %q\n%s", row, want, md)
	}
	if strings.Contains(md, "\r") {
		t.Error("Markdown contains a carriage return")
	}
}

// TestFixSuggestsReleases: the "for example" in a fix names a release from
// the catalog, never a release candidate, and counts vendor builds as the
// release they normalize to.
func TestFixSuggestsReleases(t *testing.T) {
	for _, policy := range []compat.PrereleasePolicy{compat.PrereleaseExplicit, compat.PrereleaseAll} {
		m := compat.MustCompile(compat.Spec{
			Prerelease:        policy,
			VendorPrereleases: []string{"eks"},
			Components: []compat.ComponentSpec{
				{Name: "web", Versions: []string{"4.8.0", "4.9.0", "5.0.0", "5.1.0-rc.1"}},
				{Name: "db", Versions: []string{"14.0", "15.0-rc.1", "15.1-eks-2", "15.2"}},
			},
			Rules: []compat.RuleSpec{
				{ID: "web-eol", Support: &compat.Selector{Component: "web", Versions: "< 4.9"}},
				{ID: "web-needs-db15", Requires: &compat.RequiresSpec{
					When: compat.Selector{Component: "web", Versions: ">= 5"}, Need: compat.Selector{Component: "db", Versions: ">= 15"}}},
			},
		})
		tests := []struct {
			name string
			d    map[string][]string
			want string
		}{
			{"outside an eol range", map[string][]string{"web": {"4.8.0"}, "db": {"15.2"}}, "(for example to 5.0.0)"},
			{"into a required range", map[string][]string{"web": {"5.0.0"}, "db": {"14.0"}}, "(for example 15.1-eks-2)"},
		}
		for _, tt := range tests {
			t.Run(policy.String()+" "+tt.name, func(t *testing.T) {
				rep := m.Check(compat.MustDeployment(tt.d))
				if rep.OK() || !strings.Contains(rep.Violations[0].Why, tt.want) {
					t.Errorf("want a fix with %q:\n%s", tt.want, rep)
				}
			})
		}
	}
}

// TestFeatureProvidersNormalizeCatalog: catalog vendor builds provide a
// feature as the release they normalize to, as deployed instances do.
func TestFeatureProvidersNormalizeCatalog(t *testing.T) {
	m := compat.MustCompile(compat.Spec{
		VendorPrereleases: []string{"eks"},
		Components:        []compat.ComponentSpec{{Name: "k", Versions: []string{"1.28.0", "1.29.3-eks-1", "1.30.0-rc.1", "1.30.0"}}},
		Features:          []compat.FeatureSpec{{ID: "sidecars", Providers: []compat.Selector{{Component: "k", Versions: ">= 1.29"}}}},
	})
	fp, ok := m.FeatureProviders("sidecars")
	if !ok || len(fp) != 1 {
		t.Fatalf("FeatureProviders = %+v, %v", fp, ok)
	}
	var got []string
	for _, v := range fp[0].Catalog {
		got = append(got, v.String())
	}
	if diff := cmp.Diff([]string{"1.29.3-eks-1", "1.30.0"}, got); diff != "" {
		t.Errorf("catalog (-want +got):\n%s", diff)
	}
	d := compat.MustDeployment(map[string][]string{"k": {"1.29.3-eks-1"}})
	if diff := cmp.Diff([]string{"sidecars"}, m.UsableFeatures(d)); diff != "" {
		t.Errorf("usable (-want +got):\n%s", diff)
	}
}
