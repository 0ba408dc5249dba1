package rollout

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// limitsPlan is a one-gate, two-stage plan for checking gate limits at their
// exact counts.
func limitsPlan(t *testing.T, g GateSpec, st StageSpec) *Plan {
	t.Helper()
	g.Name = "err"
	if g.Threshold == nil && g.Comparison == nil && g.Sequential == nil {
		g.Threshold = &ThresholdSpec{Metric: "errors", Max: Bound(0.01)}
	}
	st.Name, st.Gates = "canary", []string{"err"}
	if st.Exposure.Percent == 0 {
		st.Exposure = Percent(10)
	}
	p, err := Compile(PlanSpec{Name: "p", Gates: []GateSpec{g}, Stages: []StageSpec{st, {Name: "all", Exposure: Percent(100)}}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func begin(t *testing.T, p *Plan) State {
	t.Helper()
	d, s, err := Decide(p, State{ID: "r"}, Observations{}, epoch)
	if err != nil || d.Action != ActionAdvance {
		t.Fatalf("start: %v %+v", err, d)
	}
	return s
}

var (
	good    = Observations{Metrics: map[string]Measurement{"errors": {Value: 0.001, Sample: 1000}}}
	bad     = Observations{Metrics: map[string]Measurement{"errors": {Value: 0.5, Sample: 1000}}}
	errored = Observations{Errors: map[string]string{"errors": "timeout"},
		Metrics: map[string]Measurement{"errors": {Value: 0.001, Sample: 1000}}}
	absent = Observations{}
	empty  = Observations{Metrics: map[string]Measurement{"errors": {Value: 0.5, Sample: 0}}}
)

// steps feeds obs one interval apart and returns the actions.
func steps(t *testing.T, p *Plan, s State, obs ...Observations) []Action {
	t.Helper()
	var out []Action
	now := epoch
	for _, o := range obs {
		now = now.Add(p.Interval())
		d, ns, err := Decide(p, s, o, now)
		if err != nil {
			t.Fatal(err)
		}
		s = ns
		out = append(out, d.Action)
	}
	return out
}

func TestAuditGateLimitsAtExactCounts(t *testing.T) {
	hour := Duration(time.Hour)
	tests := []struct {
		name string
		g    GateSpec
		obs  []Observations
		want []Action
	}{
		{"failureLimit 0: first failure rolls back", GateSpec{}, []Observations{bad}, []Action{ActionRollBack}},
		{"failureLimit 2: third failure rolls back", GateSpec{FailureLimit: 2},
			[]Observations{bad, bad, good, bad}, []Action{ActionWait, ActionWait, ActionWait, ActionRollBack}},
		{"consecutiveErrorLimit 2: third error holds", GateSpec{ConsecutiveErrorLimit: 2},
			[]Observations{errored, absent, errored}, []Action{ActionWait, ActionWait, ActionHold}},
		{"consecutive errors reset by a measurement", GateSpec{ConsecutiveErrorLimit: 2},
			[]Observations{errored, errored, good, errored, errored}, []Action{ActionWait, ActionWait, ActionWait, ActionWait, ActionWait}},
		{"default consecutive error limit is 4", GateSpec{},
			[]Observations{errored, errored, errored, errored, errored}, []Action{ActionWait, ActionWait, ActionWait, ActionWait, ActionHold}},
		{"inconclusiveLimit 1: second inconclusive holds", GateSpec{InconclusiveLimit: 1},
			[]Observations{empty, empty}, []Action{ActionWait, ActionHold}},
		{"missing fail: an error is a failure", GateSpec{Missing: MissingFail, FailureLimit: 1},
			[]Observations{errored, errored}, []Action{ActionWait, ActionRollBack}},
		{"provider error is never success even with a good value", GateSpec{Missing: MissingPass},
			[]Observations{errored, errored, errored, errored, errored, errored}, []Action{ActionWait, ActionWait, ActionWait, ActionWait, ActionWait, ActionWait}},
		{"no traffic never rolls back", GateSpec{},
			[]Observations{empty, empty, empty, empty, empty, empty}, []Action{ActionWait, ActionWait, ActionWait, ActionWait, ActionWait, ActionWait}},
		{"bad values below min sample are inconclusive", GateSpec{MinSample: 5000},
			[]Observations{bad, bad, bad, bad, bad}, []Action{ActionWait, ActionWait, ActionWait, ActionWait, ActionRollBack}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := limitsPlan(t, tt.g, StageSpec{Bake: hour})
			got := steps(t, p, begin(t, p), tt.obs...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("actions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuditBakeAndDeadlineBoundaries(t *testing.T) {
	bake, dl := 10*time.Minute, 30*time.Minute
	tests := []struct {
		name       string
		onDeadline DeadlineAction
		obs        Observations
		at         time.Duration
		want       Action
	}{
		{"one ns before bake ends", DeadlineHold, good, bake - time.Nanosecond, ActionWait},
		{"exactly at bake", DeadlineHold, good, bake, ActionAdvance},
		{"pending exactly at deadline", DeadlineRollBack, absent, dl, ActionWait},
		{"pending 1ns past deadline, hold", DeadlineHold, empty, dl + time.Nanosecond, ActionHold},
		{"pending 1ns past deadline, rollback", DeadlineRollBack, empty, dl + time.Nanosecond, ActionRollBack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := limitsPlan(t, GateSpec{}, StageSpec{Bake: Duration(bake), ProgressDeadline: Duration(dl), OnDeadline: tt.onDeadline})
			s := begin(t, p)
			// One good measurement at the start, then the gate is not due again.
			d, s, err := Decide(p, s, tt.obs, epoch)
			if err != nil {
				t.Fatal(err)
			}
			d, _, err = Decide(p, s, tt.obs, epoch.Add(tt.at))
			if err != nil {
				t.Fatal(err)
			}
			if d.Action != tt.want {
				t.Fatalf("action = %v, want %v (%v)", d.Action, tt.want, d.Reasons)
			}
		})
	}
}

// TestAuditPureAndRoundTrip decides a rollout twice from the same inputs, and
// once more from a JSON round trip of the state, at each step.
func TestAuditPureAndRoundTrip(t *testing.T) {
	p := loadPlan(t, "full.yaml")
	s := State{ID: "r"}
	// Monotonic clock readings must not change decisions after a round trip.
	base := time.Now()
	now := base
	for i := range 1000 {
		obs := healthy(500)
		obs.Metrics["http_error_ratio"] = Measurement{Value: 0.001, Sample: 5000}
		obs.Checks = map[string]Check{"compatibility": {OK: true}, "on-call-staffed": {OK: true}, "support-quiet": {OK: true}}
		obs.Counts = map[string]Counts{"crashes": {Canary: int64(i % 2), Baseline: int64(i%3) * 20, Requests: 100}}
		obs.Samples = map[string]Samples{}
		for _, m := range []string{"latency_seconds", "cpu_seconds", "throughput", "gc_pause_seconds"} {
			obs.Samples[m] = Samples{Canary: ramp(60, 1, 0.1), Baseline: ramp(60, 1.001, 0.1)}
		}
		sCopy := s.Clone()
		objJSON, _ := json.Marshal(obs)
		d1, s1, err1 := Decide(p, s, obs, now)
		d2, s2, err2 := Decide(p, s, obs, now)
		if diff := cmp.Diff(sCopy, s); diff != "" {
			t.Fatalf("step %d: Decide changed its state argument:\n%s", i, diff)
		}
		if after, _ := json.Marshal(obs); string(after) != string(objJSON) {
			t.Fatalf("step %d: Decide changed its observations", i)
		}
		if (err1 == nil) != (err2 == nil) || !cmp.Equal(d1, d2) || !cmp.Equal(s1, s2) {
			t.Fatalf("step %d: two calls disagree:\n%s", i, cmp.Diff(d1, d2))
		}
		if err1 != nil {
			t.Fatal(err1)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var rs State
		if err := json.Unmarshal(b, &rs); err != nil {
			t.Fatal(err)
		}
		d3, s3, err := Decide(p, rs, obs, now)
		if err != nil {
			t.Fatal(err)
		}
		if d1.Action != d3.Action || !d1.NextEvaluation.Equal(d3.NextEvaluation) || len(d1.Reasons) != len(d3.Reasons) {
			t.Fatalf("step %d: decision after a JSON round trip differs: %v vs %v\n%v\n%v", i, d1.Action, d3.Action, d1.Reasons, d3.Reasons)
		}
		b1, _ := json.Marshal(s1)
		b3, _ := json.Marshal(s3)
		if string(b1) != string(b3) {
			t.Fatalf("step %d: state after a JSON round trip differs:\n%s\n%s", i, b1, b3)
		}
		if d1.Action == ActionNeedsApproval {
			actor := "bob"
			if a := p.Stage(s1.Stage).Approvers; len(a) > 0 {
				actor = a[0]
			}
			ad, as, err := Apply(p, s1, ManualAction{Kind: Approve, Actor: actor}, now)
			if err != nil {
				t.Fatal(err, ad)
			}
			s1 = as
		}
		s = s1
		if s.Phase.Terminal() {
			break
		}
		now = now.Add(time.Minute)
	}
	if s.Phase != Completed {
		t.Fatalf("rollout ended %v at stage %d", s.Phase, s.Stage)
	}
}

func TestAuditHeldPastDeadline(t *testing.T) {
	tests := []struct {
		name       string
		onDeadline DeadlineAction
		at         time.Duration
		want       Action
	}{
		{"held before the deadline", DeadlineRollBack, 30 * time.Minute, ActionHold},
		{"held past the deadline, rollback", DeadlineRollBack, 30*time.Minute + time.Nanosecond, ActionRollBack},
		{"held past the deadline, hold", DeadlineHold, 2 * time.Hour, ActionHold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := limitsPlan(t, GateSpec{ConsecutiveErrorLimit: 1}, StageSpec{Bake: Duration(10 * time.Minute),
				ProgressDeadline: Duration(30 * time.Minute), OnDeadline: tt.onDeadline})
			s := begin(t, p)
			var d Decision
			var err error
			for _, at := range []time.Duration{time.Minute, 2 * time.Minute, tt.at} {
				d, s, err = Decide(p, s, errored, epoch.Add(at))
				if err != nil {
					t.Fatal(err)
				}
			}
			if d.Action != tt.want {
				t.Fatalf("action = %v, want %v (%v)", d.Action, tt.want, d.Reasons)
			}
		})
	}
}

func TestAuditShrinkingExposureAcrossForms(t *testing.T) {
	g := thresholdGate("g", "m", 1)
	tests := []struct {
		name   string
		stages []Exposure
		want   string // "" for a valid plan
	}{
		{"percent, cohort, smaller percent", []Exposure{Percent(50), Cohort("beta"), Percent(10)},
			`stages[2].exposure: 10% is below stage "s0"'s 50%`},
		{"regions, cohort, fewer regions", []Exposure{Regions("eu", "us"), Cohort("beta"), Regions("us")},
			`stages[2].exposure: drops region "eu" of stage "s0"`},
		{"regions, cohort, partial percent", []Exposure{Regions("eu"), Cohort("beta"), Percent(50)},
			"a percentage after a region stage must be 100%"},
		{"percent, cohort, larger percent", []Exposure{Percent(10), Cohort("beta"), Percent(50)}, ""},
		{"growing regions", []Exposure{Regions("eu"), Cohort("beta"), Regions("eu", "us"), Percent(100)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := PlanSpec{Name: "p", Gates: []GateSpec{g}}
			for i, e := range tt.stages {
				spec.Stages = append(spec.Stages, StageSpec{Name: "s" + string(rune('0'+i)), Exposure: e})
			}
			_, err := Compile(spec)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestAuditComparisonEdges(t *testing.T) {
	huge := func(xs []float64) []float64 { return scale(xs, 1e305) }
	tests := []struct {
		name    string
		metrics []ComparisonMetric
		samples map[string]Samples
		errs    map[string]string
		want    outcome
	}{
		{"only the muted metric has data", []ComparisonMetric{{Name: "a"}, {Name: "m", Muted: true}},
			map[string]Samples{"m": {Canary: ramp(20, 1, 1), Baseline: ramp(20, 1, 1)}}, map[string]string{"a": "down"}, missing},
		{"huge magnitudes, canary much higher", []ComparisonMetric{{Name: "a", AllowedIncrease: 1.1}},
			map[string]Samples{"a": {Canary: huge(ramp(20, 100, 1)), Baseline: huge(ramp(20, 1, 1))}}, nil, failure},
		{"huge magnitudes, both sums overflow, ratio beyond allowed", []ComparisonMetric{{Name: "a", AllowedIncrease: 1.1}},
			map[string]Samples{"a": {Canary: huge(ramp(30, 120, 0.1)), Baseline: huge(ramp(30, 100, 0.1))}}, nil, failure},
		{"huge magnitudes, both sums overflow, ratio allowed", []ComparisonMetric{{Name: "a", AllowedIncrease: 1.5}},
			map[string]Samples{"a": {Canary: huge(ramp(30, 120, 0.1)), Baseline: huge(ramp(30, 100, 0.1))}}, nil, success},
		{"huge magnitudes, same", []ComparisonMetric{{Name: "a", AllowedIncrease: 1.1}},
			map[string]Samples{"a": {Canary: huge(ramp(20, 1, 1)), Baseline: huge(ramp(20, 1, 1))}}, nil, success},
		{"canary higher but within allowed ratio", []ComparisonMetric{{Name: "a", AllowedIncrease: 1.5}},
			map[string]Samples{"a": {Canary: ramp(30, 120, 0.1), Baseline: ramp(30, 100, 0.1)}}, nil, success},
		{"canary higher beyond allowed ratio", []ComparisonMetric{{Name: "a", AllowedIncrease: 1.1}},
			map[string]Samples{"a": {Canary: ramp(30, 120, 0.1), Baseline: ramp(30, 100, 0.1)}}, nil, failure},
		{"canary lower, direction increase", []ComparisonMetric{{Name: "a"}},
			map[string]Samples{"a": {Canary: ramp(30, 50, 0.1), Baseline: ramp(30, 100, 0.1)}}, nil, success},
		{"canary lower, direction decrease", []ComparisonMetric{{Name: "a", Direction: Decrease}},
			map[string]Samples{"a": {Canary: ramp(30, 50, 0.1), Baseline: ramp(30, 100, 0.1)}}, nil, failure},
		{"critical metric missing does not hide a failing score", []ComparisonMetric{{Name: "lat", Critical: true, Group: "l"}, {Name: "cpu", Group: "c"}},
			map[string]Samples{"cpu": {Canary: ramp(30, 200, 0.1), Baseline: ramp(30, 100, 0.1)}}, nil, failure},
		{"critical metric missing with a passing score is missing", []ComparisonMetric{{Name: "lat", Critical: true, Group: "l"}, {Name: "cpu", Group: "c"}},
			map[string]Samples{"cpu": {Canary: ramp(30, 100, 0.1), Baseline: ramp(30, 100, 0.1)}}, nil, missing},
		{"critical metric with too few samples does not hide a failing score", []ComparisonMetric{{Name: "lat", Critical: true, Group: "l"}, {Name: "cpu", Group: "c"}},
			map[string]Samples{"lat": {Canary: ramp(3, 1, 1), Baseline: ramp(3, 1, 1)}, "cpu": {Canary: ramp(30, 200, 0.1), Baseline: ramp(30, 100, 0.1)}}, nil, failure},
		{"all ties", []ComparisonMetric{{Name: "a"}},
			map[string]Samples{"a": {Canary: scale(ramp(30, 1, 0), 1), Baseline: ramp(30, 1, 0)}}, nil, success},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v validator
			g := compiledGate{minSample: DefaultComparisonMinSample, cmp: compileComparison(&v, "c", &ComparisonSpec{Metrics: tt.metrics})}
			if err := v.err(); err != nil {
				t.Fatal(err)
			}
			o, r, err := g.measureComparison(Observations{Samples: tt.samples, Errors: tt.errs})
			if err != nil {
				t.Fatal(err)
			}
			if o != tt.want {
				t.Fatalf("outcome = %d, want %d (%+v)", o, tt.want, r)
			}
		})
	}
}

func TestAuditManualActions(t *testing.T) {
	p := limitsPlan(t, GateSpec{}, StageSpec{Bake: Duration(10 * time.Minute), ProgressDeadline: Duration(30 * time.Minute),
		OnDeadline: DeadlineRollBack, Approval: true, Approvers: []string{"alice"}})
	notStarted := State{ID: "r"}
	started := begin(t, p)
	paused, _ := mustApply(t, p, started, Pause, "bob")
	ended, _ := mustApply(t, p, started, Abort, "bob")
	tests := []struct {
		name  string
		s     State
		kind  ManualKind
		actor string
		want  Action
		phase Phase
		err   bool
	}{
		{"approve by an approver", started, Approve, "alice", ActionWait, Progressing, false},
		{"approve by someone else", started, Approve, "mallory", 0, 0, true},
		{"approve before the start", notStarted, Approve, "alice", 0, 0, true},
		{"pause before the start", notStarted, Pause, "bob", 0, 0, true},
		{"pause twice", paused, Pause, "bob", 0, 0, true},
		{"resume a paused rollout", paused, Resume, "bob", ActionWait, Progressing, false},
		{"abort before the start", notStarted, Abort, "bob", ActionRollBack, RolledBack, false},
		{"abort a paused rollout", paused, Abort, "bob", ActionRollBack, RolledBack, false},
		{"resume an ended rollout", ended, Resume, "bob", 0, 0, true},
		{"abort an ended rollout", ended, Abort, "bob", 0, 0, true},
		{"unknown kind", started, ManualKind(9), "bob", 0, 0, true},
		{"no actor", started, Abort, "", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.s.Clone()
			d, s, err := Apply(p, tt.s, ManualAction{Kind: tt.kind, Actor: tt.actor}, epoch.Add(time.Minute))
			if diff := cmp.Diff(in, tt.s); diff != "" {
				t.Fatalf("Apply changed its state argument:\n%s", diff)
			}
			if tt.err {
				if !errors.Is(err, ErrInvalidAction) {
					t.Fatalf("err = %v, want ErrInvalidAction", err)
				}
				return
			}
			if err != nil || d.Action != tt.want || s.Phase != tt.phase || d.Actor != tt.actor {
				t.Fatalf("got %v %v %v (%+v)", d.Action, s.Phase, err, d)
			}
		})
	}
}

func mustApply(t *testing.T, p *Plan, s State, k ManualKind, actor string) (State, Decision) {
	t.Helper()
	d, s, err := Apply(p, s, ManualAction{Kind: k, Actor: actor}, epoch.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	return s, d
}

// TestAuditLateApprovalKeepsDeadline: time spent waiting for a person does not
// count against the stage's progress deadline.
func TestAuditLateApproval(t *testing.T) {
	p := limitsPlan(t, GateSpec{}, StageSpec{Bake: Duration(10 * time.Minute), ProgressDeadline: Duration(30 * time.Minute),
		OnDeadline: DeadlineRollBack, Approval: true})
	s := begin(t, p)
	decide := func(o Observations, at time.Duration) Decision {
		t.Helper()
		d, ns, err := Decide(p, s, o, epoch.Add(at))
		if err != nil {
			t.Fatal(err)
		}
		s = ns
		return d
	}
	decide(good, time.Minute)
	if d := decide(good, 10*time.Minute); d.Action != ActionNeedsApproval {
		t.Fatalf("healthy stage: %v %v", d.Action, d.Reasons)
	}
	// The approver comes back two hours later; the next measurement happens
	// to be a provider error, which is missing data, not a missed deadline.
	d, ns, err := Apply(p, s, ManualAction{Kind: Approve, Actor: "alice"}, epoch.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err, d)
	}
	s = ns
	if d := decide(errored, 2*time.Hour+time.Second); d.Action != ActionWait {
		t.Fatalf("after a late approval: %v %v", d.Action, d.Reasons)
	}
	if d := decide(good, 2*time.Hour+2*time.Minute); d.Action != ActionAdvance {
		t.Fatalf("after a late approval and a good measurement: %v %v", d.Action, d.Reasons)
	}
}

// TestAuditBlueGreenWindowNotCutShort: early promotion by a sequential gate
// must not shorten the blue-green rollback window.
func TestAuditBlueGreenWindowNotCutShort(t *testing.T) {
	p, err := Compile(PlanSpec{Name: "bg", Strategy: BlueGreen, RollbackWindow: Duration(time.Hour),
		Gates: []GateSpec{{Name: "crashes", Sequential: &SequentialSpec{Metric: "crashes", CanaryShare: 0.5, PromoteAfter: 10}}},
		Stages: []StageSpec{{Name: "verify", Exposure: Percent(0)},
			{Name: "switch", Exposure: Percent(100), Gates: []string{"crashes"}}}})
	if err != nil {
		t.Fatal(err)
	}
	s := begin(t, p)
	d, s, err := Decide(p, s, Observations{}, epoch.Add(time.Minute))
	if err != nil || d.Action != ActionAdvance || d.Exposure.Percent != 100 {
		t.Fatalf("switch: %v %+v", err, d)
	}
	switched := epoch.Add(time.Minute)
	for i := 1; ; i++ {
		now := switched.Add(time.Duration(i) * time.Minute)
		d, s, err = Decide(p, s, Observations{Counts: map[string]Counts{"crashes": {Canary: 0, Baseline: 50}}}, now)
		if err != nil {
			t.Fatal(err)
		}
		if d.Action != ActionWait {
			if d.Action != ActionComplete || now.Sub(switched) != time.Hour {
				t.Fatalf("%v after %v of a 1h rollback window (%v)", d.Action, now.Sub(switched), d.Reasons)
			}
			return
		}
	}
}

func TestAuditNegativeDurations(t *testing.T) {
	neg := Duration(-time.Minute)
	g := thresholdGate("g", "m", 1)
	gNeg := g
	gNeg.Interval = neg
	stage := func(s StageSpec) []StageSpec {
		s.Name, s.Exposure = "s", Percent(10)
		return []StageSpec{s}
	}
	tests := []struct {
		name string
		spec PlanSpec
		want string
	}{
		{"plan interval", PlanSpec{Name: "a", Interval: neg, Stages: stage(StageSpec{})}, "rollout: interval: -1m0s must not be negative"},
		{"gate interval", PlanSpec{Name: "a", Gates: []GateSpec{gNeg}, Stages: stage(StageSpec{Gates: []string{"g"}})}, "gates[0].interval: -1m0s must not be negative"},
		{"bake", PlanSpec{Name: "a", Stages: stage(StageSpec{Bake: neg})}, "stages[0].bake: -1m0s must not be negative"},
		{"progress deadline", PlanSpec{Name: "a", Stages: stage(StageSpec{ProgressDeadline: neg})}, "stages[0].progressDeadline: -1m0s must not be negative"},
		{"rollback window", PlanSpec{Name: "a", Strategy: BlueGreen, RollbackWindow: neg,
			Stages: []StageSpec{{Name: "v", Exposure: Percent(0)}, {Name: "s", Exposure: Percent(100)}}}, "rollbackWindow: -1m0s must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.spec)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			var pe *PlanError
			if !errors.As(err, &pe) {
				t.Fatalf("err %T is not a *PlanError", err)
			}
		})
	}
}

// TestAuditSequentialResetsPerStage: a sequential gate's counts belong to one
// exposure; the next stage starts from zero.
func TestAuditSequentialResetsPerStage(t *testing.T) {
	p, err := Compile(PlanSpec{Name: "seq", Gates: []GateSpec{{Name: "crashes", Sequential: &SequentialSpec{Metric: "crashes"}}},
		Stages: []StageSpec{
			{Name: "ten", Exposure: Percent(10), Bake: Duration(10 * time.Minute), Gates: []string{"crashes"}},
			{Name: "half", Exposure: Percent(50), Bake: Duration(10 * time.Minute), Gates: []string{"crashes"}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	s := begin(t, p)
	obs := Observations{Counts: map[string]Counts{"crashes": {Canary: 1, Baseline: 9, Requests: 10}}}
	var d Decision
	for i := 1; i <= 10; i++ {
		if d, s, err = Decide(p, s, obs, epoch.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if d.Action != ActionAdvance || s.Stage != 1 {
		t.Fatalf("want advance to half, got %v %v", d.Action, d.Reasons)
	}
	if g := s.Gates[0]; g.Canary != 0 || g.Baseline != 0 || g.Sample != 0 || g.Successes != 0 {
		t.Fatalf("gate state carried into the next stage: %+v", g)
	}
}

// TestAuditSummarizeOrderFree: records in any order give the same summary.
func TestAuditSummarizeOrderFree(t *testing.T) {
	want := Summarize(testLog(), "region")
	recs := testLog()
	for i := range 20 {
		// A fixed permutation per round: reverse, then rotate.
		shuffled := make([]Record, len(recs))
		for j := range recs {
			shuffled[j] = recs[(len(recs)-1-j+i)%len(recs)]
		}
		if diff := cmp.Diff(want, Summarize(shuffled, "region")); diff != "" {
			t.Fatalf("round %d: summary depends on record order (-want +got):\n%s", i, diff)
		}
	}
}

// TestAuditSummarizeSameInstant: a rollback that takes effect at the instant
// it is decided (actuation record with the same time) is resolved whatever
// the order of the two records.
func TestAuditSummarizeSameInstant(t *testing.T) {
	m := time.Minute
	start := rec("r", "eu", 0, KindDecision, ActionAdvance, "")
	decided := rec("r", "eu", 30*m, KindDecision, ActionRollBack, "errors")
	took := rec("r", "eu", 30*m, KindActuation, ActionRollBack, "")
	for _, order := range [][]Record{{start, decided, took}, {start, took, decided}, {took, decided, start}} {
		got := Summarize(order, "")
		if len(got) != 1 || got[0].Detections != 1 || got[0].MTTD != 30*m || got[0].MTTR != 0 || got[0].RolledBack != 1 {
			t.Fatalf("%v: %+v", []RecordKind{order[0].Kind, order[1].Kind, order[2].Kind}, got)
		}
		// MTTR over resolved rollouts only: check the rollout counts as resolved
		// by adding a second rollout resolved after 10m.
		more := append(slices.Clone(order),
			rec("q", "eu", 0, KindDecision, ActionAdvance, ""),
			rec("q", "eu", 5*m, KindDecision, ActionRollBack, "errors"),
			rec("q", "eu", 15*m, KindActuation, ActionRollBack, ""))
		if got := Summarize(more, ""); got[0].MTTR != 5*m {
			t.Fatalf("MTTR = %v, want the mean of 0 and 10m", got[0].MTTR)
		}
	}
}

// TestAuditBadObservationsAnywhere: bad values are errors even when no due
// gate reads them, and the error names the same entry every time.
func TestAuditBadObservationsAnywhere(t *testing.T) {
	p := limitsPlan(t, GateSpec{}, StageSpec{Bake: Duration(time.Hour)})
	s := begin(t, p)
	nan := math.NaN()
	tests := []struct {
		name string
		obs  Observations
		want string
	}{
		{"NaN in an unread metric", Observations{Metrics: map[string]Measurement{"other": {Value: nan, Sample: 1}}}, `metrics["other"]`},
		{"negative sample", Observations{Metrics: map[string]Measurement{"other": {Value: 1, Sample: -1}}}, "negative sample"},
		{"Inf in samples", Observations{Samples: map[string]Samples{"lat": {Canary: []float64{math.Inf(1)}}}}, `samples["lat"]`},
		{"negative counts", Observations{Counts: map[string]Counts{"crashes": {Baseline: -2}}}, `counts["crashes"]`},
		{"several bad: the first by name", Observations{Metrics: map[string]Measurement{
			"b": {Value: nan}, "a": {Value: nan}, "c": {Value: nan}, "d": {Value: nan}, "e": {Value: nan}}}, `metrics["a"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 20 {
				_, got, err := Decide(p, s, tt.obs, epoch.Add(time.Minute))
				if !errors.Is(err, ErrInvalidObservation) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want ErrInvalidObservation naming %s", err, tt.want)
				}
				if !cmp.Equal(got, s) {
					t.Fatal("state changed on error")
				}
			}
		})
	}
}

func TestAuditCorruptState(t *testing.T) {
	p := limitsPlan(t, GateSpec{}, StageSpec{Bake: Duration(time.Hour)})
	s := begin(t, p)
	for _, tt := range []struct {
		name string
		edit func(*State)
	}{
		{"negative sample", func(s *State) { s.Gates[0].Sample = -1 }},
		{"negative canary count", func(s *State) { s.Gates[0].Canary = -1 }},
		{"negative failures", func(s *State) { s.Gates[0].Failures = -3 }},
		{"stage out of range", func(s *State) { s.Stage = 7 }},
		{"unknown phase", func(s *State) { s.Phase = Phase(42) }},
		{"another plan", func(s *State) { s.Plan = "other" }},
		{"gates changed", func(s *State) { s.Gates = nil }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := s.Clone()
			tt.edit(&bad)
			if _, _, err := Decide(p, bad, good, epoch.Add(time.Minute)); !errors.Is(err, ErrStateMismatch) {
				t.Fatalf("Decide: err = %v, want ErrStateMismatch", err)
			}
			if _, _, err := Apply(p, bad, ManualAction{Kind: Pause, Actor: "a"}, epoch.Add(time.Minute)); !errors.Is(err, ErrStateMismatch) {
				t.Fatalf("Apply: err = %v, want ErrStateMismatch", err)
			}
		})
	}
}

func TestAuditBlueGreenDeadlineShorterThanWindow(t *testing.T) {
	spec := PlanSpec{Name: "bg", Strategy: BlueGreen, RollbackWindow: Duration(2 * time.Hour),
		Stages: []StageSpec{{Name: "verify", Exposure: Percent(0)},
			{Name: "switch", Exposure: Percent(100), ProgressDeadline: Duration(30 * time.Minute)}}}
	_, err := Compile(spec)
	if err == nil || !strings.Contains(err.Error(), "stages[1].progressDeadline: 30m0s is shorter than the rollback window 2h0m0s") {
		t.Fatalf("err = %v", err)
	}
	spec.Stages[1].ProgressDeadline = Duration(3 * time.Hour)
	if _, err := Compile(spec); err != nil {
		t.Fatal(err)
	}
}
