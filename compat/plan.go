package compat

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Catalog lists the versions available for each component, for
// [Matrix.Plan]. A component missing from the catalog uses the versions
// declared in the matrix.
type Catalog map[string][]Version

// PlanOptions configures [Matrix.Plan]. The zero value plans whole
// components, may skip versions, runs any number of steps in parallel and
// accepts only fully supported states.
type PlanOptions struct {
	// PerInstance moves one instance per step instead of a whole
	// component.
	PerInstance bool
	// StepThroughMinors forbids skipping minor versions: a step moves to a
	// newer patch of the same minor or to the next major.minor present in
	// the catalog (counted from the newest version when a component runs
	// several). Minors with only prereleases in the catalog are not steps.
	StepThroughMinors bool
	// MaxParallel caps the steps in one wave; 0 means no cap.
	MaxParallel int
	// AllowTestedOnly accepts intermediate states whose verdict is
	// TestedOnly; by default every state must be Supported.
	AllowTestedOnly bool
	// When more than 250 catalog versions lie between a component's current
	// and target version, only the newest patch of each minor is used.
	//
	// MaxStates caps the search states examined per group of coupled
	// components, for each of the two search phases (and the states
	// generated at 32 times that); 0 means 20000.
	MaxStates int
}

// Step moves one component (or one instance of it) to one version.
type Step struct {
	Component string `json:"component"`
	// Instance names the instance moved, or is "" when the step moves
	// every instance of the component (a rolling restart).
	Instance string `json:"instance,omitempty"`
	// From is the version left; for a whole-component step on a component
	// that runs several versions, the oldest of them.
	From Version `json:"from"`
	To   Version `json:"to"`
	// Wave is the 0-based index in Plan.Waves of the step's wave.
	Wave int `json:"wave"`
}

// String renders "orders-api 3.1.0 -> 3.2.0" or, for an instance,
// "orders-api[2] 3.1.0 -> 3.2.0".
func (s Step) String() string {
	who := s.Component
	if s.Instance != "" {
		who = s.Instance
	}
	return fmt.Sprintf("%s %s -> %s", who, s.From, s.To)
}

// Change classifies a step the way change freezes do: a new major
// version is a major change, a new minor a minor one, anything else
// (patch, fourth segment, prerelease or build) a patch.
func (s Step) Change() Change { return changeBetween(s.From, s.To) }

func changeBetween(from, to Version) Change {
	switch {
	case from.Equal(to) && from.Metadata() == to.Metadata():
		return ChangeNone
	case from.Major() != to.Major():
		return ChangeMajor
	case from.Minor() != to.Minor():
		return ChangeMinor
	}
	return ChangePatch
}

// Plan is an ordered upgrade: every state reached while applying Steps in
// order passes [Matrix.Check], and so does every state reachable while the
// steps of one wave run in parallel, in any order and any subset.
type Plan struct {
	// Steps in order; Step.Wave groups them.
	Steps []Step `json:"steps"`
	// Waves are consecutive groups of Steps that may run in parallel.
	Waves [][]Step `json:"waves"`
	// Optimal reports that no plan has fewer steps. It is false when the
	// exact search ran out of budget and a greedy search found the plan.
	Optimal bool `json:"optimal"`
}

// String renders the plan one wave a line.
func (p *Plan) String() string {
	if len(p.Steps) == 0 {
		return "nothing to do"
	}
	var b strings.Builder
	for i, w := range p.Waves {
		if i > 0 {
			b.WriteByte('\n')
		}
		parts := make([]string, len(w))
		for k, s := range w {
			parts[k] = s.String()
		}
		fmt.Fprintf(&b, "wave %d: %s", i+1, strings.Join(parts, ", "))
	}
	return b.String()
}

// States replays p from current and returns the deployment after each
// wave: States(current)[i] is what runs once Waves[i] is done, and the
// last element is the end state. Steps apply as [Deployment.Apply] does.
// current is not modified; a nil or empty plan has no states.
func (p *Plan) States(current Deployment) []Deployment {
	if p == nil || len(p.Waves) == 0 {
		return nil
	}
	out := make([]Deployment, len(p.Waves))
	d := current
	for i, w := range p.Waves {
		d = d.Apply(w...)
		out[i] = d
	}
	return out
}

// WaveChange returns the largest [Step.Change] in wave i (0-based), the
// kind of change a freeze or approval policy should treat the wave as;
// it returns ChangeNone for an out-of-range wave.
func (p *Plan) WaveChange(i int) Change {
	if p == nil || i < 0 || i >= len(p.Waves) {
		return ChangeNone
	}
	c := ChangeNone
	for _, s := range p.Waves[i] {
		c = max(c, s.Change())
	}
	return c
}

// Change returns the largest [Step.Change] in the whole plan.
func (p *Plan) Change() Change {
	if p == nil {
		return ChangeNone
	}
	c := ChangeNone
	for _, s := range p.Steps {
		c = max(c, s.Change())
	}
	return c
}

// BlockedStep is a step the planner could not take, and the rules that
// block it.
type BlockedStep struct {
	Step       Step        `json:"step"`
	Violations []Violation `json:"violations"`
}

// NoPathError explains why [Matrix.Plan] found no path: from the state
// closest to the target that the search reached, every remaining step is
// blocked by the listed rules. It matches [ErrNoPath], or [ErrSearchLimit]
// when the search budget ran out first.
type NoPathError struct {
	// Components is the group of coupled components that could not be
	// planned.
	Components []string
	// Reached is the path to the closest state found.
	Reached []Step
	// Blocked lists every next step from that state and why it fails.
	Blocked []BlockedStep
	// Limit is true when the search gave up at PlanOptions.MaxStates.
	Limit bool
}

// Error implements the error interface.
func (e *NoPathError) Error() string {
	var b strings.Builder
	if e.Limit {
		b.WriteString("compat: upgrade search limit reached")
	} else {
		b.WriteString("compat: no compatible upgrade path")
	}
	fmt.Fprintf(&b, " for %s", strings.Join(e.Components, ", "))
	if len(e.Reached) > 0 {
		parts := make([]string, len(e.Reached))
		for i, s := range e.Reached {
			parts[i] = s.String()
		}
		fmt.Fprintf(&b, "; closest state reached after %s", strings.Join(parts, ", "))
	}
	if len(e.Blocked) == 0 {
		b.WriteString("; every step from there leads only to states from which the target cannot be reached")
		return b.String()
	}
	b.WriteString("; every next step is blocked:")
	for _, bs := range e.Blocked {
		fmt.Fprintf(&b, "\n\t%s:", bs.Step)
		for _, v := range bs.Violations {
			fmt.Fprintf(&b, "\n\t\trule %s [%s]: %s", v.Rule, v.Level, v.Why)
		}
	}
	return b.String()
}

