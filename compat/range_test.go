package compat_test

import (
	"errors"
	"testing"

	"github.com/glidepath/glidepath/compat"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		in   string
		want string // canonical String
		in_  []string
		out  []string
	}{
		{in: "~> 1", want: ">=1, <2", in_: []string{"1.0.0", "1.9.9"}, out: []string{"2.0.0", "0.9"}},
		{in: "~> 1.2", want: ">=1.2, <2", in_: []string{"1.2.0", "1.99"}, out: []string{"1.1.9", "2.0.0"}},
		{in: "~> 1.2.3", want: ">=1.2.3, <1.3", in_: []string{"1.2.3", "1.2.99"}, out: []string{"1.3.0", "1.2.2"}},
		{in: "~> 1.2.3.4", want: ">=1.2.3.4, <1.2.4", in_: []string{"1.2.3.9"}, out: []string{"1.2.4"}},
		{in: "~> 1.2.3-rc.1", want: ">=1.2.3-rc.1, <1.3", in_: []string{"1.2.3-rc.2", "1.2.5"}, out: []string{"1.3.0"}},
		{in: ">= 1.2, < 2.0 || >= 3.0", want: ">=1.2, <2.0 || >=3.0", in_: []string{"1.5", "3.1"}, out: []string{"2.5", "1.1"}},
		{in: "1.2.3", want: "1.2.3", in_: []string{"1.2.3", "1.2.3.0"}, out: []string{"1.2.4"}},
		{in: "= 1.2.3+build", want: "1.2.3", in_: []string{"1.2.3+other"}},
		{in: "!= 1.2.3", want: "<1.2.3 || >1.2.3", in_: []string{"1.2.2", "1.2.4"}, out: []string{"1.2.3"}},
		{in: ">1, <=2", want: ">1, <=2", in_: []string{"1.0.1", "2.0.0"}, out: []string{"1", "2.0.1"}},
		{in: "*", want: "*", in_: []string{"0.0.1", "99"}},
		{in: "none", want: "none", out: []string{"1"}},
		{in: ">= 2, < 1", want: "none", out: []string{"1.5"}},
		{in: ">=1, <2 || >=1.5, <3", want: ">=1, <3", in_: []string{"2.5"}},
		{in: "<1 || 1 || >1", want: "*"},
		{in: "<1 || >1", want: "<1 || >1", out: []string{"1"}},
		{in: "v1.2 || v1.3", want: "1.2 || 1.3", in_: []string{"1.3.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := compat.ParseRange(tt.in)
			if err != nil {
				t.Fatalf("ParseRange: %v", err)
			}
			if got := r.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			back, err := compat.ParseRange(r.String())
			if err != nil || !back.Equal(r) {
				t.Errorf("round trip %q: %v %v", r.String(), back, err)
			}
			for _, v := range tt.in_ {
				if !r.Contains(compat.MustParseVersion(v)) {
					t.Errorf("%s should contain %s", r, v)
				}
			}
			for _, v := range tt.out {
				if r.Contains(compat.MustParseVersion(v)) {
					t.Errorf("%s should not contain %s", r, v)
				}
			}
		})
	}
}

func TestParseRangeErrors(t *testing.T) {
	for _, in := range []string{"", "  ", ">=", ">= 1,", "1 ||", "|| 1", "~>", "=> 1", ">= x", "1.2.3.4.5", ">= 1 < 2", "1,,2"} {
		t.Run(in, func(t *testing.T) {
			_, err := compat.ParseRange(in)
			var pe *compat.ParseError
			if !errors.As(err, &pe) || pe.Kind != "range" || pe.Input != in {
				t.Fatalf("ParseRange(%q) error = %v, want range *ParseError", in, err)
			}
		})
	}
}

