package compat

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Violation is one broken rule in a deployment.
type Violation struct {
	// Rule is the id of the rule, schema or feature that is broken.
	Rule string `json:"rule"`
	// Kind is the kind of rule.
	Kind Kind `json:"kind"`
	// Level is the verdict this violation imposes.
	Level Level `json:"level"`
	// Description is the rule's description from the matrix.
	Description string `json:"description,omitempty"`
	// Owner is the rule's owner, or the owner of its first component.
	Owner string `json:"owner,omitempty"`
	// Instances are the running instances involved, in deployment order.
	Instances []InstanceRef `json:"instances"`
	// Why explains what is wrong and what to do about it.
	Why string `json:"why"`
}

// InstanceRef names one running instance and its version as deployed
// (before normalization).
type InstanceRef struct {
	Component string  `json:"component"`
	Instance  string  `json:"instance"`
	Version   Version `json:"version"`
}

// String renders the violation on one line: level, rule, owner and why.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s", v.Level, v.Rule)
	if v.Owner != "" {
		fmt.Fprintf(&b, " (owner %s)", v.Owner)
	}
	b.WriteString(": ")
	b.WriteString(v.Why)
	if v.Description != "" {
		fmt.Fprintf(&b, " Rule: %s", v.Description)
	}
	return b.String()
}

// Report is the result of [Matrix.Check].
type Report struct {
	// Verdict is the lowest level among the violations, or Supported.
	Verdict Level `json:"verdict"`
	// Violations are ordered by level (unsupported first), then by the
	// rule's position in the matrix (rules, schemas, features), then by
	// instance.
	Violations []Violation `json:"violations,omitempty"`
	// UnknownComponents are deployed components the matrix does not
	// declare; no rule constrains them. Sorted.
	UnknownComponents []string `json:"unknownComponents,omitempty"`
	// UnknownFeatures are enabled features the matrix does not declare.
	// Sorted.
	UnknownFeatures []string `json:"unknownFeatures,omitempty"`
}

// OK reports whether the deployment breaks no rule at all.
func (r Report) OK() bool { return len(r.Violations) == 0 }

// String renders the report for people, one violation a line.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "verdict: %s", r.Verdict)
	if len(r.Violations) > 0 {
		fmt.Fprintf(&b, " (%s)", count(len(r.Violations), "violation"))
	}
	for _, v := range r.Violations {
		b.WriteString("\n- ")
		b.WriteString(v.String())
	}
	if len(r.UnknownComponents) > 0 {
		fmt.Fprintf(&b, "\nunknown components: %s", strings.Join(r.UnknownComponents, ", "))
	}
	if len(r.UnknownFeatures) > 0 {
		fmt.Fprintf(&b, "\nunknown features: %s", strings.Join(r.UnknownFeatures, ", "))
	}
	return b.String()
}

type vinst struct {
	v    Version // normalized: what rules match
	orig Version // as deployed: what reports show
	name string
}

// view is a deployment resolved against a matrix: instances by component
// index (nil when absent) and enabled features by feature index.
type view struct {
	inst    [][]vinst
	enabled []bool
}

// Check evaluates every rule against d and reports what is broken. It
// never fails: components and features the matrix does not know are listed
// in the report, not treated as errors.
func (m *Matrix) Check(d Deployment) Report {
	vw, rep := m.resolve(d)
	for i := range m.rules {
		m.eval(i, &vw, &rep.Violations)
	}
	slices.SortStableFunc(rep.Violations, func(a, b Violation) int { return int(a.Level) - int(b.Level) })
	rep.Verdict = Supported
	if len(rep.Violations) > 0 {
		rep.Verdict = rep.Violations[0].Level
	}
	return rep
}

func (m *Matrix) resolve(d Deployment) (view, Report) {
	var rep Report
	vw := view{inst: make([][]vinst, len(m.comps)), enabled: make([]bool, len(m.features))}
	total := 0
	for _, insts := range d.Components {
		total += len(insts)
	}
	buf := make([]vinst, 0, total)
	for name, insts := range d.Components {
		ci, ok := m.compIdx[name]
		if !ok {
			rep.UnknownComponents = append(rep.UnknownComponents, name)
			continue
		}
		start := len(buf)
		for i, in := range insts {
			buf = append(buf, vinst{v: m.Normalize(in.Version), orig: in.Version, name: instanceName(name, i, in)})
		}
		vw.inst[ci] = buf[start:len(buf):len(buf)]
	}
	for _, f := range d.Features {
		ri, ok := m.ruleIdx[f]
		if !ok || m.rules[ri].kind != KindFeature {
			rep.UnknownFeatures = append(rep.UnknownFeatures, f)
			continue
		}
		vw.enabled[m.rules[ri].feature] = true
	}
	slices.Sort(rep.UnknownComponents)
	slices.Sort(rep.UnknownFeatures)
	return vw, rep
}