// Is matches [ErrNoPath] or, with Limit, [ErrSearchLimit].
func (e *NoPathError) Is(target error) bool {
	if e.Limit {
		return target == ErrSearchLimit
	}
	return target == ErrNoPath
}

// StateError reports that the current or target deployment of a plan is
// not compatible; no plan can keep every state compatible.
type StateError struct {
	Which  string // "current" or "target"
	Report Report
}

// Error implements the error interface.
func (e *StateError) Error() string {
	return fmt.Sprintf("compat: %s deployment is not compatible: %s", e.Which, e.Report)
}

// Is matches [ErrIncompatible].
func (e *StateError) Is(target error) bool { return target == ErrIncompatible }

// slot is one independently moving unit: a whole component, or one
// instance in per-instance mode (all instances of a component share one
// candidate list and are interchangeable in the search).
type slot struct {
	comp  int
	inst  int       // per-instance: index in the current deployment; -1 whole
	start int       // index in the component's candidates
	cands []Version // shared per component; cands[0] may stand for start set
	norm  []Version // shared: normalized cands
	mixed []vinst   // whole mode: instances when cands[0] is a mixed set
	dist  []int     // shared: minimum steps from each index to the end
	next  [][]uint8 // shared: allowed successor indexes, best first
}

type move struct {
	comp     int
	from, to int
}

// planner holds one Plan call's working state.
type planner struct {
	m         *Matrix
	opts      PlanOptions
	threshold Level
	slots     []slot
	compSlots map[int][]int // component -> its slots, ascending
	static    [][]vinst     // instances that do not move, by component
	names     [][]string    // per-instance mode: instance names by component, slot order
	vw        view          // scratch view
	buf       [][]vinst     // per component scratch buffers
	label     [][3]string   // per component: names for moved, moving and new instances
	current   Deployment    // the Plan request, for expandWhole
	target    Deployment
	catalog   Catalog
	pairView  view // scratch view for binding checks: only two components set
}

// Plan finds an ordered, wave-grouped sequence of steps that moves current
// to target while every intermediate state passes [Matrix.Check] (at
// Supported level, or TestedOnly with PlanOptions.AllowTestedOnly).
//
// Target names one version per component to move; components absent from
// target stay where they are. Features enabled in current must stay
// usable in every state; target's feature list is not used. Steps only
// move toward the target through versions in catalog (or the matrix
// catalog) and the target itself. Prerelease catalog versions (after the
// matrix's normalizer, so vendor builds count as releases) are never
// intermediate steps: a plan reaches a prerelease only as the target.
//
// # Guarantees
//
// Steps only move toward the target: Plan never plans a detour through
// an older version. Components are split into groups coupled by rules
// that actually constrain some pair of their candidate versions; other
// rules hold for every combination and cannot block a step, so groups are
// planned independently. Each group is searched with A*: the heuristic
// adds each component's own minimum remaining steps, except that disjoint
// pairs of coupled components contribute the exact minimum for the pair
// solved alone (a relaxation, hence a lower bound); ties break on progress
// and then creation order, so results are deterministic. Moves are checked
// lazily when a state is taken from the queue, and memoized on the
// versions of the components that share a rule with the moved one. When
// A* finishes, the plan has the fewest steps possible under the options
// and Plan.Optimal is true. If a group needs more than
// PlanOptions.MaxStates examined states, a fallback takes over: in
// per-instance mode, first the group is planned as whole components and
// each step expanded into one step per instance; otherwise (or if that
// finds nothing) a greedy best-first search with the same heuristic. A
// fallback never returns an unsafe plan, but the plan may be longer, and
// Plan.Optimal is false. If both searches run out
// of budget, Plan returns a [*NoPathError] matching [ErrSearchLimit].
//
// A wave is safe when the state in which every component of the wave runs
// both its old and its new version passes Check. All rules are universal
// over instances, so every state reachable while the wave runs in any
// order or subset is covered by that one check. Waves are packed greedily
// in plan order.
//
// When no plan exists Plan returns a [*NoPathError] that names the steps
// blocked from the closest state reached and the rules that block them.
func (m *Matrix) Plan(current, target Deployment, catalog Catalog, opts PlanOptions) (*Plan, error) {
	p := &planner{m: m, opts: opts, threshold: Supported, compSlots: map[int][]int{}, current: current, target: target, catalog: catalog}
	if opts.AllowTestedOnly {
		p.threshold = TestedOnly
	}
	if p.opts.MaxStates <= 0 {
		p.opts.MaxStates = 20000
	}
	if err := p.checkEnds(current, target); err != nil {
		return nil, err
	}
	if err := p.setup(current, target, catalog); err != nil {
		return nil, err
	}
	groups := p.groups()
	plan := &Plan{Optimal: true}
	queues := make([][]move, len(groups))
	for gi, g := range groups {
		moves, optimal, err := p.search(g)
		if err != nil {
			return nil, err
		}
		queues[gi] = moves
		plan.Optimal = plan.Optimal && optimal
	}
	if err := p.waves(plan, queues); err != nil {
		return nil, err
	}
	return plan, nil
}

func (p *planner) checkEnds(current, target Deployment) error {
	m := p.m
	blocks := func(r Report) bool {
		for _, v := range r.Violations {
			if v.Level < p.threshold {
				return true
			}
		}
		return false
	}
	if rep := m.Check(current); blocks(rep) {
		return &StateError{Which: "current", Report: rep}
	}
	end := Deployment{Components: maps.Clone(current.Components), Features: current.Features}
	for _, name := range slices.Sorted(maps.Keys(target.Components)) {
		insts := target.Components[name]
		if _, ok := m.compIdx[name]; !ok {
			return fmt.Errorf("%w: target component %q is not in the matrix", ErrInvalidPlanInput, name)
		}
		cur, ok := current.Components[name]
		if !ok || len(cur) == 0 {
			return fmt.Errorf("%w: target component %q is not deployed (Plan upgrades; it does not install)", ErrInvalidPlanInput, name)
		}
		if len(insts) == 0 || !insts[0].Version.IsValid() {
			return fmt.Errorf("%w: target component %q lists no valid version", ErrInvalidPlanInput, name)
		}
		for _, in := range insts[1:] {
			if !in.Version.Equal(insts[0].Version) {
				return fmt.Errorf("%w: target component %q lists several versions (%s and %s)", ErrInvalidPlanInput, name, insts[0].Version, in.Version)
			}
		}
		end.Components[name] = upgraded(cur, insts[0].Version)
	}
	if rep := m.Check(end); blocks(rep) {
		return &StateError{Which: "target", Report: rep}
	}
	return nil
}

