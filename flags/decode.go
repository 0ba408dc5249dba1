package flags

import (
	"bytes"
	"encoding/json"
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
	var cfg Config
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
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, &ConfigError{Path: "config", Reason: "cannot decode", Err: err}
	}
	if _, err := Compile(cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// LoadFile reads and parses a configuration file; see [ParseConfig].
func LoadFile(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	return ParseConfig(data)
}
