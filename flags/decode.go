package flags

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"

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
	for key, raw := range top.Flags {
		var f Flag
		if err := decodeStrict(raw, &f); err != nil {
			return Config{}, &ConfigError{Path: "flags." + key, Reason: "cannot decode", Err: err}
		}
		cfg.Flags[key] = f
	}
	if top.Segments != nil {
		cfg.Segments = make(map[string]Condition, len(top.Segments))
	}
	for name, raw := range top.Segments {
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
