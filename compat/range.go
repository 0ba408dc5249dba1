package compat

import (
	"math"
	"slices"
	"strings"
)

// Range is a set of versions: a normalized union of disjoint intervals,
// sorted in ascending order. It is an immutable value; all methods leave
// the receiver unchanged and are safe for concurrent use.
//
// The zero Range is empty and matches nothing; [AnyVersion] matches
// everything.
//
// # Syntax
//
// [ParseRange] accepts the constraint syntax of
// github.com/hashicorp/go-version — comma-separated constraints that must
// all hold — plus "||" between alternatives, of which one must hold:
//
//	>= 1.2, < 2.0 || >= 3.0
//
// Operators are =, !=, >, >=, <, <=, ~> and none (meaning =). "*" matches
// every version and "none" matches none. The pessimistic operator ~> is
// defined for every segment count as follows (go-version's own ~> 1 also
// matches 2.0.0; this package does not copy that):
//
//	~> 1        >= 1, < 2
//	~> 1.2      >= 1.2, < 2
//	~> 1.2.3    >= 1.2.3, < 1.3
//	~> 1.2.3.4  >= 1.2.3.4, < 1.2.4
//
// That is: with one segment the major is fixed; with more, every segment
// but the last is fixed except that the last-but-one may grow. A
// prerelease on the operand lowers the lower bound only (~> 1.2.3-rc.1
// means >= 1.2.3-rc.1, < 1.3).
//
// # Differences from go-version
//
// [Range.Match] gives go-version's answer for every operator, with and
// without a "v", except for these deliberate differences (and ~> with one
// segment, above):
//
//   - ~> with a prerelease operand admits the later releases too:
//     ~> 1.2.3-rc.1 contains 1.2.3 and 1.2.9, where go-version admits only
//     prereleases of 1.2.3.
//   - Under [PrereleaseExplicit] a prerelease is judged per interval of
//     the normalized range, not per comma-separated constraint:
//     ">= 1.0.0-rc.1, < 2" admits 1.0.0-rc.2 (go-version rejects it
//     because "< 2" names no prerelease), and "!= 1.2.3" admits no
//     prerelease (go-version's != admits every one).
//   - Prereleases order by Semantic Versioning 2.0 precedence, so
//     1.0.0-alpha sorts before 1.0.0-alpha.beta (go-version sorts it
//     after); 1.2.3.0 equals 1.2.3 and not 1.2.3-rc.1.
//   - A ~> whose segment to increment is already the largest int64 carries
//     into the segment before it, or is unbounded above.
//
// # Prereleases
//
// A Range is an ordered set: [Range.Contains] answers set membership in the
// version order, in which 2.0.0-rc.1 sorts between 1.9 and 2.0.0. Whether a
// prerelease should match a range that does not mention one is a policy
// question answered by [Range.Match] with a [PrereleasePolicy].
type Range struct {
	ivs []interval
	pre bool // some finite endpoint carries a prerelease
}

type bound struct {
	v    Version
	incl bool
	inf  bool // unbounded: -inf for lower, +inf for upper bounds
}

type interval struct{ lo, hi bound }

// AnyVersion returns the Range that contains every version.
func AnyVersion() Range {
	return Range{ivs: []interval{{lo: bound{inf: true}, hi: bound{inf: true}}}}
}

// Exactly returns the Range that contains only versions equal to v.
func Exactly(v Version) Range {
	v.meta = ""
	b := bound{v: v, incl: true}
	return newRange([]interval{{lo: b, hi: b}})
}

// ParseRange parses a range expression; see [Range] for the syntax. A
// well-formed expression that matches no version (">= 2, < 1") parses to an
// empty Range; callers that need a non-empty range check [Range.IsEmpty].
func ParseRange(s string) (Range, error) {
	t := strings.TrimSpace(s)
	switch t {
	case "":
		return Range{}, &ParseError{Kind: "range", Input: s, Reason: "empty range expression"}
	case "none":
		return Range{}, nil
	}
	var out []interval
	for alt := range strings.SplitSeq(t, "||") {
		acc := AnyVersion().ivs
		if strings.TrimSpace(alt) == "" {
			return Range{}, &ParseError{Kind: "range", Input: s, Reason: `empty alternative around "||"`}
		}
		for item := range strings.SplitSeq(alt, ",") {
			ivs, err := parseConstraint(strings.TrimSpace(item))
			if err != nil {
				return Range{}, &ParseError{Kind: "range", Input: s, Reason: err.Error()}
			}
			acc = intersect(acc, ivs)
		}
		out = append(out, acc...)
	}
	return newRange(out), nil
}

