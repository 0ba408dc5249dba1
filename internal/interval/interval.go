// Package interval implements immutable sets of half-open time intervals
// [Start, End) and the algebra on them: union, intersection, subtraction and
// normalization.
//
// A [Set] is always normalized: its intervals are non-empty, sorted by start,
// and neither overlap nor touch (touching intervals are merged). Every
// operation returns a new Set and leaves its operands unchanged, so Sets may
// be shared freely between goroutines.
package interval

import (
	"slices"
	"time"
)

// Interval is the half-open range of instants [Start, End). An Interval whose
// End is not after its Start is empty.
type Interval struct {
	Start time.Time
	End   time.Time
}

// IsEmpty reports whether the interval contains no instant.
func (i Interval) IsEmpty() bool { return !i.End.After(i.Start) }

// Duration returns the length of the interval, or zero when it is empty.
func (i Interval) Duration() time.Duration {
	if i.IsEmpty() {
		return 0
	}
	return i.End.Sub(i.Start)
}

// Contains reports whether t lies in [Start, End).
func (i Interval) Contains(t time.Time) bool {
	return !t.Before(i.Start) && t.Before(i.End)
}

// Overlaps reports whether the two intervals share at least one instant.
func (i Interval) Overlaps(j Interval) bool {
	return !i.IsEmpty() && !j.IsEmpty() && i.Start.Before(j.End) && j.Start.Before(i.End)
}

// Intersect returns the common part of i and j, which may be empty.
func (i Interval) Intersect(j Interval) Interval {
	r := Interval{Start: later(i.Start, j.Start), End: earlier(i.End, j.End)}
	if r.IsEmpty() {
		return Interval{}
	}
	return r
}

// Set is an immutable, normalized set of intervals. The zero Set is empty and
// ready to use.
type Set struct {
	iv []Interval // sorted, non-empty, non-overlapping, non-touching; never mutated
}

// New returns the normalized union of the given intervals. Empty intervals are
// dropped; overlapping and touching intervals are merged. The argument slice
// is not retained.
func New(ivs ...Interval) Set {
	out := make([]Interval, 0, len(ivs))
	for _, iv := range ivs {
		if !iv.IsEmpty() {
			out = append(out, iv)
		}
	}
	return Set{iv: normalize(out)}
}

