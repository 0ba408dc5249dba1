package flags

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// Context is the subject of an evaluation: who or what a flag is evaluated
// for. It is read, never modified or retained.
type Context struct {
	// TargetingKey identifies the subject; splits bucket by it by default.
	// Empty means there is none.
	TargetingKey string
	// Attributes are the subject's other attributes. Values may be strings,
	// bools, any integer or float type, json.Number, time.Time, or nested
	// map[string]any (or, last, map[string]string) for dotted lookups. A time.Time is compared as its JSON
	// spelling (RFC 3339) by string tests and as Unix seconds (with a
	// fraction) by numeric tests. Numbers given as strings ("17") are
	// strings: numeric tests on them are unknown.
	Attributes map[string]any
}

// attrPath is a compiled attribute reference.
type attrPath struct {
	name string
	segs []string // nil unless name contains a dot
	tk   bool     // the targeting key
}

func newAttrPath(name string) attrPath {
	p := attrPath{name: name, tk: name == TargetingKey}
	if strings.Contains(name, ".") {
		p.segs = strings.Split(name, ".")
	}
	return p
}

func (c *Context) lookup(p *attrPath) (any, bool) {
	if p.tk {
		if c.TargetingKey != "" {
			return c.TargetingKey, true
		}
		v, ok := c.Attributes[TargetingKey]
		if s, isStr := v.(string); ok && isStr && s == "" {
			return nil, false
		}
		return v, ok && v != nil
	}
	if v, ok := c.Attributes[p.name]; ok {
		return v, v != nil
	}
	if p.segs == nil {
		return nil, false
	}
	m := c.Attributes
	for i, s := range p.segs {
		v, ok := m[s]
		if !ok || v == nil {
			return nil, false
		}
		if i == len(p.segs)-1 {
			return v, true
		}
		if ss, isSS := v.(map[string]string); isSS && i == len(p.segs)-2 {
			s, ok := ss[p.segs[i+1]]
			return s, ok
		}
		if m, ok = v.(map[string]any); !ok {
			return nil, false
		}
	}
	return nil, false
}

// toFloat converts a numeric attribute value.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint8:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil && !math.IsInf(f, 0)
	case time.Time:
		return float64(x.Unix()) + float64(x.Nanosecond())/1e9, true
	}
	return 0, false
}

// toString returns a string attribute value; a time.Time reads as its
// RFC 3339 spelling, as it would in JSON.
func toString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case time.Time:
		return x.Format(time.RFC3339Nano), true
	}
	return "", false
}

// bucketString renders an attribute value into a bucketing string piece.
// Strings are used as they are; numbers and bools in their JSON spelling.
func appendBucketValue(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case time.Time:
		return x.Format(time.RFC3339Nano), true
	}
	if f, ok := toFloat(v); ok {
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return "", false
}
