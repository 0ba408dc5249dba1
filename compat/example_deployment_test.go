package compat_test

import (
	"fmt"

	"github.com/glidepath/glidepath/compat"
)

func ExampleLoadDeployment() {
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		panic(err)
	}
	prod, err := compat.LoadDeployment("testdata/deployments/production.yaml")
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Check(prod))

	_, err = compat.LoadDeployment("testdata/deployments/bad-version.yaml")
	fmt.Println(err)
	// Output:
	// verdict: supported
	// compat: testdata/deployments/bad-version.yaml: components.web[1].version: "four": malformed version
}

func ExampleDeployment_UpgradeTo() {
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		panic(err)
	}
	prod, err := compat.LoadDeployment("testdata/deployments/production.yaml")
	if err != nil {
		panic(err)
	}
	// What a pull request that bumps orders-client to 1.1 would run in
	// production.
	bump := compat.MustDeployment(map[string][]string{"orders-client": {"1.1.0"}})
	fmt.Println(m.Check(prod.UpgradeTo(bump)))
	// The same, one component at a time, after orders-api 3.2.
	next := prod.Upgrade("orders-api", compat.MustParseVersion("3.2.0")).Upgrade("orders-client", compat.MustParseVersion("1.1.0"))
	fmt.Println(m.Check(next).OK())
	// Output:
	// verdict: unsupported (1 violation)
	// - [unsupported] client-1.1-needs-api-3.2 (owner team-orders): orders-client 1.1.0 on orders-client[0] requires orders-api >=3.2, but orders-api runs 3.1.0 on orders-1, orders-2. Fix: upgrade orders-api into >=3.2 (for example 3.2.0) before orders-client, or roll orders-client back outside >=1.1, <2. Rule: orders-client 1.1 calls the /v2/orders endpoint added in orders-api 3.2
	// true
}

func ExampleDeployment_Apply() {
	prod := compat.Deployment{Components: map[string][]compat.Instance{
		"web": {
			{Name: "web-1", Version: compat.MustParseVersion("4.9.0")},
			{Name: "web-2", Version: compat.MustParseVersion("4.9.0")},
		},
	}}
	canary := prod.Apply(compat.Step{Component: "web", Instance: "web-2", To: compat.MustParseVersion("5.0.0")})
	done := canary.Apply(compat.Step{Component: "web", To: compat.MustParseVersion("5.0.0")})
	for _, d := range []compat.Deployment{prod, canary, done} {
		fmt.Println(d.Components["web"])
	}
	// Output:
	// [{web-1 4.9.0} {web-2 4.9.0}]
	// [{web-1 4.9.0} {web-2 5.0.0}]
	// [{web-1 5.0.0} {web-2 5.0.0}]
}

func ExamplePlan_States() {
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		panic(err)
	}
	current := compat.MustDeployment(map[string][]string{"payments": {"2.1.0"}, "ledger": {"2.1.0"}, "postgres": {"15.5"}})
	target := compat.MustDeployment(map[string][]string{"payments": {"2.3.0"}, "ledger": {"2.3.0"}, "postgres": {"16.1"}})
	plan, err := m.Plan(current, target, nil, compat.PlanOptions{})
	if err != nil {
		panic(err)
	}
	for i, state := range plan.States(current) {
		fmt.Printf("wave %d (%s): %v -> %s\n", i+1, plan.WaveChange(i), plan.Waves[i], m.Check(state).Verdict)
	}
	// Output:
	// wave 1 (major): [ledger 2.1.0 -> 2.2.0 postgres 15.5 -> 16.1] -> supported
	// wave 2 (minor): [payments 2.1.0 -> 2.2.0] -> supported
	// wave 3 (minor): [ledger 2.2.0 -> 2.3.0] -> supported
	// wave 4 (minor): [payments 2.2.0 -> 2.3.0] -> supported
}
