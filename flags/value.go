package flags

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Kind is the type of a flag's variant values.
type Kind uint8

// The kinds a flag can have. A flag's variants all share one kind.
const (
	KindInvalid Kind = iota
	KindBool
	KindString
	KindInt
	KindFloat
	KindObject
)

var kindNames = [...]string{"invalid", "bool", "string", "int", "float", "object"}

// String returns the lower-case name of k, as used in configuration files.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (k Kind) MarshalText() ([]byte, error) {
	if k == KindInvalid || int(k) >= len(kindNames) {
		return nil, fmt.Errorf("flags: cannot marshal %v", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if i != 0 && n == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("flags: unknown type %q (want bool, string, int, float or object)", b)
}

// Value is one typed value: a variant's value, a condition operand or a
// metadata entry. The zero Value is invalid. Values are immutable; an object
// value's contents must not be modified once it is handed to a [Value].
type Value struct {
	kind Kind
	b    bool
	i    int64
	f    float64
	s    string
	obj  any // map[string]any or []any for KindObject
}

// Bool returns a boolean Value.
func Bool(v bool) Value { return Value{kind: KindBool, b: v} }

// String returns a string Value.
func String(v string) Value { return Value{kind: KindString, s: v} }

// Int returns an integer Value.
func Int(v int64) Value { return Value{kind: KindInt, i: v, f: float64(v)} }

// Float returns a floating-point Value.
func Float(v float64) Value { return Value{kind: KindFloat, f: v} }

// Object returns an object Value holding v, which should be a JSON-like tree
// (map[string]any, []any, string, float64, bool, nil). The tree is shared, not
// copied: do not modify it afterwards. [Compile] copies it, so a compiled
// snapshot never sees later changes.
func Object(v any) Value { return Value{kind: KindObject, obj: v} }

// Kind reports the kind of v; KindInvalid for the zero Value.
func (v Value) Kind() Kind { return v.kind }

// IsValid reports whether v holds a value.
func (v Value) IsValid() bool { return v.kind != KindInvalid }

// AsBool returns the boolean held by v and whether v is a bool.
func (v Value) AsBool() (bool, bool) { return v.b, v.kind == KindBool }

// AsString returns the string held by v and whether v is a string.
func (v Value) AsString() (string, bool) { return v.s, v.kind == KindString }

// AsInt returns the integer held by v and whether v is an int.
func (v Value) AsInt() (int64, bool) { return v.i, v.kind == KindInt }

// AsFloat returns v as a float64; ints convert. The second result is false
// for other kinds.
func (v Value) AsFloat() (float64, bool) { return v.f, v.kind == KindFloat || v.kind == KindInt }

// AsObject returns a copy of the object tree held by v and whether v is an
// object. The copy is the caller's to modify.
func (v Value) AsObject() (any, bool) { return cloneTree(v.obj), v.kind == KindObject }

// Any returns v as a plain Go value: bool, string, int64, float64, a copy of
// the object tree, or nil for the zero Value.
func (v Value) Any() any {
	switch v.kind {
	case KindBool:
		return v.b
	case KindString:
		return v.s
	case KindInt:
		return v.i
	case KindFloat:
		return v.f
	case KindObject:
		return cloneTree(v.obj)
	}
	return nil
}

// String formats v for messages.
func (v Value) String() string {
	switch v.kind {
	case KindString:
		return strconv.Quote(v.s)
	case KindInvalid:
		return "<invalid>"
	}
	if v.kind == KindObject {
		b, err := json.Marshal(v.obj)
		if err != nil {
			return "<object>" // not JSON-like; Compile rejects it
		}
		return string(b)
	}
	b, err := json.Marshal(v.Any())
	if err != nil {
		return fmt.Sprint(v.Any())
	}
	return string(b)
}

// Equal reports whether v and w have the same kind and value. Objects compare
// by their JSON encoding.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case KindBool:
		return v.b == w.b
	case KindString:
		return v.s == w.s
	case KindInt:
		return v.i == w.i
	case KindFloat:
		return v.f == w.f || (math.IsNaN(v.f) && math.IsNaN(w.f))
	case KindObject:
		a, _ := json.Marshal(v.obj)
		b, _ := json.Marshal(w.obj)
		return bytes.Equal(a, b)
	}
	return true
}

