package rehearse

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glidepath/glidepath/rollout"
)

func plan(t testing.TB) *rollout.Plan {
	t.Helper()
	data, err := os.ReadFile("testdata/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := rollout.ParsePlan(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var metrics = Metrics{ErrorRatio: "error_ratio", Errors: "errors", Latency: "latency"}

func seeds() int {
	if testing.Short() {
		return 40
	}
	return 150
}

func TestRehearseScenarios(t *testing.T) {
	p := plan(t)
	tests := []struct {
		sc    Scenario
		check func(t *testing.T, r Report)
	}{
		{Scenario{Name: "healthy", Metrics: metrics}, func(t *testing.T, r Report) {
			if r.FalseRollbackRate > 0.10 {
				t.Errorf("false rollback rate %.2f > 0.10", r.FalseRollbackRate)
			}
			if r.Completed+r.FalseRollbacks != len(r.Runs) {
				t.Errorf("healthy runs neither completed nor rolled back: %+v", r.Held)
			}
			// Four stages of 20 minutes: a clean rollout takes 80 minutes.
			if r.MedianCompletion != 80*time.Minute {
				t.Errorf("median completion %v, want 80m", r.MedianCompletion)
			}
		}},
		{Scenario{Name: "error burst", Metrics: metrics, Faults: []Fault{{Kind: ErrorBurst, Start: 10 * time.Minute, Factor: 10}}},
			func(t *testing.T, r Report) {
				if r.DetectionRate < 0.95 {
					t.Errorf("detection rate %.2f < 0.95", r.DetectionRate)
				}
				if r.MedianDetection > 10*time.Minute {
					t.Errorf("median detection %v > 10m", r.MedianDetection)
				}
			}},
		{Scenario{Name: "latency shift", Metrics: metrics, Faults: []Fault{{Kind: LatencyShift, Start: 25 * time.Minute, Factor: 1.6}}},
			func(t *testing.T, r Report) {
				if r.DetectionRate < 0.90 {
					t.Errorf("detection rate %.2f < 0.90", r.DetectionRate)
				}
				if r.Completed > 0 && r.Completed > r.Runs[0].Outcome.count(r) {
					t.Errorf("completed %d", r.Completed)
				}
			}},
		{Scenario{Name: "metric outage", Metrics: metrics, Faults: []Fault{{Kind: SourceOutage, Start: 30 * time.Minute, Duration: 10 * time.Minute}}},
			func(t *testing.T, r Report) {
				// An outage never rolls back by itself; only the usual false
				// rollbacks of a healthy version remain.
				for _, run := range r.Runs {
					if run.Outcome == RolledBack && run.End >= 30*time.Minute && run.End < 40*time.Minute {
						t.Errorf("seed %d rolled back during the outage: %v", run.Seed, run.Reasons)
					}
				}
				if r.Held == 0 {
					t.Error("a 10 minute outage should hold some rollouts (4 missing measurements in a row)")
				}
			}},
		{Scenario{Name: "no traffic", Metrics: metrics, Faults: []Fault{{Kind: NoTraffic, Start: 5 * time.Minute, Duration: 30 * time.Minute}},
			ResumeAfter: 15 * time.Minute},
			func(t *testing.T, r Report) {
				for _, run := range r.Runs {
					if run.Outcome == RolledBack && run.End >= 5*time.Minute && run.End < 35*time.Minute {
						t.Errorf("seed %d rolled back for lack of traffic: %v", run.Seed, run.Reasons)
					}
				}
				if r.Completed == 0 {
					t.Error("no rollout completed after the traffic came back")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.sc.Name, func(t *testing.T) {
			r, err := Rehearse(p, tt.sc, 1, seeds())
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: completed %d, rolled back %d (false %d), held %d, timed out %d; detection rate %.2f, median %v, p90 %v; median completion %v",
				r.Scenario, r.Completed, r.RolledBack, r.FalseRollbacks, r.Held, r.TimedOut, r.DetectionRate, r.MedianDetection, r.P90Detection, r.MedianCompletion)
			tt.check(t, r)
		})
	}
}

func (o Outcome) count(r Report) int {
	n := 0
	for _, run := range r.Runs {
		if run.Outcome == o {
			n++
		}
	}
	return n
}

func TestRunOneIsDeterministic(t *testing.T) {
	p := plan(t)
	sc := Scenario{Name: "burst", Metrics: metrics, Faults: []Fault{{Kind: ErrorBurst, Start: 15 * time.Minute, Factor: 4}}}
	for seed := uint64(1); seed <= 5; seed++ {
		a, err := RunOne(p, sc, seed)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := RunOne(p, sc, seed)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("seed %d differs:\n%s", seed, diff)
		}
	}
	a, _ := RunOne(p, sc, 1)
	b, _ := RunOne(p, sc, 2)
	if cmp.Equal(a.Log, b.Log) && cmp.Equal(a.Reasons, b.Reasons) && a.End == b.End {
		t.Fatal("different seeds gave identical runs")
	}
}

func TestRehearseRollbackHasReasons(t *testing.T) {
	p := plan(t)
	run, err := RunOne(p, Scenario{Name: "burst", Metrics: metrics, Faults: []Fault{{Kind: ErrorBurst, Start: 0, Factor: 20}}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if run.Outcome != RolledBack || !run.Detected || len(run.Reasons) == 0 || run.Reasons[0].Gate == "" {
		t.Fatalf("run %+v", run)
	}
	last := run.Log[len(run.Log)-1]
	if last.Action != rollout.ActionRollBack || last.Labels["team"] != "platform" {
		t.Fatalf("last record %+v", last)
	}
	// The log feeds the metrics.
	s := rollout.Summarize(run.Log, "team")
	if len(s) != 1 || s[0].RolledBack != 1 || s[0].Detections != 1 {
		t.Fatalf("summary %+v", s)
	}
}

func TestRehearseFailingReadiness(t *testing.T) {
	run, err := RunOne(plan(t), Scenario{Name: "not ready", Metrics: metrics, FailingChecks: []string{"backups-verified"}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if run.Outcome != Held || run.End != 0 {
		t.Fatalf("run %+v", run)
	}
}

func TestScenarioValidation(t *testing.T) {
	p := plan(t)
	bad := []Scenario{
		{Name: "nan", Traffic: Traffic{ErrorRate: nan()}},
		{Name: "rate", Traffic: Traffic{ErrorRate: 2}},
		{Name: "requests", Traffic: Traffic{Requests: -1}},
		{Name: "factor", Faults: []Fault{{Kind: ErrorBurst}}},
		{Name: "kind", Faults: []Fault{{Kind: FaultKind(9)}}},
		{Name: "start", Faults: []Fault{{Kind: NoTraffic, Start: -time.Minute}}},
	}
	for _, sc := range bad {
		t.Run(sc.Name, func(t *testing.T) {
			if _, err := RunOne(p, sc, 1); err == nil {
				t.Fatal("invalid scenario accepted")
			}
		})
	}
	if _, err := Rehearse(p, Scenario{}, 1, 0); err == nil {
		t.Fatal("zero seeds accepted")
	}
	if _, err := RunOne(nil, Scenario{}, 1); err == nil {
		t.Fatal("nil plan accepted")
	}
}

func BenchmarkRunOne(b *testing.B) {
	p := plan(b)
	sc := Scenario{Name: "healthy", Metrics: metrics}
	b.ReportAllocs()
	seed := uint64(0)
	for b.Loop() {
		seed++
		if _, err := RunOne(p, sc, seed); err != nil {
			b.Fatal(err)
		}
	}
}

func TestScenarioStartDatesTheRun(t *testing.T) {
	p := plan(t)
	sc := Scenario{Name: "dated", Metrics: metrics, Faults: []Fault{{Kind: ErrorBurst, Start: 15 * time.Minute, Factor: 4}}}
	base, err := RunOne(p, sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		start time.Time
		want  time.Time
	}{
		{"zero means the default", time.Time{}, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)},
		{"explicit instant", time.Date(2027, 1, 4, 22, 0, 0, 0, time.UTC), time.Date(2027, 1, 4, 22, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := sc
			sc.Start = tc.start
			run, err := RunOne(p, sc, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(run.Log) == 0 || len(run.Log) != len(base.Log) {
				t.Fatalf("log has %d records, want %d (>0)", len(run.Log), len(base.Log))
			}
			offset := tc.want.Sub(base.Log[0].Time)
			// Same seed, same decisions: only the wall-clock times move.
			for i, r := range run.Log {
				if want := base.Log[i].Time.Add(offset); !r.Time.Equal(want) {
					t.Errorf("record %d at %v, want %v", i, r.Time, want)
				}
				if r.Action != base.Log[i].Action || r.Stage != base.Log[i].Stage {
					t.Errorf("record %d is %v at stage %d, want %v at stage %d", i, r.Action, r.Stage, base.Log[i].Action, base.Log[i].Stage)
				}
			}
			if run.End != base.End || run.Outcome != base.Outcome {
				t.Errorf("run ended %v %v, want %v %v", run.Outcome, run.End, base.Outcome, base.End)
			}
		})
	}
}

func TestActuationDelayLogsActuations(t *testing.T) {
	p := plan(t)
	sc := Scenario{Name: "burst", Metrics: metrics, Faults: []Fault{{Kind: ErrorBurst, Start: 15 * time.Minute, Factor: 8}}}
	plain, err := RunOne(p, sc, 3)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Outcome != RolledBack {
		t.Fatalf("outcome %v, want a rollback to measure", plain.Outcome)
	}
	for _, r := range plain.Log {
		if r.Kind == rollout.KindActuation {
			t.Fatalf("actuation record without ActuationDelay: %+v", r)
		}
	}
	const delay = 90 * time.Second
	sc.ActuationDelay = delay
	run, err := RunOne(p, sc, 3)
	if err != nil {
		t.Fatal(err)
	}
	var decisions []rollout.Record
	for i, r := range run.Log {
		if r.Kind == rollout.KindActuation {
			prev := run.Log[i-1]
			if prev.Kind != rollout.KindDecision || prev.Action != r.Action || !r.Time.Equal(prev.Time.Add(delay)) {
				t.Errorf("actuation %d (%v at %v) does not follow its decision (%v %v at %v) by %v", i, r.Action, r.Time, prev.Kind, prev.Action, prev.Time, delay)
			}
			continue
		}
		decisions = append(decisions, r)
		if want := r.Action == rollout.ActionAdvance || r.Action == rollout.ActionRollBack || r.Action == rollout.ActionComplete; want && (i+1 >= len(run.Log) || run.Log[i+1].Kind != rollout.KindActuation) {
			t.Errorf("decision %d (%v) has no actuation record", i, r.Action)
		}
	}
	if diff := cmp.Diff(plain.Log, decisions); diff != "" {
		t.Errorf("decisions changed with ActuationDelay:\n%s", diff)
	}
	sums := rollout.Summarize(run.Log, "")
	if len(sums) != 1 || sums[0].MTTR != delay || sums[0].RolledBack != 1 {
		t.Errorf("Summarize = %+v, want one rollback resolved in %v", sums, delay)
	}
	if got := rollout.Summarize(plain.Log, "")[0].MTTR; got != 0 {
		t.Errorf("without actuations MTTR = %v, want 0 (resolved by the rollback decision)", got)
	}
}

func TestScenarioErrorIsDeterministic(t *testing.T) {
	p := plan(t)
	sc := Scenario{Name: "bad", Traffic: Traffic{ErrorRate: math.NaN(), LatencySigma: -1, CohortShare: math.Inf(1)}}
	_, first := RunOne(p, sc, 1)
	if first == nil {
		t.Fatal("invalid traffic accepted")
	}
	for range 50 {
		if _, err := RunOne(p, sc, 1); err == nil || err.Error() != first.Error() {
			t.Fatalf("error changed between calls: %v vs %v", err, first)
		}
	}
	if !strings.Contains(first.Error(), "Traffic.ErrorRate") {
		t.Fatalf("error %q does not name the first bad field", first)
	}
}
