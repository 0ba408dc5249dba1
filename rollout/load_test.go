package rollout

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func nan() float64 { return math.NaN() }

func TestParsePlanErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", "rollout: empty plan"},
		{"null", "null", "rollout: empty plan"},
		{"not yaml", "name: [", "invalid YAML"},
		{"duplicate key", "name: a\nname: b\nstages: []", "invalid YAML"},
		{"unknown top field", "name: a\nstagez: []", `stagez: unknown field "stagez"`},
		{"unknown nested field", "name: a\nstages:\n- name: s\n  exposure: 5%\n  bakee: 1m", `stages[0].bakee: unknown field "bakee"`},
		{"case matters", "Name: a\nstages: []", `Name: unknown field "Name"`},
		{"bad duration", "name: a\nstages:\n- name: s\n  bake: soon", `stages[0].bake: invalid duration "soon"`},
		{"negative duration", "name: a\nstages:\n- name: s\n  bake: -1m", `stages[0].bake: negative duration "-1m"`},
		{"numeric duration", "name: a\nstages:\n- name: s\n  bake: 60", "stages[0].bake: 60 is not a string"},
		{"bad exposure", "name: a\nstages:\n- name: s\n  exposure: lots", `stages[0].exposure: invalid exposure "lots"`},
		{"exposure two forms", "name: a\nstages:\n- name: s\n  exposure: {cohort: b, regions: [eu]}", "stages[0].exposure: exposure must have exactly one"},
		{"exposure unknown form", "name: a\nstages:\n- name: s\n  exposure: {people: 3}", "stages[0].exposure: exposure must have one of"},
		{"bad strategy", "name: a\nstrategy: linear\nstages: []", `strategy: unknown strategy "linear"`},
		{"bad policy", "name: a\ngates:\n- name: g\n  missing: ignore\n  threshold: {metric: m, max: 1}\nstages: []", `gates[0].missing: unknown missing-data policy "ignore"`},
		{"string for number", "name: a\ngates:\n- name: g\n  threshold: {metric: m, max: high}\nstages: []", `gates[0].threshold.max: "high" is not a number`},
		{"float for int", "name: a\ngates:\n- name: g\n  failureLimit: 1.5\n  threshold: {metric: m, max: 1}\nstages: []", "gates[0].failureLimit: 1.5 is not an integer"},
		{"list for object", "name: a\nlabels: [a]\nstages: []", "labels: a list is not an object"},
		{"label not string", "name: a\nlabels: {team: 3}\nstages: []", "labels.team: 3 is not a string"},
		{"shrinking", "name: a\nstages:\n- {name: a, exposure: 25%}\n- {name: b, exposure: 50%}\n- {name: c, exposure: 10%}", "rollout: stages[2].exposure: 10% is below the previous stage's 50%"},
		{"unknown gate", "name: a\nstages:\n- {name: a, exposure: 25%, gates: [nope]}", `stages[0].gates[0]: unknown gate "nope"`},
		{"empty stages", "name: a\nstages: []", "stages: a plan needs at least one stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePlan([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("ParsePlan succeeded, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalidPlan) {
				t.Errorf("not ErrInvalidPlan: %v", err)
			}
		})
	}
}

func TestParsePlanJSONAndForms(t *testing.T) {
	p, err := ParsePlan([]byte(`{"name":"j","stages":[{"name":"beta","exposure":{"cohort":"beta"}},
		{"name":"eu","exposure":{"regions":["eu-west-1"]}},{"name":"two","exposure":{"regions":["eu-west-1","us-east-1"]}},
		{"name":"all","exposure":100}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"cohort beta", "regions eu-west-1", "regions eu-west-1, us-east-1", "100%"}
	for i, w := range want {
		if got := p.Stage(i).Exposure.String(); got != w {
			t.Errorf("stage %d exposure = %q, want %q", i, got, w)
		}
	}
}

func FuzzParsePlan(f *testing.F) {
	f.Add([]byte("name: a\nstages:\n- {name: a, exposure: 25%, bake: 1m}\n"))
	f.Add([]byte(`{"name":"j","stages":[{"name":"beta","exposure":{"cohort":"beta"}}]}`))
	f.Add([]byte("name: a\ngates:\n- name: g\n  threshold: {metric: m, max: 1}\nstages:\n- {name: s, gates: [g], exposure: {regions: [eu]}}"))
	f.Add([]byte("name: bg\nstrategy: blue-green\nrollbackWindow: 1h\nstages:\n- {name: v}\n- {name: s, exposure: 100%}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlan(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidPlan) {
				t.Fatalf("error is not ErrInvalidPlan: %v", err)
			}
			return
		}
		// A valid plan round-trips and can be decided on without panicking.
		out, err := MarshalPlanSpec(p.Spec())
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := ParsePlan(out); err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		_, _, _ = Decide(p, State{}, Observations{}, epoch)
	})
}
