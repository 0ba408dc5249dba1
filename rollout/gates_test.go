package rollout

import (
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
)

// ramp returns n values start, start+step, ...
func ramp(n int, start, step float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = start + float64(i)*step
	}
	return xs
}

func scale(xs []float64, f float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * f
	}
	return out
}

func TestComparisonMeasurement(t *testing.T) {
	base := ramp(50, 0.1, 0.01)
	same := Samples{Canary: ramp(50, 0.1005, 0.01), Baseline: base}
	slower := Samples{Canary: scale(base, 1.5), Baseline: base}
	faster := Samples{Canary: scale(base, 0.6), Baseline: base}
	slightly := Samples{Canary: scale(base, 1.05), Baseline: base}
	tests := []struct {
		name    string
		spec    ComparisonSpec
		samples map[string]Samples
		errs    map[string]string
		want    outcome
		score   float64
		message string
	}{
		{"all pass", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat"}, {Name: "cpu"}}},
			map[string]Samples{"lat": same, "cpu": same}, nil, success, 100, ""},
		{"one of two fails", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat"}, {Name: "cpu"}}},
			map[string]Samples{"lat": slower, "cpu": same}, nil, failure, 50, "score 50.0 below marginal 75; lat higher (shift"},
		{"allowed increase tolerates a small shift", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat", AllowedIncrease: 1.1}}},
			map[string]Samples{"lat": slightly}, nil, success, 100, ""},
		{"decrease direction ignores a rise", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "rps", Direction: Decrease}}},
			map[string]Samples{"rps": slower}, nil, success, 100, ""},
		{"decrease direction fails a drop", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "rps", Direction: Decrease}}},
			map[string]Samples{"rps": faster}, nil, failure, 0, "rps lower"},
		{"either fails a drop", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "rps", Direction: Either}}},
			map[string]Samples{"rps": faster}, nil, failure, 0, "rps lower"},
		{"increase ignores a drop", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat"}}},
			map[string]Samples{"lat": faster}, nil, success, 100, ""},
		{"weighted groups give a marginal score", ComparisonSpec{
			Metrics: []ComparisonMetric{{Name: "lat", Group: "latency"}, {Name: "err", Group: "errors"}},
			Groups:  []MetricGroup{{Name: "latency", Weight: 1}, {Name: "errors", Weight: 3}}},
			map[string]Samples{"lat": slower, "err": same}, nil, inconclusive, 75, "marginal score 75.0"},
		{"critical metric fails whatever the score", ComparisonSpec{
			Metrics:   []ComparisonMetric{{Name: "lat", Critical: true}, {Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}},
			PassScore: 50, MarginalScore: 10},
			map[string]Samples{"lat": slower, "a": same, "b": same, "c": same, "d": same}, nil, failure, 0, "critical metric failed: lat higher"},
		{"muted metric is not scored", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat", Muted: true}, {Name: "cpu"}}},
			map[string]Samples{"lat": slower, "cpu": same}, nil, success, 100, ""},
		{"too few samples is inconclusive", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat"}}},
			map[string]Samples{"lat": {Canary: scale(base[:5], 3), Baseline: base[:5]}}, nil, inconclusive, 0, "no compared metric has 10 samples"},
		{"no samples is missing", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat"}}}, nil, nil, missing, 0, "no samples"},
		{"provider error is missing, not success", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat"}}},
			map[string]Samples{"lat": same}, map[string]string{"lat": "503"}, missing, 0, "no samples"},
		{"critical metric missing", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat", Critical: true}, {Name: "cpu"}}},
			map[string]Samples{"cpu": same}, nil, missing, 0, `no samples for critical metric "lat"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			p := MustCompile(PlanSpec{Name: "c", Gates: []GateSpec{{Name: "cmp", Comparison: &spec}},
				Stages: []StageSpec{{Name: "s", Exposure: Percent(10), Gates: []string{"cmp"}}}})
			o, r, err := p.gates[0].measureComparison(Observations{Samples: tt.samples, Errors: tt.errs})
			if err != nil {
				t.Fatal(err)
			}
			if o != tt.want {
				t.Fatalf("outcome = %v, want %v (%+v)", o, tt.want, r)
			}
			if r.Statistic == "score" && math.Abs(r.Value-tt.score) > 1e-9 {
				t.Errorf("score = %v, want %v", r.Value, tt.score)
			}
			if !strings.Contains(r.Message, tt.message) {
				t.Errorf("message %q lacks %q", r.Message, tt.message)
			}
		})
	}
}

func TestComparisonBadSamples(t *testing.T) {
	p := MustCompile(PlanSpec{Name: "c", Gates: []GateSpec{{Name: "cmp", Comparison: &ComparisonSpec{Metrics: []ComparisonMetric{{Name: "lat"}}}}},
		Stages: []StageSpec{{Name: "s", Exposure: Percent(10), Gates: []string{"cmp"}}}})
	s := start(t, p).s
	for _, x := range []float64{math.NaN(), math.Inf(-1)} {
		obs := Observations{Samples: map[string]Samples{"lat": {Canary: []float64{1, x}, Baseline: []float64{1}}}}
		_, _, err := Decide(p, s, obs, epoch.Add(time.Minute))
		if !errors.Is(err, ErrInvalidObservation) || !strings.Contains(err.Error(), "canary[1]") {
			t.Fatalf("sample %v: err = %v", x, err)
		}
	}
}

func TestComparisonSpecErrors(t *testing.T) {
	tests := []struct {
		name string
		spec ComparisonSpec
		want string
	}{
		{"no metrics", ComparisonSpec{}, "gates[0].comparison.metrics: a comparison needs at least one metric"},
		{"all muted", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "a", Muted: true}}}, "every metric is muted"},
		{"bad ratio", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "a", AllowedIncrease: 0.5}}}, "metrics[0].allowedIncrease: must be a ratio ≥ 1"},
		{"bad decrease", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "a", AllowedDecrease: 2}}}, "metrics[0].allowedDecrease"},
		{"unknown group", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "a", Group: "x"}}, Groups: []MetricGroup{{Name: "y", Weight: 1}}}, `metrics[0].group: unknown group "x"`},
		{"zero weight", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "a"}}, Groups: []MetricGroup{{Name: "", Weight: 0}}}, "groups[0].weight: must be a positive number"},
		{"marginal above pass", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "a"}}, PassScore: 60, MarginalScore: 70}, "marginalScore"},
		{"confidence", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "a"}}, ConfidenceLevel: 1.5}, "confidenceLevel: must be in (0, 1)"},
		{"critical and muted", ComparisonSpec{Metrics: []ComparisonMetric{{Name: "a", Critical: true, Muted: true}, {Name: "b"}}}, "both critical and muted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			_, err := Compile(PlanSpec{Name: "c", Gates: []GateSpec{{Name: "cmp", Comparison: &spec}},
				Stages: []StageSpec{{Name: "s", Exposure: Percent(10), Gates: []string{"cmp"}}}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func sequentialPlan(t testing.TB, seq SequentialSpec, exposure float64) *Plan {
	t.Helper()
	p, err := Compile(PlanSpec{Name: "seq", Gates: []GateSpec{{Name: "crashes", Sequential: &seq}},
		Stages: []StageSpec{
			{Name: "canary", Exposure: Percent(exposure), Bake: Duration(time.Hour), Gates: []string{"crashes"}},
			{Name: "all", Exposure: Percent(100)},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSequentialGate(t *testing.T) {
	counts := func(c, b int64) func(int) Observations {
		return func(int) Observations {
			return Observations{Counts: map[string]Counts{"crashes": {Canary: c, Baseline: b, Requests: 100}}}
		}
	}
	t.Run("canary worse rolls back", func(t *testing.T) {
		m := start(t, sequentialPlan(t, SequentialSpec{Metric: "crashes"}, 10))
		// 10 % of traffic but half of the crashes.
		d := m.run(60, counts(2, 2))
		if d.Action != ActionRollBack {
			t.Fatalf("want rollback, got %+v", d)
		}
		r := d.Reasons[0]
		if r.Gate != "crashes" || r.Statistic != "log-bayes-factor" || r.Value < r.Threshold || r.Threshold != -math.Log(DefaultAlpha) {
			t.Fatalf("reason %+v", r)
		}
		msg := regexp.MustCompile(`^canary has \d+ of the \d+ "crashes" events \(\d+\.\d%, expected at most 10\.0%\): log Bayes factor \d+\.\d\d ≥ \d+\.\d\d$`)
		if !msg.MatchString(r.Message) {
			t.Fatalf("message %q, want it to match %s", r.Message, msg)
		}
	})
	t.Run("canary in line passes after bake", func(t *testing.T) {
		m := start(t, sequentialPlan(t, SequentialSpec{Metric: "crashes"}, 10))
		d := m.run(120, counts(1, 9))
		if d.Action != ActionAdvance || m.now.Sub(epoch) != time.Hour {
			t.Fatalf("want advance after the 1h bake, got %+v at %v", d, m.now.Sub(epoch))
		}
	})
	t.Run("canary better promotes early", func(t *testing.T) {
		m := start(t, sequentialPlan(t, SequentialSpec{Metric: "crashes", PromoteAfter: 20}, 50))
		d := m.run(120, counts(0, 5))
		if d.Action != ActionAdvance || m.now.Sub(epoch) >= time.Hour {
			t.Fatalf("want early advance, got %+v at %v", d, m.now.Sub(epoch))
		}
		if !strings.Contains(d.Reasons[0].Message, "early") {
			t.Fatalf("reason %v", d.Reasons)
		}
	})
	t.Run("minimum sample delays any decision", func(t *testing.T) {
		m := start(t, sequentialPlan(t, SequentialSpec{Metric: "crashes"}, 10))
		p := sequentialPlan(t, SequentialSpec{Metric: "crashes"}, 10)
		spec := p.Spec()
		spec.Gates[0].MinSample = 1_000_000
		m.p = MustCompile(spec)
		d := m.run(30, counts(5, 0))
		if d.Action != ActionWait || !strings.Contains(d.Reasons[0].Message, "canary requests 3000 of 1000000") {
			t.Fatalf("want wait for the minimum sample, got %+v", d)
		}
	})
	t.Run("negative counts", func(t *testing.T) {
		m := start(t, sequentialPlan(t, SequentialSpec{Metric: "crashes"}, 10))
		_, _, err := Decide(m.p, m.s, Observations{Counts: map[string]Counts{"crashes": {Canary: -1}}}, epoch)
		if !errors.Is(err, ErrInvalidObservation) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("outage holds", func(t *testing.T) {
		m := start(t, sequentialPlan(t, SequentialSpec{Metric: "crashes"}, 10))
		d := m.run(10, func(int) Observations { return Observations{} })
		if d.Action != ActionHold || !strings.Contains(d.Reasons[0].Message, "no counts") {
			t.Fatalf("outage: %+v", d)
		}
	})
}

func TestSequentialSpecErrors(t *testing.T) {
	tests := []struct {
		name     string
		seq      SequentialSpec
		exposure Exposure
		want     string
	}{
		{"alpha", SequentialSpec{Metric: "c", Alpha: 2}, Percent(10), "gates[0].sequential.alpha"},
		{"share", SequentialSpec{Metric: "c", CanaryShare: 1.5}, Percent(10), "gates[0].sequential.canaryShare"},
		{"full exposure", SequentialSpec{Metric: "c"}, Percent(100), "stages[0].gates[0]: sequential gate \"g\" compares canary and baseline"},
		{"cohort needs a share", SequentialSpec{Metric: "c"}, Cohort("beta"), "needs a canaryShare"},
		{"no metric", SequentialSpec{}, Percent(10), "gates[0].sequential.metric: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := tt.seq
			_, err := Compile(PlanSpec{Name: "s", Gates: []GateSpec{{Name: "g", Sequential: &seq}},
				Stages: []StageSpec{{Name: "s", Exposure: tt.exposure, Gates: []string{"g"}}}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestBlueGreenFlow(t *testing.T) {
	p := loadPlan(t, "bluegreen.yaml")
	m := start(t, p)
	if m.s.Stage != 0 || p.Stage(0).Exposure.Percent != 0 {
		t.Fatal("blue-green starts with verification at 0%")
	}
	good := func(int) Observations {
		return Observations{Metrics: map[string]Measurement{"smoke_success_ratio": {Value: 1, Sample: 50}},
			Checks: map[string]Check{"preview-smoke-tests": {OK: true}}}
	}
	d := m.run(30, good)
	if d.Action != ActionAdvance || d.Exposure.Percent != 100 {
		t.Fatalf("want the switch to 100%%, got %+v", d)
	}
	switched := m.now
	d = m.run(300, good)
	if d.Action != ActionComplete {
		t.Fatalf("want complete, got %+v", d)
	}
	if got := m.now.Sub(switched); got != 2*time.Hour {
		t.Fatalf("completed %v after the switch, want the 2h rollback window", got)
	}
	// A failure inside the rollback window rolls back.
	m = start(t, p)
	m.run(30, good)
	d = m.run(300, func(i int) Observations {
		if i > 60 {
			return Observations{Metrics: map[string]Measurement{"smoke_success_ratio": {Value: 0.5, Sample: 50}}}
		}
		return good(i)
	})
	if d.Action != ActionRollBack || d.Stage != 1 {
		t.Fatalf("want rollback during the window, got %+v", d)
	}
}
