package rollout

import (
	"fmt"
	"testing"
	"time"
)

// benchPlan has one stage with n threshold gates on distinct metrics.
func benchPlan(b *testing.B, n int) (*Plan, State, Observations) {
	spec := PlanSpec{Name: "bench"}
	obs := Observations{Metrics: map[string]Measurement{}}
	var names []string
	for i := range n {
		name := fmt.Sprintf("g%02d", i)
		metric := fmt.Sprintf("m%02d", i)
		spec.Gates = append(spec.Gates, GateSpec{Name: name, MinSample: 100, Threshold: &ThresholdSpec{Metric: metric, Max: Bound(1)}})
		names = append(names, name)
		obs.Metrics[metric] = Measurement{Value: 0.5, Sample: 1000}
	}
	spec.Stages = []StageSpec{
		{Name: "canary", Exposure: Percent(5), Bake: Duration(time.Hour), Gates: names},
		{Name: "all", Exposure: Percent(100)},
	}
	p, err := Compile(spec)
	if err != nil {
		b.Fatal(err)
	}
	_, s, err := Decide(p, State{ID: "b"}, Observations{}, epoch)
	if err != nil {
		b.Fatal(err)
	}
	return p, s, obs
}

// BenchmarkDecide20Gates is the target: Decide with 20 gates (no
// statistics) in ≤ 10 µs. Each iteration measures every gate.
func BenchmarkDecide20Gates(b *testing.B) {
	p, s, obs := benchPlan(b, 20)
	b.ReportAllocs()
	now := epoch.Add(time.Minute)
	for b.Loop() {
		d, _, err := Decide(p, s, obs, now)
		if err != nil || d.Action != ActionWait {
			b.Fatalf("%v %v", d.Action, err)
		}
	}
}

func BenchmarkDecideComparison(b *testing.B) {
	base := ramp(1000, 0.1, 0.001)
	p := MustCompile(PlanSpec{Name: "c", Gates: []GateSpec{{Name: "cmp", Comparison: &ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat", AllowedIncrease: 1.1}}}}},
		Stages: []StageSpec{{Name: "s", Exposure: Percent(10), Bake: Duration(time.Hour), Gates: []string{"cmp"}}, {Name: "t", Exposure: Percent(100)}}})
	_, s, _ := Decide(p, State{}, Observations{}, epoch)
	obs := Observations{Samples: map[string]Samples{"lat": {Canary: scale(base, 1.01), Baseline: base}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decide(p, s, obs, epoch.Add(time.Minute)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecideSequential(b *testing.B) {
	p := sequentialPlan(b, SequentialSpec{Metric: "crashes"}, 10)
	_, s, _ := Decide(p, State{}, Observations{}, epoch)
	obs := Observations{Counts: map[string]Counts{"crashes": {Canary: 1, Baseline: 9, Requests: 100}}}
	b.ReportAllocs()
	now := epoch
	for b.Loop() {
		now = now.Add(time.Second)
		var err error
		if _, s, err = Decide(p, s, obs, now); err != nil {
			b.Fatal(err)
		}
		if s.Phase != Progressing {
			s.Phase = Progressing
		}
	}
}

func BenchmarkParsePlan(b *testing.B) {
	data := []byte(`name: a
gates:
  - name: g
    threshold: {metric: m, max: 1}
stages:
  - {name: a, exposure: 5%, bake: 10m, gates: [g]}
  - {name: b, exposure: 50%, bake: 10m, gates: [g]}
  - {name: c, exposure: 100%, bake: 10m, gates: [g]}
`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePlan(data); err != nil {
			b.Fatal(err)
		}
	}
}
