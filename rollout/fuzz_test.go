package rollout

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"
)

// FuzzDecide feeds arbitrary observations to a plan with every kind of gate:
// Decide must never panic, must reject bad input with ErrInvalidObservation,
// and must always return JSON-encodable decisions and states.
func FuzzDecide(f *testing.F) {
	f.Add(0.001, int64(1000), int64(1), int64(9), 0.1, 0.12, uint8(1), false)
	f.Add(math.NaN(), int64(-5), int64(-1), int64(0), math.Inf(1), 0.0, uint8(0), true)
	f.Add(0.5, int64(0), int64(1<<62), int64(1<<62), -1.0, 1e300, uint8(255), false)
	data := []byte(`
name: fuzz
interval: 1m
gates:
  - {name: t, minSample: 10, threshold: {metric: ratio, max: 0.01}}
  - {name: c, interval: 1m, minSample: 2, comparison: {metrics: [{name: lat, direction: either}]}}
  - {name: s, sequential: {metric: errors, promoteAfter: 5}}
stages:
  - {name: a, exposure: 10%, bake: 3m, gates: [t, c, s]}
  - {name: b, exposure: 50%, bake: 3m, gates: [t, c, s], approval: true}
  - {name: c, exposure: 100%, gates: [t]}
`)
	p, err := ParsePlan(data)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, value float64, sample, canary, baseline int64, x, y float64, step uint8, outage bool) {
		s := State{ID: "f"}
		now := epoch
		for i := range 12 {
			obs := Observations{
				Metrics: map[string]Measurement{"ratio": {Value: value * float64(i%3), Sample: sample}},
				Samples: map[string]Samples{"lat": {Canary: []float64{x, y, x + float64(i)}, Baseline: []float64{y, x, y}}},
				Counts:  map[string]Counts{"errors": {Canary: canary, Baseline: baseline, Requests: sample}},
			}
			if outage && i%2 == 0 {
				obs.Errors = map[string]string{"ratio": "down", "lat": "down", "errors": "down"}
			}
			d, next, err := Decide(p, s, obs, now)
			if err != nil {
				if !errors.Is(err, ErrInvalidObservation) {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if _, err := json.Marshal(d); err != nil {
				t.Fatalf("decision does not encode: %v", err)
			}
			sj, err := json.Marshal(s)
			if err != nil {
				t.Fatalf("state does not encode: %v", err)
			}
			// The same inputs, and the state after a JSON round trip, give
			// the same decision and state.
			var rs State
			if err := json.Unmarshal(sj, &rs); err != nil {
				t.Fatalf("state does not decode: %v", err)
			}
			for _, in := range []State{s, rs} {
				d2, next2, err := Decide(p, in, obs, now)
				if err != nil {
					t.Fatalf("second call failed: %v", err)
				}
				a, _ := json.Marshal(struct {
					D Decision
					S State
				}{d, next})
				b, _ := json.Marshal(struct {
					D Decision
					S State
				}{d2, next2})
				if string(a) != string(b) {
					t.Fatalf("decisions differ:\n%s\n%s", a, b)
				}
			}
			if d.Action == ActionNeedsApproval {
				if _, next, err = Apply(p, next, ManualAction{Kind: Approve, Actor: "a"}, now); err != nil {
					t.Fatal(err)
				}
			}
			s = next
			if s.Phase.Terminal() {
				return
			}
			now = now.Add(time.Duration(step%5+1) * time.Minute)
		}
	})
}