// FromSorted is New for intervals the caller already knows to be sorted by
// start; it is cheaper because it skips the sort. Empty intervals are dropped
// and overlapping or touching ones merged, exactly as in New. The slice is
// reused and must not be used by the caller afterwards.
func FromSorted(ivs []Interval) Set {
	out := ivs[:0]
	for _, iv := range ivs {
		if iv.IsEmpty() {
			continue
		}
		if n := len(out); n > 0 && !iv.Start.After(out[n-1].End) {
			if iv.End.After(out[n-1].End) {
				out[n-1].End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	if len(out) == 0 {
		return Set{}
	}
	return Set{iv: out}
}

func normalize(ivs []Interval) []Interval {
	if len(ivs) == 0 {
		return nil
	}
	slices.SortFunc(ivs, func(a, b Interval) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return a.End.Compare(b.End)
	})
	out := ivs[:1]
	for _, iv := range ivs[1:] {
		last := &out[len(out)-1]
		if !iv.Start.After(last.End) {
			if iv.End.After(last.End) {
				last.End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// Len returns the number of disjoint intervals in the set.
func (s Set) Len() int { return len(s.iv) }

// At returns the i-th interval in start order. It panics if i is out of range,
// like a slice index.
func (s Set) At(i int) Interval { return s.iv[i] }

// IsEmpty reports whether the set contains no instant.
func (s Set) IsEmpty() bool { return len(s.iv) == 0 }

// Intervals returns a copy of the set's intervals in start order.
func (s Set) Intervals() []Interval { return slices.Clone(s.iv) }

// Equal reports whether both sets contain exactly the same instants.
func (s Set) Equal(o Set) bool {
	return slices.EqualFunc(s.iv, o.iv, func(a, b Interval) bool {
		return a.Start.Equal(b.Start) && a.End.Equal(b.End)
	})
}

// Total returns the summed length of all intervals.
func (s Set) Total() time.Duration {
	var d time.Duration
	for _, iv := range s.iv {
		d += iv.End.Sub(iv.Start)
	}
	return d
}

// Contains reports whether t lies in one of the set's intervals.
func (s Set) Contains(t time.Time) bool {
	_, ok := s.Find(t)
	return ok
}

// Find returns the interval containing t, if any.
func (s Set) Find(t time.Time) (Interval, bool) {
	// First interval whose End is after t.
	i, _ := slices.BinarySearchFunc(s.iv, t, func(iv Interval, t time.Time) int {
		if iv.End.After(t) {
			return 1
		}
		return -1
	})
	if i < len(s.iv) && !t.Before(s.iv[i].Start) {
		return s.iv[i], true
	}
	return Interval{}, false
}

// Union returns the instants in s or in o.
func (s Set) Union(o Set) Set {
	if len(o.iv) == 0 {
		return s
	}
	if len(s.iv) == 0 {
		return o
	}
	merged := make([]Interval, 0, len(s.iv)+len(o.iv))
	i, j := 0, 0
	for i < len(s.iv) || j < len(o.iv) {
		var next Interval
		if j >= len(o.iv) || (i < len(s.iv) && !s.iv[i].Start.After(o.iv[j].Start)) {
			next = s.iv[i]
			i++
		} else {
			next = o.iv[j]
			j++
		}
		if n := len(merged); n > 0 && !next.Start.After(merged[n-1].End) {
			if next.End.After(merged[n-1].End) {
				merged[n-1].End = next.End
			}
			continue
		}
		merged = append(merged, next)
	}
	return Set{iv: merged}
}

// Intersect returns the instants in both s and o.
func (s Set) Intersect(o Set) Set {
	if len(s.iv) == 0 || len(o.iv) == 0 {
		return Set{}
	}
	var out []Interval
	i, j := 0, 0
	for i < len(s.iv) && j < len(o.iv) {
		a, b := s.iv[i], o.iv[j]
		if r := a.Intersect(b); !r.IsEmpty() {
			out = append(out, r)
		}
		if a.End.Before(b.End) {
			i++
		} else {
			j++
		}
	}
	if len(out) == 0 {
		return Set{}
	}
	return Set{iv: out}
}

// Subtract returns the instants in s that are not in o.
func (s Set) Subtract(o Set) Set {
	if len(s.iv) == 0 || len(o.iv) == 0 {
		return s
	}
	var out []Interval
	j := 0
	for _, a := range s.iv {
		cur := a
		for j < len(o.iv) && !o.iv[j].End.After(cur.Start) {
			j++
		}
		k := j
		for k < len(o.iv) && o.iv[k].Start.Before(cur.End) {
			b := o.iv[k]
			if b.Start.After(cur.Start) {
				out = append(out, Interval{Start: cur.Start, End: b.Start})
			}
			if !b.End.Before(cur.End) {
				cur = Interval{}
				break
			}
			cur.Start = b.End
			k++
		}
		if !cur.IsEmpty() {
			out = append(out, cur)
		}
	}
	if len(out) == 0 {
		return Set{}
	}
	return Set{iv: out}
}

// Clip returns the part of s inside r.
func (s Set) Clip(r Interval) Set {
	if r.IsEmpty() {
		return Set{}
	}
	return s.Intersect(Set{iv: []Interval{r}})
}

// Complement returns the instants of r that are not in s.
func (s Set) Complement(r Interval) Set {
	if r.IsEmpty() {
		return Set{}
	}
	return Set{iv: []Interval{r}}.Subtract(s)
}

// AtLeast returns the intervals of s whose length is at least d.
func (s Set) AtLeast(d time.Duration) Set {
	var out []Interval
	for _, iv := range s.iv {
		if iv.End.Sub(iv.Start) >= d {
			out = append(out, iv)
		}
	}
	if len(out) == 0 {
		return Set{}
	}
	return Set{iv: out}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
