package compat_test

import (
	"fmt"
	"log"

	"github.com/glidepath/glidepath/compat"
)

func Example() {
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		log.Fatal(err) // errors name the file, the field path and the value
	}
	d := compat.MustDeployment(map[string][]string{
		"orders-api":    {"3.1.0", "3.2.0"}, // a rolling upgrade in progress
		"orders-worker": {"1.4.0"},
		"postgres":      {"14.10"},
	})
	if r := m.Check(d); !r.OK() {
		fmt.Println(r.Violations[0].Rule, r.Violations[0].Owner) // and r.Violations[0].Why: what to do
	}
	target := compat.MustDeployment(map[string][]string{
		"orders-api": {"3.3.0"}, "orders-worker": {"1.6.0"}, "postgres": {"16.1"},
	})
	plan, err := m.Plan(compat.MustDeployment(map[string][]string{
		"orders-api": {"3.1.0"}, "orders-worker": {"1.4.0"}, "postgres": {"14.10"}, "orders-client": {"1.0.0"},
	}), target, nil, compat.PlanOptions{AllowTestedOnly: true, MaxParallel: 2})
	if err != nil {
		log.Fatal(err) // a *compat.NoPathError says which rule blocks which step
	}
	fmt.Println(plan)
	// Output:
	// orders-api-needs-pg15 team-orders
	// wave 1: orders-worker 1.4.0 -> 1.6.0, postgres 14.10 -> 16.1
	// wave 2: orders-api 3.1.0 -> 3.2.0
	// wave 3: orders-api 3.2.0 -> 3.3.0
}