func minorKey(v Version) [2]int64 { return [2]int64{v.seg[0], v.seg[1]} }

// newestPatches keeps, of each major.minor in vs, only the newest version;
// it bounds the search when very many versions lie between current and
// target.
func newestPatches(vs []Version, norm func(Version) Version) []Version {
	newest := map[[2]int64]Version{}
	for _, v := range vs {
		k := minorKey(norm(v))
		if old, ok := newest[k]; !ok || norm(v).Compare(norm(old)) > 0 {
			newest[k] = v
		}
	}
	out := make([]Version, 0, len(newest))
	for _, v := range newest {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Version) int { return norm(a).Compare(norm(b)) })
	return out
}

func (p *planner) setup(current, target Deployment, catalog Catalog) error {
	m := p.m
	p.static = make([][]vinst, len(m.comps))
	p.names = make([][]string, len(m.comps))
	p.vw = view{inst: make([][]vinst, len(m.comps)), enabled: make([]bool, len(m.features))}
	p.buf = make([][]vinst, len(m.comps))
	p.label = make([][3]string, len(m.comps))
	for ci, c := range m.comps {
		p.label[ci] = [3]string{c.name + " (all instances)", c.name + " (an instance)", c.name + " (upgraded instances)"}
	}
	for _, f := range current.Features {
		if ri, ok := m.ruleIdx[f]; ok && m.rules[ri].kind == KindFeature {
			p.vw.enabled[m.rules[ri].feature] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(current.Components)) {
		ci, ok := m.compIdx[name]
		if !ok {
			continue
		}
		insts := current.Components[name]
		cur := make([]vinst, len(insts))
		for i, in := range insts {
			cur[i] = vinst{v: m.Normalize(in.Version), orig: in.Version, name: instanceName(name, i, in)}
		}
		p.static[ci] = cur
		t, moving := target.Components[name]
		if !moving {
			continue
		}
		goal := t[0].Version
		ng := m.Normalize(goal)
		lo, hi := cur[0].v, cur[0].v
		for _, in := range cur {
			if in.v.Compare(lo) < 0 {
				lo = in.v
			}
			if in.v.Compare(hi) > 0 {
				hi = in.v
			}
		}
		avail := catalog[name]
		if avail == nil {
			avail = m.comps[ci].catalog
		}
		var mids []Version
		up := ng.Compare(hi) >= 0
		down := ng.Compare(lo) <= 0
		for _, v := range avail {
			nv := m.Normalize(v)
			if nv.pre != "" {
				continue // a prerelease is a destination, never a stopover
			}
			if (up && nv.Compare(hi) > 0 && nv.Compare(ng) < 0) || (down && !up && nv.Compare(lo) < 0 && nv.Compare(ng) > 0) {
				mids = append(mids, v)
			}
		}
		order := func(a, b Version) int {
			c := m.Normalize(a).Compare(m.Normalize(b))
			if !up {
				c = -c
			}
			return c
		}
		if len(mids) > 250 {
			mids = newestPatches(mids, m.Normalize)
		}
		if p.opts.PerInstance {
			if !up && !down {
				return fmt.Errorf("%w: instances of %q run versions on both sides of target %s", ErrInvalidPlanInput, name, goal)
			}
			var cands []Version
			for _, in := range cur {
				if !in.v.Equal(ng) {
					cands = append(cands, in.orig)
				}
			}
			if len(cands) == 0 {
				continue
			}
			cands = append(append(cands, mids...), goal)
			slices.SortStableFunc(cands, order)
			cands = slices.CompactFunc(cands, func(a, b Version) bool { return order(a, b) == 0 })
			dist, next := p.moves(cands)
			norm := p.normAll(cands)
			var stat []vinst
			for i, in := range cur {
				if in.v.Equal(ng) {
					stat = append(stat, in)
					continue
				}
				start := slices.IndexFunc(cands, func(c Version) bool { return order(c, in.orig) == 0 })
				p.compSlots[ci] = append(p.compSlots[ci], len(p.slots))
				p.names[ci] = append(p.names[ci], in.name)
				p.slots = append(p.slots, slot{comp: ci, inst: i, start: start, cands: cands, norm: norm, dist: dist, next: next})
			}
			p.static[ci] = stat
			continue
		}
		mixed := !lo.Equal(hi)
		if !mixed && lo.Equal(ng) {
			continue
		}
		cands := []Version{cur[0].orig}
		if mixed {
			// cands[0] stands for the whole start set; it carries the newest
			// version so that StepThroughMinors counts from there.
			for _, in := range cur {
				if in.v.Equal(hi) {
					cands[0] = in.orig
				}
			}
		}
		mids = slices.DeleteFunc(mids, func(v Version) bool { return m.Normalize(v).Equal(ng) })
		slices.SortStableFunc(mids, order)
		mids = slices.CompactFunc(mids, func(a, b Version) bool { return order(a, b) == 0 })
		cands = append(append(cands, mids...), goal)
		dist, next := p.moves(cands)
		s := slot{comp: ci, inst: -1, cands: cands, norm: p.normAll(cands), dist: dist, next: next}
		if mixed {
			s.mixed = cur
		}
		p.compSlots[ci] = []int{len(p.slots)}
		p.static[ci] = nil
		p.slots = append(p.slots, s)
	}
	if len(p.slots) > 0 && len(p.slots) > 255*255 {
		return fmt.Errorf("%w: too many moving instances", ErrInvalidPlanInput)
	}
	for _, s := range p.slots {
		if len(s.cands) > 255 {
			return fmt.Errorf("%w: more than 255 candidate versions for %q", ErrInvalidPlanInput, m.comps[s.comp].name)
		}
	}
	return nil
}

// moves computes, for a candidate list ordered toward its last element,
// the allowed successors of each index and the minimum steps to the end.
func (p *planner) moves(cands []Version) ([]int, [][]uint8) {
	n := len(cands)
	next := make([][]uint8, n)
	key := func(i int) [2]int64 { return minorKey(p.m.Normalize(cands[i])) }
	for i := range n - 1 {
		var following [2]int64
		found := false
		for j := i + 1; j < n; j++ {
			if k := key(j); k != key(i) {
				following, found = k, true
				break
			}
		}
		for j := i + 1; j < n; j++ {
			if p.opts.StepThroughMinors {
				if k := key(j); k != key(i) && !(found && k == following) {
					continue
				}
			}
			next[i] = append(next[i], uint8(j))
		}
	}
	dist := make([]int, n)
	for i := n - 2; i >= 0; i-- {
		dist[i] = 1 << 30
		for _, j := range next[i] {
			dist[i] = min(dist[i], dist[j]+1)
		}
	}
	for i := range next {
		slices.SortStableFunc(next[i], func(a, b uint8) int {
			if c := cmp.Compare(dist[a], dist[b]); c != 0 {
				return c
			}
			return cmp.Compare(b, a)
		})
	}
	return dist, next
}

func (p *planner) normAll(vs []Version) []Version {
	out := make([]Version, len(vs))
	for i, v := range vs {
		out[i] = p.m.Normalize(v)
	}
	return out
}

// positions maps every slot to its position in group, or -1.
func (p *planner) positions(group []int) []int {
	pos := make([]int, len(p.slots))
	for i := range pos {
		pos[i] = -1
	}
	for k, si := range group {
		pos[si] = k
	}
	return pos
}

// reset fills the scratch view with the start state of every component.
func (p *planner) reset() {
	st := make([]uint8, len(p.slots))
	pos := make([]int, len(p.slots))
	for si := range p.slots {
		st[si] = uint8(p.slots[si].start)
		pos[si] = si
	}
	for ci := range p.m.comps {
		if len(p.compSlots[ci]) > 0 {
			p.fill(ci, st, pos, nil)
		} else {
			p.vw.inst[ci] = p.static[ci]
		}
	}
}

// groups splits the moving slots into groups coupled by rules that
// constrain some pair of their candidate versions.
func (p *planner) groups() [][]int {
	m := p.m
	parent := make([]int, len(m.comps))
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			parent[rb] = ra
		} else if rb < ra {
			parent[ra] = rb
		}
	}
	versions := func(ci int) []Version {
		s := p.slots[p.compSlots[ci][0]]
		var out []Version
		for _, in := range s.mixed {
			out = append(out, in.v)
		}
		for _, in := range p.static[ci] {
			out = append(out, in.v)
		}
		for i := range s.cands {
			if i == 0 && s.mixed != nil {
				continue
			}
			out = append(out, s.norm[i])
		}
		return out
	}
	for ri := range m.rules {
		r := &m.rules[ri]
		var moving []int
		for _, ci := range r.comps {
			if len(p.compSlots[ci]) > 0 {
				moving = append(moving, ci)
			}
		}
		if len(moving) < 2 {
			continue
		}
		switch r.kind {
		case KindRequires, KindConflicts, KindSkew:
			if p.binding(ri, r.a, r.b, versions(r.a), versions(r.b)) {
				union(r.a, r.b)
			}
		case KindSchema:
			for x, a := range moving {
				for _, b := range moving[x+1:] {
					if p.binding(ri, a, b, versions(a), versions(b)) {
						union(a, b)
					}
				}
			}
		}
	}
	byRoot := map[int][]int{}
	var roots []int
	for si, s := range p.slots {
		r := find(s.comp)
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], si)
	}
	out := make([][]int, len(roots))
	for i, r := range roots {
		out[i] = byRoot[r]
	}
	return out
}

