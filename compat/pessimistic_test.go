package compat_test

import (
	"testing"

	"github.com/glidepath/glidepath/compat"
	goversion "github.com/hashicorp/go-version"
)

// TestPessimisticBoundaries pins ~> at the edges of its documented
// intervals for 1, 2, 3 and 4 segments, and cross-checks go-version where
// it agrees with the documentation (2 and more segments, releases only).
func TestPessimisticBoundaries(t *testing.T) {
	tests := []struct {
		expr   string
		in     []string
		out    []string
		sameGV bool // go-version's ~> gives the same answers
	}{
		{"~> 1", []string{"1", "1.0.0", "1.0.1", "1.9", "1.99.99"}, []string{"0.9.9", "2", "2.0.0", "2.0.1"}, false},
		{"~> 0", []string{"0", "0.0.1", "0.99"}, []string{"1.0.0"}, false},
		{"~> 1.2", []string{"1.2", "1.2.0", "1.2.9", "1.3", "1.99"}, []string{"1.1.9", "2.0", "2.0.0"}, true},
		{"~> 1.2.3", []string{"1.2.3", "1.2.4", "1.2.99"}, []string{"1.2.2", "1.3.0", "1.3", "2.0.0"}, true},
		{"~> 1.2.3.4", []string{"1.2.3.4", "1.2.3.5", "1.2.3.99"}, []string{"1.2.3.3", "1.2.4", "1.2.4.0", "1.3"}, true},
		{"~> v1.2", []string{"1.2.0"}, []string{"2.0.0"}, true},
		{"~> 1.2.3-rc.1", []string{"1.2.3-rc.1", "1.2.3-rc.2", "1.2.3", "1.2.9"}, []string{"1.2.3-beta", "1.2.2", "1.3.0"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			r := compat.MustParseRange(tt.expr)
			var gv goversion.Constraints
			if tt.sameGV {
				var err error
				if gv, err = goversion.NewConstraint(tt.expr); err != nil {
					t.Fatal(err)
				}
			}
			for _, want := range []bool{true, false} {
				vs := tt.in
				if !want {
					vs = tt.out
				}
				for _, s := range vs {
					v := compat.MustParseVersion(s)
					if got := r.Contains(v); got != want {
						t.Errorf("%s (%s).Contains(%s) = %v, want %v", tt.expr, r, s, got, want)
					}
					if gv != nil {
						if got := gv.Check(goversion.Must(goversion.NewVersion(s))); got != want {
							t.Errorf("go-version: %s Check(%s) = %v, want %v", tt.expr, s, got, want)
						}
					}
				}
			}
		})
	}
}
