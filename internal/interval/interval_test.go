package interval

import (
	"math/rand/v2"
	"testing"
	"time"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func at(m int) time.Time { return epoch.Add(time.Duration(m) * time.Minute) }

func iv(a, b int) Interval { return Interval{Start: at(a), End: at(b)} }

// domain is the number of minutes the bitmap model covers.
const domain = 64

// model is the reference: one bool per minute of [0, domain).
type model [domain]bool

func modelOf(ivs []Interval) model {
	var m model
	for _, x := range ivs {
		for i := 0; i < domain; i++ {
			if x.Contains(at(i)) {
				m[i] = true
			}
		}
	}
	return m
}

func randIntervals(r *rand.Rand) []Interval {
	n := r.IntN(6)
	out := make([]Interval, n)
	for i := range out {
		a := r.IntN(domain)
		b := a + r.IntN(12) - 2 // sometimes empty or reversed
		if b > domain {
			b = domain
		}
		out[i] = iv(a, b)
	}
	return out
}

// checkNormalized fails the test unless s satisfies the Set invariants.
func checkNormalized(t *testing.T, s Set) {
	t.Helper()
	for i, x := range s.iv {
		if x.IsEmpty() {
			t.Fatalf("interval %d empty: %v", i, x)
		}
		if i > 0 && !s.iv[i-1].End.Before(x.Start) {
			t.Fatalf("intervals %d and %d overlap or touch: %v %v", i-1, i, s.iv[i-1], x)
		}
	}
}

func TestSetAlgebraProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	rounds := 3000
	if testing.Short() {
		rounds = 500
	}
	for range rounds {
		xa, xb := randIntervals(r), randIntervals(r)
		a, b := New(xa...), New(xb...)
		ma, mb := modelOf(xa), modelOf(xb)
		checkNormalized(t, a)
		if modelOf(a.iv) != ma {
			t.Fatalf("New(%v) = %v changes membership", xa, a.iv)
		}
		ops := []struct {
			name string
			got  Set
			want func(x, y bool) bool
		}{
			{"union", a.Union(b), func(x, y bool) bool { return x || y }},
			{"intersect", a.Intersect(b), func(x, y bool) bool { return x && y }},
			{"subtract", a.Subtract(b), func(x, y bool) bool { return x && !y }},
		}
		for _, op := range ops {
			checkNormalized(t, op.got)
			got := modelOf(op.got.iv)
			for i := range domain {
				if got[i] != op.want(ma[i], mb[i]) {
					t.Fatalf("%s(%v, %v) = %v: minute %d wrong", op.name, a.iv, b.iv, op.got.iv, i)
				}
			}
		}
		// Algebraic laws.
		if !a.Union(b).Equal(b.Union(a)) {
			t.Fatalf("union not commutative for %v %v", a.iv, b.iv)
		}
		if !a.Intersect(b).Equal(b.Intersect(a)) {
			t.Fatalf("intersection not commutative for %v %v", a.iv, b.iv)
		}
		if !a.Subtract(b).Union(a.Intersect(b)).Equal(a) {
			t.Fatalf("(a-b) ∪ (a∩b) != a for %v %v", a.iv, b.iv)
		}
		if !a.Subtract(b).Intersect(b).IsEmpty() {
			t.Fatalf("(a-b) ∩ b not empty for %v %v", a.iv, b.iv)
		}
		if got, want := a.Union(b).Total(), a.Total()+b.Total()-a.Intersect(b).Total(); got != want {
			t.Fatalf("|a∪b| = %v, want %v", got, want)
		}
		// FromSorted agrees with New on sorted input.
		sorted := New(append(append([]Interval{}, xa...), xb...)...).Intervals()
		if !FromSorted(sorted).Equal(a.Union(b)) {
			t.Fatalf("FromSorted disagrees with Union")
		}
		// Membership lookups agree with the model.
		u := a.Union(b)
		for i := range domain {
			if u.Contains(at(i)) != (ma[i] || mb[i]) {
				t.Fatalf("Contains(%d) wrong for %v", i, u.iv)
			}
		}
		// Operands are unchanged (immutability).
		if modelOf(a.iv) != ma || modelOf(b.iv) != mb {
			t.Fatal("operation mutated an operand")
		}
	}
}

