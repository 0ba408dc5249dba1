package flags

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glidepath/glidepath/internal/murmur3"
	"github.com/hashicorp/go-version"
)

// maxTotalWeight bounds a split's total weight so that hash × total fits in
// 64 bits and matches flagd's 32-bit weights.
const maxTotalWeight = math.MaxInt32

// maxConditionSize bounds the tests one rule evaluates, counting segments
// each time they are referenced, so evaluation time stays bounded.
const maxConditionSize = 10000

// Ramp times must be representable in Unix nanoseconds.
var (
	minRampTime = time.Unix(0, math.MinInt64)
	maxRampTime = time.Unix(0, math.MaxInt64)
)

// unixNanos is t.UnixNano, saturated: UnixNano is undefined outside the
// years 1678 to 2262 (it wraps), and a wrapped time would put a ramp
// before its start or past its end.
func unixNanos(t time.Time) int64 {
	switch {
	case t.Before(minRampTime):
		return math.MinInt64
	case t.After(maxRampTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// maxConfigErrors caps how many problems one [Compile] reports.
const maxConfigErrors = 20

// compiled flag
type flag struct {
	key        string
	index      int
	kind       Kind
	disabled   bool
	tags       []string
	names      []string // variant names, sorted
	values     []Value
	anyValues  []any // values[i].Any(), boxed once
	boolVals   []bool
	strVals    []string
	intVals    []int64
	floatVals  []float64
	defaultIdx int // -1: caller's fallback
	rules      []rule
	prereqs    []prereq
	bucket     bucketSpec
	meta       map[string]any // static metadata, nil when empty
	fp         string         // fingerprint for change detection
}

type outcome uint8

const (
	outVariant outcome = iota
	outSplit
	outDefault
)

type rule struct {
	meta map[string]any // flag metadata + rule explanation, for the provider
	// noBucketMeta is meta for a split that found no bucketing value.
	noBucketMeta map[string]any
	name         string
	cond         *cond
	out          outcome
	variant      int
	split        *split
}

type split struct {
	metaCache []atomic.Pointer[bucketMeta] // per bucket, for the provider
	variants  []int
	weights   []uint64
	total     uint64
	bucket    bucketSpec
	ramp      *ramp
}

type ramp struct {
	linear   bool
	at       []int64 // unix nanoseconds
	weights  []uint64
	pairSum  uint64 // weights[0]+weights[1] as declared
	declared uint64 // first variant's weight before the first point
}

// bucketSpec is a resolved bucketing string. The constant leading parts
// (flag key, literals) are hashed at load time into prefix, so evaluation
// hashes only what depends on the subject.
type bucketSpec struct {
	prefix murmur3.Hash32
	rest   []bucketPart // from the first attribute on
	empty  bool         // no parts given: inherit (splits) or default (flags)
}

type bucketPart struct {
	lit    string // a literal, or the flag key
	attr   attrPath
	isAttr bool
}

// bucketMeta is a cached metadata map for one bucket at one ramp step.
type bucketMeta struct {
	step int
	m    map[string]any
}

// maxMetaCache bounds the per-bucket metadata cache of a split.
const maxMetaCache = 1000

type prereq struct {
	meta    map[string]any
	flag    *flag
	allowed []bool // indexed by the prerequisite's variant index
}

// compiler holds state while compiling one Config.
type compiler struct {
	cfg      *Config
	errs     []error
	segments map[string]*cond
	segState map[string]int // 1 compiling, 2 done
}

func (c *compiler) fail(path, reason, value string, err error) {
	if len(c.errs) < maxConfigErrors {
		c.errs = append(c.errs, &ConfigError{Path: path, Reason: reason, Value: value, Err: err})
	}
}

// Compile validates cfg and compiles it into an immutable [Snapshot]. All
// problems are reported together as [*ConfigError] values joined with
// errors.Join (up to 20), in a deterministic order.
func Compile(cfg Config) (*Snapshot, error) {
	c := &compiler{cfg: &cfg, segments: map[string]*cond{}, segState: map[string]int{}}
	s := &Snapshot{flags: make(map[string]*flag, len(cfg.Flags))}
	keys := slices.Sorted(maps.Keys(cfg.Flags))
	for _, name := range slices.Sorted(maps.Keys(cfg.Segments)) {
		c.segment(name, "segments."+name)
	}
	// First pass: variants, so prerequisites can refer to any flag.
	for i, key := range keys {
		f := c.flagShell(key, cfg.Flags[key])
		f.index = i
		s.flags[key] = f
		s.list = append(s.list, f)
	}
	for _, f := range s.list {
		c.flagBody(f, cfg.Flags[f.key], s)
	}
	c.checkCycles(s)
	s.killedTags = map[string]bool{}
	for i, t := range cfg.KilledTags {
		if t == "" {
			c.fail("killedTags["+strconv.Itoa(i)+"]", "empty tag", "", nil)
		}
		s.killedTags[t] = true
	}
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	s.configKilled = maps.Clone(s.killedTags)
	s.computeKilled()
	return s, nil
}

func (c *compiler) flagShell(key string, fd Flag) *flag {
	path := "flags." + key
	f := &flag{key: key, defaultIdx: -1, disabled: fd.State == Disabled}
	if key == "" {
		c.fail("flags", "empty flag key", "", nil)
	}
	if fd.State > Disabled {
		c.fail(path+".state", "unknown state", fd.State.String(), nil)
	}
	if len(fd.Variants) == 0 {
		c.fail(path+".variants", "no variants", "", nil)
	}
	f.names = slices.Sorted(maps.Keys(fd.Variants))
	kind := fd.Type
	if kind > KindObject {
		c.fail(path+".type", "unknown type", kind.String(), nil)
		kind = KindInvalid
	}
	if kind == KindInvalid {
		// Infer: a mix of ints and floats is a float flag.
		for _, n := range f.names {
			k := fd.Variants[n].Kind()
			switch {
			case kind == KindInvalid:
				kind = k
			case kind == KindInt && k == KindFloat:
				kind = KindFloat
			case kind == KindFloat && k == KindInt:
			}
		}
	}
	f.kind = kind
	for _, n := range f.names {
		v := fd.Variants[n]
		vpath := path + ".variants." + n
		if n == "" {
			c.fail(path+".variants", "empty variant name", "", nil)
		}
		switch {
		case !v.IsValid():
			c.fail(vpath, "missing value", "", nil)
		case v.Kind() == kind:
		case kind == KindFloat && v.Kind() == KindInt:
			v = Float(float64(v.i))
		default:
			c.fail(vpath, "type mismatch: "+v.Kind().String()+" value in "+kind.String()+" flag", valueText(v), nil)
		}
		if v.kind == KindObject {
			if _, err := json.Marshal(v.obj); err != nil {
				// Cycles, functions, channels, NaN: not a JSON-like tree.
				c.fail(vpath, "object value is not a JSON value", "", err)
				v.obj = nil
			}
			// The caller may still hold the tree; the snapshot keeps its own.
			v.obj = cloneTree(v.obj)
		}
		f.values = append(f.values, v)
		f.anyValues = append(f.anyValues, v.Any())
		f.boolVals = append(f.boolVals, v.b)
		f.strVals = append(f.strVals, v.s)
		f.intVals = append(f.intVals, v.i)
		f.floatVals = append(f.floatVals, v.f)
	}
	if fd.DefaultVariant != "" {
		f.defaultIdx = c.variant(f, fd.DefaultVariant, path+".defaultVariant")
	}
	for i, t := range fd.Tags {
		if t == "" {
			c.fail(path+".tags["+strconv.Itoa(i)+"]", "empty tag", "", nil)
		}
	}
	f.tags = slices.Clone(fd.Tags)
	if len(fd.Metadata) > 0 {
		f.meta = make(map[string]any, len(fd.Metadata))
		for _, k := range slices.Sorted(maps.Keys(fd.Metadata)) { // errors in a stable order
			v := fd.Metadata[k]
			switch v.Kind() {
			case KindBool, KindString, KindInt, KindFloat:
				f.meta[k] = v.Any()
			default:
				c.fail(path+".metadata."+k, "metadata values must be bool, string, int or float", "", nil)
			}
		}
	}
	fp, err := json.Marshal(fd)
	if err != nil {
		c.fail(path, "cannot encode definition", "", err)
	}
	// The segments a flag uses are part of its definition: editing one
	// changes the flag, and change events must name it.
	used := map[string]bool{}
	for _, r := range fd.Rules {
		if r.When != nil {
			c.segmentRefs(*r.When, used)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(used)) {
		seg, _ := json.Marshal(c.cfg.Segments[name])
		fp = append(append(append(fp, '\n'), name...), seg...)
	}
	f.fp = string(fp)
	return f
}

// segmentRefs adds to used the segments cd refers to, directly or through
// other segments. Unknown segments and cycles are reported elsewhere.
func (c *compiler) segmentRefs(cd Condition, used map[string]bool) {
	if cd.Segment != "" && !used[cd.Segment] {
		if seg, ok := c.cfg.Segments[cd.Segment]; ok {
			used[cd.Segment] = true
			c.segmentRefs(seg, used)
		}
	}
	for _, sub := range cd.All {
		c.segmentRefs(sub, used)
	}
	for _, sub := range cd.Any {
		c.segmentRefs(sub, used)
	}
	if cd.Not != nil {
		c.segmentRefs(*cd.Not, used)
	}
}

func (c *compiler) variant(f *flag, name, path string) int {
	i, ok := slices.BinarySearch(f.names, name)
	if !ok {
		c.fail(path, "unknown variant", name, nil)
		return -1
	}
	return i
}

func (c *compiler) flagBody(f *flag, fd Flag, s *Snapshot) {
	path := "flags." + f.key
	f.bucket = c.bucketSpec(fd.BucketBy, path+".bucketBy", f.key)
	for i, r := range fd.Rules {
		f.rules = append(f.rules, c.rule(f, r, i, fmt.Sprintf("%s.rules[%d]", path, i)))
	}
	for i, p := range fd.Requires {
		pp := fmt.Sprintf("%s.requires[%d]", path, i)
		dep, ok := s.flags[p.Flag]
		if !ok {
			c.fail(pp+".flag", "unknown flag", p.Flag, nil)
			continue
		}
		if len(p.Variants) == 0 {
			c.fail(pp+".variants", "no variants", "", nil)
		}
		if slices.ContainsFunc(f.prereqs, func(q prereq) bool { return q.flag == dep }) {
			c.fail(pp+".flag", "duplicate prerequisite", p.Flag, nil)
			continue
		}
		pr := prereq{flag: dep, allowed: make([]bool, len(dep.names)), meta: withMeta(f.meta, "prerequisite", dep.key)}
		for j, v := range p.Variants {
			if k := c.variant(dep, v, fmt.Sprintf("%s.variants[%d]", pp, j)); k >= 0 {
				pr.allowed[k] = true
			}
		}
		f.prereqs = append(f.prereqs, pr)
	}
}

func (c *compiler) rule(f *flag, r Rule, i int, path string) rule {
	out := rule{name: r.Name, variant: -1}
	if out.name == "" {
		out.name = strconv.Itoa(i)
	}
	out.meta = withMeta(f.meta, "rule", out.name, "ruleIndex", int64(i))
	if r.When != nil {
		out.cond = c.cond(*r.When, path+".when", 0)
		if n := out.cond.size(map[*cond]int{}); n > maxConditionSize {
			c.fail(path+".when", fmt.Sprintf("condition too large (%d tests after expanding segments, at most %d)", n, maxConditionSize), "", nil)
		}
	}
	n := 0
	if r.Variant != "" {
		n++
		out.out = outVariant
		out.variant = c.variant(f, r.Variant, path+".variant")
	}
	if r.Split != nil {
		n++
		out.out = outSplit
		out.split = c.split(f, r.Split, path+".split")
		out.noBucketMeta = withMeta(out.meta, "noBucketingValue", true)
	}
	if r.Default {
		n++
		out.out = outDefault
	}
	if n != 1 {
		c.fail(path, "exactly one of variant, split and default must be set", "", nil)
	}
	return out
}

func (c *compiler) split(f *flag, sp *Split, path string) *split {
	out := &split{}
	if len(sp.Variants) == 0 {
		c.fail(path+".variants", "no variants", "", nil)
		return out
	}
	seen := map[string]bool{}
	for i, wv := range sp.Variants {
		vp := fmt.Sprintf("%s.variants[%d]", path, i)
		if seen[wv.Variant] && !sp.AllowRepeats {
			c.fail(vp+".variant", "duplicate variant in split", wv.Variant, nil)
		}
		seen[wv.Variant] = true
		out.variants = append(out.variants, c.variant(f, wv.Variant, vp+".variant"))
		if wv.Weight < 0 {
			c.fail(vp+".weight", "negative weight", strconv.FormatInt(wv.Weight, 10), nil)
			continue
		}
		if wv.Weight > maxTotalWeight || out.total+uint64(wv.Weight) > maxTotalWeight {
			c.fail(vp+".weight", fmt.Sprintf("weights overflow (total must be at most %d)", maxTotalWeight), strconv.FormatInt(wv.Weight, 10), nil)
			continue
		}
		out.weights = append(out.weights, uint64(wv.Weight))
		out.total += uint64(wv.Weight)
	}
	if len(out.weights) == len(sp.Variants) && out.total == 0 {
		c.fail(path, "weights sum to 0", "", nil)
	}
	out.bucket = c.bucketSpec(sp.BucketBy, path+".bucketBy", f.key)
	if out.bucket.empty {
		out.bucket = f.bucket
	}
	if out.total <= maxMetaCache {
		out.metaCache = make([]atomic.Pointer[bucketMeta], out.total)
	}
	if sp.Ramp != nil && len(out.weights) == len(sp.Variants) {
		out.ramp = c.ramp(sp.Ramp, out, path+".ramp")
	}
	return out
}

func (c *compiler) ramp(r *Ramp, sp *split, path string) *ramp {
	if len(sp.weights) < 2 {
		c.fail(path, "a ramp needs a split of at least two variants", "", nil)
		return nil
	}
	if r.Mode > RampLinear {
		c.fail(path+".mode", "unknown ramp mode", r.Mode.String(), nil)
	}
	if len(r.Points) == 0 {
		c.fail(path+".points", "no points", "", nil)
		return nil
	}
	out := &ramp{linear: r.Mode == RampLinear, pairSum: sp.weights[0] + sp.weights[1], declared: sp.weights[0]}
	for i, p := range r.Points {
		pp := fmt.Sprintf("%s.points[%d]", path, i)
		if p.At.IsZero() {
			c.fail(pp+".at", "missing time", "", nil)
		} else if p.At.Before(minRampTime) || p.At.After(maxRampTime) {
			c.fail(pp+".at", "time out of range (years 1678 to 2262)", p.At.String(), nil)
		}
		if p.Weight < 0 || uint64(p.Weight) > out.pairSum {
			c.fail(pp+".weight", fmt.Sprintf("weight must be between 0 and %d (the first two variants' weights together)", out.pairSum), strconv.FormatInt(p.Weight, 10), nil)
		}
		if i > 0 {
			if !p.At.After(r.Points[i-1].At) {
				c.fail(pp+".at", "times must increase", p.At.String(), nil)
			}
			if p.Weight < r.Points[i-1].Weight {
				c.fail(pp+".weight", "weights must not decrease", strconv.FormatInt(p.Weight, 10), nil)
			}
		}
		out.at = append(out.at, p.At.UnixNano())
		out.weights = append(out.weights, uint64(max(p.Weight, 0)))
	}
	// Before the first point the declared weight applies, unless the first
	// point is lower: then the ramp starts from the lower weight, so that
	// exposure never falls when the first point is reached.
	out.declared = min(out.declared, out.weights[0])
	return out
}

// bucketSpec validates parts and resolves them for flag flagKey. No parts
// means flag key + targeting key.
func (c *compiler) bucketSpec(parts []BucketPart, path, flagKey string) bucketSpec {
	out := bucketSpec{empty: len(parts) == 0}
	if out.empty {
		parts = []BucketPart{{FlagKey: true}, {Attribute: TargetingKey}}
	}
	var resolved []bucketPart
	for i, p := range parts {
		pp := fmt.Sprintf("%s[%d]", path, i)
		n := 0
		bp := bucketPart{}
		if p.FlagKey {
			n++
			bp.lit = flagKey
		}
		if p.Attribute != "" {
			n++
			bp.attr = newAttrPath(p.Attribute)
			bp.isAttr = true
		}
		if p.Literal != "" {
			n++
			bp.lit = p.Literal
		}
		if n != 1 {
			c.fail(pp, "exactly one of flagKey, attribute and literal must be set", "", nil)
		}
		resolved = append(resolved, bp)
	}
	out.prefix = murmur3.New32(0)
	i := 0
	for ; i < len(resolved) && !resolved[i].isAttr; i++ {
		out.prefix.WriteString(resolved[i].lit)
	}
	out.rest = resolved[i:]
	return out
}

// cond compiles a condition; depth bounds nesting so hostile input cannot
// exhaust the stack.
func (c *compiler) cond(cd Condition, path string, depth int) *cond {
	if depth > 64 {
		c.fail(path, "conditions nested too deeply", "", nil)
		return &cond{kind: condFalse}
	}
	n := 0
	out := &cond{}
	if cd.All != nil {
		n++
		out.kind = condAll
		for i, sub := range cd.All {
			out.children = append(out.children, c.cond(sub, fmt.Sprintf("%s.all[%d]", path, i), depth+1))
		}
	}
	if cd.Any != nil {
		n++
		out.kind = condAny
		for i, sub := range cd.Any {
			out.children = append(out.children, c.cond(sub, fmt.Sprintf("%s.any[%d]", path, i), depth+1))
		}
	}
	if cd.Not != nil {
		n++
		out.kind = condNot
		out.children = []*cond{c.cond(*cd.Not, path+".not", depth+1)}
	}
	if cd.Segment != "" {
		n++
		if _, ok := c.cfg.Segments[cd.Segment]; !ok {
			c.fail(path+".segment", "unknown segment", cd.Segment, nil)
			out.kind = condFalse
		} else {
			seg := c.segment(cd.Segment, path+".segment")
			if seg == nil {
				return &cond{kind: condFalse}
			}
			return seg
		}
	}
	if cd.Attribute != "" || cd.Op != OpInvalid {
		n++
		c.attrCond(out, cd, path)
	}
	if n != 1 {
		c.fail(path, "exactly one of all, any, not, segment and attribute must be set", "", nil)
	}
	return out
}

func (c *compiler) segment(name, path string) *cond {
	switch c.segState[name] {
	case 1:
		c.fail(path, "segment refers to itself", name, nil)
		return nil
	case 2:
		return c.segments[name]
	}
	c.segState[name] = 1
	out := c.cond(c.cfg.Segments[name], "segments."+name, 0)
	c.segments[name] = out
	c.segState[name] = 2
	return out
}

func (c *compiler) attrCond(out *cond, cd Condition, path string) {
	out.kind = condAttr
	out.op = cd.Op
	out.attr = newAttrPath(cd.Attribute)
	if cd.Attribute == "" {
		c.fail(path+".attribute", "missing attribute", "", nil)
	}
	needValue := true
	switch cd.Op {
	case OpInvalid:
		c.fail(path+".op", "missing operator", "", nil)
		return
	case OpIn, OpNotIn:
		needValue = false
		if cd.Value != nil {
			c.fail(path+".value", cd.Op.String()+" takes values, not value", "", nil)
		}
		if len(cd.Values) == 0 {
			c.fail(path+".values", "no values", "", nil)
		}
		for i, v := range cd.Values {
			if !scalar(v) {
				c.fail(fmt.Sprintf("%s.values[%d]", path, i), "values must be bool, string, int or float", valueText(v), nil)
			}
		}
		out.vals = slices.Clone(cd.Values)
		return
	case OpExists:
		if cd.Value != nil || cd.Values != nil {
			c.fail(path, "exists takes no operand", "", nil)
		}
		return
	}
	if cd.Op >= opCount {
		c.fail(path+".op", "unknown operator", cd.Op.String(), nil)
		return
	}
	if cd.Values != nil {
		c.fail(path+".values", cd.Op.String()+" takes value, not values", "", nil)
	}
	if needValue && cd.Value == nil {
		c.fail(path+".value", "missing value", "", nil)
		return
	}
	v := *cd.Value
	vpath := path + ".value"
	out.val = v
	switch cd.Op {
	case OpEquals, OpNotEquals:
		if !scalar(v) {
			c.fail(vpath, "must be bool, string, int or float", valueText(v), nil)
		}
	case OpStartsWith, OpEndsWith, OpContains:
		if v.Kind() != KindString {
			c.fail(vpath, "must be a string", valueText(v), nil)
		}
	case OpMatches:
		if v.Kind() != KindString {
			c.fail(vpath, "must be a string", valueText(v), nil)
			return
		}
		re, err := regexp.Compile(v.s)
		if err != nil {
			c.fail(vpath, "bad regular expression", v.s, err)
			return
		}
		out.re = re
	case OpLess, OpLessOrEqual, OpGreater, OpGreaterOrEqual:
		if v.Kind() != KindInt && v.Kind() != KindFloat {
			c.fail(vpath, "must be a number", valueText(v), nil)
		}
	case OpSemverRange:
		if v.Kind() != KindString {
			c.fail(vpath, "must be a string", valueText(v), nil)
			return
		}
		cs, err := version.NewConstraint(v.s)
		if err != nil {
			c.fail(vpath, "bad version constraint", v.s, err)
			return
		}
		out.constraints = cs
	default: // semver comparisons
		s, ok := semverOperand(v)
		if !ok {
			c.fail(vpath, "must be a version string", valueText(v), nil)
			return
		}
		ver, err := parseSemver(s)
		if err != nil {
			c.fail(vpath, "bad version", s, err)
			return
		}
		out.ver = ver
	}
}

// valueText renders v for ConfigError.Value, which is quoted once more.
func valueText(v Value) string {
	if s, ok := v.AsString(); ok {
		return s
	}
	return v.String()
}

// withMeta returns a copy of base with the key/value pairs kv added.
func withMeta(base map[string]any, kv ...any) map[string]any {
	m := make(map[string]any, len(base)+len(kv)/2)
	maps.Copy(m, base)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func scalar(v Value) bool {
	switch v.Kind() {
	case KindBool, KindString, KindInt, KindFloat:
		return true
	}
	return false
}

func semverOperand(v Value) (string, bool) {
	switch v.Kind() {
	case KindString:
		return v.s, true
	case KindInt, KindFloat:
		return strconv.FormatFloat(v.f, 'f', -1, 64), true
	}
	return "", false
}

var errTooManySegments = errors.New("more than three numeric segments")

// parseSemver parses a semantic version leniently the way flagd does:
// a leading "v" or "V" is dropped, missing minor and patch are zero, and
// more than three numeric segments are rejected.
func parseSemver(s string) (*version.Version, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return nil, fmt.Errorf("malformed version %q", s)
	}
	v, err := version.NewVersion(s)
	if err != nil {
		return nil, err
	}
	core := s
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		core = core[:i]
	}
	if strings.Count(core, ".") > 2 {
		return nil, errTooManySegments
	}
	return v, nil
}

// checkCycles rejects prerequisite cycles.
func (c *compiler) checkCycles(s *Snapshot) {
	state := make([]uint8, len(s.list)) // 0 new, 1 on stack, 2 done
	var visit func(f *flag, chain []string) bool
	visit = func(f *flag, chain []string) bool {
		switch state[f.index] {
		case 1:
			c.fail("flags."+f.key+".requires", "prerequisite cycle", strings.Join(append(chain, f.key), " -> "), nil)
			return false
		case 2:
			return true
		}
		state[f.index] = 1
		for _, p := range f.prereqs {
			if !visit(p.flag, append(chain, f.key)) {
				state[f.index] = 2
				return false
			}
		}
		state[f.index] = 2
		return true
	}
	ok := true
	for _, f := range s.list {
		ok = visit(f, nil) && ok
	}
	if !ok {
		return
	}
	// Diamonds are legal but multiply work: bound the evaluations one flag
	// can cause through its prerequisites.
	cost := make([]int, len(s.list))
	var count func(f *flag) int
	count = func(f *flag) int {
		if cost[f.index] > 0 {
			return cost[f.index]
		}
		n := 1
		for _, p := range f.prereqs {
			n = min(n+count(p.flag), maxPrerequisiteEvals+1)
		}
		cost[f.index] = n
		return n
	}
	for _, f := range s.list {
		if n := count(f); n > maxPrerequisiteEvals {
			c.fail("flags."+f.key+".requires", fmt.Sprintf("prerequisites too deep (more than %d flag evaluations)", maxPrerequisiteEvals), "", nil)
		}
	}
}

// maxPrerequisiteEvals bounds the flag evaluations one evaluation may
// cause through prerequisites.
const maxPrerequisiteEvals = 1000
