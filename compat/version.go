package compat

import (
	"strconv"
	"strings"

	goversion "github.com/hashicorp/go-version"
)

// maxSegments is the number of numeric segments a [Version] may have.
const maxSegments = 4

// Version is a parsed version such as 1.29.3, v2.0.0-rc.1 or 1.4.0.2+build.7.
//
// Version is a small comparable value. Two versions that differ only in the
// number of segments written (1.2 and 1.2.0) or in build metadata are not ==,
// but they compare equal with [Version.Compare]; use Compare (or
// [Version.Equal]) for ordering and equality of meaning.
//
// The zero Version is not valid; see [Version.IsValid].
type Version struct {
	seg  [maxSegments]int64
	n    uint8 // segments written, 1..4; 0 means the zero Version
	pre  string
	meta string
}

// ParseVersion parses s with github.com/hashicorp/go-version rules: an
// optional "v" prefix, 1 to 4 dot-separated numeric segments, an optional
// prerelease ("-rc.1") and optional build metadata ("+build.5"). Missing
// segments count as zero, so 1.2 compares equal to 1.2.0.
func ParseVersion(s string) (Version, error) {
	if s == "" {
		return Version{}, &ParseError{Kind: "version", Input: s, Reason: "empty version"}
	}
	gv, err := goversion.NewVersion(s)
	if err != nil {
		return Version{}, &ParseError{Kind: "version", Input: s, Reason: "malformed version"}
	}
	n := writtenSegments(s)
	if n > maxSegments {
		return Version{}, &ParseError{Kind: "version", Input: s, Reason: "more than 4 numeric segments"}
	}
	segs := gv.Segments64()
	v := Version{n: uint8(n), pre: gv.Prerelease(), meta: gv.Metadata()}
	copy(v.seg[:], segs)
	for _, x := range segs {
		if x < 0 {
			return Version{}, &ParseError{Kind: "version", Input: s, Reason: "negative segment"}
		}
	}
	return v, nil
}

// writtenSegments counts the numeric segments of s (after an optional "v").
func writtenSegments(s string) int {
	s = strings.TrimPrefix(s, "v")
	n := 1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				n++
				continue
			}
			return n
		case c >= '0' && c <= '9':
		default:
			return n
		}
	}
	return n
}

// MustParseVersion is like [ParseVersion] but panics on error. It is meant
// for tests and for versions that are constants in code.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// IsValid reports whether v was produced by parsing, as opposed to being the
// zero Version.
func (v Version) IsValid() bool { return v.n != 0 }

// Segment returns numeric segment i (0 = major, 1 = minor, 2 = patch,
// 3 = the fourth segment); segments that were not written are 0.
func (v Version) Segment(i int) int64 {
	if i < 0 || i >= maxSegments {
		return 0
	}
	return v.seg[i]
}

// Major returns the first segment.
func (v Version) Major() int64 { return v.seg[0] }

// Minor returns the second segment.
func (v Version) Minor() int64 { return v.seg[1] }

// Patch returns the third segment.
func (v Version) Patch() int64 { return v.seg[2] }

// Prerelease returns the prerelease part without its leading "-", or "".
func (v Version) Prerelease() string { return v.pre }

// Metadata returns the build metadata without its leading "+", or "".
func (v Version) Metadata() string { return v.meta }

// Core returns v without prerelease and build metadata.
func (v Version) Core() Version {
	v.pre, v.meta = "", ""
	return v
}

// Compare returns -1, 0 or +1 as v sorts before, equal to or after w.
// Numeric segments compare as integers (missing segments are 0), a
// prerelease sorts before its release, prereleases follow Semantic
// Versioning 2.0 precedence, and build metadata is ignored.
func (v Version) Compare(w Version) int { return compareVersions(&v, &w) }

// compareVersions is Compare on pointers, for hot paths that would
// otherwise copy two Versions per comparison.
func compareVersions(v, w *Version) int {
	for i := range maxSegments {
		if v.seg[i] != w.seg[i] {
			if v.seg[i] < w.seg[i] {
				return -1
			}
			return 1
		}
	}
	if v.pre == w.pre {
		return 0
	}
	return comparePrerelease(v.pre, w.pre)
}

// Equal reports whether v and w compare equal.
func (v Version) Equal(w Version) bool { return v.Compare(w) == 0 }

// Less reports whether v sorts before w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }

// comparePrerelease compares two different prerelease strings with Semantic
// Versioning precedence; "" (a release) sorts last. It does not allocate.
func comparePrerelease(a, b string) int {
	switch {
	case a == "":
		return 1
	case b == "":
		return -1
	}
	for {
		ai, arest, amore := cutDot(a)
		bi, brest, bmore := cutDot(b)
		if c := compareIdent(ai, bi); c != 0 {
			return c
		}
		switch {
		case !amore && !bmore:
			return 0
		case !amore:
			return -1
		case !bmore:
			return 1
		}
		a, b = arest, brest
	}
}

func cutDot(s string) (head, rest string, more bool) {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compareIdent compares prerelease identifiers: numeric ones by value (of
// any length, without overflow), numeric before alphanumeric, and
// alphanumeric ones in ASCII order.
func compareIdent(a, b string) int {
	an, bn := isNumeric(a), isNumeric(b)
	switch {
	case an && bn:
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			if len(a) < len(b) {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	case an:
		return -1
	case bn:
		return 1
	}
	return strings.Compare(a, b)
}

// String returns v in canonical form: the segments as written, without a
// "v" prefix, then "-prerelease" and "+metadata" when present. The zero
// Version renders as "invalid". ParseVersion(v.String()) == v.
func (v Version) String() string {
	if v.n == 0 {
		return "invalid"
	}
	b := make([]byte, 0, 16+len(v.pre)+len(v.meta))
	return string(v.appendTo(b))
}

func (v Version) appendTo(b []byte) []byte {
	for i := 0; i < int(v.n); i++ {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendInt(b, v.seg[i], 10)
	}
	if v.pre != "" {
		b = append(b, '-')
		b = append(b, v.pre...)
	}
	if v.meta != "" {
		b = append(b, '+')
		b = append(b, v.meta...)
	}
	return b
}

// MarshalText implements [encoding.TextMarshaler].
func (v Version) MarshalText() ([]byte, error) {
	if v.n == 0 {
		return []byte{}, nil
	}
	return v.appendTo(nil), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]; empty text yields
// the zero Version.
func (v *Version) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*v = Version{}
		return nil
	}
	p, err := ParseVersion(string(text))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// withSegments returns a release version with the given segments.
func withSegments(n int, segs ...int64) Version {
	v := Version{n: uint8(n)}
	copy(v.seg[:], segs)
	return v
}

// Normalizer maps a version as reported by a deployment to the version the
// matrix reasons about, for example a vendor build 1.29.3-eks-1234 to the
// release 1.29.3. It must be a pure function of its argument.
type Normalizer func(Version) Version

// StripVendorPrerelease returns a [Normalizer] that drops the prerelease of
// any version whose prerelease starts with one of the given tags followed by
// "-", "." or the end, so that 1.29.3-eks-1234 with tag "eks" counts as
// 1.29.3. Other versions are returned unchanged.
func StripVendorPrerelease(tags ...string) Normalizer {
	tags = append([]string(nil), tags...)
	return func(v Version) Version {
		if v.pre == "" {
			return v
		}
		for _, t := range tags {
			if t == "" || !strings.HasPrefix(v.pre, t) {
				continue
			}
			if rest := v.pre[len(t):]; rest == "" || rest[0] == '-' || rest[0] == '.' {
				v.pre = ""
				return v
			}
		}
		return v
	}
}