// binding reports whether rule ri fails for some pair of versions of
// components a and b, evaluated with nothing else deployed.
func (p *planner) binding(ri, a, b int, va, vb []Version) bool {
	if p.pairView.inst == nil {
		p.pairView = view{inst: make([][]vinst, len(p.m.comps)), enabled: make([]bool, len(p.m.features))}
	}
	vw := &p.pairView
	defer func() { vw.inst[a], vw.inst[b] = nil, nil }()
	var xa, xb [1]vinst
	for _, x := range va {
		for _, y := range vb {
			xa[0].v, xb[0].v = x, y
			vw.inst[a], vw.inst[b] = xa[:], xb[:]
			if !p.m.eval(ri, vw, nil) {
				return true
			}
		}
	}
	return false
}

// fill sets the scratch view entry of component ci from state (the values
// of the group's slots), plus extra if it is valid.
func (p *planner) fill(ci int, st []uint8, pos []int, extra *Version) {
	b := p.buf[ci][:0]
	b = append(b, p.static[ci]...)
	for _, si := range p.compSlots[ci] {
		s := &p.slots[si]
		idx := s.start
		if k := pos[si]; k >= 0 {
			idx = int(st[k])
		}
		if p.opts.PerInstance {
			b = append(b, vinst{v: s.norm[idx], orig: s.cands[idx], name: p.label[ci][1]})
			continue
		}
		if idx == 0 && s.mixed != nil {
			b = append(b, s.mixed...)
		} else {
			b = append(b, vinst{v: s.norm[idx], orig: s.cands[idx], name: p.label[ci][0]})
		}
	}
	if extra != nil {
		b = append(b, vinst{v: p.m.Normalize(*extra), orig: *extra, name: p.label[ci][2]})
	}
	p.buf[ci] = b
	p.vw.inst[ci] = b
}

// ok evaluates the rules of component ci on the scratch view; with out it
// collects the blocking violations.
func (p *planner) ok(ci int, out *[]Violation) bool {
	good := true
	for _, ri := range p.m.byComp[ci] {
		r := &p.m.rules[ri]
		if r.level >= p.threshold {
			continue
		}
		if !p.m.eval(int(ri), &p.vw, out) {
			good = false
			if out == nil {
				return false
			}
		}
	}
	return good
}

// node is a search state. Nodes are generated unchecked and validated
// when popped (lazy evaluation): only then is the move from the parent
// checked and the state recorded, so most generated nodes never cost a
// rule evaluation.
type node struct {
	state    string // set once validated
	parent   int32
	k        int16 // position in the group of the moved slot
	from, to uint8
	g, h, p  int32 // steps so far, admissible steps left, candidate positions left
}