func (m *Matrix) match(r Range, v Version) bool { return r.Match(v, m.policy) }

// eval evaluates rule ri on vw. With out == nil it only reports whether
// the rule holds; otherwise it appends a violation when it does not.
func (m *Matrix) eval(ri int, vw *view, out *[]Violation) bool {
	r := &m.rules[ri]
	switch r.kind {
	case KindRequires:
		return m.evalRequires(r, vw, out)
	case KindConflicts:
		return m.evalConflicts(r, vw, out)
	case KindSkew:
		return m.evalSkew(r, vw, out)
	case KindInstanceSkew:
		return m.evalInstanceSkew(r, vw, out)
	case KindSupport:
		return m.evalSupport(r, vw, out)
	case KindSchema:
		return m.evalSchema(r, vw, out)
	case KindFeature:
		if !vw.enabled[r.feature] {
			return true
		}
		return m.evalFeature(r, vw, out, true)
	}
	return true
}

func (m *Matrix) violation(r *rule, refs []InstanceRef, why string) Violation {
	return Violation{Rule: r.id, Kind: r.kind, Level: r.level, Description: r.desc, Owner: m.owner(r), Instances: refs, Why: why}
}

func (m *Matrix) evalRequires(r *rule, vw *view, out *[]Violation) bool {
	as := vw.inst[r.a]
	var trig []int
	for i := range as {
		if m.match(r.ra, as[i].v) {
			if out == nil && len(vw.inst[r.b]) == 0 {
				return false
			}
			trig = append(trig, i)
		}
	}
	if len(trig) == 0 {
		return true
	}
	bs := vw.inst[r.b]
	var bad []int
	for j := range bs {
		if !m.match(r.rb, bs[j].v) {
			if out == nil {
				return false
			}
			bad = append(bad, j)
		}
	}
	if len(bs) > 0 && len(bad) == 0 {
		return true
	}
	if out == nil {
		return false
	}
	a, b := m.comps[r.a].name, m.comps[r.b].name
	refs := m.refs(r.a, as, trig)
	var why string
	if len(bs) == 0 {
		why = fmt.Sprintf("%s requires %s %s, which is not deployed. Fix: deploy %s %s, or keep %s outside %s.",
			describe(a, as, trig), b, r.rb, b, r.rb, a, r.ra)
	} else {
		refs = append(refs, m.refs(r.b, bs, bad)...)
		why = fmt.Sprintf("%s requires %s %s, but %s. Fix: upgrade %s into %s%s before %s, or roll %s back outside %s.",
			describe(a, as, trig), b, r.rb, runs(b, bs, bad), b, r.rb, m.suggest(r.b, r.rb), a, a, r.ra)
	}
	*out = append(*out, m.violation(r, refs, why))
	return false
}

// suggest names the lowest catalog version of component ci in rg, if any.
func (m *Matrix) suggest(ci int, rg Range) string {
	for _, v := range m.comps[ci].catalog {
		if nv, ok := m.release(v); ok && m.match(rg, nv) {
			return " (for example " + v.String() + ")"
		}
	}
	return ""
}

func (m *Matrix) evalConflicts(r *rule, vw *view, out *[]Violation) bool {
	as, bs := vw.inst[r.a], vw.inst[r.b]
	if len(as) == 0 || len(bs) == 0 {
		return true
	}
	var ta, tb []int
	for i := range as {
		if !m.match(r.ra, as[i].v) {
			continue
		}
		for j := range bs {
			if r.a == r.b && i == j {
				continue
			}
			if m.match(r.rb, bs[j].v) {
				if out == nil {
					return false
				}
				if !slices.Contains(ta, i) {
					ta = append(ta, i)
				}
				if !slices.Contains(tb, j) {
					tb = append(tb, j)
				}
			}
		}
	}
	if len(ta) == 0 {
		return true
	}
	a, b := m.comps[r.a].name, m.comps[r.b].name
	refs := m.refs(r.a, as, ta)
	if r.a == r.b {
		for _, j := range tb {
			if !slices.Contains(ta, j) {
				refs = append(refs, m.refs(r.b, bs, []int{j})...)
			}
		}
	} else {
		refs = append(refs, m.refs(r.b, bs, tb)...)
	}
	why := fmt.Sprintf("%s must not run beside %s %s, but %s. Fix: move %s out of %s or %s out of %s; do not mix them.",
		describe(a, as, ta), b, r.rb, runs(b, bs, tb), b, r.rb, a, r.ra)
	*out = append(*out, m.violation(r, refs, why))
	return false
}

