package rollout

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func thresholdGate(name, metric string, max float64) GateSpec {
	return GateSpec{Name: name, Threshold: &ThresholdSpec{Metric: metric, Max: Bound(max)}}
}

func TestCompileErrors(t *testing.T) {
	base := func() PlanSpec {
		return PlanSpec{
			Name:  "p",
			Gates: []GateSpec{thresholdGate("errors", "err", 0.01)},
			Stages: []StageSpec{
				{Name: "a", Exposure: Percent(5), Gates: []string{"errors"}},
				{Name: "b", Exposure: Percent(25)},
				{Name: "c", Exposure: Percent(100)},
			},
		}
	}
	tests := []struct {
		name   string
		mutate func(*PlanSpec)
		want   string // substring of the error
	}{
		{"no name", func(p *PlanSpec) { p.Name = "" }, "rollout: name: is required"},
		{"no stages", func(p *PlanSpec) { p.Stages = nil }, "stages: a plan needs at least one stage"},
		{"shrinking exposure", func(p *PlanSpec) { p.Stages[2].Exposure = Percent(10) },
			"stages[2].exposure: 10% is below the previous stage's 25%"},
		{"exposure above 100", func(p *PlanSpec) { p.Stages[2].Exposure = Percent(150) }, "stages[2].exposure: 150% is outside 0%..100%"},
		{"unknown gate", func(p *PlanSpec) { p.Stages[1].Gates = []string{"latency"} }, `stages[1].gates[0]: unknown gate "latency"`},
		{"gate twice", func(p *PlanSpec) { p.Stages[0].Gates = []string{"errors", "errors"} }, `stages[0].gates[1]: gate "errors" is listed twice`},
		{"duplicate stage", func(p *PlanSpec) { p.Stages[1].Name = "a" }, `stages[1].name: duplicate stage "a"`},
		{"duplicate gate", func(p *PlanSpec) { p.Gates = append(p.Gates, thresholdGate("errors", "x", 1)) }, `gates[1].name: duplicate gate "errors"`},
		{"gate without kind", func(p *PlanSpec) { p.Gates[0].Threshold = nil }, "gates[0]: a gate needs exactly one of threshold, comparison or sequential"},
		{"threshold without bounds", func(p *PlanSpec) { p.Gates[0].Threshold.Max = nil }, "gates[0].threshold: needs min, max or both"},
		{"min above max", func(p *PlanSpec) { p.Gates[0].Threshold.Min = Bound(2) }, "gates[0].threshold: min 2 is above max 0.01"},
		{"threshold NaN", func(p *PlanSpec) { p.Gates[0].Threshold.Max = Bound(nan()) }, "gates[0].threshold.max: must be a finite number"},
		{"negative limit", func(p *PlanSpec) { p.Gates[0].FailureLimit = -1 }, "gates[0].failureLimit: -1 must not be negative"},
		{"deadline before bake", func(p *PlanSpec) {
			p.Stages[0].Bake = Duration(10 * time.Minute)
			p.Stages[0].ProgressDeadline = Duration(5 * time.Minute)
		}, "stages[0].progressDeadline: 5m0s is shorter than the bake time 10m0s"},
		{"approvers without approval", func(p *PlanSpec) { p.Stages[0].Approvers = []string{"x"} }, "stages[0].approvers"},
		{"cohort and regions", func(p *PlanSpec) { p.Stages[0].Exposure = Exposure{Cohort: "beta", Regions: []string{"eu"}} }, "has both a cohort and regions"},
		{"region dropped", func(p *PlanSpec) {
			p.Stages[0].Exposure = Regions("eu", "us")
			p.Stages[1].Exposure = Regions("us", "ap")
		}, `stages[1].exposure: drops region "eu" of the previous stage`},
		{"rollback window on canary", func(p *PlanSpec) { p.RollbackWindow = Duration(time.Hour) }, "rollbackWindow: is only used by blue-green plans"},
		{"blue-green without window", func(p *PlanSpec) {
			p.Strategy = BlueGreen
			p.Stages = []StageSpec{{Name: "verify"}, {Name: "switch", Exposure: Percent(100)}}
		}, "rollbackWindow: is required for blue-green plans"},
		{"blue-green partial exposure", func(p *PlanSpec) {
			p.Strategy = BlueGreen
			p.RollbackWindow = Duration(time.Hour)
			p.Stages = []StageSpec{{Name: "verify", Exposure: Percent(10)}, {Name: "switch", Exposure: Percent(100)}}
		}, "stages[0].exposure: blue-green verifies at 0% exposure before the switch, not 10%"},
		{"duplicate readiness", func(p *PlanSpec) { p.Readiness = []Criterion{{Name: "x"}, {Name: "x"}} }, `readiness[1].name: duplicate criterion "x"`},
		{"bad strategy", func(p *PlanSpec) { p.Strategy = Strategy(9) }, "strategy: unknown strategy 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := base()
			tt.mutate(&spec)
			_, err := Compile(spec)
			if err == nil {
				t.Fatalf("Compile succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalidPlan) {
				t.Errorf("errors.Is(err, ErrInvalidPlan) = false for %v", err)
			}
			var pe *PlanError
			if !errors.As(err, &pe) {
				t.Errorf("error %v is not a *PlanError", err)
			}
		})
	}
	if _, err := Compile(base()); err != nil {
		t.Fatalf("base plan: %v", err)
	}
}

