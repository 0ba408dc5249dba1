package compat_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
	goversion "github.com/hashicorp/go-version"
)

// FuzzParseVersion checks that parsing never panics, that String
// round-trips, and that release ordering agrees with go-version.
func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"1", "1.2", "v1.2.3", "1.2.3.4", "1.29.3-eks-1234", "2.0.0-rc.1+b.5", "1.2.3beta", "0.0.0-0", "1.0.0--x", "1..2", ""} {
		f.Add(s, "1.2.3")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		va, err := compat.ParseVersion(a)
		if err != nil {
			var pe *compat.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not *ParseError", err)
			}
			return
		}
		back, err := compat.ParseVersion(va.String())
		if err != nil || back != va {
			t.Fatalf("round trip %q -> %q -> %v (%v)", a, va.String(), back, err)
		}
		if va.Compare(va) != 0 {
			t.Fatal("Compare is not reflexive")
		}
		vb, err := compat.ParseVersion(b)
		if err != nil {
			return
		}
		if va.Compare(vb) != -vb.Compare(va) {
			t.Fatalf("Compare(%s, %s) is not antisymmetric", va, vb)
		}
		if va.Prerelease() == "" && vb.Prerelease() == "" {
			ga, gb := goversion.Must(goversion.NewVersion(a)), goversion.Must(goversion.NewVersion(b))
			if got, want := va.Compare(vb), ga.Compare(gb); got != want {
				t.Fatalf("Compare(%s, %s) = %d, go-version says %d", a, b, got, want)
			}
		}
	})
}

// FuzzParseRange checks that parsing never panics, that String
// round-trips, and that Contains agrees with the algebra.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"~> 1.2", ">= 1.2, < 2.0 || >= 3", "!= 1.0", "*", "none", "1.2.3-rc.1", "<1 || >1", ">=2,<1", "~> 1.2.3.4", "||", ",", ">= v1"} {
		f.Add(s, ">= 1.5", "1.5.0")
	}
	f.Fuzz(func(t *testing.T, a, b, v string) {
		ra, err := compat.ParseRange(a)
		if err != nil {
			var pe *compat.ParseError
			if !errors.As(err, &pe) || pe.Kind != "range" {
				t.Fatalf("error %v is not a range *ParseError", err)
			}
			return
		}
		back, err := compat.ParseRange(ra.String())
		if err != nil || !back.Equal(ra) || back.String() != ra.String() {
			t.Fatalf("round trip %q -> %q -> %q (%v)", a, ra, back, err)
		}
		rb, err := compat.ParseRange(b)
		if err != nil {
			return
		}
		ver, err := compat.ParseVersion(v)
		if err != nil {
			return
		}
		ia, ib := ra.Contains(ver), rb.Contains(ver)
		if got := ra.Intersect(rb).Contains(ver); got != (ia && ib) {
			t.Fatalf("(%s ∩ %s).Contains(%s) = %v, want %v", ra, rb, ver, got, ia && ib)
		}
		if got := ra.Union(rb).Contains(ver); got != (ia || ib) {
			t.Fatalf("(%s ∪ %s).Contains(%s) = %v, want %v", ra, rb, ver, got, ia || ib)
		}
		if ra.Covers(rb) && ib && !ia {
			t.Fatalf("%s covers %s but misses %s", ra, rb, ver)
		}
		if ra.Match(ver, compat.PrereleaseAll) != ia {
			t.Fatal("Match with PrereleaseAll differs from Contains")
		}
		if ra.Match(ver, compat.PrereleaseExplicit) && !ia {
			t.Fatal("Match admits a version Contains rejects")
		}
	})
}

// FuzzParseMatrix checks that loading arbitrary YAML never panics and
// that a loaded matrix can be checked, published and planned against.
func FuzzParseMatrix(f *testing.F) {
	if data, err := os.ReadFile("testdata/shop.yaml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("components: [{name: a, versions: ['1', '2']}, {name: b}]\nrules: [{id: x, requires: {when: {component: a}, need: {component: b, versions: '>= 1'}}}]\n"))
	f.Add([]byte("components: [{name: a}]\nfeatures: [{id: f, providers: [{component: a}], requires: [f]}]\n"))
	f.Add([]byte("{\"components\": [{\"name\": \"a\"}], \"schemas\": [{\"id\": \"s\", \"access\": [{\"component\": \"a\", \"reads\": \"1\", \"writes\": \"2\"}]}]}"))
	f.Add([]byte("components: [{name: a, versions: [1.10]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := compat.ParseMatrix(data, "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "compat: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		versions := map[string][]string{}
		target := map[string][]string{}
		for _, c := range m.Components() {
			cat := m.Catalog(c)
			if len(cat) == 0 {
				continue
			}
			versions[c] = []string{cat[0].String()}
			target[c] = []string{cat[len(cat)-1].String()}
		}
		d := compat.MustDeployment(versions)
		_ = m.Check(d).String()
		_ = m.Table().Markdown()
		_ = m.UsableFeatures(d)
		_, _ = m.Plan(d, compat.MustDeployment(target), nil, compat.PlanOptions{MaxStates: 200})
	})
}

// FuzzDecodeDeployment checks that decoding arbitrary YAML deployments
// never panics and that what decodes can be checked.
func FuzzDecodeDeployment(f *testing.F) {
	f.Add([]byte("components:\n  web:\n    - {name: web-1, version: \"5.0.0\"}\nfeatures: [checkout-v2]\n"))
	f.Add([]byte("{\"components\": {\"postgres\": [{\"version\": \"14.10\"}]}}"))
	f.Add([]byte("components: {web: [{version: 5.10}]}"))
	f.Add([]byte("components: []"))
	m, err := compat.LoadFile("testdata/shop.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := compat.DecodeDeployment(data, "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "compat: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			var me *compat.MatrixError
			if !errors.As(err, &me) {
				t.Fatalf("error %T is not a *MatrixError", err)
			}
			for _, p := range me.Problems {
				if p.File != "fuzz.yaml" {
					t.Fatalf("problem %v does not name the file", p)
				}
			}
			return
		}
		rep := m.Check(d)
		if rep.OK() != (len(rep.Violations) == 0) {
			t.Fatal("OK disagrees with Violations")
		}
		_ = m.UsableFeatures(d)
		// Moving every component to its first instance's version keeps the
		// instance names and counts and leaves d alone.
		var steps []compat.Step
		for c, insts := range d.Components {
			if len(insts) > 0 {
				steps = append(steps, compat.Step{Component: c, Instance: insts[len(insts)-1].Name, To: insts[0].Version})
			}
		}
		same := d.UpgradeTo(d)
		for c, insts := range d.Components {
			got := same.Components[c]
			if len(insts) > 0 && len(got) != len(insts) {
				t.Fatalf("%s: %d instances after UpgradeTo, had %d", c, len(got), len(insts))
			}
			for i := range got {
				if got[i].Name != insts[i].Name || !got[i].Version.Equal(insts[0].Version) {
					t.Fatalf("%s[%d] = %v after UpgradeTo; had %v", c, i, got[i], insts[i])
				}
			}
		}
		_ = m.Check(d.Apply(steps...))
	})
}
