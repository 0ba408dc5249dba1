package rollout

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// DefaultInterval is the evaluation interval of a plan that does not set one.
const DefaultInterval = time.Minute

// PlanSpec is a rollout plan as written by people: Go values, or YAML/JSON
// decoded by [ParsePlan]. Zero fields mean the documented defaults. Compile it
// with [Compile] before use.
type PlanSpec struct {
	// Name identifies the plan in decisions and logs. Required.
	Name string `json:"name"`
	// Strategy is canary (the default) or blue-green.
	Strategy Strategy `json:"strategy,omitempty"`
	// Labels describe what is rolled out, for reporting: service, team, region...
	Labels map[string]string `json:"labels,omitempty"`
	// Owner is the default owner of every stage.
	Owner string `json:"owner,omitempty"`
	// Interval is how often the rollout is evaluated; 0 means [DefaultInterval].
	// Gates may measure less often.
	Interval Duration `json:"interval,omitempty"`
	// RollbackWindow is, for blue-green plans, how long the old version is kept
	// after the switch; the last stage bakes at least this long. Required for
	// blue-green, not allowed for canary.
	RollbackWindow Duration `json:"rollbackWindow,omitempty"`
	// Readiness are checks that must all pass before the rollout starts.
	Readiness []Criterion `json:"readiness,omitempty"`
	// Gates are the health gates, referenced by name from stages.
	Gates []GateSpec `json:"gates,omitempty"`
	// Stages are the ordered stages. At least one.
	Stages []StageSpec `json:"stages"`
}

// Criterion is a named check whose result the caller supplies in
// [Observations.Checks]: a readiness criterion ("backups verified") or a stage's
// exit criterion.
type Criterion struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// StageSpec is one stage of a plan.
type StageSpec struct {
	// Name identifies the stage. Required and unique.
	Name string `json:"name"`
	// Exposure is who runs the new version during the stage. Percentages never
	// shrink from one stage to the next, nor do region sets.
	Exposure Exposure `json:"exposure"`
	// Bake is the minimum time the stage runs before it may advance.
	Bake Duration `json:"bake,omitempty"`
	// ProgressDeadline, if set, is how long the stage may take to pass; past it
	// a stage that is still waiting or held holds or rolls back (OnDeadline).
	// It counts from the stage's start or the latest resume or approval, so
	// time spent paused or waiting for an approval does not use it up. Not
	// shorter than Bake.
	ProgressDeadline Duration `json:"progressDeadline,omitempty"`
	// OnDeadline is what a missed progress deadline does: hold (default) or rollback.
	OnDeadline DeadlineAction `json:"onDeadline,omitempty"`
	// Gates names the plan's gates evaluated during this stage.
	Gates []string `json:"gates,omitempty"`
	// Exit are checks that must pass before the stage ends.
	Exit []Criterion `json:"exit,omitempty"`
	// Owner is responsible for the stage; empty means the plan's owner.
	Owner string `json:"owner,omitempty"`
	// Approval requires a manual approval before the stage ends, from one of
	// Approvers if any are listed.
	Approval  bool     `json:"approval,omitempty"`
	Approvers []string `json:"approvers,omitempty"`
	// Pause stops the rollout once the stage is healthy until a person resumes it.
	Pause bool `json:"pause,omitempty"`
}

// Plan is a compiled, validated, immutable [PlanSpec]. It is safe for
// concurrent use. Build it with [Compile], [MustCompile] or [ParsePlan].
type Plan struct {
	spec     PlanSpec
	interval time.Duration
	gates    []compiledGate
	byName   map[string]int
	stages   []compiledStage
}

type compiledStage struct {
	spec  StageSpec
	bake  time.Duration
	gates []stageGate // in the order the stage lists them
	owner string
}

// stageGate is a gate as used in one stage (sequential gates depend on the
// stage's exposure).
type stageGate struct {
	g   *compiledGate
	seq *sequentialGate
}