// distance returns how far a is ahead of b in unit (negative: behind) and
// whether the distance is finite. Across a major (for Minor) or a
// major.minor (for Patch) it is infinite in the direction of the
// difference.
func distance(a, b Version, u Unit) (int64, bool) {
	switch u {
	case Major:
		return a.seg[0] - b.seg[0], true
	case Patch:
		if a.seg[0] != b.seg[0] || a.seg[1] != b.seg[1] {
			return sign(a.Compare(b)), false
		}
		return a.seg[2] - b.seg[2], true
	}
	if a.seg[0] != b.seg[0] {
		return sign(a.Compare(b)), false
	}
	return a.seg[1] - b.seg[1], true
}

func sign(c int) int64 {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

// skewBounds returns the behind and ahead bounds that apply to a.
func (m *Matrix) skewBounds(r *rule, a Version) (int64, int64) {
	for _, o := range r.overrides {
		if m.match(o.r, a) {
			return o.behind, o.ahead
		}
	}
	return r.behind, r.ahead
}

// skewOK reports whether a (of the bounded component) may run beside b.
func (m *Matrix) skewOK(r *rule, a, b Version) bool {
	if r.sameMajor && a.seg[0] != b.seg[0] {
		return false
	}
	d, finite := distance(a, b, r.unit)
	behind, ahead := m.skewBounds(r, a)
	switch {
	case d < 0:
		return behind < 0 || (finite && -d <= behind)
	case d > 0:
		return ahead < 0 || (finite && d <= ahead)
	}
	return true
}

func (m *Matrix) evalSkew(r *rule, vw *view, out *[]Violation) bool {
	as, bs := vw.inst[r.a], vw.inst[r.b]
	var ta, tb []int
	var reasons []string
	pairs := 0
	for i := range as {
		for j := range bs {
			if m.skewOK(r, as[i].v, bs[j].v) {
				continue
			}
			if out == nil {
				return false
			}
			if !slices.Contains(ta, i) {
				ta = append(ta, i)
			}
			if !slices.Contains(tb, j) {
				tb = append(tb, j)
			}
			if pairs++; pairs <= 3 {
				reasons = append(reasons, m.skewWhy(r, as[i], bs[j]))
			}
		}
	}
	if len(ta) == 0 {
		return true
	}
	if pairs > 3 {
		reasons = append(reasons, "and "+count(pairs-3, "more pair"))
	}
	refs := append(m.refs(r.a, as, ta), m.refs(r.b, bs, tb)...)
	*out = append(*out, m.violation(r, refs, strings.Join(reasons, "; ")))
	return false
}

func (m *Matrix) skewWhy(r *rule, a, b vinst) string {
	an, bn := m.comps[r.a].name, m.comps[r.b].name
	head := fmt.Sprintf("%s %s (%s) ", an, a.orig, a.name)
	tail := fmt.Sprintf(" %s %s (%s)", bn, b.orig, b.name)
	if r.sameMajor && a.v.seg[0] != b.v.seg[0] {
		return head + "is on a different major version than" + tail + "; they must share a major. Fix: bring both to the same major version."
	}
	d, finite := distance(a.v, b.v, r.unit)
	behind, ahead := m.skewBounds(r, a.v)
	unit := r.unit.String()
	if d < 0 {
		if !finite {
			return head + "is a whole " + coarser(r.unit) + " behind" + tail + fmt.Sprintf(" (at most %d %s allowed). Fix: upgrade %s before %s.", behind, plural(behind, unit), an, bn)
		}
		return head + fmt.Sprintf("is %d %s behind", -d, plural(-d, unit)) + tail + fmt.Sprintf(" (at most %d allowed). Fix: upgrade %s to within %d %s of %s before upgrading %s further.", behind, an, behind, plural(behind, unit), bn, bn)
	}
	if !finite {
		return head + "is a whole " + coarser(r.unit) + " ahead of" + tail + fmt.Sprintf(" (at most %d %s allowed). Fix: upgrade %s first, or roll %s back.", ahead, plural(ahead, unit), bn, an)
	}
	if ahead == 0 {
		return head + fmt.Sprintf("is %d %s ahead of", d, plural(d, unit)) + tail + fmt.Sprintf(" (it must never be ahead). Fix: upgrade %s first, or roll %s back.", bn, an)
	}
	return head + fmt.Sprintf("is %d %s ahead of", d, plural(d, unit)) + tail + fmt.Sprintf(" (at most %d allowed). Fix: upgrade %s first, or roll %s back.", ahead, bn, an)
}

func coarser(u Unit) string {
	if u == Patch {
		return "minor"
	}
	return "major"
}

// count renders "1 violation" or "2 violations".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func plural(n int64, unit string) string {
	if n == 1 {
		return unit + " version"
	}
	return unit + " versions"
}

