package rehearse

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/glidepath/glidepath/rollout"
)

// FaultKind is a kind of injected fault.
type FaultKind int

const (
	// ErrorBurst multiplies the canary's error rate by Factor: a regression.
	ErrorBurst FaultKind = iota
	// LatencyShift multiplies the canary's latencies by Factor: a regression
	// when Factor > 1.
	LatencyShift
	// SourceOutage makes the listed metrics (all when none are listed)
	// unavailable: provider errors, not a regression.
	SourceOutage
	// NoTraffic stops all requests: not a regression.
	NoTraffic
)

var faultNames = [...]string{"error-burst", "latency-shift", "source-outage", "no-traffic"}

// String returns the fault's name, e.g. "error-burst".
func (k FaultKind) String() string {
	if k >= 0 && int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is a fault injected from Start (after the rollout starts) for
// Duration (0: until the end).
type Fault struct {
	Kind     FaultKind
	Start    time.Duration
	Duration time.Duration
	Factor   float64  // ErrorBurst, LatencyShift
	Metrics  []string // SourceOutage; empty means every metric
}

// Harmful reports whether the fault is a regression the plan should catch.
func (f Fault) Harmful() bool {
	return (f.Kind == ErrorBurst && f.Factor > 1) || (f.Kind == LatencyShift && f.Factor > 1)
}

func (f Fault) active(t time.Duration) bool {
	return t >= f.Start && (f.Duration == 0 || t < f.Start+f.Duration)
}

// Traffic describes the synthetic service. Zero fields take the defaults noted.
type Traffic struct {
	Requests  int     // requests per evaluation interval over canary and baseline; 0 means 2000
	ErrorRate float64 // baseline error ratio; 0 means 0.002
	// Latency is lognormal: median (0 means 100 ms) and sigma of its log (0 means 0.3).
	LatencyMedian time.Duration
	LatencySigma  float64
	// CohortShare is the canary's share of traffic when a stage's exposure is
	// a cohort or a set of regions; 0 means 0.1.
	CohortShare float64
}

// Metrics names the metrics the generator fills; empty names are not generated.
type Metrics struct {
	ErrorRatio  string // canary error ratio and sample: [rollout.Observations.Metrics]
	LatencyMean string // canary mean latency in seconds: [rollout.Observations.Metrics]
	Errors      string // canary and baseline error counts: [rollout.Observations.Counts]
	Latency     string // canary and baseline latency samples in seconds: [rollout.Observations.Samples]
	// SamplesPerSide caps the latency samples per side per interval; 0 means 50.
	SamplesPerSide int
}

// Scenario is one rehearsal setting.
type Scenario struct {
	Name    string
	Traffic Traffic
	Metrics Metrics
	Faults  []Fault
	// Horizon bounds the simulated time; 0 means three times the plan's total
	// bake time plus one hour.
	Horizon time.Duration
	// ResumeAfter, if positive, has an operator resume a held rollout after
	// this delay; otherwise a hold ends the run.
	ResumeAfter time.Duration
	// FailingChecks are readiness or exit checks that report failure; every
	// other check of the plan passes. Stages needing approval are approved.
	FailingChecks []string
	// Start is the simulated wall-clock instant at which the rollout starts,
	// so that a rehearsal can be dated in the window it is planned for and
	// the decision logs of several rehearsals line up in time. The zero
	// value means 2026-01-05 09:00 UTC. Fault times stay relative to it.
	Start time.Time
	// ActuationDelay, if positive, is how long the simulated deploy system
	// takes to carry out an advance, a rollback or a completion: each such
	// decision is followed in [Run.Log] by an actuation record this much
	// later, so that [rollout.Summarize] measures time to resolve as the
	// time until the rollback took effect. Zero logs decisions only.
	ActuationDelay time.Duration
}

// Outcome is how a run ended.
type Outcome int

const (
	Completed  Outcome = iota // the rollout completed
	RolledBack                // a gate (or a deadline) rolled it back
	Held                      // it held for a human and nobody resumed it
	TimedOut                  // the horizon passed first
)

var outcomeNames = [...]string{"completed", "rolled-back", "held", "timed-out"}

// String returns the outcome's name.
func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// Run is the result of one seed.
type Run struct {
	Seed    uint64
	Outcome Outcome
	// End is when the run ended, from the rollout's start.
	End time.Duration
	// Detected: rolled back while a harmful fault had started; Detection is
	// the time from the fault's start to the rollback.
	Detected  bool
	Detection time.Duration
	// FalseRollback: rolled back with no harmful fault started.
	FalseRollback bool
	// Reasons of the final decision (the rollback's reasons, for example).
	Reasons []rollout.Reason
	// Log holds every decision except waits, and the manual actions.
	Log []rollout.Record
}

// Report aggregates the runs of a scenario.
type Report struct {
	Scenario                              string
	Runs                                  []Run
	Completed, RolledBack, Held, TimedOut int
	Harmful                               bool // the scenario injects a regression
	Detected, FalseRollbacks              int
	DetectionRate, FalseRollbackRate      float64
	MedianDetection, P90Detection         time.Duration
	MedianCompletion                      time.Duration // over completed runs
}

// defaultStart is the simulated wall-clock start of a run whose
// Scenario.Start is zero; any fixed instant works.
func defaultStart() time.Time { return time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) }