func TestRangeAlgebra(t *testing.T) {
	r := compat.MustParseRange
	tests := []struct {
		name       string
		a, b       string
		inter, uni string
		covers     bool
	}{
		{"disjoint", ">=1, <2", ">=3", "none", ">=1, <2 || >=3", false},
		{"touching", ">=1, <2", ">=2, <3", "none", ">=1, <3", false},
		{"point touch", ">=1, <=2", ">=2, <3", "2", ">=1, <3", false},
		{"nested", ">=1", "~> 1.2", ">=1.2, <2", ">=1", true},
		{"alternatives", "1 || 2 || 3", ">=2", "2 || 3", "1 || >=2", false},
		{"any", "*", "<1", "<1", "*", true},
		{"empty", "none", "1", "none", "1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := r(tt.a), r(tt.b)
			if got := a.Intersect(b).String(); got != tt.inter {
				t.Errorf("Intersect = %q, want %q", got, tt.inter)
			}
			if got := b.Intersect(a).String(); got != tt.inter {
				t.Errorf("Intersect (swapped) = %q, want %q", got, tt.inter)
			}
			if got := a.Union(b).String(); got != tt.uni {
				t.Errorf("Union = %q, want %q", got, tt.uni)
			}
			if got := a.Covers(b); got != tt.covers {
				t.Errorf("Covers = %v, want %v", got, tt.covers)
			}
			if got := a.Overlaps(b); got != (tt.inter != "none") {
				t.Errorf("Overlaps = %v", got)
			}
		})
	}
	if !(compat.Range{}).IsEmpty() || compat.AnyVersion().IsEmpty() || !compat.AnyVersion().IsAny() {
		t.Error("zero/any range predicates")
	}
	if !compat.Exactly(compat.MustParseVersion("1.2")).Equal(r("=1.2.0")) {
		t.Error("Exactly")
	}
}

func TestRangeMatchPrerelease(t *testing.T) {
	tests := []struct {
		rng, v        string
		explicit, all bool
	}{
		{">= 1.0", "1.5.0-rc.1", false, true},
		{">= 2.0.0-rc.1", "2.0.0-rc.2", true, true},
		{">= 2.0.0-rc.1", "2.1.0-rc.1", false, true},
		{">= 2.0.0-rc.1", "2.1.0", true, true},
		{"< 2", "2.0.0-rc.1", false, true},
		{"~> 1.2", "1.3.0", true, true},
		{"< 2 || 3.0.0-beta", "3.0.0-beta", true, true},
		// Normalization merges 3.0.0-beta into >= 1.0, whose endpoints
		// name no prerelease: the policy sees the normalized range.
		{">= 1.0 || 3.0.0-beta", "3.0.0-beta", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.rng+" "+tt.v, func(t *testing.T) {
			r, v := compat.MustParseRange(tt.rng), compat.MustParseVersion(tt.v)
			if got := r.Match(v, compat.PrereleaseExplicit); got != tt.explicit {
				t.Errorf("explicit: got %v", got)
			}
			if got := r.Match(v, compat.PrereleaseAll); got != tt.all {
				t.Errorf("all: got %v", got)
			}
		})
	}
}

// TestPessimisticNotGoVersionBug pins the documented difference from
// go-version, whose "~> 1" also matches 2.0.0.
func TestPessimisticNotGoVersionBug(t *testing.T) {
	if compat.MustParseRange("~> 1").Contains(compat.MustParseVersion("2.0.0")) {
		t.Fatal("~> 1 must not contain 2.0.0")
	}
}

func TestRangeContainsAllocs(t *testing.T) {
	r := compat.MustParseRange(">= 1.2, < 2.0 || >= 3.0, < 3.5")
	v := compat.MustParseVersion("3.2.1")
	if n := testing.AllocsPerRun(100, func() { _ = r.Contains(v) }); n != 0 {
		t.Errorf("Contains allocates %v times", n)
	}
	p := compat.MustParseVersion("3.2.1-rc.1")
	if n := testing.AllocsPerRun(100, func() { _ = r.Match(p, compat.PrereleaseExplicit) }); n != 0 {
		t.Errorf("Match allocates %v times", n)
	}
}

func TestRangeText(t *testing.T) {
	var r compat.Range
	if err := r.UnmarshalText([]byte("~> 1.2")); err != nil {
		t.Fatal(err)
	}
	b, _ := r.MarshalText()
	if string(b) != ">=1.2, <2" {
		t.Errorf("MarshalText = %s", b)
	}
	if err := r.UnmarshalText([]byte(">=")); err == nil {
		t.Error("accepted bad range")
	}
	if v, ok := compat.MustParseRange(">=1.2, <2").Min(); !ok || v.String() != "1.2" {
		t.Errorf("Min = %v %v", v, ok)
	}
}
