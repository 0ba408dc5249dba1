package compat_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/glidepath/glidepath/compat"
)

func ExampleParseRange() {
	r, err := compat.ParseRange("~> 1.2 || >= 3.0, != 3.1.0")
	if err != nil {
		panic(err)
	}
	fmt.Println(r)
	for _, s := range []string{"1.9.4", "2.0.0", "3.1.0", "3.1.1"} {
		fmt.Println(s, r.Contains(compat.MustParseVersion(s)))
	}
	// Output:
	// >=1.2, <2 || >=3.0, <3.1.0 || >3.1.0
	// 1.9.4 true
	// 2.0.0 false
	// 3.1.0 false
	// 3.1.1 true
}

func ExampleRange_Intersect() {
	a := compat.MustParseRange(">= 1.2, < 2.0")
	b := compat.MustParseRange("~> 1.5.0 || >= 1.9")
	fmt.Println(a.Intersect(b))
	fmt.Println(a.Union(b))
	fmt.Println(a.Intersect(compat.MustParseRange(">= 3")).IsEmpty())
	// Output:
	// >=1.5.0, <1.6 || >=1.9, <2.0
	// >=1.2
	// true
}

func ExampleParseVersion() {
	v, err := compat.ParseVersion("v1.29.3-eks-1234")
	if err != nil {
		panic(err)
	}
	fmt.Println(v, v.Minor(), v.Prerelease())
	vendor := compat.StripVendorPrerelease("eks")
	fmt.Println(vendor(v))
	// Output:
	// 1.29.3-eks-1234 29 eks-1234
	// 1.29.3
}

func ExampleMatrix_Check() {
	m := compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{
			{Name: "kube-apiserver", Owner: "team-platform"},
			{Name: "kubelet", Owner: "team-platform"},
		},
		Rules: []compat.RuleSpec{{
			ID:          "kubelet-skew",
			Description: "kubelet may be up to 3 minors older than the API server, never newer",
			Skew: &compat.SkewSpec{
				Component: "kubelet", RelativeTo: "kube-apiserver", Unit: compat.Minor,
				Behind: compat.Limit(3), Ahead: compat.Limit(0), SameMajor: true,
			},
		}},
	})
	d := compat.MustDeployment(map[string][]string{
		"kube-apiserver": {"1.30.1"},
		"kubelet":        {"1.30.1", "1.26.4"},
	})
	report := m.Check(d)
	fmt.Println(report.Verdict)
	for _, v := range report.Violations {
		fmt.Println(v.Rule, v.Owner)
		fmt.Println(v.Why)
	}
	// Output:
	// unsupported
	// kubelet-skew team-platform
	// kubelet 1.26.4 (kubelet[1]) is 4 minor versions behind kube-apiserver 1.30.1 (kube-apiserver[0]) (at most 3 allowed). Fix: upgrade kubelet to within 3 minor versions of kube-apiserver before upgrading kube-apiserver further.
}

func ExampleParseMatrix() {
	_, err := compat.ParseMatrix([]byte(`
components:
  - name: api
rules:
  - id: api-needs-db
    requires:
      when: {component: api, versions: ">= 2"}
      need: {component: db, versions: ">= 15"}
`), "matrix.yaml")
	fmt.Println(errors.Is(err, compat.ErrInvalidMatrix))
	fmt.Println(err)
	// Output:
	// true
	// compat: matrix.yaml: rules[0].requires.need.component: "db": unknown component (declare it under components)
}

func ExampleLoadFile() {
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		panic(err)
	}
	d := compat.MustDeployment(map[string][]string{
		"web": {"5.0.0"}, "orders-api": {"3.2.0"}, "payments": {"2.3.0"}, "ledger": {"2.3.0"},
		"postgres": {"15.5"}, "orders-worker": {"1.5.0"},
	})
	fmt.Println(m.Check(d).Verdict)
	fmt.Println(m.UsableFeatures(d))
	// Output:
	// supported
	// [checkout-v2 saved-carts]
}

