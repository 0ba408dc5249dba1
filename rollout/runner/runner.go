package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/glidepath/glidepath/rollout"
)

// Defaults of a [Config].
const (
	DefaultTimeout = 10 * time.Second
	DefaultRetries = 3
	DefaultBackoff = time.Second
	DefaultMaxWait = 30 * time.Second
	DefaultJitter  = 0.2
)

// Query tells a source what to measure: the rollout, its current stage and
// exposure, and the period since the previous evaluation.
type Query struct {
	Rollout   string
	Plan      string
	Stage     int // -1 before the rollout starts
	StageName string
	Exposure  rollout.Exposure
	// Since is the previous evaluation (zero at the first one); Until is now.
	// Counts for sequential gates are the events in (Since, Until].
	Since, Until time.Time
}

// Source measures metrics for a rollout.
type Source interface {
	Observe(ctx context.Context, q Query) (rollout.Observations, error)
}

// SourceFunc adapts a function to [Source].
type SourceFunc func(ctx context.Context, q Query) (rollout.Observations, error)

// Observe calls f.
func (f SourceFunc) Observe(ctx context.Context, q Query) (rollout.Observations, error) {
	return f(ctx, q)
}

// NamedSource is a source with a name (used in error messages) and the
// metrics it provides: when it fails after its retries, each of them is
// reported as a provider error in [rollout.Observations.Errors].
type NamedSource struct {
	Name    string
	Source  Source
	Metrics []string
}

// Actuator carries out decisions: it is the caller's deploy machinery.
type Actuator interface {
	// SetExposure exposes the new version as d.Exposure (d.Stage, d.StageName).
	SetExposure(ctx context.Context, d rollout.Decision) error
	// RollBack removes the new version.
	RollBack(ctx context.Context, d rollout.Decision) error
	// Promote makes the new version serve everything and releases the old one.
	Promote(ctx context.Context, d rollout.Decision) error
}

// Backoff is the retry schedule of failing sources, actuations and saves:
// attempt n (from 0) waits min(Max, Initial·2ⁿ), scaled by a random factor in
// [1−Jitter, 1+Jitter].
type Backoff struct {
	Retries int           // retries after the first attempt; 0 means DefaultRetries, negative means none
	Initial time.Duration // 0 means DefaultBackoff
	Max     time.Duration // 0 means DefaultMaxWait
	Jitter  float64       // in [0, 1]; 0 means DefaultJitter, negative means none
}

