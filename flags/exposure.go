package flags

import (
	"slices"
	"time"
)

// VariantShare is one variant's part of a split at some instant: the
// subjects whose bucket lies in [From, From+Weight) get Variant.
type VariantShare struct {
	// Variant is the variant's name.
	Variant string
	// Value is the variant's value, as [Decision.Value] returns it to a
	// subject who gets the variant.
	Value Value
	// Weight is the variant's weight, out of TotalWeight.
	Weight int64
	// From is the variant's first bucket; buckets are assigned to
	// variants in declared order.
	From int64
	// TotalWeight is the split's total weight, which never changes.
	TotalWeight int64
}

// Fraction returns the variant's share of the split, between 0 and 1.
func (v VariantShare) Fraction() float64 {
	if v.TotalWeight <= 0 {
		return 0
	}
	return float64(v.Weight) / float64(v.TotalWeight)
}

// SplitExposure describes one split rule of a flag at some instant: which
// share of the subjects that reach the rule get each variant.
type SplitExposure struct {
	// Rule is the index of the rule whose split this is.
	Rule int
	// RuleName is the rule's name (its index if unnamed), as in
	// Decision.RuleName.
	RuleName string
	// RampStep is the index of the ramp point in force, -1 before the
	// ramp starts or without a ramp, as in Decision.RampStep.
	RampStep int
	// Ramped reports whether the split has a ramp.
	Ramped bool
	// Shares lists every variant of the split, in declared order.
	Shares []VariantShare
}

// Share returns the share of variant in the split, and false if the split
// does not name it. A split with [Split.AllowRepeats] may list a variant
// more than once; Share returns its first range, Shares has them all.
func (e SplitExposure) Share(variant string) (VariantShare, bool) {
	for _, s := range e.Shares {
		if s.Variant == variant {
			return s, true
		}
	}
	return VariantShare{}, false
}

// RampChange is an instant at which a ramp changes a split's weights.
type RampChange struct {
	// At is when the change takes effect.
	At time.Time
	// Rule is the index of the rule whose split changes.
	Rule int
	// RuleName is the rule's name (its index if unnamed).
	RuleName string
	// Step is the index of the ramp point that takes effect at At, as in
	// Decision.RampStep.
	Step int
	// Linear reports that the weights move linearly from At to the next
	// change of the same rule (rounding the first variant's weight down);
	// Shares are the weights at At itself.
	Linear bool
	// Shares are the split's weights from At on, in declared order.
	Shares []VariantShare
}

// Exposure returns, for each rule of flag key that yields a split, the
// share of each variant at time now, computed exactly from the compiled
// weights and ramp as evaluation would use them: a subject who reaches that
// rule and has a bucketing value gets a variant with exactly these odds
// over the space of buckets. Rules are listed in order; a flag without
// splits has none.
//
// Exposure describes the splits as configured. It does not consider the
// flag's state, kill switches, prerequisites, or which subjects the rules'
// conditions select. The only error is [ErrFlagNotFound].
func (s *Snapshot) Exposure(key string, now time.Time) ([]SplitExposure, error) {
	f, ok := s.flags[key]
	if !ok {
		return nil, ErrFlagNotFound
	}
	t := unixNanos(now)
	var out []SplitExposure
	for i := range f.rules {
		r := &f.rules[i]
		if r.out != outSplit {
			continue
		}
		e := SplitExposure{Rule: i, RuleName: r.name, RampStep: -1, Ramped: r.split.ramp != nil}
		var w0 uint64
		if rp := r.split.ramp; rp != nil {
			w0, e.RampStep = rp.weightAt(t)
		}
		e.Shares = r.split.shares(f, w0)
		out = append(out, e)
	}
	return out, nil
}

// RampSchedule returns the instants at which the ramps of flag key change
// its splits' weights, in time order (and rule order at equal times), with
// the weights from each instant on. A step that keeps the weights as they
// were is left out; in a linear ramp every point is listed, since the rate
// of change changes there. Between listed instants the weights are
// constant, except after a change marked Linear. A flag without ramps has
// no changes. The only error is [ErrFlagNotFound].
func (s *Snapshot) RampSchedule(key string) ([]RampChange, error) {
	f, ok := s.flags[key]
	if !ok {
		return nil, ErrFlagNotFound
	}
	var out []RampChange
	for i := range f.rules {
		r := &f.rules[i]
		if r.out != outSplit || r.split.ramp == nil {
			continue
		}
		rp := r.split.ramp
		prev := rp.declared
		for j, at := range rp.at {
			w := rp.weights[j]
			linear := rp.linear && j < len(rp.at)-1 && rp.weights[j+1] != w
			if w == prev && !rp.linear {
				continue
			}
			prev = w
			out = append(out, RampChange{
				At: time.Unix(0, at).UTC(), Rule: i, RuleName: r.name, Step: j,
				Linear: linear, Shares: r.split.shares(f, w),
			})
		}
	}
	slices.SortStableFunc(out, func(a, b RampChange) int { return a.At.Compare(b.At) })
	return out, nil
}

// shares lists the split's variants with the first variant's weight set to
// w0 when the split has a ramp (the second taking the rest of the pair).
func (sp *split) shares(f *flag, w0 uint64) []VariantShare {
	out := make([]VariantShare, len(sp.variants))
	var from uint64
	for i, v := range sp.variants {
		w := sp.weights[i]
		if sp.ramp != nil {
			switch i {
			case 0:
				w = w0
			case 1:
				w = sp.ramp.pairSum - w0
			}
		}
		out[i] = VariantShare{Variant: f.names[v], Value: f.values[v], Weight: int64(w), From: int64(from), TotalWeight: int64(sp.total)}
		from += w
	}
	return out
}
