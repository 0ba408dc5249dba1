package compat_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/compat"
	"github.com/google/go-cmp/cmp"
)

func TestStepChange(t *testing.T) {
	tests := []struct {
		from, to string
		want     compat.Change
	}{
		{"1.2.3", "1.2.3", compat.ChangeNone},
		{"1.2.3", "v1.2.3", compat.ChangeNone},
		{"1.2.3", "1.2.4", compat.ChangePatch},
		{"1.2.3.4", "1.2.3.5", compat.ChangePatch},
		{"1.2.3-rc.1", "1.2.3", compat.ChangePatch},
		{"1.2.3+build.1", "1.2.3+build.2", compat.ChangePatch},
		{"1.2.9", "1.3.0", compat.ChangeMinor},
		{"1.9", "1.10", compat.ChangeMinor},
		{"1.9.0", "2.0.0", compat.ChangeMajor},
		{"2.0.0", "1.9.0", compat.ChangeMajor},
		{"1.3.0", "1.2.9", compat.ChangeMinor},
		{"1", "2", compat.ChangeMajor},
	}
	for _, tt := range tests {
		t.Run(tt.from+"->"+tt.to, func(t *testing.T) {
			s := compat.Step{Component: "web", From: compat.MustParseVersion(tt.from), To: compat.MustParseVersion(tt.to)}
			if got := s.Change(); got != tt.want {
				t.Errorf("Change = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChangeText(t *testing.T) {
	tests := []struct {
		c    compat.Change
		want string
	}{
		{compat.ChangeNone, "none"},
		{compat.ChangePatch, "patch"},
		{compat.ChangeMinor, "minor"},
		{compat.ChangeMajor, "major"},
		{compat.Change(7), "Change(7)"},
		{compat.Change(-1), "Change(-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.c.String(); got != tt.want {
				t.Errorf("String = %q, want %q", got, tt.want)
			}
			b, err := tt.c.MarshalText()
			if strings.HasPrefix(tt.want, "Change(") {
				if err == nil {
					t.Errorf("MarshalText(%d) = %q, want an error", int(tt.c), b)
				}
				return
			}
			var back compat.Change
			if err != nil || back.UnmarshalText(b) != nil || back != tt.c {
				t.Errorf("round trip: %q %v -> %v", b, err, back)
			}
		})
	}
	var c compat.Change
	if err := c.UnmarshalText([]byte("huge")); err == nil || !strings.HasPrefix(err.Error(), "compat: ") {
		t.Errorf("UnmarshalText(huge) = %v", err)
	}
	if !(compat.ChangeNone < compat.ChangePatch && compat.ChangePatch < compat.ChangeMinor && compat.ChangeMinor < compat.ChangeMajor) {
		t.Error("changes are not ordered by size")
	}
}

func TestPlanStates(t *testing.T) {
	m := loadShop(t)
	tests := []struct {
		name string
		opts compat.PlanOptions
	}{
		{"whole components", compat.PlanOptions{}},
		{"per instance", compat.PlanOptions{PerInstance: true}},
		{"through minors, two at a time", compat.PlanOptions{StepThroughMinors: true, MaxParallel: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			current, target := shopCurrent(), shopTarget()
			before := versionsOf(current)
			p, err := m.Plan(current, target, nil, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			states := p.States(current)
			if len(states) != len(p.Waves) {
				t.Fatalf("%d states for %d waves", len(states), len(p.Waves))
			}
			for i, s := range states {
				if rep := m.Check(s); !rep.OK() {
					t.Errorf("state after wave %d fails Check:\n%s", i+1, rep)
				}
				// Every step of the wave has happened.
				for _, st := range p.Waves[i] {
					for k, in := range s.Components[st.Component] {
						moved := st.Instance == "" || st.Instance == in.Name || (in.Name == "" && st.Instance == fmt.Sprintf("%s[%d]", st.Component, k))
						if moved && !in.Version.Equal(st.To) {
							t.Errorf("after wave %d, %s instance %d runs %s; step %v", i+1, st.Component, k, in.Version, st)
						}
					}
				}
			}
			if diff := cmp.Diff(versionsOf(current.UpgradeTo(target)), versionsOf(states[len(states)-1])); diff != "" {
				t.Errorf("end state differs from current.UpgradeTo(target) (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, versionsOf(current)); diff != "" {
				t.Errorf("States modified current:\n%s", diff)
			}
			if got := current.Apply(p.Steps...); !cmp.Equal(versionsOf(got), versionsOf(states[len(states)-1])) {
				t.Error("Apply(all steps) differs from the last state")
			}
			// Wave kinds are the largest of their steps.
			for i, w := range p.Waves {
				want := compat.ChangeNone
				for _, s := range w {
					want = max(want, s.Change())
				}
				if got := p.WaveChange(i); got != want || want == compat.ChangeNone {
					t.Errorf("WaveChange(%d) = %v, want %v (non-none)", i, got, want)
				}
			}
			if got := p.Change(); got != compat.ChangeMajor { // postgres 15 -> 16
				t.Errorf("Plan.Change = %v, want major", got)
			}
		})
	}
}

func TestPlanStatesEdges(t *testing.T) {
	var nilPlan *compat.Plan
	if nilPlan.States(named()) != nil || nilPlan.WaveChange(0) != compat.ChangeNone || nilPlan.Change() != compat.ChangeNone {
		t.Error("nil plan is not empty")
	}
	p := &compat.Plan{Waves: [][]compat.Step{{{Component: "web", From: compat.MustParseVersion("4.9.0"), To: compat.MustParseVersion("4.9.1")}}}}
	p.Steps = p.Waves[0]
	for _, i := range []int{-1, 1, 99} {
		if got := p.WaveChange(i); got != compat.ChangeNone {
			t.Errorf("WaveChange(%d) = %v", i, got)
		}
	}
	if got := p.WaveChange(0); got != compat.ChangePatch {
		t.Errorf("WaveChange(0) = %v", got)
	}
	if got := versionsOf(p.States(named())[0])["web"]; !cmp.Equal(got, []string{"web-1=4.9.1", "web-2=4.9.1"}) {
		t.Errorf("state = %v", got)
	}
	b, err := json.Marshal(struct{ C compat.Change }{compat.ChangeMinor})
	if err != nil || string(b) != `{"C":"minor"}` {
		t.Errorf("json = %s, %v", b, err)
	}
}

func TestCountWording(t *testing.T) {
	m := loadShop(t)
	tests := []struct {
		name string
		edit []any
		want string
		not  string
	}{
		{"one violation", []any{"postgres", []string{"14.10"}, "orders-api", []string{"3.1.0"}}, "(1 violation)\n", "violations"},
		{"two violations", []any{"postgres", []string{"14.10"}}, "(2 violations)\n", "(1 violation"},
		{"none", nil, "verdict: supported", "violation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := m.Check(compat.MustDeployment(with(healthy(), tt.edit...)))
			s := rep.String()
			if !strings.Contains(s, tt.want) || strings.Contains(s, tt.not) {
				t.Errorf("report %q: want %q and not %q", s, tt.want, tt.not)
			}
		})
	}
	_, err := m.Plan(compat.MustDeployment(with(healthy(), "postgres", []string{"14.10"}, "orders-api", []string{"3.1.0"})), compat.MustDeployment(map[string][]string{"web": {"5.1.0"}}), nil, compat.PlanOptions{})
	if err == nil || !strings.Contains(err.Error(), "(1 violation)") || strings.Contains(err.Error(), "1 violations") {
		t.Errorf("StateError = %v", err)
	}
}