// Rehearse runs sc for seeds first, first+1, ... first+n−1 and aggregates.
func Rehearse(p *rollout.Plan, sc Scenario, first uint64, n int) (Report, error) {
	if n <= 0 {
		return Report{}, errors.New("rehearse: need at least one seed")
	}
	rep := Report{Scenario: sc.Name}
	for _, f := range sc.Faults {
		rep.Harmful = rep.Harmful || f.Harmful()
	}
	var detections, completions []time.Duration
	for i := range n {
		run, err := RunOne(p, sc, first+uint64(i))
		if err != nil {
			return rep, err
		}
		rep.Runs = append(rep.Runs, run)
		switch run.Outcome {
		case Completed:
			rep.Completed++
			completions = append(completions, run.End)
		case RolledBack:
			rep.RolledBack++
		case Held:
			rep.Held++
		case TimedOut:
			rep.TimedOut++
		}
		if run.Detected {
			rep.Detected++
			detections = append(detections, run.Detection)
		}
		if run.FalseRollback {
			rep.FalseRollbacks++
		}
	}
	rep.DetectionRate = float64(rep.Detected) / float64(n)
	rep.FalseRollbackRate = float64(rep.FalseRollbacks) / float64(n)
	rep.MedianDetection = quantile(detections, 0.5)
	rep.P90Detection = quantile(detections, 0.9)
	rep.MedianCompletion = quantile(completions, 0.5)
	return rep, nil
}

func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(i, 0)]
}

// RunOne runs sc once with the given seed.
func RunOne(p *rollout.Plan, sc Scenario, seed uint64) (Run, error) {
	if p == nil {
		return Run{}, errors.New("rehearse: nil plan")
	}
	if err := sc.validate(); err != nil {
		return Run{}, err
	}
	g := newGenerator(p, sc, seed)
	horizon := sc.Horizon
	if horizon == 0 {
		for i := range p.NumStages() {
			horizon += p.StageBake(i)
		}
		horizon = 3*horizon + time.Hour
	}
	step := p.Interval()
	start := sc.Start
	if start.IsZero() {
		start = defaultStart()
	}
	run := Run{Seed: seed}
	state := rollout.State{ID: fmt.Sprintf("%s#%d", sc.Name, seed)}
	var resumeAt time.Duration = -1
	firstHarm := time.Duration(-1)
	for _, f := range sc.Faults {
		if f.Harmful() && (firstHarm < 0 || f.Start < firstHarm) {
			firstHarm = f.Start
		}
	}
	for t := time.Duration(0); t <= horizon; t += step {
		now := start.Add(t)
		if resumeAt >= 0 && t >= resumeAt {
			d, next, err := rollout.Apply(p, state, rollout.ManualAction{Kind: rollout.Resume, Actor: "operator"}, now)
			if err != nil {
				return run, err
			}
			state, resumeAt = next, -1
			run.Log = append(run.Log, rollout.NewRecord(p, d))
		}
		obs := g.observe(state, t)
		d, next, err := rollout.Decide(p, state, obs, now)
		if err != nil {
			return run, fmt.Errorf("rehearse: seed %d at %v: %w", seed, t, err)
		}
		state = next
		if d.Action != rollout.ActionWait && d.Action != rollout.ActionNeedsApproval {
			run.Log = append(run.Log, rollout.NewRecord(p, d))
		}
		if sc.ActuationDelay > 0 && (d.Action == rollout.ActionAdvance || d.Action == rollout.ActionRollBack || d.Action == rollout.ActionComplete) {
			run.Log = append(run.Log, rollout.Actuated(p, d, now.Add(sc.ActuationDelay), nil))
		}
		run.End, run.Reasons = t, d.Reasons
		switch d.Action {
		case rollout.ActionComplete:
			run.Outcome = Completed
			return run, nil
		case rollout.ActionRollBack:
			run.Outcome = RolledBack
			if firstHarm >= 0 && t >= firstHarm {
				run.Detected, run.Detection = true, t-firstHarm
			} else {
				run.FalseRollback = true
			}
			return run, nil
		case rollout.ActionHold:
			if state.Phase == rollout.NotStarted || sc.ResumeAfter <= 0 {
				run.Outcome = Held
				return run, nil
			}
			if resumeAt < 0 {
				resumeAt = t + sc.ResumeAfter
			}
		case rollout.ActionNeedsApproval:
			actor := "rehearsal"
			if a := p.Stage(state.Stage).Approvers; len(a) > 0 {
				actor = a[0]
			}
			ad, next, err := rollout.Apply(p, state, rollout.ManualAction{Kind: rollout.Approve, Actor: actor}, now)
			if err != nil {
				return run, err
			}
			state = next
			run.Log = append(run.Log, rollout.NewRecord(p, ad))
			t -= step // decide again at the same instant
		}
	}
	run.Outcome = TimedOut
	return run, nil
}