// Compile validates spec and returns the compiled plan. Every problem found is
// reported as a [*PlanError] (joined with [errors.Join] when there are several).
func Compile(spec PlanSpec) (*Plan, error) {
	spec = cloneSpec(spec)
	v := &validator{}
	p := &Plan{spec: spec, byName: make(map[string]int, len(spec.Gates))}

	if spec.Name == "" {
		v.add("name", "", "is required")
	}
	if spec.Strategy != Canary && spec.Strategy != BlueGreen {
		v.add("strategy", "", fmt.Sprintf("unknown strategy %d", int(spec.Strategy)))
	}
	for k := range spec.Labels {
		if k == "" {
			v.add("labels", "", "has an empty key")
		}
	}
	v.duration("interval", spec.Interval)
	v.duration("rollbackWindow", spec.RollbackWindow)
	p.interval = spec.Interval.D()
	if p.interval == 0 {
		p.interval = DefaultInterval
	}
	v.criteria("readiness", spec.Readiness)

	for i, gs := range spec.Gates {
		path := fmt.Sprintf("gates[%d]", i)
		if gs.Name == "" {
			v.add(path+".name", "", "is required")
		} else if _, dup := p.byName[gs.Name]; dup {
			v.add(path+".name", gs.Name, fmt.Sprintf("duplicate gate %q", gs.Name))
		} else {
			p.byName[gs.Name] = i
		}
		p.gates = append(p.gates, compileGate(v, path, gs, p.interval))
	}

	if len(spec.Stages) == 0 {
		v.add("stages", "", "a plan needs at least one stage")
	}
	names := map[string]bool{}
	for i, ss := range spec.Stages {
		path := fmt.Sprintf("stages[%d]", i)
		cs := compiledStage{spec: ss, bake: ss.Bake.D(), owner: ss.Owner}
		if cs.owner == "" {
			cs.owner = spec.Owner
		}
		if ss.Name == "" {
			v.add(path+".name", "", "is required")
		} else if names[ss.Name] {
			v.add(path+".name", ss.Name, fmt.Sprintf("duplicate stage %q", ss.Name))
		}
		names[ss.Name] = true
		v.exposure(path+".exposure", ss.Exposure)
		v.growth(path+".exposure", spec.Stages[:i], ss.Exposure)
		v.duration(path+".bake", ss.Bake)
		if ss.ProgressDeadline < 0 {
			v.duration(path+".progressDeadline", ss.ProgressDeadline)
		} else if ss.ProgressDeadline != 0 && ss.ProgressDeadline < ss.Bake {
			v.add(path+".progressDeadline", ss.ProgressDeadline.String(),
				fmt.Sprintf("%s is shorter than the bake time %s", ss.ProgressDeadline, ss.Bake))
		}
		if ss.OnDeadline != DeadlineHold && ss.OnDeadline != DeadlineRollBack {
			v.add(path+".onDeadline", "", fmt.Sprintf("unknown deadline action %d", int(ss.OnDeadline)))
		}
		if len(ss.Approvers) > 0 && !ss.Approval {
			v.add(path+".approvers", "", "approvers are listed but approval is not required")
		}
		v.criteria(path+".exit", ss.Exit)
		seen := map[string]bool{}
		for j, ref := range ss.Gates {
			gpath := fmt.Sprintf("%s.gates[%d]", path, j)
			gi, ok := p.byName[ref]
			switch {
			case !ok:
				v.add(gpath, ref, fmt.Sprintf("unknown gate %q", ref))
				continue
			case seen[ref]:
				v.add(gpath, ref, fmt.Sprintf("gate %q is listed twice", ref))
				continue
			}
			seen[ref] = true
			g := &p.gates[gi]
			sg := stageGate{g: g}
			if g.kind == kindSequential {
				sg.seq = compileSequential(v, gpath, g, ss.Exposure)
			}
			cs.gates = append(cs.gates, sg)
		}
		p.stages = append(p.stages, cs)
	}
	if spec.Strategy == BlueGreen {
		v.blueGreen(spec)
		if n := len(p.stages); n > 0 && p.stages[n-1].bake < spec.RollbackWindow.D() {
			p.stages[n-1].bake = spec.RollbackWindow.D()
			// The switch stage lasts the whole rollback window: a shorter
			// deadline would hold or roll back a healthy switch.
			if dl := spec.Stages[n-1].ProgressDeadline; dl > 0 && dl.D() < spec.RollbackWindow.D() {
				v.add(fmt.Sprintf("stages[%d].progressDeadline", n-1), dl.String(),
					fmt.Sprintf("%s is shorter than the rollback window %s, which the last stage of a blue-green plan bakes for", dl, spec.RollbackWindow))
			}
		}
	} else if spec.RollbackWindow != 0 {
		v.add("rollbackWindow", spec.RollbackWindow.String(), "is only used by blue-green plans")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// MustCompile is like [Compile] but panics on error. It is meant for plans
// written in Go source and tests.
func MustCompile(spec PlanSpec) *Plan {
	p, err := Compile(spec)
	if err != nil {
		panic(err)
	}
	return p
}

// Spec returns a copy of the plan's specification.
func (p *Plan) Spec() PlanSpec { return cloneSpec(p.spec) }

// Name returns the plan's name.
func (p *Plan) Name() string { return p.spec.Name }

// Strategy returns the plan's strategy.
func (p *Plan) Strategy() Strategy { return p.spec.Strategy }

// Labels returns a copy of the plan's labels.
func (p *Plan) Labels() map[string]string { return maps.Clone(p.spec.Labels) }

// Interval returns the evaluation interval after defaults.
func (p *Plan) Interval() time.Duration { return p.interval }

// NumStages returns the number of stages.
func (p *Plan) NumStages() int { return len(p.stages) }

// Stage returns a copy of stage i's specification. It panics if i is out of range.
func (p *Plan) Stage(i int) StageSpec { return cloneStage(p.stages[i].spec) }

// StageOwner returns the owner of stage i after defaults ("" if none).
func (p *Plan) StageOwner(i int) string { return p.stages[i].owner }

// StageBake returns the effective minimum bake time of stage i; for the last
// stage of a blue-green plan it is at least the rollback window.
func (p *Plan) StageBake(i int) time.Duration { return p.stages[i].bake }

func cloneSpec(s PlanSpec) PlanSpec {
	s.Labels = maps.Clone(s.Labels)
	s.Readiness = slices.Clone(s.Readiness)
	gates := make([]GateSpec, len(s.Gates))
	for i, g := range s.Gates {
		gates[i] = cloneGate(g)
	}
	if s.Gates != nil {
		s.Gates = gates
	}
	if s.Stages != nil {
		stages := make([]StageSpec, len(s.Stages))
		for i, st := range s.Stages {
			stages[i] = cloneStage(st)
		}
		s.Stages = stages
	}
	return s
}

func cloneStage(s StageSpec) StageSpec {
	s.Exposure.Regions = slices.Clone(s.Exposure.Regions)
	s.Gates = slices.Clone(s.Gates)
	s.Exit = slices.Clone(s.Exit)
	s.Approvers = slices.Clone(s.Approvers)
	return s
}

// validator collects plan errors.
type validator struct{ errs []error }

func (v *validator) add(path, value, reason string) {
	v.errs = append(v.errs, &PlanError{Path: path, Value: value, Reason: reason})
}

func (v *validator) err() error {
	switch len(v.errs) {
	case 0:
		return nil
	case 1:
		return v.errs[0]
	}
	return errors.Join(v.errs...)
}

// duration rejects a negative duration (Go values; the text form already
// rejects them).
func (v *validator) duration(path string, d Duration) {
	if d < 0 {
		v.add(path, d.String(), d.String()+" must not be negative")
	}
}

func (v *validator) criteria(path string, cs []Criterion) {
	seen := map[string]bool{}
	for i, c := range cs {
		p := fmt.Sprintf("%s[%d].name", path, i)
		if c.Name == "" {
			v.add(p, "", "is required")
		} else if seen[c.Name] {
			v.add(p, c.Name, fmt.Sprintf("duplicate criterion %q", c.Name))
		}
		seen[c.Name] = true
	}
}

func (v *validator) exposure(path string, e Exposure) {
	switch {
	case e.Cohort != "" && len(e.Regions) > 0:
		v.add(path, e.String(), "has both a cohort and regions")
	case e.Cohort != "" || len(e.Regions) > 0:
		if e.Percent != 0 {
			v.add(path, e.String(), "has a percentage and a cohort or regions")
		}
		seen := map[string]bool{}
		for _, r := range e.Regions {
			if r == "" {
				v.add(path+".regions", "", "has an empty region")
			} else if seen[r] {
				v.add(path+".regions", r, fmt.Sprintf("region %q is listed twice", r))
			}
			seen[r] = true
		}
	default:
		if math.IsNaN(e.Percent) || e.Percent < 0 || e.Percent > 100 {
			v.add(path, formatPercent(e.Percent), fmt.Sprintf("%s is outside 0%%..100%%", formatPercent(e.Percent)))
		}
	}
}

// growth rejects an exposure cur that shrinks from the earlier stages prev.
// Stages of different forms (a cohort between two percentages) do not hide a
// shrink: a percentage is compared with the largest earlier percentage, a
// region set with every earlier region set, and a percentage after any region
// stage must be 100%.
func (v *validator) growth(path string, prev []StageSpec, cur Exposure) {
	maxAt, lastRegions := -1, -1
	for i, s := range prev {
		e := s.Exposure
		if e.IsPercent() && (maxAt < 0 || e.Percent >= prev[maxAt].Exposure.Percent) {
			maxAt = i
		}
		if len(e.Regions) > 0 {
			lastRegions = i
		}
	}
	which := func(i int) string {
		if i == len(prev)-1 {
			return "the previous stage"
		}
		return "stage " + quote(prev[i].Name)
	}
	switch {
	case cur.IsPercent():
		if maxAt >= 0 && cur.Percent < prev[maxAt].Exposure.Percent {
			v.add(path, formatPercent(cur.Percent), fmt.Sprintf("%s is below %s's %s",
				formatPercent(cur.Percent), which(maxAt), formatPercent(prev[maxAt].Exposure.Percent)))
		} else if lastRegions >= 0 && cur.Percent < 100 {
			v.add(path, cur.String(), "a percentage after a region stage must be 100%")
		}
	case len(cur.Regions) > 0:
		// Report each dropped region once, against the latest stage that had it.
		reported := map[string]bool{}
		for i := len(prev) - 1; i >= 0; i-- {
			for _, r := range prev[i].Exposure.Regions {
				if !reported[r] && !slices.Contains(cur.Regions, r) {
					reported[r] = true
					v.add(path, cur.String(), fmt.Sprintf("drops region %q of %s", r, which(i)))
				}
			}
		}
	}
}

func (v *validator) blueGreen(spec PlanSpec) {
	if spec.RollbackWindow == 0 {
		v.add("rollbackWindow", "", "is required for blue-green plans")
	}
	n := len(spec.Stages)
	if n < 2 {
		if n == 1 {
			v.add("stages", "", "a blue-green plan needs a verification stage at 0% and a switch stage at 100%")
		}
		return
	}
	for i, s := range spec.Stages[:n-1] {
		if !s.Exposure.IsPercent() || s.Exposure.Percent != 0 {
			v.add(fmt.Sprintf("stages[%d].exposure", i), s.Exposure.String(),
				fmt.Sprintf("blue-green verifies at 0%% exposure before the switch, not %s", s.Exposure))
		}
	}
	last := spec.Stages[n-1].Exposure
	if !last.IsPercent() || last.Percent != 100 {
		v.add(fmt.Sprintf("stages[%d].exposure", n-1), last.String(),
			fmt.Sprintf("blue-green switches all traffic at once: the last stage must be 100%%, not %s", last))
	}
}
