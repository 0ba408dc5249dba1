package flags

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"

	yamlv2 "go.yaml.in/yaml/v2"
	"sigs.k8s.io/yaml"
)

// ParseConfig decodes a configuration file, YAML or JSON, into a [Config]
// and validates it with [Compile]. Decoding is strict: unknown fields,
// duplicate keys and values of the wrong type are errors. JSON input keeps
// the spelling of numbers (1.0 is a float); in YAML write type: float for a
// float flag whose values are whole numbers. YAML reads unquoted on, off,
// yes and no as booleans, so quote variant names like "on" and "off".
func ParseConfig(data []byte) (Config, error) {
	js := bytes.TrimSpace(data)
	if len(js) == 0 || js[0] != '{' {
		var err error
		js, err = yaml.YAMLToJSONStrict(data)
		if err != nil {
			return Config{}, &ConfigError{Path: "config", Reason: "invalid YAML", Err: err}
		}
		if err := checkBoolKeys(data); err != nil {
			return Config{}, err
		}
	}
	if err := checkDuplicateKeys(js); err != nil {
		return Config{}, &ConfigError{Path: "config", Reason: "invalid JSON", Err: err}
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
		return Config{}, err
	}
	return ParseConfig(data)
}

// checkBoolKeys rejects mapping keys that YAML 1.1 reads as booleans
// (unquoted on, off, yes, no, y, n, true, false). Converted to JSON they
// would silently become "true" or "false": a flag or variant named on would
// be renamed. The error names the key's path and asks for quotes.
func checkBoolKeys(data []byte) error {
	var root yamlv2.MapSlice
	if yamlv2.Unmarshal(data, &root) != nil {
		return nil // not a mapping; decoding reports it
	}
	return walkBoolKeys(root, "")
}

func walkBoolKeys(v any, path string) error {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch x := v.(type) {
	case yamlv2.MapSlice:
		for _, it := range x {
			if b, ok := it.Key.(bool); ok {
				at := path
				if at == "" {
					at = "config"
				}
				return &ConfigError{Path: at, Value: strconv.FormatBool(b),
					Reason: "unquoted key is a YAML boolean (on, off, yes, no, y, n, true, false); quote it, it reads as"}
			}
			if err := walkBoolKeys(it.Value, join(fmt.Sprint(it.Key))); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := walkBoolKeys(e, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	}
	return nil
}
