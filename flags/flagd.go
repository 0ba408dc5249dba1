package flags

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"sigs.k8s.io/yaml"
)

// ParseFlagd translates a flagd flag definition file (JSON or YAML, with
// optional "$evaluators" referenced through "$ref") into a [Config].
//
// Targeting is translated into ordered rules: "if" chains, "and", "or",
// "!", "==", "!=", "in", "<", "<=", ">", ">=", "starts_with", "ends_with",
// "sem_ver" and "fractional" (including its bucketing expression, "var",
// "cat" and literal seeds) are supported; a bare boolean expression yields
// the variants "true" and "false" as in flagd. Where flagd's operators
// return null for bad arguments, the translation falls through to the
// default variant as flagd does at evaluation time.
//
// Nested expressions in "fractional" are supported where they have an
// exact counterpart in rules and splits:
//   - an "if" as a bucket's variant name or weight is hoisted out of the
//     fractional: fractional(k, [if(c, a, b), w], ...) becomes
//     if(c, fractional(k, [a, w], ...), fractional(k, [b, w], ...)), one
//     rule and split per branch, which buckets every subject as flagd
//     does. A split may then name a variant in separate ranges of buckets
//     ([Split.AllowRepeats]); adjacent buckets of one variant are merged.
//   - "fractional" as the condition of an "if" becomes a split whose
//     buckets serve the branch flagd's truthiness picks for each literal
//     bucket value; where flagd's fractional yields null (no bucketing
//     value, weights summing to zero) the else branch is taken.
//
// Rejected, because no rule or split expresses them: expressions without
// a counterpart in [Condition] (arithmetic, "var" as a result), a "var"
// or any other expression as a bucket's variant name (flagd fails the
// evaluation when its value names no variant), a bucket that yields null
// (an "if" without else), a "fractional" as a variant name or inside
// "and", "or" or "!", and non-literal bucket values or weights in a
// fractional condition.
//
// Each flag is translated and validated on its own. The returned Config
// holds every flag that translated; the error joins one [*ConfigError] per
// flag that did not, so a caller may choose to serve the rest, as flagd
// does.
func ParseFlagd(data []byte) (Config, error) {
	var file struct {
		Flags      map[string]json.RawMessage `json:"flags"`
		Evaluators map[string]json.RawMessage `json:"$evaluators"`
		Schema     string                     `json:"$schema"`
		Metadata   map[string]any             `json:"metadata"`
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		// flagd also reads YAML definition files.
		if err := checkKeyTypes(data); err != nil {
			return Config{}, err
		}
		js, err := yaml.YAMLToJSONStrict(data)
		if err != nil {
			return Config{}, &ConfigError{Path: "flagd", Reason: "invalid YAML", Err: err}
		}
		data = js
	}
	if err := checkDuplicateKeys(data); err != nil {
		return Config{}, &ConfigError{Path: "flagd", Reason: "invalid JSON", Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return Config{}, &ConfigError{Path: "flagd", Reason: "invalid flagd definition", Err: err}
	}
	evals := map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(file.Evaluators)) {
		raw := file.Evaluators[name]
		v, err := decodeAny(raw)
		if err != nil {
			return Config{}, &ConfigError{Path: "$evaluators." + name, Reason: "invalid JSON", Err: err}
		}
		evals[name] = v
	}
	cfg := Config{Flags: map[string]Flag{}}
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(file.Flags)) {
		f, err := translateFlagd(key, file.Flags[key], evals)
		if err == nil {
			_, err = Compile(Config{Flags: map[string]Flag{key: f}})
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cfg.Flags[key] = f
	}
	return cfg, errors.Join(errs...)
}