func (m *Matrix) evalInstanceSkew(r *rule, vw *view, out *[]Violation) bool {
	as := vw.inst[r.a]
	if len(as) < 2 {
		return true
	}
	lo, hi := 0, 0
	for i := range as {
		if as[i].v.Compare(as[lo].v) < 0 {
			lo = i
		}
		if as[i].v.Compare(as[hi].v) > 0 {
			hi = i
		}
	}
	d, finite := distance(as[hi].v, as[lo].v, r.unit)
	if finite && d <= r.behind {
		return true
	}
	if out == nil {
		return false
	}
	name := m.comps[r.a].name
	span := fmt.Sprintf("%d %s", d, plural(d, r.unit.String()))
	if !finite {
		span = "more than one " + coarser(r.unit)
	}
	why := fmt.Sprintf("%s instances span %s (%s on %s .. %s on %s); at most %d allowed. Fix: finish moving the older instances forward (or roll the newer back) before starting another upgrade.",
		name, span, as[lo].orig, as[lo].name, as[hi].orig, as[hi].name, r.behind)
	*out = append(*out, m.violation(r, m.refs(r.a, as, []int{lo, hi}), why))
	return false
}

func (m *Matrix) evalSupport(r *rule, vw *view, out *[]Violation) bool {
	if r.level == Supported {
		return true
	}
	as := vw.inst[r.a]
	var hit []int
	for i := range as {
		if m.match(r.ra, as[i].v) {
			if out == nil {
				return false
			}
			hit = append(hit, i)
		}
	}
	if len(hit) == 0 {
		return true
	}
	name := m.comps[r.a].name
	why := fmt.Sprintf("%s is %s (versions %s). Fix: move %s out of %s%s.", describe(name, as, hit), r.level, r.ra, name, r.ra, m.suggestOutside(r.a, r.ra))
	*out = append(*out, m.violation(r, m.refs(r.a, as, hit), why))
	return false
}

func (m *Matrix) suggestOutside(ci int, rg Range) string {
	for _, v := range slices.Backward(m.comps[ci].catalog) {
		if nv, ok := m.release(v); ok && !m.match(rg, nv) {
			return " (for example to " + v.String() + ")"
		}
	}
	return ""
}

// entry returns the access entry of schema r that instance v of component
// ci uses, or -1.
func (m *Matrix) entry(r *rule, ci int, v Version) int {
	for k := range r.access {
		if r.access[k].comp == ci && m.match(r.access[k].versions, v) {
			return k
		}
	}
	return -1
}

