package compat_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
	goversion "github.com/hashicorp/go-version"
)

// TestRangeLaws checks the set algebra of Range on random expressions:
// Union and Intersect are commutative, associative and idempotent,
// Intersect distributes over Union, Contains agrees with both, Covers and
// Overlaps agree with Intersect, and String round-trips.
func TestRangeLaws(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vers := []string{"0", "0.5", "1", "1.0", "1.0.1", "1.2-rc.1", "1.2", "1.2.0", "1.2.0.0", "v1.2", "1.2+b", "1.2.3-alpha", "1.2.3-rc.1", "1.2.3", "1.2.3.1", "1.3", "2.0.0-rc.1", "2", "2.1", "3", "10"}
	ops := []string{"=", "!=", ">", "<", ">=", "<=", "~>", ""}
	gen := func() compat.Range {
		var b strings.Builder
		for a := range 1 + rng.IntN(3) {
			if a > 0 {
				b.WriteString(" || ")
			}
			for c := range 1 + rng.IntN(2) {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString(ops[rng.IntN(len(ops))] + vers[rng.IntN(len(vers))])
			}
		}
		r, err := compat.ParseRange(b.String())
		if err != nil {
			t.Fatalf("ParseRange(%q): %v", b.String(), err)
		}
		return r
	}
	var probes []compat.Version
	for _, s := range append(vers, "0.0.0-a", "1.1", "1.2.0", "1.2.2", "1.2.4", "1.2.3-rc.2", "1.9", "2.0.0-beta", "2.0.1", "9", "11", "1.2.3+m") {
		probes = append(probes, compat.MustParseVersion(s))
	}
	rounds := 2000
	if testing.Short() {
		rounds = 300
	}
	for range rounds {
		a, b, c := gen(), gen(), gen()
		same := func(law string, x, y compat.Range) {
			t.Helper()
			if !x.Equal(y) || x.String() != y.String() {
				t.Fatalf("%s: %q != %q (a=%q b=%q c=%q)", law, x, y, a, b, c)
			}
		}
		same("Union commutative", a.Union(b), b.Union(a))
		same("Intersect commutative", a.Intersect(b), b.Intersect(a))
		same("Union associative", a.Union(b).Union(c), a.Union(b.Union(c)))
		same("Intersect associative", a.Intersect(b).Intersect(c), a.Intersect(b.Intersect(c)))
		same("Union idempotent", a.Union(a), a)
		same("Intersect idempotent", a.Intersect(a), a)
		// Distributivity holds for the sets; which of two spellings of one
		// bound (1.2, 1.2.0) survives may differ, so compare with Equal.
		if x, y := a.Intersect(b.Union(c)), a.Intersect(b).Union(a.Intersect(c)); !x.Equal(y) {
			t.Fatalf("Intersect distributes: %q != %q (a=%q b=%q c=%q)", x, y, a, b, c)
		}
		same("Union with empty", a.Union(compat.Range{}), a)
		same("Intersect with any", a.Intersect(compat.AnyVersion()), a)
		back, err := compat.ParseRange(a.String())
		if err != nil || !back.Equal(a) || back.String() != a.String() {
			t.Fatalf("round trip of %q: %q, %v", a, back, err)
		}
		if a.Overlaps(b) == a.Intersect(b).IsEmpty() {
			t.Fatalf("Overlaps(%q, %q) disagrees with Intersect", a, b)
		}
		if a.Union(b).Covers(a) == false || a.Covers(a.Intersect(b)) == false {
			t.Fatalf("Covers(%q, %q) disagrees with Union/Intersect", a, b)
		}
		for _, v := range probes {
			if got, want := a.Union(b).Contains(v), a.Contains(v) || b.Contains(v); got != want {
				t.Fatalf("(%q ∪ %q).Contains(%s) = %v, want %v", a, b, v, got, want)
			}
			if got, want := a.Intersect(b).Contains(v), a.Contains(v) && b.Contains(v); got != want {
				t.Fatalf("(%q ∩ %q).Contains(%s) = %v, want %v", a, b, v, got, want)
			}
		}
	}
}

