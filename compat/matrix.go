package compat

import (
	"fmt"
	"slices"
	"strings"
)

// Matrix is a compiled, validated compatibility matrix. Build one with
// [Compile], [ParseMatrix] or [LoadFile]; the zero Matrix is not usable.
//
// A Matrix never changes after it is built and is safe for concurrent use.
// Its main entry points are [Matrix.Check] (is this deployment
// compatible?), [Matrix.UsableFeatures] (what can we turn on?),
// [Matrix.Plan] (in what order can we upgrade?) and [Matrix.Table] (the
// matrix for runbooks).
type Matrix struct {
	spec      Spec
	policy    PrereleasePolicy
	normalize Normalizer
	comps     []component
	compIdx   map[string]int
	rules     []rule // spec rules, then schemas, then features: report order
	ruleIdx   map[string]int
	byComp    [][]int32 // indexes of rules that involve each component
	features  []int     // rule indexes of features, in spec order
}

type component struct {
	name, owner, desc string
	catalog           []Version // sorted, deduplicated
}

type rule struct {
	id, desc, owner string
	kind            Kind
	level           Level
	comps           []int // components involved, deduplicated

	a, b   int // requires, conflicts (when, with/need), skew (component, relativeTo), support, instance skew
	ra, rb Range

	unit      Unit
	behind    int64 // -1 means unbounded
	ahead     int64
	sameMajor bool
	overrides []skewOverride

	access   []schemaAccess
	readable [][]bool // readable[w][r]: what entry w writes, entry r reads

	providers []provider // features: own providers, then those of required features
	feature   int        // features: index in Matrix.features
}

type skewOverride struct {
	r             Range
	behind, ahead int64
}

type schemaAccess struct {
	comp          int
	versions      Range
	reads, writes Range
}

type provider struct {
	comp    int
	r       Range
	feature string // the feature this provider belongs to
}

// Option configures [Compile], [ParseMatrix] and [LoadFile].
type Option interface{ apply(*options) }

type options struct {
	normalizer Normalizer
	file       string
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// WithNormalizer sets a [Normalizer] applied to every deployed version
// before it is matched, after the spec's VendorPrereleases.
func WithNormalizer(n Normalizer) Option {
	return optionFunc(func(o *options) { o.normalizer = n })
}

// WithFileName sets the file name that errors mention; [LoadFile] sets it
// to the path it reads.
func WithFileName(name string) Option {
	return optionFunc(func(o *options) { o.file = name })
}

// Compile validates spec and builds a [Matrix]. On failure it returns a
// [*MatrixError] listing every problem with its field path and value. The
// spec is copied; later changes to it do not affect the Matrix.
func Compile(spec Spec, opts ...Option) (*Matrix, error) {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&o)
		}
	}
	c := compiler{file: o.file, m: &Matrix{
		spec:    cloneSpec(spec),
		policy:  spec.Prerelease,
		compIdx: make(map[string]int, len(spec.Components)),
		ruleIdx: make(map[string]int, len(spec.Rules)+len(spec.Schemas)+len(spec.Features)),
	}}
	c.compile(spec)
	if len(c.problems) > 0 {
		return nil, &MatrixError{Problems: c.problems}
	}
	m := c.m
	var norms []Normalizer
	if len(spec.VendorPrereleases) > 0 {
		norms = append(norms, StripVendorPrerelease(spec.VendorPrereleases...))
	}
	if o.normalizer != nil {
		norms = append(norms, o.normalizer)
	}
	switch len(norms) {
	case 1:
		m.normalize = norms[0]
	case 2:
		m.normalize = func(v Version) Version { return norms[1](norms[0](v)) }
	}
	m.byComp = make([][]int32, len(m.comps))
	for i, r := range m.rules {
		for _, ci := range r.comps {
			m.byComp[ci] = append(m.byComp[ci], int32(i))
		}
	}
	return m, nil
}

