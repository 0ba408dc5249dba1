package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/glidepath/glidepath/flags"
)

// rampTimes returns the instants at which the flag's first ramped split
// changes weight, from the configuration.
func rampTimes(f flags.Flag) []time.Time {
	for _, r := range f.Rules {
		if r.Split != nil && r.Split.Ramp != nil {
			var ts []time.Time
			for _, pt := range r.Split.Ramp.Points {
				ts = append(ts, pt.At)
			}
			return ts
		}
	}
	return nil
}

// exposure evaluates the flag for n synthetic users at time at and returns
// how many get the value true, and the ramp step in force for the split.
func exposure(s *flags.Snapshot, key string, n int, at time.Time) (on, step int) {
	step = -1
	for i := range n {
		d := s.Evaluate(key, flags.Context{TargetingKey: fmt.Sprintf("user-%05d", i)}, at)
		if d.Bucket >= 0 {
			step = d.RampStep
		}
		if v, ok := d.Value().AsBool(); ok && v {
			on++
		}
	}
	return on, step
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

	instants := []time.Time{o.now}
	for _, t := range rampTimes(in.flagCfg.Flags[key]) {
		if t.After(o.now) {
			instants = append(instants, t)
		}
	}
	p.f("  exposure of %d synthetic users, evaluated by the flag snapshot at each instant:\n", o.users)
	for i, t := range instants {
		on, step := exposure(in.flagSnap, key, o.users, t)
		label := "ramp not started"
		if step >= 0 {
			label = fmt.Sprintf("ramp step %d", step+1)
		}
		note := ""
		if i == 0 {
			note = "  (now)"
		}
		p.f("    %s  %-16s %6.2f%% (%d)%s\n", fmtTime(t), label, 100*float64(on)/float64(o.users), on, note)
	}

	if usableAfter > 0 {
		w := waves[usableAfter-1]
		done := w.seq.End()
		ts := rampTimes(in.flagCfg.Flags[key])
		switch {
		case len(ts) == 0:
			p.f("  %s is usable after wave %d (done %s); the flag has no ramp.\n", key, w.n, fmtTime(done))
		case ts[0].Before(done):
			p.f("  WARNING: the ramp starts %s, before wave %d makes %s usable everywhere (%s).\n", fmtTime(ts[0]), w.n, key, fmtTime(done))
		default:
			p.f("  ok: the ramp starts %s, after wave %d makes %s usable everywhere (%s).\n", fmtTime(ts[0]), w.n, key, fmtTime(done))
		}
	}
	return nil
}