func (sc Scenario) validate() error {
	t := sc.Traffic
	// A slice, not a map: with several bad fields the error names the same one every time.
	for _, f := range [...]struct {
		name string
		v    float64
	}{{"ErrorRate", t.ErrorRate}, {"LatencySigma", t.LatencySigma}, {"CohortShare", t.CohortShare}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return fmt.Errorf("rehearse: scenario %q: Traffic.%s %v must be a finite non-negative number", sc.Name, f.name, f.v)
		}
	}
	if t.ErrorRate > 1 || t.CohortShare > 1 {
		return fmt.Errorf("rehearse: scenario %q: rates must be at most 1", sc.Name)
	}
	if t.Requests < 0 || t.LatencyMedian < 0 || sc.Horizon < 0 || sc.Metrics.SamplesPerSide < 0 {
		return fmt.Errorf("rehearse: scenario %q: negative traffic, latency, horizon or sample size", sc.Name)
	}
	for i, f := range sc.Faults {
		if f.Kind < ErrorBurst || f.Kind > NoTraffic {
			return fmt.Errorf("rehearse: scenario %q: faults[%d]: unknown kind %d", sc.Name, i, int(f.Kind))
		}
		if f.Start < 0 || f.Duration < 0 {
			return fmt.Errorf("rehearse: scenario %q: faults[%d]: negative start or duration", sc.Name, i)
		}
		if (f.Kind == ErrorBurst || f.Kind == LatencyShift) && (!(f.Factor > 0) || math.IsInf(f.Factor, 0)) {
			return fmt.Errorf("rehearse: scenario %q: faults[%d]: %s needs a positive finite Factor", sc.Name, i, f.Kind)
		}
	}
	return nil
}

// generator produces synthetic observations.
type generator struct {
	p       *rollout.Plan
	sc      Scenario
	rng     *rand.Rand
	reqs    int
	errRate float64
	median  float64
	sigma   float64
	cohort  float64
	perSide int
	started time.Duration
}

func newGenerator(p *rollout.Plan, sc Scenario, seed uint64) *generator {
	t := sc.Traffic
	g := &generator{p: p, sc: sc, rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		reqs: t.Requests, errRate: t.ErrorRate, median: t.LatencyMedian.Seconds(), sigma: t.LatencySigma,
		cohort: t.CohortShare, perSide: sc.Metrics.SamplesPerSide, started: -1}
	if g.reqs == 0 {
		g.reqs = 2000
	}
	if g.errRate == 0 {
		g.errRate = 0.002
	}
	if g.median == 0 {
		g.median = 0.1
	}
	if g.sigma == 0 {
		g.sigma = 0.3
	}
	if g.cohort == 0 {
		g.cohort = 0.1
	}
	if g.perSide == 0 {
		g.perSide = 50
	}
	return g
}

