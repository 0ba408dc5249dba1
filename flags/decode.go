package flags

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	yamlv2 "go.yaml.in/yaml/v2"
	"sigs.k8s.io/yaml"
)

// ParseConfig decodes a configuration file, YAML or JSON, into a [Config]
// and validates it with [Compile]. Decoding is strict: unknown fields
// (field names are case-sensitive), duplicate keys, values of the wrong
// type and an empty document (a file caught while being written; write
// flags: {} for no flags) are errors. JSON input keeps
// the spelling of numbers (1.0 is a float); in YAML write type: float for a
// float flag whose values are whole numbers. YAML reads unquoted on, off,
// yes and no as booleans: as values they make a bool (type: string then
// reports the mismatch), and as keys, where they would silently turn into
// "true" and "false", they are rejected; quote variant names like "on".
func ParseConfig(data []byte) (Config, error) {
	js := bytes.TrimSpace(data)
	if len(js) == 0 || js[0] != '{' {
		var err error
		if err := checkKeyTypes(data); err != nil {
			return Config{}, err
		}
		js, err = yaml.YAMLToJSONStrict(data)
		if err != nil {
			return Config{}, &ConfigError{Path: "config", Reason: "invalid YAML", Err: err}
		}
	}
	if t := bytes.TrimSpace(js); len(t) == 0 || string(t) == "null" {
		// Most likely a file caught while being written; an empty
		// configuration is written flags: {}.
		return Config{}, &ConfigError{Path: "config", Reason: "empty document (write flags: {} for no flags)"}
	}
	if err := checkDuplicateKeys(js); err != nil {
		return Config{}, &ConfigError{Path: "config", Reason: "invalid JSON", Err: err}
	}
	if err := checkFieldCase(js, reflect.TypeFor[Config](), ""); err != nil {
		return Config{}, err
	}
	// Decode flag by flag and segment by segment, so that errors name them.
	var top struct {
		Flags      map[string]json.RawMessage `json:"flags"`
		Segments   map[string]json.RawMessage `json:"segments"`
		KilledTags []string                   `json:"killedTags"`
	}
	if err := decodeStrict(js, &top); err != nil {
		return Config{}, &ConfigError{Path: "config", Reason: "cannot decode", Err: err}
	}
	cfg := Config{KilledTags: top.KilledTags}
	if top.Flags != nil {
		cfg.Flags = make(map[string]Flag, len(top.Flags))
	}
	// Sorted, so that the error reported for a file is always the same.
	for _, key := range slices.Sorted(maps.Keys(top.Flags)) {
		raw := top.Flags[key]
		var f Flag
		if err := decodeStrict(raw, &f); err != nil {
			return Config{}, &ConfigError{Path: "flags." + key, Reason: "cannot decode", Err: err}
		}
		cfg.Flags[key] = f
	}
	if top.Segments != nil {
		cfg.Segments = make(map[string]Condition, len(top.Segments))
	}
	for _, name := range slices.Sorted(maps.Keys(top.Segments)) {
		raw := top.Segments[name]
		var c Condition
		if err := decodeStrict(raw, &c); err != nil {
			return Config{}, &ConfigError{Path: "segments." + name, Reason: "cannot decode", Err: err}
		}
		cfg.Segments[name] = c
	}
	if _, err := Compile(cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errTrailingData
	}
	return nil
}

var errTrailingData = errors.New("trailing data after JSON value")

// LoadFile reads and parses a configuration file; see [ParseConfig].
func LoadFile(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("flags: %w", err)
	}
	return ParseConfig(data)
}

// checkKeyTypes rejects mapping keys that YAML does not read as strings.
// Converted to JSON they would silently be renamed: YAML 1.1 reads unquoted
// on, off, yes and no as booleans (a variant named on would become "true"),
// 1.10 as a float ("1.1"), 010 as an octal integer ("8") and ~ as null
// ("null"). The error names the key's path and asks for quotes.
func checkKeyTypes(data []byte) error {
	var root yamlv2.MapSlice
	if yamlv2.Unmarshal(data, &root) != nil {
		return nil // not a mapping; decoding reports it
	}
	return walkKeyTypes(root, "")
}

func walkKeyTypes(v any, path string) error {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch x := v.(type) {
	case yamlv2.MapSlice:
		for _, it := range x {
			if _, ok := it.Key.(string); !ok {
				at := path
				if at == "" {
					at = "config"
				}
				e := &ConfigError{Path: at, Value: fmt.Sprint(it.Key),
					Reason: "unquoted key is not a string in YAML; quote it, it reads as"}
				switch it.Key.(type) {
				case bool:
					e.Reason = "unquoted key is a YAML boolean (on, off, yes, no, y, n, true, false); quote it, it reads as"
				case nil:
					e.Value = "null"
				}
				return e
			}
			if err := walkKeyTypes(it.Value, join(fmt.Sprint(it.Key))); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := walkKeyTypes(e, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkFieldCase rejects object keys that match a field of t only when
// case is ignored ("DefaultVariant" for defaultVariant): encoding/json
// would accept them, and two spellings of one field would merge silently.
// It follows the struct types of the model and stops at types that decode
// themselves.
func checkFieldCase(data []byte, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return nil // not an object; decoding reports it
		}
		fields := map[string]reflect.StructField{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.IsExported() && name != "" && name != "-" {
				fields[name] = f
			}
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			f, ok := fields[k]
			if !ok {
				for name := range fields {
					if strings.EqualFold(name, k) {
						return &ConfigError{Path: joinPath(path, k), Reason: "unknown field; did you mean " + name + "?"}
					}
				}
				continue // unknown fields are reported by decoding
			}
			if err := checkFieldCase(obj[k], f.Type, joinPath(path, k)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		var arr []json.RawMessage
		if json.Unmarshal(data, &arr) != nil {
			return nil
		}
		for i, e := range arr {
			if err := checkFieldCase(e, t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case reflect.Map:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return nil
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if err := checkFieldCase(obj[k], t.Elem(), joinPath(path, k)); err != nil {
				return err
			}
		}
	}
	return nil
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
