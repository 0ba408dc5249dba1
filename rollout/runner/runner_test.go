package runner

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/glidepath/glidepath/rollout"
)

func testPlan(t *testing.T, labels map[string]string) *rollout.Plan {
	t.Helper()
	p, err := rollout.Compile(rollout.PlanSpec{
		Name:   "checkout",
		Labels: labels,
		Gates: []rollout.GateSpec{{Name: "errors", MinSample: 100,
			Threshold: &rollout.ThresholdSpec{Metric: "error_ratio", Max: rollout.Bound(0.01)}}},
		Stages: []rollout.StageSpec{
			{Name: "canary", Exposure: rollout.Percent(10), Bake: rollout.Duration(5 * time.Minute), Gates: []string{"errors"}},
			{Name: "half", Exposure: rollout.Percent(50), Bake: rollout.Duration(5 * time.Minute), Gates: []string{"errors"}, Approval: true},
			{Name: "all", Exposure: rollout.Percent(100), Bake: rollout.Duration(5 * time.Minute), Gates: []string{"errors"}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// recorder is a fake actuator that records its calls.
type recorder struct {
	mu    sync.Mutex
	calls []string
	fail  int // fail this many calls first
}

func (a *recorder) do(kind string, d rollout.Decision) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail > 0 {
		a.fail--
		a.calls = append(a.calls, kind+" failed")
		return errors.New("actuator down")
	}
	a.calls = append(a.calls, fmt.Sprintf("%s %s %s", kind, d.StageName, d.Exposure))
	return nil
}
func (a *recorder) SetExposure(_ context.Context, d rollout.Decision) error { return a.do("expose", d) }
func (a *recorder) RollBack(_ context.Context, d rollout.Decision) error    { return a.do("rollback", d) }
func (a *recorder) Promote(_ context.Context, d rollout.Decision) error     { return a.do("promote", d) }
func (a *recorder) list() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

func metrics(ratio float64) Source {
	return SourceFunc(func(ctx context.Context, q Query) (rollout.Observations, error) {
		return rollout.Observations{Metrics: map[string]rollout.Measurement{"error_ratio": {Value: ratio, Sample: 1000}}}, nil
	})
}

type logSink struct {
	mu  sync.Mutex
	rec []rollout.Record
}

func (l *logSink) add(r rollout.Record) { l.mu.Lock(); l.rec = append(l.rec, r); l.mu.Unlock() }
func (l *logSink) actions() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.rec {
		out = append(out, r.Kind.String()+":"+r.Action.String())
	}
	return out
}

func TestRunHealthyRolloutWithApproval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		act := &recorder{}
		store := &MemoryStore{}
		logs := &logSink{}
		r, err := New(Config{Plan: testPlan(t, nil), ID: "r1", Actuator: act, Store: store, Log: logs.add,
			Sources: []NamedSource{{Name: "prom", Source: metrics(0.001), Metrics: []string{"error_ratio"}}}})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ctx := context.Background()
		done := make(chan error, 1)
		var final rollout.State
		go func() {
			var err error
			final, err = r.Run(ctx)
			done <- err
		}()
		// The second stage needs an approval: wait until the runner asks for it.
		time.Sleep(11 * time.Minute)
		synctest.Wait()
		if got := act.list(); !slices.Equal(got, []string{"expose canary 10%", "expose half 50%"}) {
			t.Fatalf("calls before approval: %v", got)
		}
		if err := r.Apply(ctx, rollout.ManualAction{Kind: rollout.Approve, Actor: "alice"}); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		want := []string{"expose canary 10%", "expose half 50%", "expose all 100%", "promote all 100%"}
		if got := act.list(); !slices.Equal(got, want) {
			t.Fatalf("calls = %v, want %v", got, want)
		}
		if final.Phase != rollout.Completed {
			t.Fatalf("final state %+v", final)
		}
		if took := time.Since(start); took != 16*time.Minute {
			t.Fatalf("took %v (virtual), want 16m", took)
		}
		saved, err := store.Load(ctx, "r1")
		if err != nil || saved.Phase != rollout.Completed {
			t.Fatalf("saved %+v %v", saved, err)
		}
		got := logs.actions()
		wantLog := []string{"decision:advance", "actuation:advance", "decision:advance", "actuation:advance",
			"decision:needs-approval", "manual:wait", "decision:advance", "actuation:advance", "decision:complete", "actuation:complete"}
		// needs-approval is logged once, not at every evaluation while waiting.
		if !slices.Equal(got, wantLog) {
			t.Fatalf("log = %v\nwant %v", got, wantLog)
		}
	})
}

