package compat_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"testing"

	"github.com/glidepath/glidepath/internal/goldenfile"

	"github.com/glidepath/glidepath/compat"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, *update, name, got)
}

func TestGoldenMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := loadShop(t).WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "shop.md", b.Bytes())
}

func TestGoldenJSON(t *testing.T) {
	var b bytes.Buffer
	if err := loadShop(t).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "shop.json", b.Bytes())
	var back compat.Table
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatalf("published JSON does not decode: %v", err)
	}
	if diff := cmp.Diff(loadShop(t).Table(), back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestGoldenReport(t *testing.T) {
	d := compat.MustDeployment(with(healthy(),
		"postgres", []string{"14.10"},
		"kubelet", []string{"1.25.0-eks-1", "1.29.3"},
		"orders-api", []string{"3.2.0", "3.3.0"},
		"orders-worker", []string{"1.4.0"},
		"web", []string{"4.9.0"},
	))
	d.Features = []string{"checkout-v2"}
	golden(t, "shop-report.txt", []byte(loadShop(t).Check(d).String()+"\n"))
}

func TestGoldenPlan(t *testing.T) {
	m := loadShop(t)
	p, err := m.Plan(shopCurrent(), shopTarget(), nil, compat.PlanOptions{StepThroughMinors: true})
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "shop-plan.txt", []byte(p.String()+"\n"))
	golden(t, "shop-plan.json", append(out, '\n'))
}

func TestGoldenNoPath(t *testing.T) {
	m := deadlockMatrix()
	_, err := m.Plan(compat.MustDeployment(map[string][]string{"a": {"1.0"}, "b": {"1.0"}}),
		compat.MustDeployment(map[string][]string{"a": {"2.0"}, "b": {"2.0"}}), nil, compat.PlanOptions{})
	if err == nil {
		t.Fatal("want an error")
	}
	golden(t, "deadlock-error.txt", []byte(err.Error()+"\n"))
}
