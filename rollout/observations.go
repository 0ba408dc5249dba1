package rollout

import (
	"fmt"
	"math"
)

// Observations are what the caller measured since the previous decision. Maps
// are keyed by metric or check name; a missing key is missing data.
type Observations struct {
	// Checks are results of readiness and exit criteria, by criterion name.
	Checks map[string]Check `json:"checks,omitempty"`
	// Metrics are current values for threshold gates, by metric name.
	Metrics map[string]Measurement `json:"metrics,omitempty"`
	// Samples are canary and baseline samples measured over the same period,
	// for comparison gates, by metric name.
	Samples map[string]Samples `json:"samples,omitempty"`
	// Counts are events (errors, crashes) that happened since the previous
	// decision, for sequential gates, by metric name. Report zero counts when
	// the source worked and nothing happened: an absent key is missing data.
	Counts map[string]Counts `json:"counts,omitempty"`
	// Errors are provider errors by metric name. A metric with an error is
	// missing data for every gate that reads it, even if a value is present.
	Errors map[string]string `json:"errors,omitempty"`
}

// Check is the result of a named readiness or exit criterion.
type Check struct {
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Measurement is one value of a metric of the new version and the sample it
// was computed from (requests, in most cases). A measurement with Sample 0 is
// "no traffic": it is inconclusive, never a failure.
type Measurement struct {
	Value  float64 `json:"value"`
	Sample int64   `json:"sample"`
}

// Samples are raw values of one metric (latencies, for example) from the canary
// and from the baseline, measured over the same period.
type Samples struct {
	Canary   []float64 `json:"canary"`
	Baseline []float64 `json:"baseline"`
}

// Counts are new events in the canary and the baseline since the previous
// observation, and the new canary requests (for a gate's minimum sample).
type Counts struct {
	Canary   int64 `json:"canary"`
	Baseline int64 `json:"baseline"`
	Requests int64 `json:"requests,omitempty"`
}

func checkMeasurement(name string, m Measurement) error {
	switch {
	case math.IsNaN(m.Value) || math.IsInf(m.Value, 0):
		return &ObservationError{Kind: "metrics", Name: name, Reason: fmt.Sprintf("value %v is not a finite number", m.Value)}
	case m.Sample < 0:
		return &ObservationError{Kind: "metrics", Name: name, Reason: fmt.Sprintf("negative sample %d", m.Sample)}
	}
	return nil
}

func checkSamples(name string, s Samples) error {
	for side, xs := range [2][]float64{s.Canary, s.Baseline} {
		for i, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				which := "canary"
				if side == 1 {
					which = "baseline"
				}
				return &ObservationError{Kind: "samples", Name: name,
					Reason: fmt.Sprintf("%s[%d] is %v, not a finite number", which, i, x)}
			}
		}
	}
	return nil
}

func checkCounts(name string, c Counts) error {
	if c.Canary < 0 || c.Baseline < 0 || c.Requests < 0 {
		return &ObservationError{Kind: "counts", Name: name,
			Reason: fmt.Sprintf("negative count (canary %d, baseline %d, requests %d)", c.Canary, c.Baseline, c.Requests)}
	}
	return nil
}

// validate checks every value, not only those the due gates read, so that
// bad input is an error whichever gates happen to measure. With several bad
// entries it reports the first by kind (metrics, samples, counts) and name,
// so the error does not depend on map order.
func (o Observations) validate() error {
	var err error
	var at string
	keep := func(name string, e error) {
		if e != nil && (err == nil || name < at) {
			err, at = e, name
		}
	}
	for name, m := range o.Metrics {
		keep(name, checkMeasurement(name, m))
	}
	if err != nil {
		return err
	}
	for name, s := range o.Samples {
		keep(name, checkSamples(name, s))
	}
	if err != nil {
		return err
	}
	for name, c := range o.Counts {
		keep(name, checkCounts(name, c))
	}
	return err
}