// openList is a binary min-heap of node indexes. A* orders by f = g + h,
// greedy search by h; then both prefer fewer steps left, more progress,
// and earlier creation, which makes every tie deterministic.
type openList struct {
	nodes  *[]node
	idx    []int32
	greedy bool
}

func (o *openList) less(i, j int32) bool {
	a, b := &(*o.nodes)[i], &(*o.nodes)[j]
	fa, fb := a.g+a.h, b.g+b.h
	if o.greedy {
		fa, fb = a.h, b.h
	}
	if fa != fb {
		return fa < fb
	}
	if a.h != b.h {
		return a.h < b.h
	}
	if a.p != b.p {
		return a.p < b.p
	}
	return i < j
}

func (o *openList) push(x int32) {
	o.idx = append(o.idx, x)
	i := len(o.idx) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !o.less(o.idx[i], o.idx[parent]) {
			break
		}
		o.idx[i], o.idx[parent] = o.idx[parent], o.idx[i]
		i = parent
	}
}

func (o *openList) pop() int32 {
	top := o.idx[0]
	last := len(o.idx) - 1
	o.idx[0] = o.idx[last]
	o.idx = o.idx[:last]
	i := 0
	for {
		l, r, small := 2*i+1, 2*i+2, i
		if l < len(o.idx) && o.less(o.idx[l], o.idx[small]) {
			small = l
		}
		if r < len(o.idx) && o.less(o.idx[r], o.idx[small]) {
			small = r
		}
		if small == i {
			return top
		}
		o.idx[i], o.idx[small] = o.idx[small], o.idx[i]
		i = small
	}
}

// search plans one group: A* first, greedy best-first if A* runs out of
// budget. It returns the moves in order and whether they are optimal.
func (p *planner) search(group []int) ([]move, bool, error) {
	pdb := p.pairDB(group)
	moves, closest, done := p.astar(group, false, pdb)
	if done {
		return moves, true, nil
	}
	if closest.limit {
		if p.opts.PerInstance {
			if moves, ok := p.expandWhole(group); ok {
				return moves, false, nil
			}
		}
		var gclosest result
		moves, gclosest, done = p.astar(group, true, pdb)
		if done {
			return moves, false, nil
		}
		if !gclosest.limit || gclosest.h < closest.h {
			// A greedy search that ran dry has explored every reachable
			// state: no path exists, which outranks A*'s budget.
			closest = gclosest
		}
	}
	return nil, false, p.explain(group, closest)
}

