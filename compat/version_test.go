package compat_test

import (
	"errors"
	"testing"

	"github.com/glidepath/glidepath/compat"
	goversion "github.com/hashicorp/go-version"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in                  string
		want                string
		major, minor, patch int64
		pre, meta           string
		wantErr             bool
	}{
		{in: "1", want: "1", major: 1},
		{in: "1.2", want: "1.2", major: 1, minor: 2},
		{in: "v1.2.3", want: "1.2.3", major: 1, minor: 2, patch: 3},
		{in: "1.2.3.4", want: "1.2.3.4", major: 1, minor: 2, patch: 3},
		{in: "1.29.3-eks-1234", want: "1.29.3-eks-1234", major: 1, minor: 29, patch: 3, pre: "eks-1234"},
		{in: "2.0.0-rc.1+build.5", want: "2.0.0-rc.1+build.5", major: 2, pre: "rc.1", meta: "build.5"},
		{in: "1.2.3beta", want: "1.2.3-beta", major: 1, minor: 2, patch: 3, pre: "beta"},
		{in: "", wantErr: true},
		{in: "1.2.3.4.5", wantErr: true},
		{in: "x1.2", wantErr: true},
		{in: " 1.2", wantErr: true},
		{in: "1..2", wantErr: true},
		{in: "99999999999999999999", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := compat.ParseVersion(tt.in)
			if tt.wantErr {
				var pe *compat.ParseError
				if !errors.As(err, &pe) || pe.Kind != "version" {
					t.Fatalf("ParseVersion(%q) error = %v, want *ParseError", tt.in, err)
				}
				if v.IsValid() {
					t.Errorf("invalid input gave valid version %v", v)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseVersion(%q): %v", tt.in, err)
			}
			if got := v.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if v.Major() != tt.major || v.Minor() != tt.minor || v.Patch() != tt.patch || v.Prerelease() != tt.pre || v.Metadata() != tt.meta {
				t.Errorf("got %d.%d.%d pre %q meta %q", v.Major(), v.Minor(), v.Patch(), v.Prerelease(), v.Metadata())
			}
			back, err := compat.ParseVersion(v.String())
			if err != nil || back != v {
				t.Errorf("round trip: %v, %v", back, err)
			}
		})
	}
}

func TestVersionCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.2", "1.2.0", 0},
		{"1.2.0.0", "1.2", 0},
		{"1.2.3+a", "1.2.3+b", 0},
		{"1.2.3", "1.2.4", -1},
		{"1.10.0", "1.9.0", 1},
		{"2.0.0-rc.1", "2.0.0", -1},
		{"2.0.0-rc.1", "1.9.9", 1},
		{"1.0.0-alpha", "1.0.0-alpha.1", -1},
		{"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
		{"1.0.0-beta.2", "1.0.0-beta.11", -1},
		{"1.0.0-rc.1", "1.0.0-beta.11", 1},
		{"1.0.0-0", "1.0.0-00", 0},
		{"1.2.3.1", "1.2.3", 1},
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			a, b := compat.MustParseVersion(tt.a), compat.MustParseVersion(tt.b)
			if got := a.Compare(b); got != tt.want {
				t.Errorf("Compare = %d, want %d", got, tt.want)
			}
			if got := b.Compare(a); got != -tt.want {
				t.Errorf("reverse Compare = %d, want %d", got, -tt.want)
			}
			if a.Equal(b) != (tt.want == 0) || a.Less(b) != (tt.want < 0) {
				t.Errorf("Equal/Less disagree with Compare")
			}
		})
	}
}

// TestCompareMatchesGoVersion cross-checks release ordering with go-version.
func TestCompareMatchesGoVersion(t *testing.T) {
	vs := []string{"0.1", "1", "1.0.1", "1.2", "1.2.3", "1.2.3.4", "1.10", "2", "10.0.0", "1.2.10"}
	for _, a := range vs {
		for _, b := range vs {
			want := goversion.Must(goversion.NewVersion(a)).Compare(goversion.Must(goversion.NewVersion(b)))
			if got := compat.MustParseVersion(a).Compare(compat.MustParseVersion(b)); got != want {
				t.Errorf("Compare(%s, %s) = %d, go-version says %d", a, b, got, want)
			}
		}
	}
}

func TestStripVendorPrerelease(t *testing.T) {
	n := compat.StripVendorPrerelease("eks", "gke")
	tests := []struct{ in, want string }{
		{"1.29.3-eks-1234", "1.29.3"},
		{"1.29.3-gke.100", "1.29.3"},
		{"1.29.3-eks", "1.29.3"},
		{"1.29.3-eksfoo", "1.29.3-eksfoo"},
		{"1.29.3-rc.1", "1.29.3-rc.1"},
		{"1.29.3", "1.29.3"},
		{"1.29.3-eks-1+meta", "1.29.3+meta"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := n(compat.MustParseVersion(tt.in)).String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestVersionText(t *testing.T) {
	var v compat.Version
	if err := v.UnmarshalText([]byte("v1.2.3-rc.1")); err != nil {
		t.Fatal(err)
	}
	b, _ := v.MarshalText()
	if string(b) != "1.2.3-rc.1" {
		t.Errorf("MarshalText = %s", b)
	}
	if err := v.UnmarshalText([]byte("nope")); err == nil {
		t.Error("UnmarshalText accepted garbage")
	}
	if (compat.Version{}).String() != "invalid" {
		t.Error("zero Version String")
	}
}
