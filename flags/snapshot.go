package flags

import (
	"maps"
	"math/bits"
	"slices"
	"time"
)

// Snapshot is a compiled, validated, immutable flag configuration. It is
// safe for concurrent use; a [Store] swaps whole snapshots atomically, so
// no evaluation ever sees a half-applied configuration.
type Snapshot struct {
	flags        map[string]*flag
	list         []*flag         // sorted by key
	killedTags   map[string]bool // config and run-time kills
	configKilled map[string]bool // kills from Config.KilledTags
	killed       []bool          // by flag index
}

func (s *Snapshot) computeKilled() {
	s.killed = make([]bool, len(s.list))
	for _, f := range s.list {
		for _, t := range f.tags {
			if s.killedTags[t] {
				s.killed[f.index] = true
			}
		}
	}
}

// withKilled returns a copy of s sharing its flags, with tag killed or not.
func (s *Snapshot) withKilled(tag string, kill bool) *Snapshot {
	n := &Snapshot{flags: s.flags, list: s.list, killedTags: maps.Clone(s.killedTags), configKilled: s.configKilled}
	if kill {
		n.killedTags[tag] = true
	} else {
		delete(n.killedTags, tag)
	}
	n.computeKilled()
	return n
}

// Keys returns the flag keys in sorted order.
func (s *Snapshot) Keys() []string {
	keys := make([]string, len(s.list))
	for i, f := range s.list {
		keys[i] = f.key
	}
	return keys
}

// Kind returns the kind of the flag's values and whether the flag exists.
func (s *Snapshot) Kind(key string) (Kind, bool) {
	f, ok := s.flags[key]
	if !ok {
		return KindInvalid, false
	}
	return f.kind, true
}

// KilledTags returns the tags whose flags are switched off, sorted.
func (s *Snapshot) KilledTags() []string {
	return slices.Sorted(maps.Keys(s.killedTags))
}

// Metadata returns a copy of the flag's static metadata (nil if none).
func (s *Snapshot) Metadata(key string) map[string]any {
	f, ok := s.flags[key]
	if !ok {
		return nil
	}
	return maps.Clone(f.meta)
}

// Evaluate evaluates flag key for subject ec at time now. It never fails
// for reasons loading could have caught; the only errors are an unknown key
// ([ErrFlagNotFound]).
func (s *Snapshot) Evaluate(key string, ec Context, now time.Time) Decision {
	f, ok := s.flags[key]
	if !ok {
		return Decision{FlagKey: key, Reason: ReasonError, Rule: -1, Bucket: -1, RampStep: -1, Err: ErrFlagNotFound, idx: -1}
	}
	var d Decision
	s.eval(f, &ec, unixNanos(now), &d)
	return d
}

// eval fills d. It allocates nothing.
func (s *Snapshot) eval(f *flag, ec *Context, now int64, d *Decision) {
	*d = Decision{FlagKey: f.key, Rule: -1, Bucket: -1, RampStep: -1, flag: f, idx: -1}
	if f.disabled || s.killed[f.index] {
		d.Reason = ReasonDisabled
		return
	}
	for _, p := range f.prereqs {
		var pd Decision
		s.eval(p.flag, ec, now, &pd)
		if pd.idx < 0 || !p.allowed[pd.idx] {
			d.FailedPrerequisite = p.flag.key
			d.setDefault(ReasonDefault)
			return
		}
	}
	for i := range f.rules {
		r := &f.rules[i]
		if r.cond != nil && r.cond.eval(ec) != triTrue {
			continue
		}
		d.Rule = i
		d.RuleName = r.name
		switch r.out {
		case outVariant:
			d.Reason = ReasonTargetingMatch
			d.setVariant(r.variant)
		case outDefault:
			d.setDefault(ReasonDefault)
		case outSplit:
			s.evalSplit(f, r.split, ec, now, d)
		}
		return
	}
	if len(f.rules) == 0 && f.defaultIdx >= 0 {
		d.setDefault(ReasonStatic)
	} else {
		d.setDefault(ReasonDefault)
	}
}

func (d *Decision) setVariant(i int) {
	d.idx = i
	d.Variant = d.flag.names[i]
}

func (d *Decision) setDefault(r Reason) {
	d.Reason = r
	if d.flag.defaultIdx >= 0 {
		d.setVariant(d.flag.defaultIdx)
	}
}

func (s *Snapshot) evalSplit(f *flag, sp *split, ec *Context, now int64, d *Decision) {
	h, ok := hashSubject(&sp.bucket, ec)
	if !ok {
		d.NoBucketingValue = true
		d.setDefault(ReasonDefault)
		return
	}
	bucket := (uint64(h) * sp.total) >> 32
	d.Bucket = int64(bucket)
	d.TotalWeight = int64(sp.total)
	d.Reason = ReasonSplit
	w0, w1 := sp.weights[0], uint64(0)
	if len(sp.weights) > 1 {
		w1 = sp.weights[1]
	}
	if r := sp.ramp; r != nil {
		var step int
		w0, step = r.weightAt(now)
		w1 = r.pairSum - w0
		d.RampStep = step
	}
	var cum uint64
	for i, v := range sp.variants {
		w := sp.weights[i]
		switch i {
		case 0:
			w = w0
		case 1:
			w = w1
		}
		cum += w
		if bucket < cum {
			d.setVariant(v)
			return
		}
	}
	// Unreachable: bucket < total and the weights add up to total.
	d.setDefault(ReasonDefault)
}

// hashSubject hashes the bucketing string without building it, starting
// from the state precomputed for its constant prefix.
func hashSubject(spec *bucketSpec, ec *Context) (uint32, bool) {
	h := spec.prefix
	for i := range spec.rest {
		p := &spec.rest[i]
		if !p.isAttr {
			h.WriteString(p.lit)
			continue
		}
		if p.attr.tk && ec.TargetingKey != "" {
			h.WriteString(ec.TargetingKey)
			continue
		}
		v, ok := ec.lookup(&p.attr)
		if !ok {
			return 0, false
		}
		s, ok := appendBucketValue(v)
		if !ok {
			return 0, false
		}
		h.WriteString(s)
	}
	return h.Sum32(), true
}

// weightAt returns the first variant's weight at now and the index of the
// point in force (-1 before the first point).
func (r *ramp) weightAt(now int64) (uint64, int) {
	// Points are few; a linear scan beats a binary search here.
	i := -1
	for j, at := range r.at {
		if now < at {
			break
		}
		i = j
	}
	switch {
	case i < 0:
		return r.declared, -1
	case !r.linear || i == len(r.at)-1:
		return r.weights[i], i
	}
	w0, w1 := r.weights[i], r.weights[i+1]
	span := uint64(r.at[i+1] - r.at[i])
	el := uint64(now - r.at[i])
	// w0 + (w1-w0)*el/span, rounded down, in 128-bit arithmetic.
	// The quotient is below w1-w0, so Div64 cannot overflow.
	hi, lo := bits.Mul64(w1-w0, el)
	q, _ := bits.Div64(hi, lo, span)
	return w0 + q, i
}