// expandWhole plans the components of a per-instance group as whole
// components (where the pair heuristic applies) and expands every step
// into one step per instance. The expansion is safe: while the instances
// of a component move one by one from v to w, the component runs a subset
// of {v, w} (and of its starting versions), which is exactly the state the
// whole-component step was checked in. It reports false if the
// whole-component search finds no plan.
func (p *planner) expandWhole(group []int) ([]move, bool) {
	var names []string
	for _, si := range group {
		name := p.m.comps[p.slots[si].comp].name
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	target := Deployment{Components: map[string][]Instance{}}
	for _, name := range names {
		target.Components[name] = p.target.Components[name]
	}
	q := &planner{m: p.m, opts: p.opts, threshold: p.threshold, compSlots: map[int][]int{}}
	q.opts.PerInstance = false
	if q.setup(p.current, target, p.catalog) != nil {
		return nil, false
	}
	cur := map[int]int{} // per-instance slot -> candidate index
	for _, si := range group {
		cur[si] = p.slots[si].start
	}
	var out []move
	for _, sub := range q.groups() {
		moves, _, err := q.search(sub)
		if err != nil {
			return nil, false
		}
		for _, mv := range moves {
			w := q.slots[q.compSlots[mv.comp][0]].cands[mv.to]
			for _, si := range p.compSlots[mv.comp] {
				s := &p.slots[si]
				to := slices.IndexFunc(s.norm, func(v Version) bool { return v.Equal(p.m.Normalize(w)) })
				if to < 0 {
					return nil, false
				}
				if cur[si] != to {
					out = append(out, move{comp: mv.comp, from: cur[si], to: to})
					cur[si] = to
				}
			}
		}
	}
	return out, true
}

type result struct {
	state []uint8
	path  []move
	h     int32
	limit bool
}

func (p *planner) astar(group []int, greedy bool, pdb *pairDB) ([]move, result, bool) {
	p.reset()
	pos := p.positions(group)
	var comps []int
	for _, si := range group {
		if !slices.Contains(comps, p.slots[si].comp) {
			comps = append(comps, p.slots[si].comp)
		}
	}
	start := make([]uint8, len(group))
	var p0 int32
	for k, si := range group {
		s := &p.slots[si]
		start[k] = uint8(s.start)
		p0 += int32(len(s.cands) - 1 - s.start)
	}
	p.canon(group, start)
	h0 := pdb.h(start)

	// best holds the lowest g of every validated state: a dense array
	// indexed by the state in mixed radix when the state space is small,
	// otherwise a map keyed by the packed state or its bytes.
	const denseLimit = 1 << 21
	stride := make([]int, len(group))
	space := 1
	for k, si := range group {
		stride[k] = space
		if space <= denseLimit {
			space *= len(p.slots[si].cands)
		}
	}
	var bestD []int32
	if space <= denseLimit {
		bestD = make([]int32, space)
		for i := range bestD {
			bestD[i] = -1
		}
	}
	packed := len(group) <= 8
	bestP, bestS := map[uint64]int32{}, map[string]int32{}
	pack := func(b []uint8) uint64 {
		var k uint64
		for _, x := range b {
			k = k<<8 | uint64(x)
		}
		return k
	}
	getBest := func(b []uint8) (int32, bool) {
		switch {
		case bestD != nil:
			i := 0
			for k, x := range b {
				i += int(x) * stride[k]
			}
			return bestD[i], bestD[i] >= 0
		case packed:
			g, ok := bestP[pack(b)]
			return g, ok
		}
		g, ok := bestS[string(b)]
		return g, ok
	}
	setBest := func(b []uint8, g int32) {
		switch {
		case bestD != nil:
			i := 0
			for k, x := range b {
				i += int(x) * stride[k]
			}
			bestD[i] = g
		case packed:
			bestP[pack(b)] = g
		default:
			bestS[string(b)] = g
		}
	}

	nodes := []node{{state: string(start), parent: -1, h: h0, p: p0}}
	setBest(start, 0)
	open := &openList{nodes: &nodes, greedy: greedy}
	open.push(0)
	nb := p.neighbors(group, pos)
	memo := newMoveMemo(p, group, nb)
	closestIdx := int32(0)
	examined := 0
	maxNodes := 32 * p.opts.MaxStates
	st := make([]uint8, len(group))
	nst := make([]uint8, len(group))
	filled := slices.Clone(start) // group values the scratch view holds
	for _, ci := range comps {
		p.fill(ci, filled, pos, nil)
	}
	sync := func(state []uint8) {
		for k, si := range group {
			if filled[k] != state[k] {
				filled[k] = state[k]
				ci := p.slots[si].comp
				p.fill(ci, filled, pos, nil)
			}
		}
	}
	path := func(i int32) []move {
		var out []move
		for ; nodes[i].parent >= 0; i = nodes[i].parent {
			n := &nodes[i]
			out = append(out, move{comp: p.slots[group[n.k]].comp, from: int(n.from), to: int(n.to)})
		}
		slices.Reverse(out)
		return out
	}
	limit := func() (result, bool) {
		c := nodes[closestIdx]
		return result{state: []byte(c.state), path: path(closestIdx), h: c.h, limit: true}, false
	}
	for len(open.idx) > 0 {
		ni := open.pop()
		n := nodes[ni]
		if n.parent >= 0 {
			if examined >= p.opts.MaxStates {
				r, ok := limit()
				return nil, r, ok
			}
			copy(st, nodes[n.parent].state)
			k := int(n.k)
			copy(nst, st)
			nst[k] = n.to
			p.canon(group, nst)
			if g, ok := getBest(nst); ok && g <= n.g {
				continue
			}
			good, known := memo.get(st, k, n.from, n.to)
			if !known {
				examined++
				sync(st)
				s := &p.slots[group[k]]
				base := p.vw.inst[s.comp]
				grown := append(base, vinst{v: s.norm[n.to], orig: s.cands[n.to], name: p.label[s.comp][2]})
				p.buf[s.comp] = grown[:0]
				p.vw.inst[s.comp] = grown
				good = p.ok(s.comp, nil)
				p.vw.inst[s.comp] = grown[:len(base)]
				memo.set(st, k, n.from, n.to, good)
			} else {
				examined++
			}
			if !good {
				continue
			}
			setBest(nst, n.g)
			nodes[ni].state = string(nst)
			n = nodes[ni]
		}
		if n.h == 0 {
			return path(ni), result{}, true
		}
		if c := &nodes[closestIdx]; n.h < c.h || (n.h == c.h && n.p < c.p) {
			closestIdx = ni
		}
		copy(st, n.state)
		for k, si := range group {
			s := &p.slots[si]
			from := st[k]
			if k > 0 && p.opts.PerInstance && p.slots[group[k-1]].comp == s.comp && st[k-1] == from {
				continue // interchangeable with the previous instance
			}
			for _, to := range s.next[from] {
				copy(nst, st)
				nst[k] = to
				p.canon(group, nst)
				g := n.g + 1
				if old, ok := getBest(nst); ok && old <= g {
					continue
				}
				if good, known := memo.get(st, k, from, to); known && !good {
					continue
				}
				if len(nodes) >= maxNodes {
					r, ok := limit()
					return nil, r, ok
				}
				h := pdb.delta(n.h, st, k, to)
				if h >= unreachable {
					continue // the pair relaxation cannot reach the target from here
				}
				pr := n.p - int32(to) + int32(from)
				nodes = append(nodes, node{parent: ni, k: int16(k), from: from, to: to, g: g, h: h, p: pr})
				open.push(int32(len(nodes) - 1))
			}
		}
	}
	c := nodes[closestIdx]
	return nil, result{state: []byte(c.state), path: path(closestIdx), h: c.h}, false
}

// unreachable is the heuristic value of states from which the target
// cannot be reached.
const unreachable = 1 << 28

// pairDB is the search heuristic: the sum over slots of their own minimum
// steps to the target, except that disjoint pairs of coupled components
// contribute the exact minimum steps of the pair alone (a pattern
// database). Solving a pair alone relaxes the problem — it ignores rules
// involving other moving components — so the sum is a lower bound that
// changes by at most one per step: admissible and consistent, and A*
// stays optimal. Pairs are used only when whole components move.
type pairDB struct {
	dist   [][]int // per position: own minimum steps by candidate index
	pairOf []int   // per position: index in pairs, or -1
	pairs  []pdbPair
}

type pdbPair struct {
	a, b int     // positions in the group
	nb   int     // candidates of b
	d    []int32 // d[i*nb+j]: minimum steps for the pair from (i, j)
}

func (d *pairDB) at(pp *pdbPair, k int, v uint8, st []uint8) int32 {
	if k == pp.a {
		return pp.d[int(v)*pp.nb+int(st[pp.b])]
	}
	return pp.d[int(st[pp.a])*pp.nb+int(v)]
}

// h returns the heuristic value of state st.
func (d *pairDB) h(st []uint8) int32 {
	var h int32
	for k, x := range st {
		if d.pairOf[k] < 0 {
			h += int32(d.dist[k][x])
		}
	}
	for i := range d.pairs {
		pp := &d.pairs[i]
		h += pp.d[int(st[pp.a])*pp.nb+int(st[pp.b])]
	}
	return h
}

// delta returns the heuristic after position k of st moves to value to,
// given the heuristic h of st.
func (d *pairDB) delta(h int32, st []uint8, k int, to uint8) int32 {
	pi := d.pairOf[k]
	if pi < 0 {
		return h - int32(d.dist[k][st[k]]) + int32(d.dist[k][to])
	}
	pp := &d.pairs[pi]
	return h - d.at(pp, k, st[k], st) + d.at(pp, k, to, st)
}

// pairDB builds the heuristic for group: it pairs components that share a
// binding rule (greedily, in rule order, each component at most once) and
// solves each pair exhaustively.
func (p *planner) pairDB(group []int) *pairDB {
	d := &pairDB{dist: make([][]int, len(group)), pairOf: make([]int, len(group))}
	for k, si := range group {
		d.dist[k] = p.slots[si].dist
		d.pairOf[k] = -1
	}
	if p.opts.PerInstance || len(group) < 3 {
		return d // a pair of two is the whole problem; instances are interchangeable
	}
	pos := p.positions(group)
	moving := func(ci int) int {
		if ss := p.compSlots[ci]; len(ss) == 1 && pos[ss[0]] >= 0 {
			return pos[ss[0]]
		}
		return -1
	}
	p.reset()
	for ri := range p.m.rules {
		r := &p.m.rules[ri]
		if r.kind != KindRequires && r.kind != KindConflicts && r.kind != KindSkew {
			continue
		}
		ka, kb := moving(r.a), moving(r.b)
		if ka < 0 || kb < 0 || ka == kb || d.pairOf[ka] >= 0 || d.pairOf[kb] >= 0 {
			continue
		}
		if ka > kb {
			ka, kb = kb, ka
		}
		d.pairOf[ka], d.pairOf[kb] = len(d.pairs), len(d.pairs)
		d.pairs = append(d.pairs, p.solvePair(group, ka, kb))
	}
	p.reset()
	return d
}

// solvePair computes the minimum steps for positions ka and kb of group
// alone, from every pair of candidate indexes, with backward breadth-first
// search over the moves that the rules among the two (and components that
// do not move) allow.
func (p *planner) solvePair(group []int, ka, kb int) pdbPair {
	sa, sb := &p.slots[group[ka]], &p.slots[group[kb]]
	ca, cb := sa.comp, sb.comp
	na, nb := len(sa.cands), len(sb.cands)
	local := func(ci int) []int32 {
		var out []int32
	rules:
		for _, ri := range p.m.byComp[ci] {
			r := &p.m.rules[ri]
			if r.level >= p.threshold {
				continue
			}
			for _, cj := range r.comps {
				if cj != ca && cj != cb && len(p.compSlots[cj]) > 0 {
					continue rules // involves another moving component
				}
			}
			out = append(out, ri)
		}
		return out
	}
	rulesA, rulesB := local(ca), local(cb)
	holds := func(rules []int32) bool {
		for _, ri := range rules {
			if !p.m.eval(int(ri), &p.vw, nil) {
				return false
			}
		}
		return true
	}
	entry := func(s *slot, idx int, extra int) []vinst {
		var b []vinst
		if idx == 0 && s.mixed != nil {
			b = append(b, s.mixed...)
		} else {
			b = append(b, vinst{v: s.norm[idx], orig: s.cands[idx]})
		}
		if extra >= 0 {
			b = append(b, vinst{v: s.norm[extra], orig: s.cands[extra]})
		}
		return b
	}
	rev := make([][]int32, na*nb) // rev[to] lists the states that reach to
	for i := range na {
		for j := range nb {
			from := int32(i*nb + j)
			p.vw.inst[cb] = entry(sb, j, -1)
			for _, to := range sa.next[i] {
				p.vw.inst[ca] = entry(sa, i, int(to))
				if holds(rulesA) {
					rev[int(to)*nb+j] = append(rev[int(to)*nb+j], from)
				}
			}
			p.vw.inst[ca] = entry(sa, i, -1)
			for _, to := range sb.next[j] {
				p.vw.inst[cb] = entry(sb, j, int(to))
				if holds(rulesB) {
					rev[i*nb+int(to)] = append(rev[i*nb+int(to)], from)
				}
			}
		}
	}
	d := make([]int32, na*nb)
	for i := range d {
		d[i] = unreachable
	}
	goal := int32(na*nb - 1)
	d[goal] = 0
	queue := []int32{goal}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range rev[x] {
			if d[y] == unreachable {
				d[y] = d[x] + 1
				queue = append(queue, y)
			}
		}
	}
	return pdbPair{a: ka, b: kb, nb: nb, d: d}
}

