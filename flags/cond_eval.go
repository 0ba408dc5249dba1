package flags

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-version"
)

type condKind uint8

const (
	condAttr condKind = iota
	condAll
	condAny
	condNot
	condFalse
)

// cond is a compiled condition.
type cond struct {
	kind        condKind
	children    []*cond
	op          Operator
	attr        attrPath
	val         Value
	vals        []Value
	re          *regexp.Regexp
	ver         *version.Version
	constraints version.Constraints
}

// size counts the tests evaluating c may run, with shared subtrees counted
// once per reference (memo holds sizes already computed). The count
// saturates above maxConditionSize.
func (c *cond) size(memo map[*cond]int) int {
	if n, ok := memo[c]; ok {
		return n
	}
	n := 1
	for _, ch := range c.children {
		n += ch.size(memo)
		if n > maxConditionSize {
			n = maxConditionSize + 1
			break
		}
	}
	memo[c] = n
	return n
}

// tri is a three-valued truth value.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

func (c *cond) eval(ec *Context) tri {
	switch c.kind {
	case condAll:
		r := triTrue
		for _, ch := range c.children {
			switch ch.eval(ec) {
			case triFalse:
				return triFalse
			case triUnknown:
				r = triUnknown
			}
		}
		return r
	case condAny:
		r := triFalse
		for _, ch := range c.children {
			switch ch.eval(ec) {
			case triTrue:
				return triTrue
			case triUnknown:
				r = triUnknown
			}
		}
		return r
	case condNot:
		switch c.children[0].eval(ec) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case condFalse:
		return triFalse
	}
	v, ok := ec.lookup(&c.attr)
	if c.op == OpExists {
		return triOf(ok)
	}
	if !ok {
		return triUnknown
	}
	switch c.op {
	case OpEquals:
		return equalsTri(v, c.val)
	case OpNotEquals:
		switch equalsTri(v, c.val) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case OpIn, OpNotIn:
		r := triFalse
		for _, w := range c.vals {
			switch equalsTri(v, w) {
			case triTrue:
				return triOf(c.op == OpIn)
			case triUnknown:
				r = triUnknown
			}
		}
		if r == triUnknown {
			return triUnknown
		}
		return triOf(c.op == OpNotIn)
	case OpStartsWith, OpEndsWith, OpContains, OpMatches:
		s, isStr := toString(v)
		if !isStr {
			return triUnknown
		}
		switch c.op {
		case OpStartsWith:
			return triOf(strings.HasPrefix(s, c.val.s))
		case OpEndsWith:
			return triOf(strings.HasSuffix(s, c.val.s))
		case OpContains:
			return triOf(strings.Contains(s, c.val.s))
		}
		return triOf(c.re.MatchString(s))
	case OpLess, OpLessOrEqual, OpGreater, OpGreaterOrEqual:
		f, isNum := toFloat(v)
		if !isNum {
			return triUnknown
		}
		switch c.op {
		case OpLess:
			return triOf(f < c.val.f)
		case OpLessOrEqual:
			return triOf(f <= c.val.f)
		case OpGreater:
			return triOf(f > c.val.f)
		}
		return triOf(f >= c.val.f)
	}
	// Semantic versions.
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case time.Time:
		return triUnknown
	default:
		f, isNum := toFloat(v)
		if !isNum {
			return triUnknown
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	ver, err := parseSemver(s)
	if err != nil {
		return triUnknown
	}
	if c.op == OpSemverRange {
		return triOf(c.constraints.Check(ver))
	}
	cmp := ver.Compare(c.ver)
	switch c.op {
	case OpSemverEquals:
		return triOf(cmp == 0)
	case OpSemverNotEquals:
		return triOf(cmp != 0)
	case OpSemverLess:
		return triOf(cmp < 0)
	case OpSemverLessOrEqual:
		return triOf(cmp <= 0)
	case OpSemverGreater:
		return triOf(cmp > 0)
	case OpSemverGreaterOrEqual:
		return triOf(cmp >= 0)
	}
	a, b := ver.Segments64(), c.ver.Segments64()
	switch c.op {
	case OpSemverTilde:
		return triOf(cmp >= 0 && a[0] == b[0] && a[1] == b[1])
	case OpSemverCaret:
		return triOf(cmp >= 0 && a[0] == b[0])
	}
	return triUnknown
}

// equalsTri compares an attribute value with an operand of the same family
// (string, bool, number); different families are unknown.
func equalsTri(v any, w Value) tri {
	switch w.kind {
	case KindString:
		s, ok := toString(v)
		if !ok {
			return triUnknown
		}
		return triOf(s == w.s)
	case KindBool:
		b, ok := v.(bool)
		if !ok {
			return triUnknown
		}
		return triOf(b == w.b)
	case KindInt:
		switch x := v.(type) {
		case int:
			return triOf(int64(x) == w.i)
		case int64:
			return triOf(x == w.i)
		}
		fallthrough
	case KindFloat:
		f, ok := toFloat(v)
		if !ok {
			return triUnknown
		}
		return triOf(f == w.f)
	}
	return triUnknown
}