func (g *generator) checks() map[string]rollout.Check {
	spec := g.p.Spec()
	out := map[string]rollout.Check{}
	add := func(cs []rollout.Criterion) {
		for _, c := range cs {
			ok := !slices.Contains(g.sc.FailingChecks, c.Name)
			out[c.Name] = rollout.Check{OK: ok}
		}
	}
	add(spec.Readiness)
	for _, s := range spec.Stages {
		add(s.Exit)
	}
	return out
}

func (g *generator) observe(s rollout.State, t time.Duration) rollout.Observations {
	obs := rollout.Observations{Checks: g.checks()}
	if s.Phase == rollout.NotStarted {
		return obs
	}
	share := g.cohort
	if e := g.p.Stage(s.Stage).Exposure; e.IsPercent() {
		share = e.Percent / 100
	}
	errFactor, latFactor := 1.0, 1.0
	total := g.reqs
	var outage []string
	outageAll := false
	for _, f := range g.sc.Faults {
		if !f.active(t) {
			continue
		}
		switch f.Kind {
		case ErrorBurst:
			errFactor *= f.Factor
		case LatencyShift:
			latFactor *= f.Factor
		case NoTraffic:
			total = 0
		case SourceOutage:
			if len(f.Metrics) == 0 {
				outageAll = true
			}
			outage = append(outage, f.Metrics...)
		}
	}
	nc := g.binomial(total, share)
	nb := total - nc
	pc := min(g.errRate*errFactor, 1)
	ec, eb := g.binomial(nc, pc), g.binomial(nb, g.errRate)
	m := g.sc.Metrics
	down := func(name string) bool {
		if name == "" {
			return true
		}
		if outageAll || slices.Contains(outage, name) {
			if obs.Errors == nil {
				obs.Errors = map[string]string{}
			}
			obs.Errors[name] = "synthetic outage"
			return true
		}
		return false
	}
	if !down(m.ErrorRatio) {
		ratio := 0.0
		if nc > 0 {
			ratio = float64(ec) / float64(nc)
		}
		setMetric(&obs, m.ErrorRatio, rollout.Measurement{Value: ratio, Sample: int64(nc)})
	}
	if !down(m.Errors) {
		obs.Counts = map[string]rollout.Counts{m.Errors: {Canary: int64(ec), Baseline: int64(eb), Requests: int64(nc)}}
	}
	if m.Latency != "" || m.LatencyMean != "" {
		canary := g.latencies(min(nc, g.perSide), latFactor)
		baseline := g.latencies(min(nb, g.perSide), 1)
		if !down(m.Latency) {
			obs.Samples = map[string]rollout.Samples{m.Latency: {Canary: canary, Baseline: baseline}}
		}
		if !down(m.LatencyMean) {
			mean := 0.0
			for _, x := range canary {
				mean += x
			}
			if len(canary) > 0 {
				mean /= float64(len(canary))
			}
			setMetric(&obs, m.LatencyMean, rollout.Measurement{Value: mean, Sample: int64(nc)})
		}
	}
	return obs
}

func setMetric(obs *rollout.Observations, name string, v rollout.Measurement) {
	if obs.Metrics == nil {
		obs.Metrics = map[string]rollout.Measurement{}
	}
	obs.Metrics[name] = v
}

func (g *generator) latencies(n int, factor float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = g.median * factor * math.Exp(g.sigma*g.rng.NormFloat64())
	}
	return xs
}

// binomial draws from Binomial(n, p): exactly for small n, by a Poisson draw
// when the mean is small, by the normal approximation otherwise.
func (g *generator) binomial(n int, p float64) int {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	case n <= 64:
		k := 0
		for range n {
			if g.rng.Float64() < p {
				k++
			}
		}
		return k
	}
	mean := float64(n) * p
	if mean < 30 {
		// Knuth's multiplication method.
		l, k, prod := math.Exp(-mean), 0, g.rng.Float64()
		for prod > l {
			k++
			prod *= g.rng.Float64()
		}
		return min(k, n)
	}
	x := math.Round(mean + math.Sqrt(mean*(1-p))*g.rng.NormFloat64())
	return int(min(max(x, 0), float64(n)))
}