// moveMemo remembers whether a move is valid. A move's validity depends
// only on the values of the slots that share a rule with the moved one, so
// the key is the move plus those values. Moves of slots with at most four
// neighbors are memoized, in a dense table when it is small.
type moveMemo struct {
	nb     [][]int
	n      []int   // candidates per position
	off    []int   // dense: offset of each position's table, -1 if none
	dense  []uint8 // 0 unknown, 1 valid, 2 invalid
	sparse map[uint64]bool
}

func newMoveMemo(p *planner, group []int, nb [][]int) *moveMemo {
	mm := &moveMemo{nb: nb, n: make([]int, len(group)), off: make([]int, len(group)), sparse: map[uint64]bool{}}
	for k, si := range group {
		mm.n[k] = len(p.slots[si].cands)
	}
	total := 0
	for k := range group {
		mm.off[k] = -1
		if len(nb[k]) > 4 {
			continue
		}
		size := mm.n[k] * mm.n[k]
		for _, j := range nb[k] {
			size *= mm.n[j]
		}
		if total+size > 1<<20 {
			continue
		}
		mm.off[k] = total
		total += size
	}
	mm.dense = make([]uint8, total)
	return mm
}

func (mm *moveMemo) index(st []uint8, k int, from, to uint8) (int, uint64, bool) {
	if len(mm.nb[k]) > 4 {
		return 0, 0, false
	}
	if off := mm.off[k]; off >= 0 {
		i := int(from)*mm.n[k] + int(to)
		for _, j := range mm.nb[k] {
			i = i*mm.n[j] + int(st[j])
		}
		return off + i, 0, true
	}
	key := uint64(k)<<48 | uint64(from)<<40 | uint64(to)<<32
	for x, j := range mm.nb[k] {
		key |= uint64(st[j]) << (8 * x)
	}
	return -1, key, true
}

func (mm *moveMemo) get(st []uint8, k int, from, to uint8) (good, known bool) {
	i, key, ok := mm.index(st, k, from, to)
	switch {
	case !ok:
		return false, false
	case i >= 0:
		return mm.dense[i] == 1, mm.dense[i] != 0
	}
	good, known = mm.sparse[key]
	return good, known
}

func (mm *moveMemo) set(st []uint8, k int, from, to uint8, good bool) {
	i, key, ok := mm.index(st, k, from, to)
	switch {
	case !ok:
	case i >= 0:
		mm.dense[i] = 2
		if good {
			mm.dense[i] = 1
		}
	default:
		mm.sparse[key] = good
	}
}

