package rollout

import (
	"fmt"
	"math"
	"time"
)

// DefaultConsecutiveErrorLimit is the consecutive-error limit of a gate that
// does not set one.
const DefaultConsecutiveErrorLimit = 4

// GateSpec is a health gate. Exactly one of Threshold, Comparison and
// Sequential is set.
//
// Every gate has a policy for missing data (Missing) and a minimum sample
// (MinSample) below which no measurement can fail it. Provider errors, reported
// in [Observations.Errors], are missing data: they never count as success.
type GateSpec struct {
	// Name identifies the gate; stages reference it. Required and unique.
	Name string `json:"name"`
	// Missing says what missing data do: hold (default), fail or pass.
	Missing MissingPolicy `json:"missing,omitempty"`
	// MinSample is the minimum sample before the gate decides anything:
	// for threshold gates the cumulative sample (requests) behind its
	// measurements (default 1); for comparison gates the size of each side of a
	// measurement (default [DefaultComparisonMinSample]); for sequential gates the cumulative canary
	// requests (default 0).
	MinSample int64 `json:"minSample,omitempty"`
	// Interval is how often the gate measures; 0 means the plan's interval.
	// Sequential gates ignore it: they take every observation.
	Interval Duration `json:"interval,omitempty"`
	// FailureLimit is how many failed measurements are tolerated; one more rolls back.
	FailureLimit int `json:"failureLimit,omitempty"`
	// InconclusiveLimit, if positive, is how many inconclusive measurements are
	// tolerated before the rollout holds for a human; 0 means no limit (the
	// stage's progress deadline bounds the wait).
	InconclusiveLimit int `json:"inconclusiveLimit,omitempty"`
	// ConsecutiveErrorLimit is how many measurements in a row may be missing or
	// errors before the rollout holds (policy hold); 0 means
	// [DefaultConsecutiveErrorLimit].
	ConsecutiveErrorLimit int `json:"consecutiveErrorLimit,omitempty"`

	Threshold  *ThresholdSpec  `json:"threshold,omitempty"`
	Comparison *ComparisonSpec `json:"comparison,omitempty"`
	Sequential *SequentialSpec `json:"sequential,omitempty"`
}

// ThresholdSpec bounds one metric of the new version, e.g. error rate ≤ 0.01
// or p99 latency ≤ 0.3 s. Values come from [Observations.Metrics].
type ThresholdSpec struct {
	Metric string   `json:"metric"`
	Min    *float64 `json:"min,omitempty"` // inclusive lower bound
	Max    *float64 `json:"max,omitempty"` // inclusive upper bound
	// Successes is how many successful measurements pass the gate; 0 means 1.
	Successes int `json:"successes,omitempty"`
}

// Bound returns a pointer to v, for [ThresholdSpec] Min and Max.
func Bound(v float64) *float64 { return &v }

type gateKind int

const (
	kindThreshold gateKind = iota
	kindComparison
	kindSequential
)

type compiledGate struct {
	spec      GateSpec
	kind      gateKind
	interval  time.Duration
	minSample int64
	errLimit  int
	// threshold
	metric    string
	min, max  float64
	successes int
	// comparison
	cmp *comparisonGate
}

func compileGate(v *validator, path string, gs GateSpec, planInterval time.Duration) compiledGate {
	g := compiledGate{spec: gs, interval: gs.Interval.D(), errLimit: gs.ConsecutiveErrorLimit}
	if g.interval == 0 {
		g.interval = planInterval
	}
	if g.errLimit == 0 {
		g.errLimit = DefaultConsecutiveErrorLimit
	}
	if gs.Missing < MissingHold || gs.Missing > MissingPass {
		v.add(path+".missing", "", fmt.Sprintf("unknown missing-data policy %d", int(gs.Missing)))
	}
	v.duration(path+".interval", gs.Interval)
	if gs.MinSample < 0 {
		v.add(path+".minSample", fmt.Sprint(gs.MinSample), fmt.Sprintf("%d must not be negative", gs.MinSample))
	}
	for _, l := range []struct {
		name string
		n    int
	}{{"failureLimit", gs.FailureLimit}, {"inconclusiveLimit", gs.InconclusiveLimit}, {"consecutiveErrorLimit", gs.ConsecutiveErrorLimit}} {
		if l.n < 0 {
			v.add(path+"."+l.name, fmt.Sprint(l.n), fmt.Sprintf("%d must not be negative", l.n))
		}
	}
	n := 0
	if gs.Threshold != nil {
		n++
		g.kind = kindThreshold
	}
	if gs.Comparison != nil {
		n++
		g.kind = kindComparison
	}
	if gs.Sequential != nil {
		n++
		g.kind = kindSequential
	}
	if n != 1 {
		v.add(path, gs.Name, "a gate needs exactly one of threshold, comparison or sequential")
		return g
	}
	switch g.kind {
	case kindThreshold:
		t := gs.Threshold
		g.minSample = max(gs.MinSample, 1)
		g.metric = t.Metric
		g.min, g.max = math.Inf(-1), math.Inf(1)
		if t.Metric == "" {
			v.add(path+".threshold.metric", "", "is required")
		}
		if t.Min == nil && t.Max == nil {
			v.add(path+".threshold", "", "needs min, max or both")
		}
		if t.Min != nil {
			if !finite(*t.Min) {
				v.add(path+".threshold.min", fmt.Sprint(*t.Min), "must be a finite number")
			}
			g.min = *t.Min
		}
		if t.Max != nil {
			if !finite(*t.Max) {
				v.add(path+".threshold.max", fmt.Sprint(*t.Max), "must be a finite number")
			}
			g.max = *t.Max
		}
		if t.Min != nil && t.Max != nil && *t.Min > *t.Max {
			v.add(path+".threshold", "", fmt.Sprintf("min %g is above max %g", *t.Min, *t.Max))
		}
		g.successes = t.Successes
		if t.Successes < 0 {
			v.add(path+".threshold.successes", fmt.Sprint(t.Successes), fmt.Sprintf("%d must not be negative", t.Successes))
		}
		if g.successes == 0 {
			g.successes = 1
		}
	case kindComparison:
		g.minSample = gs.MinSample
		if g.minSample == 0 {
			g.minSample = DefaultComparisonMinSample
		}
		g.successes = 1
		g.cmp = compileComparison(v, path+".comparison", gs.Comparison)
	case kindSequential:
		g.minSample = gs.MinSample
		g.metric = gs.Sequential.Metric
		g.successes = 1
		if g.metric == "" {
			v.add(path+".sequential.metric", "", "is required")
		}
		checkSequential(v, path+".sequential", gs.Sequential)
	}
	return g
}

func cloneGate(g GateSpec) GateSpec {
	if g.Threshold != nil {
		t := *g.Threshold
		if t.Min != nil {
			t.Min = Bound(*t.Min)
		}
		if t.Max != nil {
			t.Max = Bound(*t.Max)
		}
		g.Threshold = &t
	}
	if g.Comparison != nil {
		c := *g.Comparison
		c.Metrics = append([]ComparisonMetric(nil), c.Metrics...)
		c.Groups = append([]MetricGroup(nil), c.Groups...)
		g.Comparison = &c
	}
	if g.Sequential != nil {
		s := *g.Sequential
		g.Sequential = &s
	}
	return g
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