// MustParseRange is like [ParseRange] but panics on error. It is meant for
// tests and constant ranges in code.
func MustParseRange(s string) Range {
	r, err := ParseRange(s)
	if err != nil {
		panic(err)
	}
	return r
}

type constraintError string

func (e constraintError) Error() string { return string(e) }

func parseConstraint(item string) ([]interval, error) {
	if item == "" {
		return nil, constraintError("empty constraint")
	}
	if item == "*" {
		return AnyVersion().ivs, nil
	}
	op := ""
	for _, o := range [...]string{">=", "<=", "!=", "~>", ">", "<", "="} {
		if strings.HasPrefix(item, o) {
			op = o
			break
		}
	}
	vs := strings.TrimSpace(item[len(op):])
	if vs == "" {
		return nil, constraintError("constraint " + quote(item) + " has no version")
	}
	v, err := ParseVersion(vs)
	if err != nil {
		return nil, constraintError("constraint " + quote(item) + ": " + err.(*ParseError).Reason)
	}
	v.meta = ""
	at := bound{v: v, incl: true}
	open := bound{v: v}
	inf := bound{inf: true}
	switch op {
	case "", "=":
		return []interval{{lo: at, hi: at}}, nil
	case "!=":
		return []interval{{lo: inf, hi: open}, {lo: open, hi: inf}}, nil
	case ">":
		return []interval{{lo: open, hi: inf}}, nil
	case ">=":
		return []interval{{lo: at, hi: inf}}, nil
	case "<":
		return []interval{{lo: inf, hi: open}}, nil
	case "<=":
		return []interval{{lo: inf, hi: at}}, nil
	}
	// "~>"
	up, ok := pessimisticUpper(v)
	if !ok {
		return []interval{{lo: at, hi: inf}}, nil
	}
	return []interval{{lo: at, hi: bound{v: up}}}, nil
}

// pessimisticUpper returns the exclusive upper bound of ~> v. When the
// segment to increment is already the largest representable value the
// increment carries into the segment before it (~> 1.M.5 with M the
// largest segment ends below 2); it returns false when nothing is left to
// carry into, so that the range is unbounded above.
func pessimisticUpper(v Version) (Version, bool) {
	k := max(int(v.n)-2, 0) // the segment that grows
	for k >= 0 && v.seg[k] == math.MaxInt64 {
		k--
	}
	if k < 0 {
		return Version{}, false
	}
	segs := make([]int64, k+1)
	copy(segs, v.seg[:k+1])
	segs[k]++
	return withSegments(k+1, segs...), true
}

func quote(s string) string { return `"` + s + `"` }

// newRange normalizes ivs: it drops empty intervals, sorts, and merges
// intervals that overlap or touch.
func newRange(ivs []interval) Range {
	ivs = slices.DeleteFunc(ivs, func(iv interval) bool { return iv.empty() })
	if len(ivs) == 0 {
		return Range{}
	}
	slices.SortStableFunc(ivs, func(a, b interval) int {
		if c := cmpLower(a.lo, b.lo); c != 0 {
			return c
		}
		return spelling(a.lo, b.lo)
	})
	out := ivs[:1]
	for _, iv := range ivs[1:] {
		last := &out[len(out)-1]
		if last.touches(iv) {
			if c := cmpUpper(iv.hi, last.hi); c > 0 || (c == 0 && spelling(iv.hi, last.hi) < 0) {
				last.hi = iv.hi
			}
			continue
		}
		out = append(out, iv)
	}
	r := Range{ivs: slices.Clip(out)}
	for _, iv := range r.ivs {
		if (!iv.lo.inf && iv.lo.v.pre != "") || (!iv.hi.inf && iv.hi.v.pre != "") {
			r.pre = true
		}
	}
	return r
}

