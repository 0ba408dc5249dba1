package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/glidepath/glidepath/flags"
)

// exposure is the share of subjects who get true from one split rule of
// the flag at an instant, as the flag snapshot computes it exactly.
type exposure struct {
	at    time.Time
	split flags.SplitExposure
	on    float64 // share of the split's subjects who get true, 0 to 1
}

// exposures returns, for now and every later instant at which a ramp
// changes the flag's weights, the exact share of true of each split rule,
// and the names of the variants that serve true.
func exposures(s *flags.Snapshot, key string, now time.Time) ([]exposure, []string, error) {
	changes, err := s.RampSchedule(key)
	if err != nil {
		return nil, nil, err
	}
	instants := []time.Time{now}
	for _, c := range changes {
		if c.At.After(now) && !c.At.Equal(instants[len(instants)-1]) {
			instants = append(instants, c.At)
		}
	}
	var out []exposure
	var on []string
	for _, t := range instants {
		splits, err := s.Exposure(key, t)
		if err != nil {
			return nil, nil, err
		}
		for _, sp := range splits {
			e := exposure{at: t, split: sp}
			for _, sh := range sp.Shares {
				if b, ok := sh.Value.AsBool(); ok && b {
					e.on += sh.Fraction()
					if !slices.Contains(on, sh.Variant) {
						on = append(on, sh.Variant)
					}
				}
			}
			out = append(out, e)
		}
	}
	slices.Sort(on)
	return out, on, nil
}

// sampled evaluates the flag for n synthetic users at an instant and
// returns how many get true: the same question answered by evaluation, as
// a cross-check of the exact figures.
func sampled(s *flags.Snapshot, key string, n int, at time.Time) int {
	on := 0
	for i := range n {
		d := s.Evaluate(key, flags.Context{TargetingKey: fmt.Sprintf("user-%05d", i)}, at)
		if v, ok := d.Value().AsBool(); ok && v {
			on++
		}
	}
	return on
}

func printRamp(p *printer, in *inputs, o options, waves []*wave) error {
	key := o.flagKey
	kind, ok := in.flagSnap.Kind(key)
	if !ok {
		return fmt.Errorf("flag %q is not in the flag file (set -flag)", key)
	}
	if kind != flags.KindBool {
		return fmt.Errorf("flag %q is a %s flag; the planner measures exposure of a bool flag", key, kind)
	}

	// When does the upgrade make the feature usable everywhere?
	usableAfter := 0
	if _, known := in.matrix.FeatureProviders(key); known {
		for _, w := range waves {
			if slices.Contains(in.matrix.UsableFeatures(w.state), key) {
				usableAfter = w.n
				break
			}
		}
	}

	staff := flags.Context{TargetingKey: "staff-1", Attributes: map[string]any{"email": "ana@shop.example"}}
	sd := in.flagSnap.Evaluate(key, staff, o.now)
	p.f("  %s: a staff account (ana@shop.example) gets %v now (%s, rule %s)\n", key, sd.Value(), sd.Reason, sd.RuleName)

	exp, on, err := exposures(in.flagSnap, key, o.now)
	if err != nil {
		return err
	}
	if len(exp) == 0 {
		p.f("  %s has no split: who gets true depends on its rules alone.\n", key)
		return nil
	}
	var rules []string
	for _, e := range exp {
		if !slices.Contains(rules, e.split.RuleName) {
			rules = append(rules, e.split.RuleName)
		}
	}
	p.f("  users who reach split rule %s get true (variant %s) with these exact odds:\n", quoteAll(rules), quoteAll(on))
	var counts []string
	for i, e := range exp {
		label := "no ramp"
		switch {
		case e.split.Ramped && e.split.RampStep < 0:
			label = "ramp not started"
		case e.split.Ramped:
			label = fmt.Sprintf("ramp step %d", e.split.RampStep+1)
		}
		if len(rules) > 1 {
			label = "rule " + e.split.RuleName + ", " + label
		}
		note := ""
		if i == 0 {
			note = "  (now)"
		}
		p.f("    %s  %-16s %7.2f%%%s\n", fmtTime(e.at), label, 100*e.on, note)
		if len(rules) == 1 {
			counts = append(counts, fmt.Sprint(sampled(in.flagSnap, key, o.users, e.at)))
		}
	}
	if len(counts) > 0 {
		p.f("  cross-check: evaluating %d synthetic users at those instants gives true to %s.\n", o.users, joinAnd(counts))
	}

	if usableAfter > 0 {
		w := waves[usableAfter-1]
		done := w.seq.End()
		var first *exposure
		for i := range exp {
			if exp[i].on > 0 {
				first = &exp[i]
				break
			}
		}
		switch {
		case first == nil:
			p.f("  %s is usable after wave %d (done %s); the flag exposes no one yet.\n", key, w.n, fmtTime(done))
		case first.at.Before(done):
			p.f("  WARNING: %s exposes %s from %s, before wave %d makes it usable everywhere (%s).\n", key, fmtPct(first.on), fmtTime(first.at), w.n, fmtTime(done))
		default:
			p.f("  ok: the ramp exposes %s from %s, after wave %d makes it usable everywhere (%s).\n", key, fmtTime(first.at), w.n, fmtTime(done))
		}
	}
	return nil
}

func fmtPct(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// joinAnd joins "a, b and c".
func joinAnd(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
