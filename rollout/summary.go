package rollout

import (
	"maps"
	"slices"
	"time"
)

// Summary is what a decision log says about a set of rollouts (all of them,
// or those sharing one value of a label).
//
// Definitions, per rollout (the records sharing a Rollout ID, in time order):
//
//   - Start: the first record that advances to a stage (the new version's
//     first exposure); a rollout without one is not counted.
//   - Outcome: completed if a record has action complete, rolled back if a
//     record has action rollback (automatic or an abort), otherwise in progress.
//   - Detection: the first automatic decision that is a hold or a rollback with
//     at least one gate among its reasons — a gate saw a problem.
//   - Time to detect (TTD): detection time − start.
//   - Resolution: the first record after the detection that ends the problem:
//     an actuation record of the rollback (the rollback took effect), else the
//     rollback decision itself, or an advance or completion (the rollout
//     recovered after a hold).
//   - Time to resolve (TTR): resolution time − detection time.
//
// MTTD and MTTR are the means over rollouts with a detection (MTTR: with a
// resolution). Cadence is the mean time between successive completions, and
// RollbackRate is RolledBack / (Completed + RolledBack).
type Summary struct {
	// Label and Value identify the breakdown ("" for the overall summary or for
	// rollouts without the label).
	Label, Value string

	Rollouts, Completed, RolledBack, InProgress int
	RollbackRate                                float64
	Cadence                                     time.Duration
	Detections                                  int
	MTTD, MTTR                                  time.Duration
}

type rolloutFacts struct {
	id, value             string
	start, end            time.Time
	completed, rolledBack bool
	detected, resolved    bool
	ttd, ttr              time.Duration
}

// Summarize computes a [Summary] per value of label from records (in any
// order); label "" gives one overall summary. Summaries are sorted by value.
func Summarize(records []Record, label string) []Summary {
	byID := map[string][]Record{}
	var ids []string
	for _, r := range records {
		key := r.Plan + "\x00" + r.Rollout
		if _, ok := byID[key]; !ok {
			ids = append(ids, key)
		}
		byID[key] = append(byID[key], r)
	}
	groups := map[string][]rolloutFacts{}
	for _, id := range ids {
		rs := byID[id]
		// At one instant, an actuation follows the decision it carries out.
		slices.SortStableFunc(rs, func(a, b Record) int {
			if c := a.Time.Compare(b.Time); c != 0 {
				return c
			}
			return cmpBool(a.Kind == KindActuation, b.Kind == KindActuation)
		})
		f, ok := facts(rs, label)
		if ok {
			groups[f.value] = append(groups[f.value], f)
		}
	}
	var out []Summary
	for _, v := range slices.Sorted(maps.Keys(groups)) {
		out = append(out, summarize(label, v, groups[v]))
	}
	return out
}

func facts(rs []Record, label string) (rolloutFacts, bool) {
	f := rolloutFacts{id: rs[0].Rollout}
	if label != "" {
		f.value = rs[0].Labels[label]
	}
	started := false
	var detectedAt time.Time
	for _, r := range rs {
		decision := r.Kind != KindActuation
		if !started {
			if decision && r.Action == ActionAdvance {
				started, f.start = true, r.Time
			}
			continue
		}
		if !f.detected && r.Kind == KindDecision && (r.Action == ActionHold || r.Action == ActionRollBack) && hasGate(r.Reasons) {
			f.detected, detectedAt, f.ttd = true, r.Time, r.Time.Sub(f.start)
		}
		if f.detected && !f.resolved {
			resolves := false
			switch {
			case !decision:
				resolves = r.Action == ActionRollBack && r.Error == ""
			case r.Action == ActionRollBack:
				// The rollback takes effect when its actuation is recorded, if it is.
				resolves = !hasActuation(rs, r.Time)
			case r.Action == ActionAdvance || r.Action == ActionComplete:
				resolves = r.Time.After(detectedAt)
			}
			if resolves {
				f.resolved, f.ttr = true, r.Time.Sub(detectedAt)
			}
		}
		if decision && f.end.IsZero() {
			switch r.Action {
			case ActionComplete:
				f.completed, f.end = true, r.Time
			case ActionRollBack:
				f.rolledBack, f.end = true, r.Time
			}
		}
	}
	return f, started
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func hasGate(rs []Reason) bool {
	for _, r := range rs {
		if r.Gate != "" {
			return true
		}
	}
	return false
}

func hasActuation(rs []Record, after time.Time) bool {
	for _, r := range rs {
		if r.Kind == KindActuation && r.Action == ActionRollBack && r.Error == "" && !r.Time.Before(after) {
			return true
		}
	}
	return false
}

func summarize(label, value string, fs []rolloutFacts) Summary {
	s := Summary{Label: label, Value: value, Rollouts: len(fs)}
	var completions []time.Time
	var ttd, ttr time.Duration
	resolved := 0
	for _, f := range fs {
		switch {
		case f.completed:
			s.Completed++
			completions = append(completions, f.end)
		case f.rolledBack:
			s.RolledBack++
		default:
			s.InProgress++
		}
		if f.detected {
			s.Detections++
			ttd += f.ttd
			if f.resolved {
				resolved++
				ttr += f.ttr
			}
		}
	}
	if n := s.Completed + s.RolledBack; n > 0 {
		s.RollbackRate = float64(s.RolledBack) / float64(n)
	}
	if len(completions) > 1 {
		slices.SortFunc(completions, func(a, b time.Time) int { return a.Compare(b) })
		s.Cadence = completions[len(completions)-1].Sub(completions[0]) / time.Duration(len(completions)-1)
	}
	if s.Detections > 0 {
		s.MTTD = ttd / time.Duration(s.Detections)
	}
	if resolved > 0 {
		s.MTTR = ttr / time.Duration(resolved)
	}
	return s
}
