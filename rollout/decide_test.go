package rollout

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func loadPlan(t testing.TB, name string) *Plan {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePlan(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var ready = map[string]Check{"backups-verified": {OK: true}, "on-call-staffed": {OK: true}}

func healthy(sample int64) Observations {
	return Observations{
		Checks: map[string]Check{"dashboards-reviewed": {OK: true}},
		Metrics: map[string]Measurement{
			"http_error_ratio": {Value: 0.001, Sample: sample},
			"http_p99_seconds": {Value: 0.2, Sample: sample},
		},
	}
}

// sim drives a plan minute by minute.
type sim struct {
	t   *testing.T
	p   *Plan
	s   State
	now time.Time
}

func (m *sim) decide(obs Observations) Decision {
	m.t.Helper()
	d, s, err := Decide(m.p, m.s, obs, m.now)
	if err != nil {
		m.t.Fatalf("Decide at %v: %v", m.now.Sub(epoch), err)
	}
	m.s = s
	return d
}

// start makes the rollout begin at epoch.
func start(t *testing.T, p *Plan) *sim {
	t.Helper()
	m := &sim{t: t, p: p, s: State{ID: "r1"}, now: epoch}
	d := m.decide(Observations{Checks: ready})
	if d.Action != ActionAdvance || d.Stage != 0 {
		t.Fatalf("start: %+v", d)
	}
	return m
}

// run decides every minute for n minutes with obs, stopping at the first
// action that is not a wait; it returns that decision.
func (m *sim) run(n int, obs func(minute int) Observations) Decision {
	m.t.Helper()
	var d Decision
	for i := range n {
		m.now = m.now.Add(time.Minute)
		d = m.decide(obs(i))
		if d.Action != ActionWait {
			return d
		}
	}
	return d
}

func TestDecideReadiness(t *testing.T) {
	p := loadPlan(t, "canary.yaml")
	tests := []struct {
		name   string
		checks map[string]Check
		want   Action
		reason string
	}{
		{"missing", map[string]Check{"backups-verified": {OK: true}}, ActionWait, `readiness check "on-call-staffed" has no result`},
		{"failed", map[string]Check{"backups-verified": {OK: false, Detail: "restore failed"}, "on-call-staffed": {OK: true}}, ActionHold,
			`readiness check "backups-verified" failed: restore failed`},
		{"ready", ready, ActionAdvance, "all readiness checks passed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, s, err := Decide(p, State{}, Observations{Checks: tt.checks}, epoch)
			if err != nil {
				t.Fatal(err)
			}
			if d.Action != tt.want {
				t.Fatalf("action = %v, want %v (%v)", d.Action, tt.want, d.Reasons)
			}
			if !strings.Contains(d.Reasons[0].Message, tt.reason) {
				t.Fatalf("reason %q lacks %q", d.Reasons[0].Message, tt.reason)
			}
			if tt.want == ActionAdvance {
				if s.Phase != Progressing || s.Stage != 0 || d.Exposure.String() != "5%" || !s.StartedAt.Equal(epoch) {
					t.Fatalf("state after start: %+v, decision %+v", s, d)
				}
			} else if s.Phase != NotStarted {
				t.Fatalf("phase = %v", s.Phase)
			}
		})
	}
}

func TestDecideHappyPath(t *testing.T) {
	p := loadPlan(t, "canary.yaml")
	m := start(t, p)
	d := m.run(60, func(int) Observations { return healthy(100) })
	// error-rate needs 500 requests (5 minutes); the stage bakes 10 minutes.
	if d.Action != ActionAdvance || d.StageName != "quarter" || d.Exposure.Percent != 25 {
		t.Fatalf("want advance to quarter, got %+v", d)
	}
	if got := m.now.Sub(epoch); got != 10*time.Minute {
		t.Fatalf("advanced after %v, want 10m bake", got)
	}
	d = m.run(60, func(int) Observations { return healthy(1000) })
	if d.Action != ActionNeedsApproval {
		t.Fatalf("want needs-approval, got %+v", d)
	}
	if !strings.Contains(d.Reasons[0].Message, "from alice or bob") {
		t.Fatalf("approval reason: %v", d.Reasons)
	}
	if _, _, err := Apply(p, m.s, ManualAction{Kind: Approve, Actor: "mallory"}, m.now); !errors.Is(err, ErrInvalidAction) {
		t.Fatalf("approval by a non-approver: err = %v", err)
	}
	ad, s, err := Apply(p, m.s, ManualAction{Kind: Approve, Actor: "alice", Comment: "graphs look fine"}, m.now)
	if err != nil {
		t.Fatal(err)
	}
	if ad.Actor != "alice" || !s.Approved || ad.Reasons[0].Message != "approve by alice: graphs look fine" {
		t.Fatalf("approve: %+v %+v", ad, s)
	}
	m.s = s
	d = m.decide(healthy(1000))
	if d.Action != ActionAdvance || d.StageName != "everyone" {
		t.Fatalf("after approval: %+v", d)
	}
	d = m.run(120, func(int) Observations { return healthy(5000) })
	if d.Action != ActionComplete || m.s.Phase != Completed {
		t.Fatalf("want complete, got %+v", d)
	}
	if !d.NextEvaluation.IsZero() {
		t.Fatalf("complete has a next evaluation: %v", d.NextEvaluation)
	}
	// Terminal states stay terminal.
	d2 := m.decide(Observations{})
	if d2.Action != ActionComplete {
		t.Fatalf("after completion: %+v", d2)
	}
}

func TestDecideRollsBackAfterFailureLimit(t *testing.T) {
	p := loadPlan(t, "canary.yaml")
	m := start(t, p)
	bad := func(int) Observations {
		o := healthy(1000)
		o.Metrics["http_error_ratio"] = Measurement{Value: 0.05, Sample: 1000}
		return o
	}
	d := m.run(10, bad)
	if d.Action != ActionRollBack {
		t.Fatalf("want rollback, got %+v", d)
	}
	// failureLimit 1: the second failed measurement rolls back.
	if got := m.now.Sub(epoch); got != 2*time.Minute {
		t.Fatalf("rolled back after %v, want 2m", got)
	}
	want := []Reason{{Gate: "error-rate", Metric: "http_error_ratio", Statistic: "value", Value: 0.05, Threshold: 0.01, Status: GateFailed,
		Message: "http_error_ratio 0.05 above max 0.01; 2 failed measurements > limit 1"}}
	if diff := cmp.Diff(want, d.Reasons); diff != "" {
		t.Fatalf("reasons (-want +got):\n%s", diff)
	}
	if m.s.Phase != RolledBack || !m.s.EndedAt.Equal(m.now) {
		t.Fatalf("state: %+v", m.s)
	}
}

func TestDecideLowTrafficNeverRollsBack(t *testing.T) {
	p := loadPlan(t, "canary.yaml")
	m := start(t, p)
	// 3 requests a minute, one of them failing: an error ratio of 33 %, but
	// the 500-request minimum sample is reached only after 167 minutes.
	d := m.run(29, func(int) Observations {
		o := healthy(3)
		o.Metrics["http_error_ratio"] = Measurement{Value: 0.33, Sample: 3}
		return o
	})
	if d.Action != ActionWait {
		t.Fatalf("low traffic: %+v", d)
	}
	if !strings.Contains(d.Reasons[0].Message, "below the minimum 500") {
		t.Fatalf("reason: %v", d.Reasons)
	}
	// At the 30 minute progress deadline the rollout holds for a human.
	d = m.run(5, func(int) Observations { return healthy(0) })
	if d.Action != ActionHold || m.s.Phase != Progressing {
		t.Fatalf("at deadline: %+v", d)
	}
	if r := d.Reasons[len(d.Reasons)-1]; r.Statistic != "deadline" {
		t.Fatalf("last reason %+v, want the deadline", r)
	}
}

func TestDecideProviderErrorsNeverPass(t *testing.T) {
	p := MustCompile(PlanSpec{Name: "p",
		Gates: []GateSpec{
			{Name: "hold", Threshold: &ThresholdSpec{Metric: "m", Max: Bound(1)}},
			{Name: "fail", Missing: MissingFail, FailureLimit: 2, Threshold: &ThresholdSpec{Metric: "f", Max: Bound(1)}},
			{Name: "pass", Missing: MissingPass, Threshold: &ThresholdSpec{Metric: "p", Max: Bound(1)}},
		},
		Stages: []StageSpec{{Name: "s", Exposure: Percent(10), Gates: []string{"hold"}}, {Name: "t", Exposure: Percent(20), Gates: []string{"fail"}},
			{Name: "u", Exposure: Percent(30), Gates: []string{"pass"}}, {Name: "v", Exposure: Percent(40)}}})
	errs := func(int) Observations {
		return Observations{Metrics: map[string]Measurement{"m": {Value: 0, Sample: 10}, "f": {Value: 0, Sample: 10}, "p": {Value: 0, Sample: 10}},
			Errors: map[string]string{"m": "timeout", "f": "timeout", "p": "timeout"}}
	}
	good := func(int) Observations {
		return Observations{Metrics: map[string]Measurement{"m": {Value: 0, Sample: 10}, "f": {Value: 0, Sample: 10}, "p": {Value: 0, Sample: 10}}}
	}
	t.Run("hold", func(t *testing.T) {
		m := start(t, p)
		d := m.run(10, errs)
		if d.Action != ActionHold || m.now.Sub(epoch) != 5*time.Minute {
			t.Fatalf("want hold after 5 errors (limit 4), got %+v at %v", d, m.now.Sub(epoch))
		}
		if !strings.Contains(d.Reasons[0].Message, "provider error: timeout; 5 consecutive missing measurements > limit 4") {
			t.Fatalf("reason %v", d.Reasons)
		}
		// A resume clears the error streak; healthy data then advance.
		_, s, err := Apply(p, m.s, ManualAction{Kind: Resume, Actor: "oncall"}, m.now)
		if err != nil {
			t.Fatal(err)
		}
		m.s = s
		if d := m.run(3, good); d.Action != ActionAdvance {
			t.Fatalf("after resume: %+v", d)
		}
	})
	t.Run("fail", func(t *testing.T) {
		m := start(t, p)
		m.run(3, good)
		d := m.run(10, errs)
		if d.Action != ActionRollBack || d.Reasons[0].Gate != "fail" {
			t.Fatalf("want rollback by gate fail, got %+v", d)
		}
	})
	t.Run("pass", func(t *testing.T) {
		m := start(t, p)
		m.run(3, good)
		m.run(3, good)
		if m.s.Stage != 2 {
			t.Fatalf("stage = %d", m.s.Stage)
		}
		// Errors before any data: never a pass.
		if d := m.run(10, errs); d.Action != ActionWait || m.s.Stage != 2 {
			t.Fatalf("errors only: %+v", d)
		}
		// One good measurement, then errors: passes on the evidence it has.
		m.run(1, good)
		if m.s.Stage != 3 {
			t.Fatalf("stage = %d after good data", m.s.Stage)
		}
	})
}

func TestDecideIsPure(t *testing.T) {
	p := loadPlan(t, "canary.yaml")
	m := start(t, p)
	m.run(3, func(int) Observations { return healthy(100) })
	before, _ := json.Marshal(m.s)
	obs := healthy(100)
	now := m.now.Add(time.Minute)
	d1, s1, err := Decide(p, m.s, obs, now)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := json.Marshal(m.s)
	if string(before) != string(after) {
		t.Fatal("Decide modified its input state")
	}
	d2, s2, _ := Decide(p, m.s, obs, now)
	if diff := cmp.Diff(d1, d2); diff != "" {
		t.Fatalf("same inputs, different decisions:\n%s", diff)
	}
	if diff := cmp.Diff(s1, s2); diff != "" {
		t.Fatalf("same inputs, different states:\n%s", diff)
	}
	// The state survives a JSON round trip and decides identically.
	var back State
	if err := json.Unmarshal(before, &back); err != nil {
		t.Fatal(err)
	}
	d3, _, _ := Decide(p, back, obs, now)
	if diff := cmp.Diff(d1, d3); diff != "" {
		t.Fatalf("decision differs after state round trip:\n%s", diff)
	}
}

func TestDecideBadInput(t *testing.T) {
	p := loadPlan(t, "canary.yaml")
	m := start(t, p)
	tests := []struct {
		name string
		obs  Observations
		want error
	}{
		{"NaN", Observations{Metrics: map[string]Measurement{"http_error_ratio": {Value: math.NaN(), Sample: 10}}}, ErrInvalidObservation},
		{"Inf", Observations{Metrics: map[string]Measurement{"http_error_ratio": {Value: math.Inf(1), Sample: 10}}}, ErrInvalidObservation},
		{"negative sample", Observations{Metrics: map[string]Measurement{"http_error_ratio": {Value: 0, Sample: -1}}}, ErrInvalidObservation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, s, err := Decide(p, m.s, tt.obs, m.now.Add(time.Minute))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if d.Action != ActionWait || len(d.Reasons) != 0 {
				t.Fatalf("decision on error: %+v", d)
			}
			if s.Gates[0].Successes != m.s.Gates[0].Successes {
				t.Fatal("state changed on error")
			}
		})
	}
	t.Run("foreign state", func(t *testing.T) {
		_, _, err := Decide(p, State{Plan: "other"}, Observations{}, epoch)
		if !errors.Is(err, ErrStateMismatch) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("stage out of range", func(t *testing.T) {
		_, _, err := Decide(p, State{Phase: Progressing, Stage: 7}, Observations{}, epoch)
		if !errors.Is(err, ErrStateMismatch) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("nil plan", func(t *testing.T) {
		if _, _, err := Decide(nil, State{}, Observations{}, epoch); err == nil {
			t.Fatal("nil plan accepted")
		}
	})
}

func TestManualActions(t *testing.T) {
	p := loadPlan(t, "canary.yaml")
	m := start(t, p)
	d, s, err := Apply(p, m.s, ManualAction{Kind: Pause, Actor: "bob"}, m.now)
	if err != nil || d.Action != ActionHold || s.Phase != Paused {
		t.Fatalf("pause: %+v %+v %v", d, s, err)
	}
	m.s = s
	// Paused: healthy data still hold...
	if d := m.run(1, func(int) Observations { return healthy(1000) }); d.Action != ActionHold || !strings.Contains(d.Reasons[0].Message, "paused: by bob") {
		t.Fatalf("paused: %+v", d)
	}
	// ...but a failing gate still rolls back.
	bad := healthy(1000)
	bad.Metrics["http_error_ratio"] = Measurement{Value: 0.5, Sample: 1000}
	for range 2 {
		m.now = m.now.Add(time.Minute)
		d = m.decide(bad)
	}
	if d.Action != ActionRollBack {
		t.Fatalf("paused with failure: %+v", d)
	}
	if _, _, err := Apply(p, m.s, ManualAction{Kind: Resume, Actor: "bob"}, m.now); !errors.Is(err, ErrInvalidAction) {
		t.Fatalf("resume after rollback: %v", err)
	}
	if _, _, err := Apply(p, State{}, ManualAction{Kind: Abort}, m.now); !errors.Is(err, ErrInvalidAction) {
		t.Fatalf("action without actor: %v", err)
	}
	m2 := start(t, p)
	d, s, err = Apply(p, m2.s, ManualAction{Kind: Abort, Actor: "carol", Comment: "wrong build"}, m2.now)
	if err != nil || d.Action != ActionRollBack || s.Phase != RolledBack || d.Reasons[0].Message != "abort by carol: wrong build" {
		t.Fatalf("abort: %+v %+v %v", d, s, err)
	}
}

func TestEnumStrings(t *testing.T) {
	if got := Action(42).String(); got != "Action(42)" {
		t.Errorf("Action(42) = %q", got)
	}
	if got := ActionNeedsApproval.String(); got != "needs-approval" {
		t.Errorf("got %q", got)
	}
	var a Action
	if err := a.UnmarshalText([]byte("rollback")); err != nil || a != ActionRollBack {
		t.Errorf("UnmarshalText: %v %v", a, err)
	}
	if err := a.UnmarshalText([]byte("explode")); err == nil {
		t.Error("unknown action accepted")
	}
	if _, err := Phase(-1).MarshalText(); err == nil {
		t.Error("invalid phase marshalled")
	}
}
