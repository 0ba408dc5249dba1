package flags

import (
	"sync/atomic"
	"time"
)

// Handle is a typed reference to one flag in a [Store], for hot paths: it
// resolves the key once per configuration rather than once per call and
// evaluates without allocating. It follows reloads, since it evaluates
// whatever snapshot the store holds at the time. Create handles with
// [BoolFlag], [StringFlag], [IntFlag], [FloatFlag] or [ObjectFlag]; a Handle
// is safe for concurrent use.
type Handle[T any] struct {
	store *Store
	key   string
	kind  Kind
	get   func(f *flag, i int) T
	cache atomic.Pointer[handleCache]
}

type handleCache struct {
	snap *Snapshot
	f    *flag // nil when the flag is missing
	err  error // ErrFlagNotFound or ErrTypeMismatch
}

// BoolFlag returns a handle to boolean flag key.
func BoolFlag(s *Store, key string) *Handle[bool] {
	return &Handle[bool]{store: s, key: key, kind: KindBool, get: func(f *flag, i int) bool { return f.boolVals[i] }}
}

// StringFlag returns a handle to string flag key.
func StringFlag(s *Store, key string) *Handle[string] {
	return &Handle[string]{store: s, key: key, kind: KindString, get: func(f *flag, i int) string { return f.strVals[i] }}
}

// IntFlag returns a handle to integer flag key.
func IntFlag(s *Store, key string) *Handle[int64] {
	return &Handle[int64]{store: s, key: key, kind: KindInt, get: func(f *flag, i int) int64 { return f.intVals[i] }}
}

// FloatFlag returns a handle to float flag key; integer flags are read as
// floats too.
func FloatFlag(s *Store, key string) *Handle[float64] {
	return &Handle[float64]{store: s, key: key, kind: KindFloat, get: func(f *flag, i int) float64 { return f.floatVals[i] }}
}

// ObjectFlag returns a handle to object flag key. Each evaluation returns
// its own copy of the variant's maps and slices (so it allocates), and a
// caller may modify it freely.
func ObjectFlag(s *Store, key string) *Handle[any] {
	return &Handle[any]{store: s, key: key, kind: KindObject, get: func(f *flag, i int) any { return cloneTree(f.anyValues[i]) }}
}

// Key returns the flag key.
func (h *Handle[T]) Key() string { return h.key }

func (h *Handle[T]) resolve() *handleCache {
	snap := h.store.snap.Load()
	c := h.cache.Load()
	if c != nil && c.snap == snap {
		return c
	}
	c = &handleCache{snap: snap}
	if snap == nil {
		c.err = ErrNoConfig
	} else if f, ok := snap.flags[h.key]; !ok {
		c.err = ErrFlagNotFound
	} else if f.kind != h.kind && (h.kind != KindFloat || f.kind != KindInt) {
		c.err = ErrTypeMismatch
	} else {
		c.f = f
	}
	h.cache.Store(c)
	return c
}

// ValueAt returns the flag's value for ec at time now, or fallback when the
// flag is disabled, has no applicable variant, is missing, or has another
// type.
func (h *Handle[T]) ValueAt(ec Context, now time.Time, fallback T) T {
	c := h.resolve()
	if c.f == nil {
		return fallback
	}
	var d Decision
	c.snap.eval(c.f, &ec, unixNanos(now), &d)
	if d.idx < 0 {
		return fallback
	}
	return h.get(c.f, d.idx)
}

// Value is [Handle.ValueAt] at the current time.
func (h *Handle[T]) Value(ec Context, fallback T) T {
	return h.ValueAt(ec, time.Now(), fallback)
}

// DetailsAt is [Handle.ValueAt] with the [Decision] that explains the value.
func (h *Handle[T]) DetailsAt(ec Context, now time.Time, fallback T) (T, Decision) {
	c := h.resolve()
	if c.f == nil {
		return fallback, Decision{FlagKey: h.key, Reason: ReasonError, Rule: -1, Bucket: -1, RampStep: -1, Err: c.err, idx: -1}
	}
	var d Decision
	c.snap.eval(c.f, &ec, unixNanos(now), &d)
	if d.idx < 0 {
		return fallback, d
	}
	return h.get(c.f, d.idx), d
}