func TestSetCases(t *testing.T) {
	tests := []struct {
		name string
		got  Set
		want []Interval
	}{
		{"merge touching", New(iv(0, 5), iv(5, 9)), []Interval{iv(0, 9)}},
		{"drop empty", New(iv(3, 3), iv(5, 4)), nil},
		{"unsorted input", New(iv(10, 12), iv(1, 2), iv(2, 4)), []Interval{iv(1, 4), iv(10, 12)}},
		{"subtract middle", New(iv(0, 10)).Subtract(New(iv(3, 5))), []Interval{iv(0, 3), iv(5, 10)}},
		{"subtract spanning two", New(iv(0, 4), iv(6, 10)).Subtract(New(iv(2, 8))), []Interval{iv(0, 2), iv(8, 10)}},
		{"subtract all", New(iv(0, 4)).Subtract(New(iv(0, 4))), nil},
		{"intersect", New(iv(0, 4), iv(6, 10)).Intersect(New(iv(3, 7))), []Interval{iv(3, 4), iv(6, 7)}},
		{"clip", New(iv(0, 10)).Clip(iv(4, 20)), []Interval{iv(4, 10)}},
		{"complement", New(iv(2, 3)).Complement(iv(0, 5)), []Interval{iv(0, 2), iv(3, 5)}},
		{"at least", New(iv(0, 2), iv(5, 10)).AtLeast(3 * time.Minute), []Interval{iv(5, 10)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.got.Equal(New(tc.want...)) || tc.got.Len() != len(tc.want) {
				t.Fatalf("got %v, want %v", tc.got.iv, tc.want)
			}
		})
	}
}

func TestIntervalAndFind(t *testing.T) {
	s := New(iv(0, 5), iv(10, 15))
	tests := []struct {
		name string
		at   int
		ok   bool
		want Interval
	}{
		{"start is inside", 0, true, iv(0, 5)},
		{"end is outside", 5, false, Interval{}},
		{"gap", 7, false, Interval{}},
		{"second", 14, true, iv(10, 15)},
		{"after", 20, false, Interval{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := s.Find(at(tc.at))
			if ok != tc.ok || got != tc.want {
				t.Fatalf("Find(%d) = %v, %v; want %v, %v", tc.at, got, ok, tc.want, tc.ok)
			}
		})
	}
	if d := iv(5, 2).Duration(); d != 0 {
		t.Errorf("empty interval duration = %v", d)
	}
	if !iv(0, 5).Overlaps(iv(4, 6)) || iv(0, 5).Overlaps(iv(5, 6)) {
		t.Error("Overlaps wrong at the boundary")
	}
}

func FuzzSetAlgebra(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(99), uint64(7))
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		r := rand.New(rand.NewPCG(s1, s2))
		xa, xb := randIntervals(r), randIntervals(r)
		a, b := New(xa...), New(xb...)
		ma, mb := modelOf(xa), modelOf(xb)
		got := modelOf(a.Subtract(b).Union(a.Intersect(b)).iv)
		if got != ma {
			t.Fatalf("(a-b)∪(a∩b) != a for %v %v", xa, xb)
		}
		u := modelOf(a.Union(b).iv)
		for i := range domain {
			if u[i] != (ma[i] || mb[i]) {
				t.Fatalf("union wrong at %d", i)
			}
		}
	})
}

func BenchmarkIntersect(b *testing.B) {
	var xa, xb []Interval
	for i := range 60 {
		xa = append(xa, iv(i*100, i*100+50))
		xb = append(xb, iv(i*100+25, i*100+80))
	}
	a, c := New(xa...), New(xb...)
	b.ReportAllocs()
	for b.Loop() {
		_ = a.Intersect(c)
	}
}