func TestCompileCollectsAllErrors(t *testing.T) {
	_, err := Compile(PlanSpec{Stages: []StageSpec{{Exposure: Percent(50)}, {Name: "b", Exposure: Percent(10), Gates: []string{"nope"}}}})
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"name: is required", "stages[0].name: is required", "stages[1].exposure: 10% is below", `unknown gate "nope"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestPlanIsImmutable(t *testing.T) {
	spec := PlanSpec{Name: "p", Labels: map[string]string{"team": "a"},
		Gates:  []GateSpec{thresholdGate("g", "m", 1)},
		Stages: []StageSpec{{Name: "s", Exposure: Regions("eu"), Gates: []string{"g"}}}}
	p := MustCompile(spec)
	spec.Labels["team"] = "b"
	spec.Stages[0].Exposure.Regions[0] = "us"
	*spec.Gates[0].Threshold.Max = 7
	got := p.Spec()
	if got.Labels["team"] != "a" || got.Stages[0].Exposure.Regions[0] != "eu" || *got.Gates[0].Threshold.Max != 1 {
		t.Fatalf("plan changed with its spec: %+v", got)
	}
	got.Labels["team"] = "c"
	if p.Labels()["team"] != "a" {
		t.Fatal("Spec() returned shared labels")
	}
}

func TestBlueGreenBake(t *testing.T) {
	p := MustCompile(PlanSpec{Name: "bg", Strategy: BlueGreen, RollbackWindow: Duration(2 * time.Hour),
		Stages: []StageSpec{{Name: "verify", Bake: Duration(10 * time.Minute)}, {Name: "switch", Exposure: Percent(100)}}})
	if got := p.StageBake(1); got != 2*time.Hour {
		t.Fatalf("switch stage bake = %v, want the rollback window 2h", got)
	}
	if got := p.StageBake(0); got != 10*time.Minute {
		t.Fatalf("verify bake = %v", got)
	}
}

func TestLoadTestdataPlans(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParsePlan(data)
			if err != nil {
				t.Fatal(err)
			}
			// Round trip through YAML gives the same spec.
			out, err := MarshalPlanSpec(p.Spec())
			if err != nil {
				t.Fatal(err)
			}
			p2, err := ParsePlan(out)
			if err != nil {
				t.Fatalf("re-parse: %v\n%s", err, out)
			}
			out2, _ := MarshalPlanSpec(p2.Spec())
			if string(out) != string(out2) {
				t.Fatalf("round trip differs:\n%s\n---\n%s", out, out2)
			}
		})
	}
	if n == 0 {
		t.Fatal("no plans in testdata")
	}
}