// MarshalJSON encodes v as the JSON value it holds. Floats with an integral
// value keep a ".0" so that they decode as floats again.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.kind {
	case KindInvalid:
		return []byte("null"), nil
	case KindFloat:
		if math.IsNaN(v.f) || math.IsInf(v.f, 0) {
			return nil, fmt.Errorf("flags: cannot encode %v as JSON", v.f)
		}
		s := strconv.FormatFloat(v.f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return []byte(s), nil
	case KindObject:
		return json.Marshal(v.obj) // read-only, no copy needed
	}
	return json.Marshal(v.Any())
}

// UnmarshalJSON decodes a JSON scalar, object or array. A number written
// without fraction or exponent becomes an int, any other number a float.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("flags: empty value")
	}
	switch b[0] {
	case 'n':
		return fmt.Errorf("flags: null is not a valid value")
	case 't', 'f':
		var x bool
		if err := json.Unmarshal(b, &x); err != nil {
			return err
		}
		*v = Bool(x)
	case '"':
		var x string
		if err := json.Unmarshal(b, &x); err != nil {
			return err
		}
		*v = String(x)
	case '{', '[':
		var x any
		if err := json.Unmarshal(b, &x); err != nil {
			return err
		}
		*v = Object(x)
	default:
		num, err := parseNumber(string(b))
		if err != nil {
			return err
		}
		*v = num
	}
	return nil
}

func parseNumber(s string) (Value, error) {
	if !strings.ContainsAny(s, ".eE") {
		i, err := strconv.ParseInt(s, 10, 64)
		if err == nil {
			return Int(i), nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return Value{}, fmt.Errorf("flags: invalid number %s", s)
	}
	return Float(f), nil
}

// cloneTree returns a deep copy of the maps and slices of a JSON-like tree;
// other values are returned as they are.
func cloneTree(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			return x
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneTree(e)
		}
		return m
	case []any:
		if x == nil {
			return x
		}
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = cloneTree(e)
		}
		return s
	case nil, string, bool, float64, int, int64:
		return v
	}
	// Trees built in Go may hold other map and slice types.
	return cloneReflect(reflect.ValueOf(v)).Interface()
}

func cloneReflect(rv reflect.Value) reflect.Value {
	switch rv.Kind() {
	case reflect.Map:
		if rv.IsNil() {
			return rv
		}
		m := reflect.MakeMapWithSize(rv.Type(), rv.Len())
		for it := rv.MapRange(); it.Next(); {
			m.SetMapIndex(it.Key(), cloneElem(it.Value(), rv.Type().Elem()))
		}
		return m
	case reflect.Slice:
		if rv.IsNil() {
			return rv
		}
		s := reflect.MakeSlice(rv.Type(), rv.Len(), rv.Len())
		for i := range rv.Len() {
			s.Index(i).Set(cloneElem(rv.Index(i), rv.Type().Elem()))
		}
		return s
	case reflect.Array:
		a := reflect.New(rv.Type()).Elem()
		for i := range rv.Len() {
			a.Index(i).Set(cloneElem(rv.Index(i), rv.Type().Elem()))
		}
		return a
	}
	return rv
}

// cloneElem copies an element whose static type is t.
func cloneElem(e reflect.Value, t reflect.Type) reflect.Value {
	if t.Kind() == reflect.Interface {
		if e.IsNil() {
			return e
		}
		return reflect.ValueOf(cloneTree(e.Elem().Interface()))
	}
	return cloneReflect(e)
}