// Config configures a [Runner]. Plan, ID, Actuator and Store are required.
type Config struct {
	Plan     *rollout.Plan
	ID       string // the rollout's ID, its key in the store
	Sources  []NamedSource
	Actuator Actuator
	Store    Store
	// Budget, if set, is the concurrency budget shared with other runners.
	Budget *Budget
	// Log receives the records: decisions (waits only if LogWaits; a decision
	// that repeats the previous one, such as a hold at every evaluation, once),
	// manual actions and actuations. It is called from the runner's goroutine.
	Log      func(rollout.Record)
	LogWaits bool
	// Timeout bounds each source call; 0 means DefaultTimeout.
	Timeout time.Duration
	Backoff Backoff
	// Rand draws the jitter; nil means a generator with a fixed seed, so runs
	// are reproducible. It is used under the runner's lock.
	Rand *rand.Rand
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Runner drives one rollout. Create it with [New]; call [Runner.Run] once.
type Runner struct {
	cfg    Config
	manual chan manualReq

	mu  sync.Mutex // protects rng
	rng *rand.Rand

	last rollout.Record // last logged decision; used only by Run's goroutine
}

type manualReq struct {
	a     rollout.ManualAction
	reply chan error
}

// New validates cfg and returns a runner.
func New(cfg Config) (*Runner, error) {
	switch {
	case cfg.Plan == nil:
		return nil, errors.New("runner: Config.Plan is required")
	case cfg.ID == "":
		return nil, errors.New("runner: Config.ID is required")
	case cfg.Actuator == nil:
		return nil, errors.New("runner: Config.Actuator is required")
	case cfg.Store == nil:
		return nil, errors.New("runner: Config.Store is required")
	}
	for i, s := range cfg.Sources {
		if s.Source == nil {
			return nil, fmt.Errorf("runner: Config.Sources[%d] (%q) has no Source", i, s.Name)
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	b := &cfg.Backoff
	if b.Retries == 0 {
		b.Retries = DefaultRetries
	} else if b.Retries < 0 {
		b.Retries = 0
	}
	if b.Initial <= 0 {
		b.Initial = DefaultBackoff
	}
	if b.Max <= 0 {
		b.Max = DefaultMaxWait
	}
	if b.Jitter == 0 {
		b.Jitter = DefaultJitter
	} else if b.Jitter < 0 {
		b.Jitter = 0
	}
	b.Jitter = min(b.Jitter, 1)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	rng := cfg.Rand
	if rng == nil {
		rng = rand.New(rand.NewPCG(1, 2))
	}
	cfg.Sources = append([]NamedSource(nil), cfg.Sources...)
	return &Runner{cfg: cfg, manual: make(chan manualReq), rng: rng}, nil
}

// Apply hands a manual action to the running [Runner.Run] loop and waits
// until it is recorded. It fails if the action is not allowed (see
// [rollout.Apply]) or ctx ends first (for example when Run is not running).
func (r *Runner) Apply(ctx context.Context, a rollout.ManualAction) error {
	req := manualReq{a: a, reply: make(chan error, 1)}
	select {
	case r.manual <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run drives the rollout until it completes or rolls back, or ctx ends. It
// resumes from the stored state, if any. For a state that already ended, Run
// carries out its final rollback or promotion again and returns: the process
// may have stopped (or ctx ended) after the state was saved but before the
// actuator succeeded, and a rollback must not be lost. Actuators must
// therefore be idempotent, as retries already require. It returns the last
// saved state; on cancellation the error is ctx.Err(), and no goroutine
// started by Run is left running. Observations that [rollout.Decide] rejects
// (NaN values, negative counts: a source bug) stop Run with that error; the
// saved state lets a fixed runner resume.
func (r *Runner) Run(ctx context.Context) (rollout.State, error) {
	p := r.cfg.Plan
	state, err := r.cfg.Store.Load(ctx, r.cfg.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		state = rollout.State{ID: r.cfg.ID}
	case err != nil:
		return state, err
	}
	if state.Phase.Terminal() {
		d, _, err := rollout.Decide(p, state, rollout.Observations{}, r.cfg.Now())
		if err != nil {
			return state, err
		}
		return state, r.actuate(ctx, d)
	}
	labels := p.Labels()
	if state.Phase != rollout.NotStarted {
		r.cfg.Budget.acquire(r.cfg.ID, labels, true)
	}
	defer r.cfg.Budget.Release(r.cfg.ID)

	var prev time.Time
	for {
		now := r.cfg.Now()
		obs, err := r.poll(ctx, state, prev, now)
		if err != nil {
			return state, err
		}
		d, next, err := rollout.Decide(p, state, obs, now)
		if err != nil {
			return state, err
		}
		wake := d.NextEvaluation
		var budgetWait <-chan struct{}
		switch d.Action {
		case rollout.ActionAdvance:
			if state.Phase == rollout.NotStarted && !r.cfg.Budget.TryAcquire(r.cfg.ID, labels) {
				budgetWait = r.cfg.Budget.changed()
				// Re-check: a slot may have freed between the two calls.
				if r.cfg.Budget.TryAcquire(r.cfg.ID, labels) {
					budgetWait = nil
				} else {
					wake = now.Add(p.Interval())
					break
				}
			}
			if err := r.retry(ctx, func() error { return r.cfg.Actuator.SetExposure(ctx, d) }); err != nil {
				r.log(rollout.Actuated(p, d, r.cfg.Now(), err))
				if ctx.Err() != nil {
					return state, ctx.Err()
				}
				wake = now.Add(p.Interval())
				break
			}
			if err := r.save(ctx, next); err != nil {
				return state, err
			}
			state = next
			r.log(rollout.NewRecord(p, d))
			r.log(rollout.Actuated(p, d, r.cfg.Now(), nil))
		case rollout.ActionRollBack, rollout.ActionComplete:
			if err := r.finish(ctx, d, next); err != nil {
				return next, err
			}
			return next, nil
		default:
			if err := r.save(ctx, next); err != nil {
				return state, err
			}
			state = next
			if (d.Action != rollout.ActionWait || r.cfg.LogWaits) && !r.repeats(d) {
				r.log(rollout.NewRecord(p, d))
			}
		}
		prev = now
		if err := r.wait(ctx, wake, budgetWait, &state); err != nil {
			return state, err
		}
		if state.Phase.Terminal() {
			return state, nil
		}
	}
}

// finish saves a terminal state, then carries out its rollback or promotion.
func (r *Runner) finish(ctx context.Context, d rollout.Decision, next rollout.State) error {
	p := r.cfg.Plan
	if err := r.save(ctx, next); err != nil {
		return err
	}
	r.log(rollout.NewRecord(p, d))
	r.cfg.Budget.Release(r.cfg.ID)
	return r.actuate(ctx, d)
}

// actuate carries out a rollback or promotion. It is not optional: retry
// until it succeeds or ctx ends.
func (r *Runner) actuate(ctx context.Context, d rollout.Decision) error {
	p := r.cfg.Plan
	act := r.cfg.Actuator.Promote
	if d.Action == rollout.ActionRollBack {
		act = r.cfg.Actuator.RollBack
	}
	for {
		err := r.retry(ctx, func() error { return act(ctx, d) })
		r.log(rollout.Actuated(p, d, r.cfg.Now(), err))
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// wait blocks until wake, a budget change or a manual action; manual actions
// are applied to *state.
func (r *Runner) wait(ctx context.Context, wake time.Time, budget <-chan struct{}, state *rollout.State) error {
	d := wake.Sub(r.cfg.Now())
	if wake.IsZero() || d < 0 {
		d = 0
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	case <-budget:
		return nil
	case req := <-r.manual:
		err := r.applyManual(ctx, req.a, state)
		req.reply <- err
		if err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		return nil
	}
}

func (r *Runner) applyManual(ctx context.Context, a rollout.ManualAction, state *rollout.State) error {
	p := r.cfg.Plan
	d, next, err := rollout.Apply(p, *state, a, r.cfg.Now())
	if err != nil {
		return err
	}
	if d.Action == rollout.ActionRollBack {
		err := r.finish(ctx, d, next)
		*state = next
		return err
	}
	if err := r.save(ctx, next); err != nil {
		return err
	}
	*state = next
	r.log(rollout.NewRecord(p, d))
	return nil
}

func (r *Runner) log(rec rollout.Record) {
	if r.cfg.Log != nil {
		r.cfg.Log(rec)
	}
	if rec.Kind != rollout.KindActuation {
		r.last = rec
	}
}

// repeats reports whether d says again what the last logged record said (a
// hold or an approval request repeated at every evaluation), so the log holds
// it once.
func (r *Runner) repeats(d rollout.Decision) bool {
	l := r.last
	if l.Kind != rollout.KindDecision || l.Action != d.Action || l.Stage != d.Stage || len(l.Reasons) != len(d.Reasons) {
		return false
	}
	for i, x := range d.Reasons {
		y := l.Reasons[i]
		if x.Gate != y.Gate || x.Statistic != y.Statistic || x.Status != y.Status {
			return false
		}
	}
	return true
}

func (r *Runner) save(ctx context.Context, s rollout.State) error {
	if err := r.retry(ctx, func() error { return r.cfg.Store.Save(ctx, r.cfg.ID, s) }); err != nil {
		return fmt.Errorf("runner: saving state of %q: %w", r.cfg.ID, err)
	}
	return nil
}

// delay returns the jittered backoff before retry n (from 0).
func (r *Runner) delay(n int) time.Duration {
	b := r.cfg.Backoff
	d := b.Initial
	for range n {
		if d >= b.Max/2 {
			d = b.Max
			break
		}
		d *= 2
	}
	d = min(d, b.Max)
	if b.Jitter > 0 {
		r.mu.Lock()
		u := r.rng.Float64()
		r.mu.Unlock()
		d = time.Duration(float64(d) * (1 - b.Jitter + 2*b.Jitter*u))
	}
	return d
}

// retry calls f until it succeeds, the retries are used up or ctx ends,
// waiting the backoff between attempts.
func (r *Runner) retry(ctx context.Context, f func() error) error {
	var err error
	for n := 0; ; n++ {
		if err = f(); err == nil {
			return nil
		}
		if n >= r.cfg.Backoff.Retries || ctx.Err() != nil {
			return err
		}
		t := time.NewTimer(r.delay(n))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// poll asks every source concurrently, each call under its own timeout, and
// merges their observations in source order.
func (r *Runner) poll(ctx context.Context, s rollout.State, since, now time.Time) (rollout.Observations, error) {
	q := Query{Rollout: r.cfg.ID, Plan: r.cfg.Plan.Name(), Stage: -1, Since: since, Until: now}
	if s.Phase != rollout.NotStarted {
		st := r.cfg.Plan.Stage(s.Stage)
		q.Stage, q.StageName, q.Exposure = s.Stage, st.Name, st.Exposure
	}
	results := make([]rollout.Observations, len(r.cfg.Sources))
	errs := make([]error, len(r.cfg.Sources))
	g, gctx := errgroup.WithContext(ctx)
	for i, src := range r.cfg.Sources {
		g.Go(func() error {
			errs[i] = r.retry(gctx, func() error {
				cctx, cancel := context.WithTimeout(gctx, r.cfg.Timeout)
				defer cancel()
				o, err := src.Source.Observe(cctx, q)
				if err == nil {
					results[i] = o
				}
				return err
			})
			return nil // a failing source is data, not a reason to stop the others
		})
	}
	_ = g.Wait()
	if err := ctx.Err(); err != nil {
		return rollout.Observations{}, err
	}
	var obs rollout.Observations
	for i, src := range r.cfg.Sources {
		if errs[i] != nil {
			if obs.Errors == nil {
				obs.Errors = map[string]string{}
			}
			for _, m := range src.Metrics {
				if _, dup := obs.Errors[m]; !dup {
					obs.Errors[m] = src.Name + ": " + errs[i].Error()
				}
			}
			continue
		}
		merge(&obs, results[i])
	}
	return obs, nil
}

// merge adds o to dst; earlier sources win on conflicts.
func merge(dst *rollout.Observations, o rollout.Observations) {
	dst.Checks = mergeMap(dst.Checks, o.Checks)
	dst.Metrics = mergeMap(dst.Metrics, o.Metrics)
	dst.Samples = mergeMap(dst.Samples, o.Samples)
	dst.Counts = mergeMap(dst.Counts, o.Counts)
	dst.Errors = mergeMap(dst.Errors, o.Errors)
}

func mergeMap[V any](dst, src map[string]V) map[string]V {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		return maps.Clone(src)
	}
	for k, v := range src {
		if _, ok := dst[k]; !ok {
			dst[k] = v
		}
	}
	return dst
}