func TestRunRollsBackAndRetriesActuator(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		act := &recorder{}
		ratio := 0.001
		var mu sync.Mutex
		src := SourceFunc(func(ctx context.Context, q Query) (rollout.Observations, error) {
			mu.Lock()
			defer mu.Unlock()
			if q.Until.Sub(q.Since) > 0 && q.StageName == "canary" && !q.Since.IsZero() {
				ratio = 0.2
			}
			return rollout.Observations{Metrics: map[string]rollout.Measurement{"error_ratio": {Value: ratio, Sample: 1000}}}, nil
		})
		r, _ := New(Config{Plan: testPlan(t, nil), ID: "r2", Actuator: act, Store: &MemoryStore{},
			Sources: []NamedSource{{Name: "prom", Source: src}}})
		// runWithFailures makes the rollback's first two attempts fail.
		ctx := context.Background()
		final, err := r.runWithFailures(ctx, act)
		if err != nil {
			t.Fatal(err)
		}
		if final.Phase != rollout.RolledBack {
			t.Fatalf("phase %v", final.Phase)
		}
		want := []string{"expose canary 10%", "rollback failed", "rollback failed", "rollback canary 10%"}
		if got := act.list(); !slices.Equal(got, want) {
			t.Fatalf("calls = %v, want %v", got, want)
		}
	})
}

// runWithFailures arms the actuator to fail twice once the rollout started.
func (r *Runner) runWithFailures(ctx context.Context, act *recorder) (rollout.State, error) {
	orig := r.cfg.Log
	r.cfg.Log = func(rec rollout.Record) {
		if rec.Kind == rollout.KindActuation && rec.Action == rollout.ActionAdvance {
			act.mu.Lock()
			act.fail = 2
			act.mu.Unlock()
		}
		if orig != nil {
			orig(rec)
		}
	}
	return r.Run(ctx)
}

func TestRunSourceRetriesAndTimeouts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var attempts []time.Duration
		start := time.Now()
		flaky := SourceFunc(func(ctx context.Context, q Query) (rollout.Observations, error) {
			mu.Lock()
			attempts = append(attempts, time.Since(start))
			n := len(attempts)
			mu.Unlock()
			if n <= 2 {
				return rollout.Observations{}, errors.New("503")
			}
			return rollout.Observations{Metrics: map[string]rollout.Measurement{"error_ratio": {Value: 0, Sample: 1000}}}, nil
		})
		hang := SourceFunc(func(ctx context.Context, q Query) (rollout.Observations, error) {
			<-ctx.Done() // never answers: only the per-call timeout ends it
			return rollout.Observations{}, ctx.Err()
		})
		logs := &logSink{}
		r, _ := New(Config{Plan: testPlan(t, nil), ID: "r3", Actuator: &recorder{}, Store: &MemoryStore{}, Log: logs.add,
			Timeout: 2 * time.Second, Backoff: Backoff{Retries: 2, Initial: time.Second, Jitter: 0.5}, Rand: rand.New(rand.NewPCG(7, 7)),
			Sources: []NamedSource{{Name: "flaky", Source: flaky, Metrics: []string{"error_ratio"}}, {Name: "hang", Source: hang, Metrics: []string{"checks"}}}})
		obs, err := r.poll(context.Background(), rollout.State{}, time.Time{}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(attempts) != 3 {
			t.Fatalf("attempts at %v", attempts)
		}
		// Backoff 1s then 2s, each scaled by a factor in [0.5, 1.5].
		d1, d2 := attempts[1]-attempts[0], attempts[2]-attempts[1]
		if d1 < 500*time.Millisecond || d1 > 1500*time.Millisecond || d2 < time.Second || d2 > 3*time.Second {
			t.Fatalf("backoff delays %v, %v", d1, d2)
		}
		if _, ok := obs.Metrics["error_ratio"]; !ok {
			t.Fatalf("flaky source's data missing: %+v", obs)
		}
		if e := obs.Errors["checks"]; !strings.Contains(e, "hang: context deadline exceeded") {
			t.Fatalf("hanging source error = %q", e)
		}
		// Three attempts of 2s timeouts plus two backoffs: the poll took less than 15s.
		if took := time.Since(start); took > 15*time.Second {
			t.Fatalf("poll took %v", took)
		}
	})
}