// TestRangeMatchesGoVersion compares every operator, with and without a
// "v", with prerelease and build-metadata operands, against go-version's
// Constraints.Check, with the matrix default policy PrereleaseExplicit.
// The documented differences are skipped by name (see the Range doc).
func TestRangeMatchesGoVersion(t *testing.T) {
	operands := []string{"0", "1", "v1", "1.2", "v1.2", "1.2.3", "v1.2.3", "1.2.3.4", "1.2.3+build", "1.2.3-rc.1", "1.2-beta", "2.0.0-rc.1+meta", "1.2.3beta"}
	ops := []string{"", "=", "!=", ">", "<", ">=", "<=", "~>"}
	versions := []string{"0", "0.9", "1", "1.0.0", "1.1", "1.2", "1.2.0", "1.2.2", "1.2.3", "1.2.3.0", "1.2.3.4", "1.2.3.5", "1.2.4", "1.3", "1.3.0", "2", "2.0.0", "2.0.1",
		"1.2.3+x", "v1.2.3", "1.2.3-rc.1", "1.2.3-rc.2", "1.2.3-alpha", "1.2.0-beta", "1.2-beta", "2.0.0-rc.1", "2.0.0-rc.2", "1.2.3-rc.1+m", "0.0.0-a", "1.2.3beta", "1.2.4-rc.1"}
	segments := func(s string) int {
		s = strings.TrimPrefix(s, "v")
		if i := strings.IndexAny(s, "-+abcdefghijklmnopqrstuvwxyz"); i >= 0 {
			s = s[:i]
		}
		return strings.Count(s, ".") + 1
	}
	compared := 0
	for _, o := range operands {
		for _, op := range ops {
			expr := strings.TrimSpace(op + " " + o)
			gc, gerr := goversion.NewConstraint(expr)
			r, err := compat.ParseRange(expr)
			if (gerr == nil) != (err == nil) {
				t.Errorf("%q: go-version error %v, ParseRange error %v", expr, gerr, err)
				continue
			}
			operand := compat.MustParseVersion(o)
			for _, vs := range versions {
				v := compat.MustParseVersion(vs)
				switch {
				case op == "~>" && segments(o) == 1:
					continue // documented: ~> 1 means >= 1, < 2
				case op == "~>" && operand.Prerelease() != "" && v.Prerelease() == "":
					continue // documented: ~> 1.2.3-rc.1 admits the releases 1.2.3 .. 1.2.x
				case op == "!=" && v.Prerelease() != "":
					continue // documented: != names no prerelease, so PrereleaseExplicit rejects them
				case segments(vs) == 4 && (operand.Prerelease() != "" || v.Prerelease() != ""):
					continue // go-version compares 1.2.3.0 and 1.2.3-rc.1 as equal
				}
				compared++
				want := gc.Check(goversion.Must(goversion.NewVersion(vs)))
				if got := r.Match(v, compat.PrereleaseExplicit); got != want {
					t.Errorf("%q (%s).Match(%s, explicit) = %v, go-version says %v", expr, r, vs, got, want)
				}
				if v.Prerelease() == "" {
					if got := r.Contains(v); got != want {
						t.Errorf("%q (%s).Contains(%s) = %v, go-version says %v", expr, r, vs, got, want)
					}
				}
			}
		}
	}
	if compared < 2000 {
		t.Errorf("only %d comparisons; the table lost its coverage", compared)
	}
}

// TestPessimisticLargestSegment: ~> on a segment that cannot be
// incremented must not wrap around to a negative bound (which made the
// range empty).
func TestPessimisticLargestSegment(t *testing.T) {
	const max = "9223372036854775807"
	tests := []struct {
		expr, want string
		in, out    []string
	}{
		{"~> " + max, ">=" + max, []string{max, max + ".5"}, []string{"1"}},
		{"~> 1." + max, ">=1." + max + ", <2", []string{"1." + max + ".3"}, []string{"2", "1.5"}},
		{"~> 1." + max + ".5", ">=1." + max + ".5, <2", []string{"1." + max + ".9"}, []string{"2", max + ".5"}},
		{"~> " + max + "." + max + ".1", ">=" + max + "." + max + ".1", []string{max + "." + max + ".7"}, []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			r := compat.MustParseRange(tt.expr)
			if r.String() != tt.want {
				t.Errorf("String() = %q, want %q", r, tt.want)
			}
			for _, s := range tt.in {
				if !r.Contains(compat.MustParseVersion(s)) {
					t.Errorf("%s should contain %s", r, s)
				}
			}
			for _, s := range tt.out {
				if r.Contains(compat.MustParseVersion(s)) {
					t.Errorf("%s should not contain %s", r, s)
				}
			}
		})
	}
}