func ExampleMatrix_Plan() {
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		panic(err)
	}
	// payments 2.4 needs ledger 2.4, but ledger may be only one minor
	// ahead of payments: the plan has to leapfrog.
	current := compat.MustDeployment(map[string][]string{"payments": {"2.1.0"}, "ledger": {"2.1.0"}})
	target := compat.MustDeployment(map[string][]string{"payments": {"2.4.0"}, "ledger": {"2.4.0"}})
	plan, err := m.Plan(current, target, nil, compat.PlanOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(plan)
	fmt.Println("optimal:", plan.Optimal)
	// Output:
	// wave 1: ledger 2.1.0 -> 2.2.0
	// wave 2: payments 2.1.0 -> 2.2.0
	// wave 3: ledger 2.2.0 -> 2.3.0
	// wave 4: payments 2.2.0 -> 2.3.0
	// wave 5: ledger 2.3.0 -> 2.4.0
	// wave 6: payments 2.3.0 -> 2.4.0
	// optimal: true
}

func ExampleNoPathError() {
	m := compat.MustCompile(compat.Spec{
		Components: []compat.ComponentSpec{{Name: "a"}, {Name: "b"}},
		Rules: []compat.RuleSpec{
			{ID: "a2-needs-b2", Requires: &compat.RequiresSpec{
				When: compat.Selector{Component: "a", Versions: ">= 2"}, Need: compat.Selector{Component: "b", Versions: ">= 2"}}},
			{ID: "b2-breaks-a1", Conflicts: &compat.ConflictsSpec{
				When: compat.Selector{Component: "b", Versions: ">= 2"}, With: compat.Selector{Component: "a", Versions: "< 2"}}},
		},
	})
	_, err := m.Plan(
		compat.MustDeployment(map[string][]string{"a": {"1.0"}, "b": {"1.0"}}),
		compat.MustDeployment(map[string][]string{"a": {"2.0"}, "b": {"2.0"}}),
		nil, compat.PlanOptions{})
	var npe *compat.NoPathError
	if errors.As(err, &npe) {
		for _, b := range npe.Blocked {
			fmt.Println(b.Step, "blocked by", b.Violations[0].Rule)
		}
	}
	// Output:
	// a 1.0 -> 2.0 blocked by a2-needs-b2
	// b 1.0 -> 2.0 blocked by b2-breaks-a1
}

func ExampleMatrix_WriteMarkdown() {
	m := compat.MustCompile(compat.Spec{
		Name:       "tiny",
		Components: []compat.ComponentSpec{{Name: "api", Versions: []string{"1.0", "2.0"}}},
		Rules:      []compat.RuleSpec{{ID: "api-1-eol", Description: "end of life", Support: &compat.Selector{Component: "api", Versions: "< 2"}}},
	})
	if err := m.WriteMarkdown(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// # Compatibility matrix: tiny
	//
	// Prerelease policy: explicit.
	//
	// ## api
	//
	// | Version | Support | Features | Requires | Conflicts with | Schemas |
	// |---|---|---|---|---|---|
	// | 1.0 | unsupported (api-1-eol) | – | – | – | – |
	// | 2.0 | supported | – | – | – | – |
	//
	// ## Rules
	//
	// | ID | Kind | Rule | Breaking it | Owner | Why |
	// |---|---|---|---|---|---|
	// | api-1-eol | support | api <2 is unsupported | unsupported | – | end of life |
}

func ExampleMatrix_FeatureProviders() {
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		panic(err)
	}
	providers, _ := m.FeatureProviders("one-click")
	for _, p := range providers {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%s %s %v %s", p.Component, p.Versions, p.Catalog, p.Via)))
	}
	// Output:
	// payments >=2.4 [2.4.0]
	// web >=5.0 [5.0.0 5.1.0] checkout-v2
	// orders-api >=3.2 [3.2.0 3.3.0] checkout-v2
	// payments >=2.3 [2.3.0 2.4.0] checkout-v2
}

func ExampleMatrix_Features() {
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		panic(err)
	}
	d := compat.MustDeployment(map[string][]string{
		"web": {"5.0.0", "4.9.0"}, "orders-api": {"3.2.0"}, "payments": {"2.3.0"}, "ledger": {"2.3.0"}, "postgres": {"15.5"},
	})
	for _, f := range m.Features(d) {
		fmt.Println(f) // FeatureStatus.String: the whole sentence
	}
	// Output:
	// feature checkout-v2 is not usable: web 4.9.0 on web[1] does not provide it (needs >=5.0). Fix: upgrade the providers into range.
	// feature saved-carts is usable
	// feature one-click is not usable: payments 2.3.0 on payments[0] does not provide it (needs >=2.4); web 4.9.0 on web[1] does not provide it (needs >=5.0, needed by required feature checkout-v2). Fix: upgrade the providers into range.
}