// neighbors returns, for each position in group, the other positions
// whose components share a rule with it (including other instances of the
// same component).
func (p *planner) neighbors(group []int, pos []int) [][]int {
	out := make([][]int, len(group))
	for k, si := range group {
		ci := p.slots[si].comp
		for _, ri := range p.m.byComp[ci] {
			for _, cj := range p.m.rules[ri].comps {
				for _, sj := range p.compSlots[cj] {
					if j := pos[sj]; j >= 0 && j != k && !slices.Contains(out[k], j) {
						out[k] = append(out[k], j)
					}
				}
			}
		}
		slices.Sort(out[k])
	}
	return out
}

// canon sorts, in per-instance mode, the values of interchangeable slots
// (instances of one component) so that permutations share one state.
func (p *planner) canon(group []int, st []uint8) {
	if !p.opts.PerInstance {
		return
	}
	for i := 0; i < len(group); {
		j := i + 1
		for j < len(group) && p.slots[group[j]].comp == p.slots[group[i]].comp {
			j++
		}
		slices.Sort(st[i:j])
		i = j
	}
}

func (p *planner) explain(group []int, c result) error {
	m := p.m
	p.reset()
	e := &NoPathError{Limit: c.limit}
	for _, si := range group {
		name := m.comps[p.slots[si].comp].name
		if !slices.Contains(e.Components, name) {
			e.Components = append(e.Components, name)
		}
	}
	pos := p.positions(group)
	comps := []int{}
	for _, si := range group {
		if !slices.Contains(comps, p.slots[si].comp) {
			comps = append(comps, p.slots[si].comp)
		}
	}
	// Replay the path for readable steps.
	st := make([]uint8, len(group))
	for k, si := range group {
		st[k] = uint8(p.slots[si].start)
	}
	for _, mv := range c.path {
		k := p.slotAt(group, st, mv.comp, mv.from)
		s := &p.slots[group[k]]
		e.Reached = append(e.Reached, p.step(s, mv.from, mv.to))
		st[k] = uint8(mv.to)
		p.canon(group, st)
	}
	for _, ci := range comps {
		p.fill(ci, st, pos, nil)
	}
	for k, si := range group {
		s := &p.slots[si]
		from := st[k]
		if k > 0 && p.opts.PerInstance && p.slots[group[k-1]].comp == s.comp && st[k-1] == from {
			continue
		}
		for _, to := range s.next[from] {
			v := s.cands[to]
			p.fill(s.comp, st, pos, &v)
			var vs []Violation
			p.ok(s.comp, &vs)
			p.fill(s.comp, st, pos, nil)
			if len(vs) == 0 {
				continue // valid, but every state behind it is a dead end
			}
			e.Blocked = append(e.Blocked, BlockedStep{Step: p.step(s, int(from), int(to)), Violations: vs})
		}
	}
	return e
}

// slotAt returns the position in group of a slot of component ci whose
// value is from.
func (p *planner) slotAt(group []int, st []uint8, ci, from int) int {
	for k, si := range group {
		if p.slots[si].comp == ci && int(st[k]) == from {
			return k
		}
	}
	return -1
}

func (p *planner) step(s *slot, from, to int) Step {
	st := Step{Component: p.m.comps[s.comp].name, From: s.cands[from], To: s.cands[to]}
	if from == 0 && s.mixed != nil {
		oldest := s.mixed[0]
		for _, in := range s.mixed {
			if in.v.Compare(oldest.v) < 0 {
				oldest = in
			}
		}
		st.From = oldest.orig
	}
	return st
}

// waves replays the groups' moves from the current state and packs them
// into waves; see Plan for the safety criterion.
func (p *planner) waves(plan *Plan, queues [][]move) error {
	m := p.m
	// Concrete state: every slot's index, and instance names per slot.
	cur := make([]uint8, len(p.slots))
	pos := make([]int, len(p.slots))
	for si := range p.slots {
		cur[si] = uint8(p.slots[si].start)
		pos[si] = si
	}
	p.reset()
	for {
		var wave []Step
		var applied []int // slots moved in this wave, with targets
		var targets []uint8
		touched := map[int]bool{}
		extra := map[int][]Version{}
		for gi := range queues {
			for len(queues[gi]) > 0 && (p.opts.MaxParallel <= 0 || len(wave) < p.opts.MaxParallel) {
				mv := queues[gi][0]
				si := -1
				for _, cand := range p.compSlots[mv.comp] {
					if !touched[cand] && int(cur[cand]) == mv.from {
						si = cand
						break
					}
				}
				if si < 0 {
					break
				}
				s := &p.slots[si]
				ci := s.comp
				extra[ci] = append(extra[ci], s.cands[mv.to])
				p.fillUnion(ci, cur, pos, extra[ci])
				if !p.ok(ci, nil) {
					extra[ci] = extra[ci][:len(extra[ci])-1]
					p.fillUnion(ci, cur, pos, extra[ci])
					break
				}
				touched[si] = true
				st := p.step(s, mv.from, mv.to)
				if s.inst >= 0 {
					st.Instance = p.instName(si)
				}
				st.Wave = len(plan.Waves)
				wave = append(wave, st)
				applied = append(applied, si)
				targets = append(targets, uint8(mv.to))
				queues[gi] = queues[gi][1:]
			}
		}
		if len(wave) == 0 {
			for _, q := range queues {
				if len(q) > 0 {
					return fmt.Errorf("compat: internal error: planned step %s %s -> %s cannot start", m.comps[q[0].comp].name, p.slots[p.compSlots[q[0].comp][0]].cands[q[0].from], p.slots[p.compSlots[q[0].comp][0]].cands[q[0].to])
				}
			}
			return nil
		}
		for k, si := range applied {
			cur[si] = targets[k]
		}
		for ci := range extra {
			p.fill(ci, cur, pos, nil)
		}
		plan.Waves = append(plan.Waves, wave)
		plan.Steps = append(plan.Steps, wave...)
	}
}

func (p *planner) fillUnion(ci int, cur []uint8, pos []int, extra []Version) {
	p.fill(ci, cur, pos, nil)
	b := p.vw.inst[ci]
	for _, v := range extra {
		b = append(b, vinst{v: p.m.Normalize(v), orig: v, name: p.label[ci][2]})
	}
	p.buf[ci] = b
	p.vw.inst[ci] = b
}

func (p *planner) instName(si int) string {
	s := &p.slots[si]
	for k, x := range p.compSlots[s.comp] {
		if x == si {
			return p.names[s.comp][k]
		}
	}
	return ""
}
