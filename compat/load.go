package compat

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

// DecodeSpec decodes a matrix spec from YAML or JSON (JSON is YAML).
// Decoding is strict: unknown fields, duplicate keys, values of the wrong
// type and unquoted decimal versions are errors. file names the source in
// error messages. The result still needs [Compile].
func DecodeSpec(data []byte, file string) (Spec, error) {
	var s Spec
	if err := decodeStrict(data, file, &s); err != nil {
		return Spec{}, err
	}
	return s, nil
}

// ParseMatrix decodes and compiles a matrix from YAML or JSON. Errors are
// [*MatrixError] values whose problems name file, field path and value.
func ParseMatrix(data []byte, file string, opts ...Option) (*Matrix, error) {
	s, err := DecodeSpec(data, file)
	if err != nil {
		return nil, err
	}
	return Compile(s, append([]Option{WithFileName(file)}, opts...)...)
}

// LoadFile reads and compiles the matrix in the YAML or JSON file at path.
func LoadFile(path string, opts ...Option) (*Matrix, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("compat: %w", err)
	}
	return ParseMatrix(data, path, opts...)
}

// DecodeDeployment decodes a [Deployment] from YAML or JSON, as strictly
// as [DecodeSpec]; see [LoadDeployment] for the format. Every instance
// needs a version, and instance names (given or component[i]) must be
// unique within a component. file names the source in error messages.
func DecodeDeployment(data []byte, file string) (Deployment, error) {
	var d Deployment
	if err := decodeStrict(data, file, &d); err != nil {
		return Deployment{}, err
	}
	var problems []*FieldError
	for _, name := range slices.Sorted(maps.Keys(d.Components)) {
		seen := map[string]int{}
		for i, in := range d.Components[name] {
			if !in.Version.IsValid() {
				problems = append(problems, &FieldError{File: file, Path: fmt.Sprintf("components.%s[%d].version", name, i), Reason: "version is required"})
			}
			n := instanceName(name, i, in)
			if j, dup := seen[n]; dup {
				problems = append(problems, &FieldError{File: file, Path: fmt.Sprintf("components.%s[%d].name", name, i), Value: n, Reason: fmt.Sprintf("duplicate instance name (also components.%s[%d])", name, j)})
				continue
			}
			seen[n] = i
		}
	}
	if len(problems) > 0 {
		return Deployment{}, &MatrixError{Problems: problems, what: "deployment"}
	}
	return d, nil
}

// LoadDeployment reads the [Deployment] in the YAML or JSON file at path,
// in the format [DecodeDeployment] reads:
//
//	components:
//	  orders-api:
//	    - {name: orders-1, version: 3.1.0}
//	    - {name: orders-2, version: 3.1.0}
//	  postgres:
//	    - {version: "15.5"}
//	features: [checkout-v2]
//
// Errors are [*MatrixError] values whose problems name the file, the
// field path and the value.
func LoadDeployment(path string) (Deployment, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Deployment{}, fmt.Errorf("compat: %w", err)
	}
	return DecodeDeployment(data, path)
}

func decodeStrict(data []byte, file string, out any) error {
	what := "matrix"
	if _, ok := out.(*Deployment); ok {
		what = "deployment"
	}
	if err := decodeTree(data, file, out); err != nil {
		err.what = what
		return err
	}
	return nil
}

func decodeTree(data []byte, file string, out any) *MatrixError {
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return &MatrixError{Problems: []*FieldError{{File: file, Reason: "malformed YAML/JSON: " + err.Error(), Err: err}}}
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return &MatrixError{Problems: []*FieldError{{File: file, Reason: "malformed YAML/JSON: " + err.Error(), Err: err}}}
	}
	if tree == nil {
		return &MatrixError{Problems: []*FieldError{{File: file, Reason: "document is empty"}}}
	}
	w := walker{file: file}
	w.walk(reflect.TypeOf(out).Elem(), tree, "")
	if len(w.problems) > 0 {
		return &MatrixError{Problems: w.problems}
	}
	if err := yaml.UnmarshalStrict(data, out); err != nil {
		return &MatrixError{Problems: []*FieldError{{File: file, Reason: err.Error(), Err: err}}}
	}
	return nil
}

// walker checks a decoded YAML/JSON tree against a Go type so that errors
// can name the field path, which encoding/json does not do for unknown
// fields.
type walker struct {
	file     string
	problems []*FieldError
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

func (w *walker) fail(path string, value any, format string, args ...any) {
	if len(w.problems) >= 50 {
		return
	}
	w.problems = append(w.problems, &FieldError{File: w.file, Path: path, Value: show(value), Reason: fmt.Sprintf(format, args...)})
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		return "{...}"
	case []any:
		return "[...]"
	}
	return fmt.Sprint(v)
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func (w *walker) walk(t reflect.Type, v any, path string) {
	if v == nil {
		return // null leaves the zero value
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		s, ok := v.(string)
		if !ok {
			w.fail(path, v, "must be a quoted string")
			return
		}
		p := reflect.New(t).Interface().(encoding.TextUnmarshaler)
		if err := p.UnmarshalText([]byte(s)); err != nil {
			w.fail(path, "", "%s", strings.TrimPrefix(reasonOf(err), "compat: "))
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		w.walk(t.Elem(), v, path)
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			w.fail(path, v, "must be an object")
			return
		}
		fields := map[string]reflect.StructField{}
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			fields[name] = f
			names = append(names, name)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f, ok := fields[k]
			if !ok {
				w.fail(join(path, k), "", "unknown field (known fields: %s)", strings.Join(names, ", "))
				continue
			}
			w.walk(f.Type, obj[k], join(path, k))
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			w.fail(path, v, "must be a list")
			return
		}
		for i, e := range arr {
			w.walk(t.Elem(), e, fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			w.fail(path, v, "must be an object")
			return
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			w.walk(t.Elem(), obj[k], join(path, k))
		}
	case reflect.String:
		switch x := v.(type) {
		case string:
		case json.Number:
			if strings.ContainsAny(x.String(), ".eE") {
				w.fail(path, v, "quote this value: YAML reads an unquoted %s as a number and drops trailing zeros", x)
			}
		default:
			w.fail(path, v, "must be a string")
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, ok := v.(json.Number)
		if !ok {
			w.fail(path, v, "must be an integer")
			return
		}
		if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
			w.fail(path, v, "must be an integer")
		} else if _, err := strconv.ParseInt(n.String(), 10, 32); err != nil {
			w.fail(path, v, "integer out of range")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			w.fail(path, v, "must be true or false")
		}
	}
}

func reasonOf(err error) string {
	if pe, ok := err.(*ParseError); ok {
		return fmt.Sprintf("%q: %s", pe.Input, pe.Reason)
	}
	return err.Error()
}
