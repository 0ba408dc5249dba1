package rollout

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

// ParsePlan decodes a plan from YAML or JSON and compiles it. Decoding is
// strict: unknown fields, duplicate keys and values of the wrong type are
// errors, reported as [*PlanError] with the field path, e.g.
//
//	rollout: stages[2].exposure: 10% is below the previous stage's 25%
func ParsePlan(data []byte) (*Plan, error) {
	spec, err := ParsePlanSpec(data)
	if err != nil {
		return nil, err
	}
	return Compile(spec)
}

// ParsePlanSpec decodes a plan specification from YAML or JSON without
// validating it; see [ParsePlan].
func ParsePlanSpec(data []byte) (PlanSpec, error) {
	var spec PlanSpec
	if len(bytes.TrimSpace(data)) == 0 {
		return spec, &PlanError{Reason: "empty plan"}
	}
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return spec, &PlanError{Reason: "invalid YAML: " + strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")}
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return spec, &PlanError{Reason: "invalid document: " + err.Error()}
	}
	if tree == nil {
		return spec, &PlanError{Reason: "empty plan"}
	}
	if err := checkTree("", tree, reflect.TypeFor[PlanSpec]()); err != nil {
		return spec, err
	}
	dec = json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return PlanSpec{}, &PlanError{Reason: strings.TrimPrefix(err.Error(), "json: ")}
	}
	return spec, nil
}

// MarshalPlanSpec encodes spec as YAML that [ParsePlanSpec] reads back.
func MarshalPlanSpec(spec PlanSpec) ([]byte, error) { return yaml.Marshal(spec) }

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// checkTree walks a decoded JSON tree against the Go type it will be decoded
// into and reports the first unknown field or ill-typed value with its path.
func checkTree(path string, v any, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return nil
	}
	bad := func(want string) error {
		return &PlanError{Path: path, Value: short(v), Reason: fmt.Sprintf("%s is not %s", short(v), want)}
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler) {
		raw, err := json.Marshal(v)
		if err != nil {
			return &PlanError{Path: path, Reason: err.Error()}
		}
		if pt.Implements(textUnmarshaler) && !pt.Implements(jsonUnmarshaler) {
			if _, ok := v.(string); !ok {
				return bad("a string")
			}
		}
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			return &PlanError{Path: path, Value: short(v), Reason: strings.TrimPrefix(err.Error(), "rollout: ")}
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(m) {
			f, ok := fields[k]
			if !ok {
				return &PlanError{Path: join(path, k), Reason: fmt.Sprintf("unknown field %q", k)}
			}
			if err := checkTree(join(path, k), m[k], f); err != nil {
				return err
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		for _, k := range sortedKeys(m) {
			if err := checkTree(join(path, k), m[k], t.Elem()); err != nil {
				return err
			}
		}
	case reflect.Slice:
		s, ok := v.([]any)
		if !ok {
			return bad("a list")
		}
		for i, e := range s {
			if err := checkTree(fmt.Sprintf("%s[%d]", path, i), e, t.Elem()); err != nil {
				return err
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return bad("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return bad("true or false")
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, ok := v.(json.Number)
		if !ok {
			return bad("an integer")
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			return bad("an integer")
		}
	case reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			return bad("a number")
		}
		if _, err := strconv.ParseFloat(string(n), 64); err != nil {
			return bad("a finite number")
		}
	}
	return nil
}

func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func short(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = strconv.Quote(x)
	case json.Number:
		s = string(x)
	case map[string]any:
		s = "an object"
	case []any:
		s = "a list"
	default:
		s = fmt.Sprint(x)
	}
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