func (m *Matrix) evalSchema(r *rule, vw *view, out *[]Violation) bool {
	// Validity depends only on which access entries are in use, so the
	// check is quadratic in entries, not in instances.
	type use struct{ ci, i int }
	var firstBuf [8]use
	first := firstBuf[:0] // first instance using each entry, ci < 0 if none
	for range r.access {
		first = append(first, use{-1, -1})
	}
	var users [][]use // all instances per entry, only when reporting
	if out != nil {
		users = make([][]use, len(r.access))
	}
	for _, ci := range r.comps {
		for i := range vw.inst[ci] {
			e := m.entry(r, ci, vw.inst[ci][i].v)
			if e < 0 {
				continue
			}
			if first[e].ci < 0 {
				first[e] = use{ci, i}
			}
			if users != nil {
				users[e] = append(users[e], use{ci, i})
			}
		}
	}
	var reasons []string
	var refs []InstanceRef
	seen := map[[2]int]bool{}
	for we, w := range first {
		if w.ci < 0 || r.access[we].writes.IsEmpty() {
			continue
		}
		for re, rd := range first {
			if rd.ci < 0 || r.readable[we][re] {
				continue
			}
			if out == nil {
				return false
			}
			wi, ri := vw.inst[w.ci][w.i], vw.inst[rd.ci][rd.i]
			wn, rn := m.comps[w.ci].name, m.comps[rd.ci].name
			reasons = append(reasons, fmt.Sprintf("%s %s (%s) writes %s %s, which %s %s (%s) cannot read (it reads %s). Fix: upgrade %s to a version that reads %s%s before rolling out %s %s, or roll %s back.",
				wn, wi.orig, wi.name, r.id, r.access[we].writes, rn, ri.orig, ri.name, r.access[re].reads,
				rn, r.access[we].writes, m.suggestReader(r, rd.ci, r.access[we].writes), wn, wi.orig, wn))
			for _, u := range append(slices.Clone(users[we]), users[re]...) {
				if k := [2]int{u.ci, u.i}; !seen[k] {
					seen[k] = true
					refs = append(refs, m.ref(u.ci, vw.inst[u.ci][u.i]))
				}
			}
		}
	}
	if len(reasons) == 0 {
		return true
	}
	if len(reasons) > 3 {
		reasons = append(reasons[:3], "and "+count(len(reasons)-3, "more writer/reader pair"))
	}
	*out = append(*out, m.violation(r, refs, strings.Join(reasons, " ")))
	return false
}

func (m *Matrix) suggestReader(r *rule, ci int, writes Range) string {
	for _, v := range m.comps[ci].catalog {
		nv, ok := m.release(v)
		if !ok {
			continue
		}
		if e := m.entry(r, ci, nv); e >= 0 && r.access[e].reads.Covers(writes) {
			return " (for example " + v.String() + ")"
		}
	}
	return ""
}

// release normalizes catalog version v as deployed versions are, and
// reports whether it is a release: a fix suggests no release candidate.
func (m *Matrix) release(v Version) (Version, bool) {
	nv := m.Normalize(v)
	return nv, nv.pre == ""
}

// evalFeature checks that every provider of feature r (and of the
// features it requires) is deployed with all instances in range.
func (m *Matrix) evalFeature(r *rule, vw *view, out *[]Violation, enabled bool) bool {
	var reasons []string
	var refs []InstanceRef
	for _, p := range r.providers {
		name := m.comps[p.comp].name
		via := ""
		if p.feature != r.id {
			via = ", needed by required feature " + p.feature
		}
		insts := vw.inst[p.comp]
		if len(insts) == 0 {
			if out == nil {
				return false
			}
			reasons = append(reasons, fmt.Sprintf("%s is not deployed; it must run %s%s", name, p.r, via))
			continue
		}
		var bad []int
		for i := range insts {
			if !m.match(p.r, insts[i].v) {
				if out == nil {
					return false
				}
				bad = append(bad, i)
			}
		}
		if len(bad) > 0 {
			reasons = append(reasons, fmt.Sprintf("%s does not provide it (needs %s%s)", describe(name, insts, bad), p.r, via))
			refs = append(refs, m.refs(p.comp, insts, bad)...)
		}
	}
	if len(reasons) == 0 {
		return true
	}
	if out == nil {
		return false
	}
	state := "is not usable"
	fix := "upgrade the providers into range"
	if enabled {
		state = "is enabled but not usable"
		fix = "upgrade the providers into range, or turn " + r.id + " off"
	}
	why := fmt.Sprintf("feature %s %s: %s. Fix: %s.", r.id, state, strings.Join(reasons, "; "), fix)
	*out = append(*out, m.violation(r, refs, why))
	return false
}

func (m *Matrix) ref(ci int, in vinst) InstanceRef {
	return InstanceRef{Component: m.comps[ci].name, Instance: in.name, Version: in.orig}
}

func (m *Matrix) refs(ci int, insts []vinst, idx []int) []InstanceRef {
	out := make([]InstanceRef, len(idx))
	for k, i := range idx {
		out[k] = m.ref(ci, insts[i])
	}
	return out
}

// describe renders "api 3.1.0 on api-0, api-1 and 3.0.2 on api-2".
func describe(name string, insts []vinst, idx []int) string {
	return name + " " + byVersion(insts, idx)
}