// MustCompile is like [Compile] but panics on error; for tests and
// matrices that are constants in code.
func MustCompile(spec Spec, opts ...Option) *Matrix {
	m, err := Compile(spec, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

type compiler struct {
	file     string
	m        *Matrix
	problems []*FieldError
}

func (c *compiler) fail(path, value, format string, args ...any) {
	c.problems = append(c.problems, &FieldError{File: c.file, Path: path, Value: value, Reason: fmt.Sprintf(format, args...)})
}

func (c *compiler) compile(spec Spec) {
	if spec.Prerelease < 0 || int(spec.Prerelease) >= len(policyNames) {
		c.fail("prerelease", spec.Prerelease.String(), "unknown prerelease policy")
	}
	for i, t := range spec.VendorPrereleases {
		if t == "" {
			c.fail(fmt.Sprintf("vendorPrereleases[%d]", i), "", "empty tag")
		}
	}
	if len(spec.Components) == 0 {
		c.fail("components", "", "a matrix needs at least one component")
	}
	for i, cs := range spec.Components {
		c.component(fmt.Sprintf("components[%d]", i), cs)
	}
	for i, rs := range spec.Rules {
		c.rule(fmt.Sprintf("rules[%d]", i), rs)
	}
	for i, ss := range spec.Schemas {
		c.schema(fmt.Sprintf("schemas[%d]", i), ss)
	}
	featStart := len(c.m.rules)
	for i, fs := range spec.Features {
		c.feature(fmt.Sprintf("features[%d]", i), fs)
	}
	if len(c.problems) == 0 {
		c.resolveFeatures(spec, featStart)
	}
	if len(c.problems) == 0 {
		c.contradictions(spec)
	}
}

func (c *compiler) component(path string, cs ComponentSpec) {
	switch {
	case cs.Name == "":
		c.fail(path+".name", "", "component name is required")
		return
	case strings.TrimSpace(cs.Name) != cs.Name || strings.ContainsAny(cs.Name, "\n\t|"):
		c.fail(path+".name", cs.Name, "component name must not contain spaces at the ends, tabs, newlines or |")
		return
	}
	if _, dup := c.m.compIdx[cs.Name]; dup {
		c.fail(path+".name", cs.Name, "duplicate component name")
		return
	}
	comp := component{name: cs.Name, owner: cs.Owner, desc: cs.Description}
	for j, s := range cs.Versions {
		v, err := ParseVersion(s)
		if err != nil {
			c.fail(fmt.Sprintf("%s.versions[%d]", path, j), s, "%s", reason(err))
			continue
		}
		comp.catalog = append(comp.catalog, v)
	}
	slices.SortStableFunc(comp.catalog, Version.Compare)
	comp.catalog = slices.CompactFunc(comp.catalog, Version.Equal)
	c.m.compIdx[cs.Name] = len(c.m.comps)
	c.m.comps = append(c.m.comps, comp)
}

func reason(err error) string {
	if pe, ok := err.(*ParseError); ok {
		return pe.Reason
	}
	return err.Error()
}

func (c *compiler) id(path, id string) bool {
	if id == "" {
		c.fail(path+".id", "", "id is required")
		return false
	}
	if _, dup := c.m.ruleIdx[id]; dup {
		c.fail(path+".id", id, "duplicate id (ids are unique across rules, schemas and features)")
		return false
	}
	return true
}

func (c *compiler) level(path string, l Level) {
	if l < Unsupported || l > Supported {
		c.fail(path+".level", l.String(), "unknown level")
	}
}

// compRef resolves a component name.
func (c *compiler) compRef(path, name string) (int, bool) {
	if name == "" {
		c.fail(path, "", "component is required")
		return 0, false
	}
	i, ok := c.m.compIdx[name]
	if !ok {
		c.fail(path, name, "unknown component (declare it under components)")
	}
	return i, ok
}

// rangeRef parses a non-empty range; "" means every version when
// allowAny, none otherwise.
func (c *compiler) rangeRef(path, s string, emptyMeans Range) (Range, bool) {
	if strings.TrimSpace(s) == "" {
		return emptyMeans, true
	}
	r, err := ParseRange(s)
	if err != nil {
		c.fail(path, s, "%s", reason(err))
		return Range{}, false
	}
	if r.IsEmpty() {
		c.fail(path, s, "range matches no version (contradictory constraints)")
		return Range{}, false
	}
	return r, true
}

func (c *compiler) selector(path string, s Selector) (int, Range, bool) {
	ci, ok1 := c.compRef(path+".component", s.Component)
	r, ok2 := c.rangeRef(path+".versions", s.Versions, AnyVersion())
	return ci, r, ok1 && ok2
}

func bound64(p *int) int64 {
	if p == nil {
		return -1
	}
	return int64(*p)
}

func (c *compiler) rule(path string, rs RuleSpec) {
	okID := c.id(path, rs.ID)
	c.level(path, rs.Level)
	r := rule{id: rs.ID, desc: rs.Description, owner: rs.Owner, level: rs.Level}
	set := 0
	for _, p := range []bool{rs.Requires != nil, rs.Conflicts != nil, rs.Skew != nil, rs.InstanceSkew != nil, rs.Support != nil} {
		if p {
			set++
		}
	}
	if set != 1 {
		c.fail(path, rs.ID, "a rule sets exactly one of requires, conflicts, skew, instanceSkew, support (it sets %d)", set)
		return
	}
	ok := true
	switch {
	case rs.Requires != nil:
		r.kind = KindRequires
		var ok1, ok2 bool
		r.a, r.ra, ok1 = c.selector(path+".requires.when", rs.Requires.When)
		r.b, r.rb, ok2 = c.selector(path+".requires.need", rs.Requires.Need)
		ok = ok1 && ok2
		if ok && r.a == r.b {
			c.fail(path+".requires.need.component", rs.Requires.Need.Component, "a component cannot require itself (use instanceSkew or conflicts)")
			ok = false
		}
	case rs.Conflicts != nil:
		r.kind = KindConflicts
		var ok1, ok2 bool
		r.a, r.ra, ok1 = c.selector(path+".conflicts.when", rs.Conflicts.When)
		r.b, r.rb, ok2 = c.selector(path+".conflicts.with", rs.Conflicts.With)
		ok = ok1 && ok2
	case rs.Skew != nil:
		r.kind = KindSkew
		s := rs.Skew
		var ok1, ok2 bool
		r.a, ok1 = c.compRef(path+".skew.component", s.Component)
		r.b, ok2 = c.compRef(path+".skew.relativeTo", s.RelativeTo)
		ok = ok1 && ok2
		if ok && r.a == r.b {
			c.fail(path+".skew.relativeTo", s.RelativeTo, "skew relates two different components (use instanceSkew within one)")
			ok = false
		}
		r.unit = c.unit(path+".skew.unit", s.Unit)
		r.behind, r.ahead, r.sameMajor = bound64(s.Behind), bound64(s.Ahead), s.SameMajor
		ok = c.bounds(path+".skew", s.Behind, s.Ahead) && ok
		if s.Behind == nil && s.Ahead == nil && !s.SameMajor && len(s.Overrides) == 0 {
			c.fail(path+".skew", "", "skew sets no bound (behind, ahead, sameMajor or overrides)")
			ok = false
		}
		for j, o := range s.Overrides {
			op := fmt.Sprintf("%s.skew.overrides[%d]", path, j)
			or, okr := c.rangeRef(op+".versions", o.Versions, AnyVersion())
			okb := c.bounds(op, o.Behind, o.Ahead)
			if o.Behind == nil && o.Ahead == nil {
				c.fail(op, o.Versions, "override sets neither behind nor ahead")
				okb = false
			}
			ok = ok && okr && okb
			// A bound the override leaves unset keeps the rule's own, so
			// narrowing "behind" below some version keeps "never ahead".
			ov := skewOverride{r: or, behind: r.behind, ahead: r.ahead}
			if o.Behind != nil {
				ov.behind = int64(*o.Behind)
			}
			if o.Ahead != nil {
				ov.ahead = int64(*o.Ahead)
			}
			r.overrides = append(r.overrides, ov)
		}
	case rs.InstanceSkew != nil:
		r.kind = KindInstanceSkew
		s := rs.InstanceSkew
		r.a, ok = c.compRef(path+".instanceSkew.component", s.Component)
		r.b = r.a
		r.unit = c.unit(path+".instanceSkew.unit", s.Unit)
		if s.Max < 0 {
			c.fail(path+".instanceSkew.max", fmt.Sprint(s.Max), "max must not be negative")
			ok = false
		}
		r.behind = int64(s.Max)
	case rs.Support != nil:
		r.kind = KindSupport
		r.a, r.ra, ok = c.selector(path+".support", *rs.Support)
		r.b = r.a
	}
	if !ok || !okID {
		return
	}
	r.comps = []int{r.a}
	if r.b != r.a {
		r.comps = append(r.comps, r.b)
	}
	c.add(r)
}

func (c *compiler) add(r rule) {
	c.m.ruleIdx[r.id] = len(c.m.rules)
	c.m.rules = append(c.m.rules, r)
}

func (c *compiler) unit(path string, u Unit) Unit {
	switch u {
	case unitDefault:
		return Minor
	case Major, Minor, Patch:
		return u
	}
	c.fail(path, u.String(), "unknown unit")
	return Minor
}

func (c *compiler) bounds(path string, behind, ahead *int) bool {
	ok := true
	if behind != nil && *behind < 0 {
		c.fail(path+".behind", fmt.Sprint(*behind), "bound must not be negative")
		ok = false
	}
	if ahead != nil && *ahead < 0 {
		c.fail(path+".ahead", fmt.Sprint(*ahead), "bound must not be negative")
		ok = false
	}
	return ok
}

func (c *compiler) schema(path string, ss SchemaSpec) {
	okID := c.id(path, ss.ID)
	c.level(path, ss.Level)
	r := rule{id: ss.ID, desc: ss.Description, owner: ss.Owner, level: ss.Level, kind: KindSchema}
	if len(ss.Access) == 0 {
		c.fail(path+".access", "", "a schema needs at least one access entry")
		return
	}
	ok := okID
	for j, a := range ss.Access {
		ap := fmt.Sprintf("%s.access[%d]", path, j)
		ci, vr, oks := c.selector(ap, Selector{Component: a.Component, Versions: a.Versions})
		rd, okr := c.rangeRef(ap+".reads", a.Reads, Range{})
		wr, okw := c.rangeRef(ap+".writes", a.Writes, Range{})
		if okr && okw && rd.IsEmpty() && wr.IsEmpty() {
			c.fail(ap, a.Component, "access entry neither reads nor writes")
			okr = false
		}
		if !(oks && okr && okw) {
			ok = false
			continue
		}
		for k, prev := range r.access {
			if prev.comp == ci && prev.versions.Overlaps(vr) {
				c.fail(ap+".versions", a.Versions, "overlaps %s.access[%d] of the same component (contradictory)", path, k)
				ok = false
			}
		}
		r.access = append(r.access, schemaAccess{comp: ci, versions: vr, reads: rd, writes: wr})
		if !slices.Contains(r.comps, ci) {
			r.comps = append(r.comps, ci)
		}
	}
	if !ok {
		return
	}
	r.readable = make([][]bool, len(r.access))
	for w, wa := range r.access {
		r.readable[w] = make([]bool, len(r.access))
		for rd, ra := range r.access {
			r.readable[w][rd] = wa.writes.IsEmpty() || ra.reads.IsEmpty() || ra.reads.Covers(wa.writes)
		}
	}
	c.add(r)
}

func (c *compiler) feature(path string, fs FeatureSpec) {
	okID := c.id(path, fs.ID)
	c.level(path, fs.Level)
	r := rule{id: fs.ID, desc: fs.Description, owner: fs.Owner, level: fs.Level, kind: KindFeature}
	if len(fs.Providers) == 0 {
		c.fail(path+".providers", "", "a feature needs at least one provider")
		return
	}
	ok := okID
	for j, p := range fs.Providers {
		ci, pr, okp := c.selector(fmt.Sprintf("%s.providers[%d]", path, j), p)
		if !okp {
			ok = false
			continue
		}
		r.providers = append(r.providers, provider{comp: ci, r: pr, feature: fs.ID})
	}
	if !ok {
		return
	}
	r.feature = len(c.m.features)
	c.m.features = append(c.m.features, len(c.m.rules))
	c.add(r)
}

// resolveFeatures checks feature dependencies, rejects cycles and flattens
// the providers of required features into each feature.
func (c *compiler) resolveFeatures(spec Spec, featStart int) {
	deps := make([][]int, len(spec.Features))  // feature indexes
	depAt := make([][]int, len(spec.Features)) // position in Requires of each dep
	for i, fs := range spec.Features {
		for j, name := range fs.Requires {
			p := fmt.Sprintf("features[%d].requires[%d]", i, j)
			ri, ok := c.m.ruleIdx[name]
			switch {
			case !ok:
				c.fail(p, name, "unknown feature")
			case c.m.rules[ri].kind != KindFeature:
				c.fail(p, name, "%q is a %s, not a feature", name, c.m.rules[ri].kind)
			case ri == featStart+i:
				c.fail(p, name, "a feature cannot require itself")
			default:
				deps[i] = append(deps[i], ri-featStart)
				depAt[i] = append(depAt[i], j)
			}
		}
	}
	if len(c.problems) > 0 {
		return
	}
	// Depth-first search with colors finds cycles.
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(deps))
	var stack []int
	var visit func(i int) bool
	visit = func(i int) bool {
		color[i] = grey
		stack = append(stack, i)
		for x, d := range deps[i] {
			if color[d] == grey {
				k := slices.Index(stack, d)
				names := make([]string, 0, len(stack)-k+1)
				for _, s := range stack[k:] {
					names = append(names, spec.Features[s].ID)
				}
				names = append(names, spec.Features[d].ID)
				c.fail(fmt.Sprintf("features[%d].requires[%d]", i, depAt[i][x]), spec.Features[d].ID, "feature dependency cycle: %s", strings.Join(names, " -> "))
				return false
			}
			if color[d] == white && !visit(d) {
				return false
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
		return true
	}
	for i := range deps {
		if color[i] == white && !visit(i) {
			return
		}
	}
	// Flatten: each feature's providers plus those of its transitive
	// requirements, in declaration order.
	for i := range deps {
		r := &c.m.rules[featStart+i]
		seen := map[int]bool{i: true}
		queue := slices.Clone(deps[i])
		for len(queue) > 0 {
			d := queue[0]
			queue = queue[1:]
			if seen[d] {
				continue
			}
			seen[d] = true
			r.providers = append(r.providers, c.m.rules[featStart+d].providers[:len(spec.Features[d].Providers)]...)
			queue = append(queue, deps[d]...)
		}
		for _, p := range r.providers {
			if !slices.Contains(r.comps, p.comp) {
				r.comps = append(r.comps, p.comp)
			}
		}
	}
}

// contradictions rejects rule pairs that no deployment can satisfy for
// some versions: a requirement whose needed range is wholly in conflict,
// two requirements on the same component with disjoint needed ranges, and
// overlapping support rules with different levels.
func (c *compiler) contradictions(spec Spec) {
	type key struct{ a, b int }
	reqs := map[key][]int{}
	for i, r := range c.m.rules {
		if r.kind == KindRequires {
			reqs[key{r.a, r.b}] = append(reqs[key{r.a, r.b}], i)
		}
	}
	path := func(ri int) string { return fmt.Sprintf("rules[%d]", ri) } // spec rules come first in m.rules
	for i, r := range c.m.rules {
		switch r.kind {
		case KindConflicts:
			for _, k := range []key{{r.a, r.b}, {r.b, r.a}} {
				for _, qi := range reqs[k] {
					q := c.m.rules[qi]
					when, with := r.ra, r.rb
					if k.a != r.a {
						when, with = r.rb, r.ra
					}
					if both := q.ra.Intersect(when); !both.IsEmpty() && with.Covers(q.rb) {
						c.fail(path(i), r.id, "contradicts rule %q: %s %s requires %s %s, which this rule forbids beside it", q.id, c.m.comps[q.a].name, both, c.m.comps[q.b].name, q.rb)
					}
				}
			}
		case KindRequires:
			// A requirement cycle no version can satisfy: every B version
			// that A in R needs in turn needs A outside R.
			for _, qi := range reqs[key{r.b, r.a}] {
				q := c.m.rules[qi]
				if qi > i && q.ra.Covers(r.rb) && !r.ra.Overlaps(q.rb) {
					c.fail(path(qi), q.id, "requirement cycle with rule %q: %s %s needs %s %s, which needs %s %s, so %s %s can never run",
						r.id, c.m.comps[r.a].name, r.ra, c.m.comps[r.b].name, r.rb, c.m.comps[r.a].name, q.rb, c.m.comps[r.a].name, r.ra)
				}
				if qi > i && r.ra.Covers(q.rb) && !q.ra.Overlaps(r.rb) {
					c.fail(path(qi), q.id, "requirement cycle with rule %q: %s %s needs %s %s, which needs %s %s, so %s %s can never run",
						r.id, c.m.comps[q.a].name, q.ra, c.m.comps[q.b].name, q.rb, c.m.comps[r.b].name, r.rb, c.m.comps[q.a].name, q.ra)
				}
			}
			for _, qi := range reqs[key{r.a, r.b}] {
				if qi <= i {
					continue
				}
				q := c.m.rules[qi]
				if both := r.ra.Intersect(q.ra); !both.IsEmpty() && !r.rb.Overlaps(q.rb) {
					c.fail(path(qi), q.id, "contradicts rule %q: %s %s would need %s in both %s and %s", r.id, c.m.comps[r.a].name, both, c.m.comps[r.b].name, r.rb, q.rb)
				}
			}
		case KindSupport:
			for qi := i + 1; qi < len(c.m.rules); qi++ {
				q := c.m.rules[qi]
				if q.kind == KindSupport && q.a == r.a && q.level != r.level && q.ra.Overlaps(r.ra) {
					c.fail(path(qi), q.id, "contradicts rule %q: versions %s of %s are both %s and %s", r.id, q.ra.Intersect(r.ra), c.m.comps[r.a].name, r.level, q.level)
				}
			}
		}
	}
}

func cloneSpec(s Spec) Spec {
	s.VendorPrereleases = slices.Clone(s.VendorPrereleases)
	s.Components = slices.Clone(s.Components)
	for i := range s.Components {
		s.Components[i].Versions = slices.Clone(s.Components[i].Versions)
	}
	s.Rules = slices.Clone(s.Rules)
	for i := range s.Rules {
		r := &s.Rules[i]
		if r.Requires != nil {
			x := *r.Requires
			r.Requires = &x
		}
		if r.Conflicts != nil {
			x := *r.Conflicts
			r.Conflicts = &x
		}
		if r.Skew != nil {
			x := *r.Skew
			x.Behind, x.Ahead = cloneInt(x.Behind), cloneInt(x.Ahead)
			x.Overrides = slices.Clone(x.Overrides)
			for j := range x.Overrides {
				x.Overrides[j].Behind, x.Overrides[j].Ahead = cloneInt(x.Overrides[j].Behind), cloneInt(x.Overrides[j].Ahead)
			}
			r.Skew = &x
		}
		if r.InstanceSkew != nil {
			x := *r.InstanceSkew
			r.InstanceSkew = &x
		}
		if r.Support != nil {
			x := *r.Support
			r.Support = &x
		}
	}
	s.Schemas = slices.Clone(s.Schemas)
	for i := range s.Schemas {
		s.Schemas[i].Access = slices.Clone(s.Schemas[i].Access)
	}
	s.Features = slices.Clone(s.Features)
	for i := range s.Features {
		s.Features[i].Providers = slices.Clone(s.Features[i].Providers)
		s.Features[i].Requires = slices.Clone(s.Features[i].Requires)
	}
	return s
}

func cloneInt(p *int) *int {
	if p == nil {
		return nil
	}
	x := *p
	return &x
}

// Spec returns a copy of the spec the matrix was compiled from.
func (m *Matrix) Spec() Spec { return cloneSpec(m.spec) }

// Name returns the matrix name from its spec.
func (m *Matrix) Name() string { return m.spec.Name }

// Components returns the component names in declaration order.
func (m *Matrix) Components() []string {
	out := make([]string, len(m.comps))
	for i, c := range m.comps {
		out[i] = c.name
	}
	return out
}

// Catalog returns the versions declared for component, sorted ascending,
// or nil if the component is unknown or declares none.
func (m *Matrix) Catalog(component string) []Version {
	i, ok := m.compIdx[component]
	if !ok {
		return nil
	}
	return slices.Clone(m.comps[i].catalog)
}

// Normalize applies the matrix's normalizer (vendor prerelease tags and
// [WithNormalizer]) to v.
func (m *Matrix) Normalize(v Version) Version {
	if m.normalize == nil {
		return v
	}
	return m.normalize(v)
}

func (m *Matrix) owner(r *rule) string {
	if r.owner != "" {
		return r.owner
	}
	if len(r.comps) > 0 {
		return m.comps[r.comps[0]].owner
	}
	return ""
}