func TestRunJitterIsDeterministic(t *testing.T) {
	mk := func() []time.Duration {
		r, _ := New(Config{Plan: testPlan(t, nil), ID: "x", Actuator: &recorder{}, Store: &MemoryStore{}, Rand: rand.New(rand.NewPCG(3, 4))})
		var ds []time.Duration
		for n := range 8 {
			ds = append(ds, r.delay(n))
		}
		return ds
	}
	a, b := mk(), mk()
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different delays: %v %v", a, b)
	}
	for n, d := range a {
		base := min(time.Second<<n, DefaultMaxWait)
		if d < time.Duration(0.8*float64(base)) || d > time.Duration(1.2*float64(base)) {
			t.Fatalf("delay %d = %v, base %v", n, d, base)
		}
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		store := &MemoryStore{}
		r, _ := New(Config{Plan: testPlan(t, nil), ID: "r4", Actuator: &recorder{}, Store: store,
			Sources: []NamedSource{{Name: "slow", Source: SourceFunc(func(ctx context.Context, q Query) (rollout.Observations, error) {
				t := time.NewTimer(time.Hour)
				defer t.Stop()
				select {
				case <-t.C:
				case <-ctx.Done():
				}
				return rollout.Observations{}, ctx.Err()
			})}}, Timeout: 2 * time.Hour})
		done := make(chan error, 1)
		go func() { _, err := r.Run(ctx); done <- err }()
		time.Sleep(time.Minute)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		// synctest.Test fails if any goroutine started inside is still running.
	})
}

func TestRunResumesFromStore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPlan(t, nil)
		store := &MemoryStore{}
		ctx, cancel := context.WithCancel(context.Background())
		act := &recorder{}
		r, _ := New(Config{Plan: p, ID: "r5", Actuator: act, Store: store,
			Sources: []NamedSource{{Name: "prom", Source: metrics(0.001)}}})
		done := make(chan struct{})
		go func() { r.Run(ctx); close(done) }()
		time.Sleep(7 * time.Minute) // in stage "half", waiting for approval
		cancel()
		<-done
		s, err := store.Load(context.Background(), "r5")
		if err != nil || s.Stage != 1 {
			t.Fatalf("saved %+v %v", s, err)
		}
		// A new runner picks up where the first stopped.
		act2 := &recorder{}
		r2, _ := New(Config{Plan: p, ID: "r5", Actuator: act2, Store: store,
			Sources: []NamedSource{{Name: "prom", Source: metrics(0.5)}}})
		final, err := r2.Run(context.Background())
		if err != nil || final.Phase != rollout.RolledBack {
			t.Fatalf("resumed run: %+v %v", final, err)
		}
		if got := act2.list(); !slices.Equal(got, []string{"rollback half 50%"}) {
			t.Fatalf("resumed calls %v", got)
		}
	})
}