func (iv interval) empty() bool {
	if iv.lo.inf || iv.hi.inf {
		return false
	}
	c := iv.lo.v.Compare(iv.hi.v)
	return c > 0 || (c == 0 && !(iv.lo.incl && iv.hi.incl))
}

// touches reports whether iv, which starts no later than next, overlaps or
// abuts next so that their union is one interval.
func (iv interval) touches(next interval) bool {
	if iv.hi.inf || next.lo.inf {
		return true
	}
	c := iv.hi.v.Compare(next.lo.v)
	return c > 0 || (c == 0 && (iv.hi.incl || next.lo.incl))
}

// spelling orders bounds that compare equal but are written differently
// (1.2 and 1.2.0, rc.1 and rc.01): fewer segments first, then by the
// prerelease text. Normalization keeps the first, so that equal ranges
// print the same whatever order they were built in.
func spelling(a, b bound) int {
	if a.inf || b.inf {
		return 0
	}
	if a.v.n != b.v.n {
		return int(a.v.n) - int(b.v.n)
	}
	return strings.Compare(a.v.pre, b.v.pre)
}

// cmpLower orders lower bounds: -inf first; at equal versions an inclusive
// bound starts earlier.
func cmpLower(a, b bound) int {
	switch {
	case a.inf && b.inf:
		return 0
	case a.inf:
		return -1
	case b.inf:
		return 1
	}
	if c := a.v.Compare(b.v); c != 0 {
		return c
	}
	switch {
	case a.incl == b.incl:
		return 0
	case a.incl:
		return -1
	}
	return 1
}

// cmpUpper orders upper bounds: +inf last; at equal versions an exclusive
// bound ends earlier.
func cmpUpper(a, b bound) int {
	switch {
	case a.inf && b.inf:
		return 0
	case a.inf:
		return 1
	case b.inf:
		return -1
	}
	if c := a.v.Compare(b.v); c != 0 {
		return c
	}
	switch {
	case a.incl == b.incl:
		return 0
	case a.incl:
		return 1
	}
	return -1
}

func intersect(a, b []interval) []interval {
	var out []interval
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		lo := a[i].lo
		if c := cmpLower(b[j].lo, lo); c > 0 || (c == 0 && spelling(b[j].lo, lo) < 0) {
			lo = b[j].lo
		}
		hi := a[i].hi
		if c := cmpUpper(b[j].hi, hi); c < 0 || (c == 0 && spelling(b[j].hi, hi) < 0) {
			hi = b[j].hi
		}
		if iv := (interval{lo: lo, hi: hi}); !iv.empty() {
			out = append(out, iv)
		}
		if cmpUpper(a[i].hi, b[j].hi) < 0 {
			i++
		} else {
			j++
		}
	}
	return out
}

// Contains reports whether v lies in r, in version order (see [Range] for
// how prereleases sort). It does not allocate.
func (r Range) Contains(v Version) bool { return r.contains(&v) }

func (r *Range) contains(v *Version) bool {
	for i := range r.ivs {
		iv := &r.ivs[i]
		if !iv.lo.inf {
			c := compareVersions(v, &iv.lo.v)
			if c < 0 || (c == 0 && !iv.lo.incl) {
				return false // intervals are sorted: no later one can match
			}
		}
		if iv.hi.inf {
			return true
		}
		c := compareVersions(v, &iv.hi.v)
		if c < 0 || (c == 0 && iv.hi.incl) {
			return true
		}
	}
	return false
}

// Match reports whether v satisfies r under policy p. With
// [PrereleaseExplicit] a prerelease version matches only if it lies in an
// interval of r one of whose endpoints is a prerelease of the same
// numeric version (so ">= 2.0.0-rc.1" admits 2.0.0-rc.2 but ">= 1.0" admits
// no prerelease at all). The rule looks at the normalized range: in
// ">= 1.0 || 3.0.0-beta" the second alternative is absorbed by the first,
// so 3.0.0-beta does not match. With [PrereleaseAll] Match is
// [Range.Contains].
func (r Range) Match(v Version, p PrereleasePolicy) bool {
	if v.pre == "" || p == PrereleaseAll {
		return r.contains(&v)
	}
	if !r.pre {
		return false
	}
	for i := range r.ivs {
		iv := &r.ivs[i]
		if !iv.holds(&v) {
			continue
		}
		return (!iv.lo.inf && iv.lo.v.pre != "" && iv.lo.v.seg == v.seg) ||
			(!iv.hi.inf && iv.hi.v.pre != "" && iv.hi.v.seg == v.seg)
	}
	return false
}

