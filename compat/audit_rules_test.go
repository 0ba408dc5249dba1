package compat_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
)

// TestSkewBoundaries pins skew counted per segment at the edges of its
// bounds, including overrides at the version where they stop applying and
// overrides that set only one bound (the other keeps the rule's value).
func TestSkewBoundaries(t *testing.T) {
	kube := compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{{Name: "api"}, {Name: "kubelet"}},
		Rules: []compat.RuleSpec{{ID: "skew", Skew: &compat.SkewSpec{
			Component: "kubelet", RelativeTo: "api", Unit: compat.Minor,
			Behind: compat.Limit(3), Ahead: compat.Limit(0), SameMajor: true,
			Overrides: []compat.SkewOverride{{Versions: "< 1.28", Behind: compat.Limit(2)}},
		}}},
	})
	patch := compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{{Name: "lib"}, {Name: "svc"}},
		Rules: []compat.RuleSpec{{ID: "skew", Skew: &compat.SkewSpec{
			Component: "lib", RelativeTo: "svc", Unit: compat.Patch, Behind: compat.Limit(2), Ahead: compat.Limit(1),
		}}},
	})
	major := compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{{Name: "lib"}, {Name: "svc"}},
		Rules: []compat.RuleSpec{{ID: "skew", Skew: &compat.SkewSpec{
			Component: "lib", RelativeTo: "svc", Unit: compat.Major, Behind: compat.Limit(1),
		}}},
	})
	tests := []struct {
		name string
		m    *compat.Matrix
		a, b string // bounded component, reference component
		ok   bool
		why  string
	}{
		{"3 minors behind at 1.28 (default bound)", kube, "1.28.0", "1.31.0", true, ""},
		{"4 minors behind", kube, "1.28.0", "1.32.0", false, "4 minor versions behind"},
		{"3 minors behind below 1.28 (override)", kube, "1.27.9", "1.30.0", false, "at most 2 allowed"},
		{"2 minors behind below 1.28", kube, "1.27.9", "1.29.5", true, ""},
		{"equal", kube, "1.29.1", "1.29.0", true, ""},
		{"1 minor ahead", kube, "1.29.0", "1.28.9", false, "must never be ahead"},
		{"override keeps never-ahead", kube, "1.27.0", "1.26.0", false, "must never be ahead"},
		{"other major", kube, "1.30.0", "2.0.0", false, "different major"},
		{"patch: 2 behind", patch, "1.2.1", "1.2.3", true, ""},
		{"patch: 3 behind", patch, "1.2.0", "1.2.3", false, "3 patch versions behind"},
		{"patch: 1 ahead", patch, "1.2.4", "1.2.3", true, ""},
		{"patch: 2 ahead", patch, "1.2.5", "1.2.3", false, "2 patch versions ahead"},
		{"patch: other minor behind", patch, "1.1.9", "1.2.0", false, "whole minor behind"},
		{"patch: other minor ahead", patch, "1.3.0", "1.2.9", false, "whole minor ahead"},
		{"major: 1 behind", major, "1.9.9", "2.0.0", true, ""},
		{"major: 2 behind", major, "1.9.9", "3.0.0", false, "2 major versions behind"},
		{"major: ahead is unbounded", major, "9.0.0", "3.0.0", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names := tt.m.Components()
			d := compat.MustDeployment(map[string][]string{names[1]: {tt.a}, names[0]: {tt.b}})
			if names[0] == "lib" {
				d = compat.MustDeployment(map[string][]string{"lib": {tt.a}, "svc": {tt.b}})
			}
			rep := tt.m.Check(d)
			if rep.OK() != tt.ok {
				t.Fatalf("OK = %v, want %v:\n%s", rep.OK(), tt.ok, rep)
			}
			if !tt.ok && !strings.Contains(rep.Violations[0].Why, tt.why) {
				t.Errorf("Why = %q, want it to mention %q", rep.Violations[0].Why, tt.why)
			}
		})
	}
}

func TestSkewOverrideWithoutBounds(t *testing.T) {
	_, err := compat.Compile(compat.Spec{
		Components: []compat.ComponentSpec{{Name: "a"}, {Name: "b"}},
		Rules: []compat.RuleSpec{{ID: "s", Skew: &compat.SkewSpec{Component: "a", RelativeTo: "b", Behind: compat.Limit(1),
			Overrides: []compat.SkewOverride{{Versions: "< 2"}}}}},
	})
	var fe *compat.FieldError
	if !errors.As(err, &fe) || fe.Path != "rules[0].skew.overrides[0]" || fe.Value != "< 2" {
		t.Fatalf("err = %v, want a FieldError at rules[0].skew.overrides[0] naming \"< 2\"", err)
	}
}

// TestPrereleasePolicyOmittedRange pins the documented consequence of
// PrereleaseExplicit for omitted ranges ("*"): they name no prerelease, so
// a prerelease instance does not satisfy them; PrereleaseAll and a
// normalizer do.
func TestPrereleasePolicyOmittedRange(t *testing.T) {
	spec := compat.Spec{
		Components: []compat.ComponentSpec{{Name: "a"}, {Name: "b"}},
		Rules: []compat.RuleSpec{{ID: "a-needs-b", Requires: &compat.RequiresSpec{
			When: compat.Selector{Component: "a"}, Need: compat.Selector{Component: "b"}}}},
	}
	d := compat.MustDeployment(map[string][]string{"a": {"1.0.0"}, "b": {"2.0.0-rc.1"}})
	vendor := compat.MustDeployment(map[string][]string{"a": {"1.0.0"}, "b": {"2.0.0-eks-7"}})
	explicit := compat.MustCompile(spec)
	if got := ruleIDs(explicit.Check(d)); len(got) != 1 || got[0] != "a-needs-b" {
		t.Errorf("explicit: violations %v, want [a-needs-b]", got)
	}
	spec.Prerelease = compat.PrereleaseAll
	if rep := compat.MustCompile(spec).Check(d); !rep.OK() {
		t.Errorf("all: %s", rep)
	}
	spec.Prerelease = compat.PrereleaseExplicit
	spec.VendorPrereleases = []string{"eks"}
	if rep := compat.MustCompile(spec).Check(vendor); !rep.OK() {
		t.Errorf("vendor build normalized: %s", rep)
	}
	if rep := explicit.Check(vendor); rep.OK() {
		t.Error("vendor build without normalizer passed under PrereleaseExplicit")
	}
}