func decodeAny(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func translateFlagd(key string, raw json.RawMessage, evals map[string]any) (Flag, error) {
	path := "flags." + key
	var fd struct {
		State          string           `json:"state"`
		Variants       map[string]Value `json:"variants"`
		DefaultVariant *string          `json:"defaultVariant"`
		Targeting      json.RawMessage  `json:"targeting"`
		Metadata       map[string]Value `json:"metadata"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fd); err != nil {
		return Flag{}, &ConfigError{Path: path, Reason: "invalid flag", Err: err}
	}
	f := Flag{Variants: fd.Variants, Metadata: fd.Metadata}
	if err := f.State.UnmarshalText([]byte(fd.State)); err != nil {
		return Flag{}, &ConfigError{Path: path + ".state", Reason: "unknown state", Value: fd.State}
	}
	if fd.DefaultVariant != nil {
		f.DefaultVariant = *fd.DefaultVariant
	}
	// Numbers written as 0.0 make the flag a float flag in flagd too.
	for _, v := range fd.Variants {
		if v.Kind() == KindFloat {
			f.Type = KindFloat
		}
	}
	if len(bytes.TrimSpace(fd.Targeting)) == 0 {
		return f, nil
	}
	tree, err := decodeAny(fd.Targeting)
	if err != nil {
		return Flag{}, &ConfigError{Path: path + ".targeting", Reason: "invalid JSON", Err: err}
	}
	t := &flagdTranslator{evals: evals, path: path + ".targeting", key: key}
	tree, err = t.resolveRefs(tree, 0)
	if err != nil {
		return Flag{}, err
	}
	if m, ok := tree.(map[string]any); ok && len(m) == 0 {
		return f, nil
	}
	if err := t.result(tree, nil); err != nil {
		return Flag{}, err
	}
	f.Rules = t.rules
	return f, nil
}

// maxFlagdNodes bounds a flag's targeting tree after $ref expansion.
const maxFlagdNodes = 100000

type flagdTranslator struct {
	nodes  int // nodes produced by resolveRefs
	hoists int // fractionals produced by hoistIf
	evals  map[string]any
	path   string
	key    string
	rules  []Rule
}

func (t *flagdTranslator) errf(format string, args ...any) error {
	return &ConfigError{Path: t.path, Reason: fmt.Sprintf(format, args...)}
}

func (t *flagdTranslator) resolveRefs(v any, depth int) (any, error) {
	if depth > 32 {
		return nil, t.errf("$ref nested too deeply")
	}
	if t.nodes++; t.nodes > maxFlagdNodes {
		return nil, t.errf("targeting too large after expanding $ref (more than %d nodes)", maxFlagdNodes)
	}
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"]; ok && len(x) == 1 {
			name, _ := ref.(string)
			ev, ok := t.evals[name]
			if !ok {
				return nil, &ConfigError{Path: t.path, Reason: "reference to unknown evaluator", Value: name}
			}
			return t.resolveRefs(ev, depth+1)
		}
		out := make(map[string]any, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) { // the first error is always the same
			e := x[k]
			r, err := t.resolveRefs(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := t.resolveRefs(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// when combines the guard conditions leading to a rule.
func when(guard []Condition) *Condition {
	switch len(guard) {
	case 0:
		return nil
	case 1:
		c := guard[0]
		return &c
	}
	c := All(slices.Clone(guard)...)
	return &c
}

// result translates an expression whose value selects a variant, reached
// when all guard conditions hold. It reports whether the expression
// always yields something (so later rules are unreachable under guard).
func (t *flagdTranslator) result(v any, guard []Condition) error {
	_, err := t.resultTotal(v, guard)
	return err
}

func (t *flagdTranslator) resultTotal(v any, guard []Condition) (bool, error) {
	switch x := v.(type) {
	case nil:
		t.rules = append(t.rules, Rule{When: when(guard), Default: true})
		return true, nil
	case string:
		t.rules = append(t.rules, Rule{When: when(guard), Variant: x})
		return true, nil
	case bool:
		t.rules = append(t.rules, Rule{When: when(guard), Variant: strconv.FormatBool(x)})
		return true, nil
	case map[string]any:
		if len(x) != 1 {
			return false, t.errf("expression must have exactly one operator")
		}
		for op, args := range x {
			switch op {
			case "if":
				return t.ifChain(args, guard)
			case "fractional":
				return true, t.fractional(args, guard)
			}
		}
		// A boolean expression: its value names the variant.
		c, isNull, err := t.cond(v, 0)
		if err != nil {
			return false, err
		}
		if isNull {
			t.rules = append(t.rules, Rule{When: when(guard), Default: true})
			return true, nil
		}
		t.rules = append(t.rules,
			Rule{When: when(append(slices.Clone(guard), c)), Variant: "true"},
			Rule{When: when(append(slices.Clone(guard), Not(c))), Variant: "false"})
		// Unknown falls through to the default, as flagd's null does.
		t.rules = append(t.rules, Rule{When: when(guard), Default: true})
		return true, nil
	}
	return false, t.errf("unsupported targeting result %v", v)
}

func (t *flagdTranslator) ifChain(args any, guard []Condition) (bool, error) {
	list, ok := args.([]any)
	if !ok || len(list) < 2 {
		return false, t.errf("if needs at least a condition and a result")
	}
	for i := 0; i+1 < len(list); i += 2 {
		if m, ok := list[i].(map[string]any); ok && len(m) == 1 {
			if fa, ok := m["fractional"]; ok {
				// The rest of the chain is the condition's else.
				var otherwise any
				switch rest := list[i+2:]; len(rest) {
				case 0:
				case 1:
					otherwise = rest[0]
				default:
					otherwise = map[string]any{"if": slices.Clone(rest)}
				}
				return true, t.fractionalCond(fa, list[i+1], otherwise, guard)
			}
		}
		c, isNull, err := t.cond(list[i], 0)
		if err != nil {
			return false, err
		}
		if isNull {
			continue // null is falsy: the branch is never taken
		}
		g := append(slices.Clone(guard), c)
		total, err := t.resultTotal(list[i+1], g)
		if err != nil {
			return false, err
		}
		if !total {
			// A nested if without else yields null: the default.
			t.rules = append(t.rules, Rule{When: when(g), Default: true})
		}
	}
	if len(list)%2 == 1 {
		return t.resultTotal(list[len(list)-1], guard)
	}
	return false, nil
}

func (t *flagdTranslator) fractional(args any, guard []Condition) error {
	list, ok := args.([]any)
	if !ok || len(list) == 0 {
		return t.errf("fractional needs arguments")
	}
	hoisted, err := t.hoistIf(list)
	if err != nil {
		return err
	}
	if hoisted != nil {
		_, err := t.resultTotal(hoisted, guard)
		return err
	}
	var bucket []BucketPart
	if _, isList := list[0].([]any); !isList {
		parts, err := t.bucketExpr(list[0])
		if err != nil {
			return err
		}
		if parts == nil {
			// A null bucketing value: flagd falls back to the default.
			t.rules = append(t.rules, Rule{When: when(guard), Default: true})
			return nil
		}
		bucket = parts
		list = list[1:]
	}
	sp := &Split{BucketBy: bucket}
	var total int64
	for _, e := range list {
		entry, ok := e.([]any)
		if !ok || len(entry) == 0 || len(entry) > 2 {
			return t.errf("fractional entries must be [variant] or [variant, weight]")
		}
		var name string
		switch n := entry[0].(type) {
		case string:
			name = n
		case bool:
			name = strconv.FormatBool(n)
		case nil:
			return t.errf("unsupported fractional variant null (a bucket that serves the default)")
		default:
			return t.errf("unsupported fractional variant %v (only literal names and if)", entry[0])
		}
		w := int64(1)
		if len(entry) == 2 {
			num, ok := entry[1].(json.Number)
			if !ok {
				return t.errf("unsupported fractional weight %v (only numbers and if)", entry[1])
			}
			f, err := num.Float64()
			if err != nil {
				return t.errf("bad fractional weight %v", num)
			}
			// flagd clamps negative weights to zero and rounds down; a
			// weight above the limit stays above it, for Compile to reject.
			w = int64(min(max(f, 0), maxTotalWeight+1))
		}
		total += w
		// Adjacent buckets of one variant are one range of buckets: merging
		// them keeps every subject's bucket and variant.
		if n := len(sp.Variants); n > 0 && sp.Variants[n-1].Variant == name {
			sp.Variants[n-1].Weight += w
			continue
		}
		sp.Variants = append(sp.Variants, WeightedVariant{Variant: name, Weight: w})
	}
	if total == 0 {
		t.rules = append(t.rules, Rule{When: when(guard), Default: true})
		return nil
	}
	seen := map[string]bool{}
	for _, wv := range sp.Variants {
		if seen[wv.Variant] {
			sp.AllowRepeats = true // flagd allows a variant in several buckets
		}
		seen[wv.Variant] = true
	}
	t.rules = append(t.rules, Rule{When: when(guard), Split: sp})
	return nil
}

// fractionalCond translates if(fractional(k, [n1, w1], ...), then,
// otherwise) by moving the branches into the buckets:
//
//	fractional(k, [truthy(n1) ? then : otherwise, w1], ...)
//
// which gives every subject the bucket, and so the branch, flagd's if
// would take. Where flagd's fractional yields null (no bucketing value,
// weights summing to zero), null is falsy and otherwise is taken. Bucket
// names must be literals and weights numbers.
func (t *flagdTranslator) fractionalCond(args, then, otherwise any, guard []Condition) error {
	list, ok := args.([]any)
	if !ok || len(list) == 0 {
		return t.errf("fractional needs arguments")
	}
	// A missing bucketing attribute makes flagd's fractional null.
	var avail []Condition
	if _, isList := list[0].([]any); isList {
		avail = append(avail, Condition{Attribute: TargetingKey, Op: OpExists})
	} else {
		parts, err := t.bucketExpr(list[0])
		if err != nil {
			return err
		}
		if parts == nil {
			return t.branch(otherwise, guard)
		}
		for _, p := range parts {
			if p.Attribute != "" {
				avail = append(avail, Condition{Attribute: p.Attribute, Op: OpExists})
			}
		}
	}
	var out []any
	var total int64
	for _, e := range list {
		entry, ok := e.([]any)
		if !ok {
			out = append(out, e) // the bucketing expression
			continue
		}
		if len(entry) == 0 || len(entry) > 2 {
			return t.errf("fractional entries must be [value] or [value, weight]")
		}
		var truthy bool
		switch n := entry[0].(type) {
		case nil:
		case bool:
			truthy = n
		case string:
			truthy = n != ""
		case json.Number:
			f, err := n.Float64()
			truthy = err != nil || f != 0
		default:
			return t.errf("unsupported fractional condition bucket %v (only literal values)", entry[0])
		}
		w := int64(1)
		if len(entry) == 2 {
			num, ok := entry[1].(json.Number)
			f, err := num.Float64()
			if !ok || err != nil {
				return t.errf("unsupported fractional condition weight %v (only numbers)", entry[1])
			}
			w = int64(min(max(f, 0), maxTotalWeight+1))
		}
		if w == 0 {
			continue // never chosen; dropping it moves no bucket
		}
		total += w
		branch := otherwise
		if truthy {
			branch = then
		}
		out = append(out, []any{branch, json.Number(strconv.FormatInt(w, 10))})
	}
	if total == 0 {
		return t.branch(otherwise, guard)
	}
	if len(avail) > 0 {
		missing := Not(avail[0])
		if len(avail) > 1 {
			missing = Not(All(avail...))
		}
		if err := t.branch(otherwise, append(slices.Clone(guard), missing)); err != nil {
			return err
		}
	}
	return t.fractional(out, guard)
}

// branch translates the result of an if branch reached under guard; a
// branch that may yield nothing yields null, the default.
func (t *flagdTranslator) branch(v any, guard []Condition) error {
	total, err := t.resultTotal(v, guard)
	if err == nil && !total {
		t.rules = append(t.rules, Rule{When: when(guard), Default: true})
	}
	return err
}

// maxFlagdHoists bounds the fractionals, and so the splits, that one
// flag's nested fractional expressions may expand into.
const maxFlagdHoists = 1000

// hoistIf rewrites a fractional whose bucket names or weights contain an
// "if" into an "if" over fractionals, one per branch:
//
//	fractional(k, [if(c, a, b), w], rest...)
//	  = if(c, fractional(k, [a, w], rest...), fractional(k, [b, w], rest...))
//
// flagd evaluates every bucket's name and weight before bucketing, and
// evaluation has no side effects, so choosing the branch first gives every
// subject the same bucketing string, the same weights and so the same
// result. An "if" without else yields null, as in flagd. It returns nil
// when there is nothing to hoist.
func (t *flagdTranslator) hoistIf(list []any) (any, error) {
	first := 0
	if _, isList := list[0].([]any); !isList {
		first = 1 // the bucketing expression
	}
	for i := first; i < len(list); i++ {
		entry, ok := list[i].([]any)
		if !ok {
			continue
		}
		for j := 0; j < len(entry) && j < 2; j++ {
			m, ok := entry[j].(map[string]any)
			if !ok || len(m) != 1 {
				continue
			}
			args, ok := m["if"]
			if !ok {
				continue
			}
			branches, ok := args.([]any)
			if !ok || len(branches) < 2 {
				return nil, t.errf("if needs at least a condition and a result")
			}
			if t.hoists += len(branches)/2 + 1; t.hoists > maxFlagdHoists {
				return nil, t.errf("nested expressions in fractional expand into too many splits (more than %d)", maxFlagdHoists)
			}
			with := func(v any) any {
				e := slices.Clone(entry)
				e[j] = v
				l := slices.Clone(list)
				l[i] = e
				return map[string]any{"fractional": l}
			}
			var out []any
			for k := 0; k+1 < len(branches); k += 2 {
				out = append(out, branches[k], with(branches[k+1]))
			}
			var otherwise any // if without else: null
			if len(branches)%2 == 1 {
				otherwise = branches[len(branches)-1]
			}
			return map[string]any{"if": append(out, with(otherwise))}, nil
		}
	}
	return nil, nil
}

// bucketExpr translates fractional's bucketing expression; nil parts mean
// it is always null.
func (t *flagdTranslator) bucketExpr(v any) ([]BucketPart, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []BucketPart{{Literal: x}}, nil
	case map[string]any:
		if name, ok := varName(x); ok {
			if name == "$flagd.flagKey" {
				return []BucketPart{{FlagKey: true}}, nil
			}
			return []BucketPart{{Attribute: name}}, nil
		}
		if args, ok := x["cat"].([]any); ok && len(x) == 1 {
			var parts []BucketPart
			for _, a := range args {
				p, err := t.bucketExpr(a)
				if err != nil {
					return nil, err
				}
				if p == nil {
					return nil, nil
				}
				parts = append(parts, p...)
			}
			return parts, nil
		}
	}
	return nil, t.errf("unsupported fractional bucketing expression %v", v)
}

// varName recognises {"var": "name"} and {"var": ["name"]}.
func varName(m map[string]any) (string, bool) {
	if len(m) != 1 {
		return "", false
	}
	v, ok := m["var"]
	if !ok {
		return "", false
	}
	if l, isList := v.([]any); isList && len(l) >= 1 {
		v = l[0]
	}
	s, ok := v.(string)
	return s, ok && s != ""
}

// cond translates a boolean expression. isNull reports an expression that
// flagd always evaluates to null (bad arguments).
func (t *flagdTranslator) cond(v any, depth int) (c Condition, isNull bool, err error) {
	if depth > 64 {
		return c, false, t.errf("expression nested too deeply")
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return c, false, t.errf("unsupported condition %v", v)
	}
	var op string
	var args any
	for op, args = range m {
	}
	list, _ := args.([]any)
	switch op {
	case "and", "or":
		var cs []Condition
		for _, a := range list {
			sub, null, err := t.cond(a, depth+1)
			if err != nil {
				return c, false, err
			}
			if null {
				return c, true, nil
			}
			cs = append(cs, sub)
		}
		if len(cs) == 0 {
			return c, false, t.errf("%s needs arguments", op)
		}
		if op == "and" {
			return All(cs...), false, nil
		}
		return Any(cs...), false, nil
	case "!":
		if len(list) == 1 {
			args = list[0]
		}
		sub, null, err := t.cond(args, depth+1)
		if err != nil || null {
			return c, null, err
		}
		return Not(sub), false, nil
	case "==", "===", "!=", "!==":
		attr, lit, _, ok := attrAndLiteral(list)
		if !ok {
			return c, false, t.errf("unsupported %s arguments %v", op, args)
		}
		val, err := literalValue(lit)
		if err != nil {
			return c, false, t.errf("%s: %v", op, err)
		}
		if op[0] == '!' {
			return Attr(attr).NotEquals(val), false, nil
		}
		return Attr(attr).Equals(val), false, nil
	case "in":
		if len(list) != 2 {
			return c, false, t.errf("in needs two arguments")
		}
		if vm, ok := list[0].(map[string]any); ok {
			if name, ok := varName(vm); ok {
				items, ok := list[1].([]any)
				if !ok {
					return c, false, t.errf("unsupported in arguments %v", args)
				}
				var vals []Value
				for _, it := range items {
					val, err := literalValue(it)
					if err != nil {
						return c, false, t.errf("in: %v", err)
					}
					vals = append(vals, val)
				}
				return Attr(name).In(vals...), false, nil
			}
		}
		if s, ok := list[0].(string); ok {
			if vm, ok := list[1].(map[string]any); ok {
				if name, ok := varName(vm); ok {
					return Condition{Attribute: name, Op: OpContains, Value: ptr(String(s))}, false, nil
				}
			}
		}
		return c, false, t.errf("unsupported in arguments %v", args)
	case "starts_with", "ends_with":
		if len(list) != 2 {
			return c, true, nil
		}
		attr, lit, first, ok := attrAndLiteral(list)
		s, isStr := lit.(string)
		if !ok || !first || !isStr {
			return c, true, nil
		}
		if op == "starts_with" {
			return Attr(attr).StartsWith(s), false, nil
		}
		return Attr(attr).EndsWith(s), false, nil
	case "<", "<=", ">", ">=":
		if len(list) == 3 {
			// Between: a < x < b.
			lo, err1 := literalValue(list[0])
			hi, err2 := literalValue(list[2])
			vm, _ := list[1].(map[string]any)
			name, isVar := varName(vm)
			if err1 != nil || err2 != nil || !isVar {
				return c, false, t.errf("unsupported %s arguments %v", op, args)
			}
			strict := op == "<" || op == ">"
			lower, upper := OpGreaterOrEqual, OpLessOrEqual
			if strict {
				lower, upper = OpGreater, OpLess
			}
			if op[0] == '>' { // a > x > b
				lower, upper = flipCompare(lower), flipCompare(upper)
			}
			return All(Attr(name).Compare(lower, lo), Attr(name).Compare(upper, hi)), false, nil
		}
		attr, lit, first, ok := attrAndLiteral(list)
		if !ok {
			return c, false, t.errf("unsupported %s arguments %v", op, args)
		}
		val, err := literalValue(lit)
		if err != nil || (val.Kind() != KindInt && val.Kind() != KindFloat) {
			return c, false, t.errf("%s needs a number", op)
		}
		o := map[string]Operator{"<": OpLess, "<=": OpLessOrEqual, ">": OpGreater, ">=": OpGreaterOrEqual}[op]
		if !first {
			o = flipCompare(o)
		}
		return Attr(attr).Compare(o, val), false, nil
	case "sem_ver":
		if len(list) != 3 {
			return c, true, nil
		}
		vm, _ := list[0].(map[string]any)
		name, isVar := varName(vm)
		opName, isStr := list[1].(string)
		target, err := literalValue(list[2])
		if !isVar || !isStr || err != nil {
			return c, true, nil
		}
		sop, known := map[string]Operator{
			"=": OpSemverEquals, "!=": OpSemverNotEquals, "<": OpSemverLess, "<=": OpSemverLessOrEqual,
			">": OpSemverGreater, ">=": OpSemverGreaterOrEqual, "~": OpSemverTilde, "^": OpSemverCaret,
		}[opName]
		s, okOperand := semverOperand(target)
		if !known || !okOperand {
			return c, true, nil
		}
		if _, err := parseSemver(s); err != nil {
			return c, true, nil
		}
		return Attr(name).Compare(sop, target), false, nil
	}
	return c, false, t.errf("unsupported operator %q", op)
}

func ptr[T any](v T) *T { return &v }

func flipCompare(o Operator) Operator {
	switch o {
	case OpLess:
		return OpGreater
	case OpLessOrEqual:
		return OpGreaterOrEqual
	case OpGreater:
		return OpLess
	case OpGreaterOrEqual:
		return OpLessOrEqual
	}
	return o
}

// attrAndLiteral splits [var, literal] or [literal, var]; first reports
// whether the var came first.
func attrAndLiteral(list []any) (attr string, lit any, first, ok bool) {
	if len(list) != 2 {
		return "", nil, false, false
	}
	if m, isMap := list[0].(map[string]any); isMap {
		if name, isVar := varName(m); isVar {
			if _, litIsMap := list[1].(map[string]any); !litIsMap {
				return name, list[1], true, true
			}
		}
	}
	if m, isMap := list[1].(map[string]any); isMap {
		if name, isVar := varName(m); isVar {
			if _, litIsMap := list[0].(map[string]any); !litIsMap {
				return name, list[0], false, true
			}
		}
	}
	return "", nil, false, false
}

func literalValue(v any) (Value, error) {
	switch x := v.(type) {
	case string:
		return String(x), nil
	case bool:
		return Bool(x), nil
	case json.Number:
		return parseNumber(x.String())
	}
	return Value{}, fmt.Errorf("unsupported literal %v", v)
}

// checkDuplicateKeys rejects JSON objects that repeat a key, which
// encoding/json would silently merge.
func checkDuplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var walk func(depth int) error
	walk = func(depth int) error {
		if depth > 10000 {
			return errors.New("nested too deeply")
		}
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		switch d {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if seen[k] {
					return fmt.Errorf("duplicate key %q", k)
				}
				seen[k] = true
				if err := walk(depth + 1); err != nil {
					return err
				}
			}
		case '[':
			for dec.More() {
				if err := walk(depth + 1); err != nil {
					return err
				}
			}
		}
		_, err = dec.Token() // closing delimiter
		return err
	}
	if err := walk(0); err != nil {
		return err
	}
	if _, err := dec.Token(); err == nil {
		return errors.New("trailing data after JSON value")
	}
	return nil
}