func (iv *interval) holds(v *Version) bool {
	if !iv.lo.inf {
		c := compareVersions(v, &iv.lo.v)
		if c < 0 || (c == 0 && !iv.lo.incl) {
			return false
		}
	}
	if iv.hi.inf {
		return true
	}
	c := compareVersions(v, &iv.hi.v)
	return c < 0 || (c == 0 && iv.hi.incl)
}

// IsEmpty reports whether r contains no version.
func (r Range) IsEmpty() bool { return len(r.ivs) == 0 }

// IsAny reports whether r contains every version.
func (r Range) IsAny() bool {
	return len(r.ivs) == 1 && r.ivs[0].lo.inf && r.ivs[0].hi.inf
}

// Intersect returns the versions in both r and o.
func (r Range) Intersect(o Range) Range {
	return newRange(intersect(r.ivs, o.ivs))
}

// Union returns the versions in r or o.
func (r Range) Union(o Range) Range {
	ivs := make([]interval, 0, len(r.ivs)+len(o.ivs))
	ivs = append(append(ivs, r.ivs...), o.ivs...)
	return newRange(ivs)
}

// Covers reports whether every version in o is also in r.
func (r Range) Covers(o Range) bool {
	return r.Intersect(o).Equal(o)
}

// Overlaps reports whether r and o share at least one version.
func (r Range) Overlaps(o Range) bool {
	return len(intersect(r.ivs, o.ivs)) > 0
}

// Equal reports whether r and o contain the same versions.
func (r Range) Equal(o Range) bool {
	return slices.EqualFunc(r.ivs, o.ivs, func(a, b interval) bool {
		return cmpLower(a.lo, b.lo) == 0 && cmpUpper(a.hi, b.hi) == 0
	})
}

// Min returns the smallest version in r and whether r has one (it has none
// when it is empty, unbounded below or open at its lower end).
func (r Range) Min() (Version, bool) {
	if len(r.ivs) == 0 || r.ivs[0].lo.inf || !r.ivs[0].lo.incl {
		return Version{}, false
	}
	return r.ivs[0].lo.v, true
}

// String returns r in canonical syntax; ParseRange(r.String()) equals r.
// Versions print as written, so equal ranges can differ in spelling (>=1.2
// and >=1.2.0), but Union and Intersect print the same whatever the order
// of their operands: of two spellings of one bound the shorter is kept.
// The empty range renders as "none" and the full range as "*".
func (r Range) String() string {
	if len(r.ivs) == 0 {
		return "none"
	}
	var b []byte
	for i, iv := range r.ivs {
		if i > 0 {
			b = append(b, " || "...)
		}
		b = iv.appendTo(b)
	}
	return string(b)
}

func (iv interval) appendTo(b []byte) []byte {
	switch {
	case iv.lo.inf && iv.hi.inf:
		return append(b, '*')
	case !iv.lo.inf && !iv.hi.inf && iv.lo.incl && iv.hi.incl && iv.lo.v.Compare(iv.hi.v) == 0:
		return iv.lo.v.appendTo(b)
	}
	if !iv.lo.inf {
		if iv.lo.incl {
			b = append(b, ">="...)
		} else {
			b = append(b, '>')
		}
		b = iv.lo.v.appendTo(b)
	}
	if !iv.hi.inf {
		if !iv.lo.inf {
			b = append(b, ", "...)
		}
		if iv.hi.incl {
			b = append(b, "<="...)
		} else {
			b = append(b, '<')
		}
		b = iv.hi.v.appendTo(b)
	}
	return b
}

// MarshalText implements [encoding.TextMarshaler] with [Range.String].
func (r Range) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseRange].
func (r *Range) UnmarshalText(text []byte) error {
	p, err := ParseRange(string(text))
	if err != nil {
		return err
	}
	*r = p
	return nil
}