// runs renders "db runs 14.2 on db-0".
func runs(name string, insts []vinst, idx []int) string {
	return name + " runs " + byVersion(insts, idx)
}

func byVersion(insts []vinst, idx []int) string {
	groups := map[string][]string{}
	var order []string
	for _, i := range idx {
		v := insts[i].orig.String()
		if _, ok := groups[v]; !ok {
			order = append(order, v)
		}
		groups[v] = append(groups[v], insts[i].name)
	}
	parts := make([]string, len(order))
	for k, v := range order {
		names := groups[v]
		if len(names) > 4 {
			names = append(names[:3:3], strconv.Itoa(len(groups[v])-3)+" more")
		}
		parts[k] = v + " on " + strings.Join(names, ", ")
	}
	return strings.Join(parts, " and ")
}

// FeatureStatus says whether a feature is usable in a deployment.
type FeatureStatus struct {
	Feature string `json:"feature"`
	Usable  bool   `json:"usable"`
	// Why is the reason the feature is not usable and what to do about
	// it, without the feature's name ("web 4.9.0 on web-1 does not
	// provide it (needs >=5.0). Fix: ..."); empty when it is usable.
	// [FeatureStatus.String] gives the whole sentence.
	Why string `json:"why,omitempty"`
	// Blocking lists the instances that do not provide the feature.
	Blocking []InstanceRef `json:"blocking,omitempty"`
}

// String renders "feature checkout-v2 is usable" or "feature checkout-v2
// is not usable: " followed by Why.
func (s FeatureStatus) String() string {
	if s.Usable {
		return "feature " + s.Feature + " is usable"
	}
	return "feature " + s.Feature + " is not usable: " + s.Why
}

// Features reports, for every feature in the matrix in declaration order,
// whether d can use it.
func (m *Matrix) Features(d Deployment) []FeatureStatus {
	vw, _ := m.resolve(d)
	out := make([]FeatureStatus, 0, len(m.features))
	for _, ri := range m.features {
		r := &m.rules[ri]
		var vs []Violation
		ok := m.evalFeature(r, &vw, &vs, false)
		st := FeatureStatus{Feature: r.id, Usable: ok}
		if !ok {
			st.Why = strings.TrimPrefix(vs[0].Why, "feature "+r.id+" is not usable: ")
			st.Blocking = vs[0].Instances
		}
		out = append(out, st)
	}
	return out
}

// UsableFeatures returns the ids of the features d can use, in
// declaration order.
func (m *Matrix) UsableFeatures(d Deployment) []string {
	vw, _ := m.resolve(d)
	var out []string
	for _, ri := range m.features {
		if m.evalFeature(&m.rules[ri], &vw, nil, false) {
			out = append(out, m.rules[ri].id)
		}
	}
	return out
}

// FeatureProvider is a component and the versions of it that provide a
// feature.
type FeatureProvider struct {
	Component string `json:"component"`
	Versions  Range  `json:"versions"`
	// Catalog lists the component's catalog versions in Versions.
	Catalog []Version `json:"catalog,omitempty"`
	// Via names the required feature this provider comes from, or "".
	Via string `json:"via,omitempty"`
}

// FeatureProviders returns what a feature needs: every provider of it and
// of the features it requires, with the catalog versions that qualify. It
// reports false if the feature is unknown.
func (m *Matrix) FeatureProviders(feature string) ([]FeatureProvider, bool) {
	ri, ok := m.ruleIdx[feature]
	if !ok || m.rules[ri].kind != KindFeature {
		return nil, false
	}
	r := &m.rules[ri]
	out := make([]FeatureProvider, 0, len(r.providers))
	for _, p := range r.providers {
		fp := FeatureProvider{Component: m.comps[p.comp].name, Versions: p.r}
		if p.feature != r.id {
			fp.Via = p.feature
		}
		for _, v := range m.comps[p.comp].catalog {
			if m.match(p.r, m.Normalize(v)) {
				fp.Catalog = append(fp.Catalog, v)
			}
		}
		out = append(out, fp)
	}
	return out, true
}

// FeatureIDs returns the ids of all features in declaration order.
func (m *Matrix) FeatureIDs() []string {
	out := make([]string, len(m.features))
	for i, ri := range m.features {
		out[i] = m.rules[ri].id
	}
	return out
}