func TestBudgetLimitsConcurrentRollouts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		budget := NewBudget(map[string]int{"region": 1, "team": 5})
		type event struct {
			id   string
			kind string
			at   time.Duration
		}
		var mu sync.Mutex
		var events []event
		start := time.Now()
		var wg sync.WaitGroup
		store := &MemoryStore{}
		regions := []string{"eu", "eu", "us"}
		for i, region := range regions {
			id := fmt.Sprintf("r%d", i)
			spec := testPlan(t, nil).Spec()
			spec.Labels = map[string]string{"region": region, "team": "payments"}
			spec.Stages[1].Approval = false
			p := rollout.MustCompile(spec)
			act := &funcActuator{f: func(kind string, d rollout.Decision) {
				mu.Lock()
				events = append(events, event{id, kind + " " + d.StageName, time.Since(start)})
				mu.Unlock()
				if kind == "expose" && d.Stage == 0 && budget.InUse("region", region) > 1 {
					t.Errorf("%s: %d rollouts in region %s", id, budget.InUse("region", region), region)
				}
			}}
			r, _ := New(Config{Plan: p, ID: id, Actuator: act, Store: store, Budget: budget,
				Sources: []NamedSource{{Name: "prom", Source: metrics(0)}}})
			wg.Go(func() {
				if _, err := r.Run(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		starts := map[string]time.Duration{}
		ends := map[string]time.Duration{}
		for _, e := range events {
			if e.kind == "expose canary" {
				starts[e.id] = e.at
			}
			if strings.HasPrefix(e.kind, "promote") {
				ends[e.id] = e.at
			}
		}
		if len(ends) != 3 {
			t.Fatalf("events %v", events)
		}
		// r0 and r1 share region eu: one starts after the other ended. r2 (us) runs at once.
		first, second := "r0", "r1"
		if starts["r1"] < starts["r0"] {
			first, second = second, first
		}
		if starts[second] < ends[first] {
			t.Fatalf("eu rollouts overlapped: starts %v ends %v", starts, ends)
		}
		if starts["r2"] != 0 {
			t.Fatalf("us rollout waited: %v", starts)
		}
		if budget.InUse("region", "eu") != 0 || budget.InUse("team", "payments") != 0 {
			t.Fatal("budget not released")
		}
	})
}

type funcActuator struct {
	f func(kind string, d rollout.Decision)
}

func (a *funcActuator) SetExposure(_ context.Context, d rollout.Decision) error {
	a.f("expose", d)
	return nil
}
func (a *funcActuator) RollBack(_ context.Context, d rollout.Decision) error {
	a.f("rollback", d)
	return nil
}
func (a *funcActuator) Promote(_ context.Context, d rollout.Decision) error {
	a.f("promote", d)
	return nil
}

func TestBudget(t *testing.T) {
	b := NewBudget(map[string]int{"region": 2, "team": 1})
	tests := []struct {
		id     string
		labels map[string]string
		want   bool
	}{
		{"a", map[string]string{"region": "eu", "team": "x"}, true},
		{"a", map[string]string{"region": "eu", "team": "x"}, true},  // idempotent
		{"b", map[string]string{"region": "eu", "team": "x"}, false}, // team x is full
		{"c", map[string]string{"region": "eu", "team": "y"}, true},
		{"d", map[string]string{"region": "eu", "team": "z"}, false}, // region eu is full
		{"e", map[string]string{"service": "s"}, true},               // no capped label
	}
	for _, tt := range tests {
		if got := b.TryAcquire(tt.id, tt.labels); got != tt.want {
			t.Fatalf("TryAcquire(%s) = %v, want %v", tt.id, got, tt.want)
		}
	}
	if b.InUse("region", "eu") != 2 {
		t.Fatalf("InUse = %d", b.InUse("region", "eu"))
	}
	b.Release("a")
	b.Release("a")
	if !b.TryAcquire("b", map[string]string{"region": "eu", "team": "x"}) {
		t.Fatal("slot not freed")
	}
	var zero *Budget
	if !zero.TryAcquire("x", nil) {
		t.Fatal("nil budget caps")
	}
}

func TestFileStore(t *testing.T) {
	dir := t.TempDir()
	fs := &FileStore{Dir: dir}
	ctx := context.Background()
	if _, err := fs.Load(ctx, "a/b c"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("load missing: %v", err)
	}
	s := rollout.State{ID: "a/b c", Plan: "p", Phase: rollout.Progressing, Stage: 2,
		Gates: []rollout.GateState{{Name: "g", Successes: 3, Sample: 900}}}
	for i := range 3 {
		s.Gates[0].Successes = i
		if err := fs.Save(ctx, "a/b c", s); err != nil {
			t.Fatal(err)
		}
	}
	got, err := fs.Load(ctx, "a/b c")
	if err != nil || got.Gates[0].Successes != 2 || got.Stage != 2 {
		t.Fatalf("load: %+v %v", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "a%2Fb%20c.json" {
		t.Fatalf("files left: %v", entries)
	}
	// A failed save (directory gone) leaves no temp file and reports an error.
	bad := &FileStore{Dir: filepath.Join(dir, "missing")}
	if err := bad.Save(ctx, "x", s); err == nil {
		t.Fatal("save into a missing directory succeeded")
	}
	// A corrupt file is an error, not a zero state.
	os.WriteFile(filepath.Join(dir, "c.json"), []byte("{"), 0o644)
	if _, err := fs.Load(ctx, "c"); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("corrupt file: %v", err)
	}
}

func TestMemoryStoreCopies(t *testing.T) {
	var m MemoryStore
	ctx := context.Background()
	s := rollout.State{ID: "a", Gates: []rollout.GateState{{Name: "g"}}}
	m.Save(ctx, "a", s)
	s.Gates[0].Name = "changed"
	got, _ := m.Load(ctx, "a")
	if got.Gates[0].Name != "g" {
		t.Fatal("MemoryStore shares state with the caller")
	}
}

func TestNewValidates(t *testing.T) {
	p := testPlan(t, nil)
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no plan", Config{ID: "x", Actuator: &recorder{}, Store: &MemoryStore{}}},
		{"no id", Config{Plan: p, Actuator: &recorder{}, Store: &MemoryStore{}}},
		{"no actuator", Config{Plan: p, ID: "x", Store: &MemoryStore{}}},
		{"no store", Config{Plan: p, ID: "x", Actuator: &recorder{}}},
		{"nil source", Config{Plan: p, ID: "x", Actuator: &recorder{}, Store: &MemoryStore{}, Sources: []NamedSource{{Name: "s"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); err == nil {
				t.Fatal("New accepted an invalid config")
			}
		})
	}
}
