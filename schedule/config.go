package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// Window describes a recurring window in configuration form. Give exactly
// one of Weekly, Cron, RRule, Maintenance or a precompiled Rule. Zone and the
// gap and fold policies apply to the textual forms; Zone defaults to the
// party's zone, else UTC.
type Window struct {
	Name        string      `json:"name,omitempty"`
	Weekly      *WeeklySpec `json:"weekly,omitempty"`
	Cron        string      `json:"cron,omitempty"`
	RRule       string      `json:"rrule,omitempty"`
	Maintenance string      `json:"maintenance,omitempty"`
	// Duration of each occurrence; not used by Maintenance, which carries
	// its own end.
	Duration Duration   `json:"duration,omitzero"`
	Zone     string     `json:"zone,omitempty"`
	Gap      GapPolicy  `json:"gap,omitzero"`
	Fold     FoldPolicy `json:"fold,omitzero"`
	// Rule is an already compiled recurrence, for configuration built in Go.
	Rule Recurrence `json:"-"`
}

// WeeklySpec is the weekly form: days of the week and a local start time.
type WeeklySpec struct {
	// Days such as ["mon", "wed"], ["mon-fri"] or ["weekend"].
	Days []string `json:"days"`
	// Start is the local start time, "hh:mm".
	Start string `json:"start"`
}

// Compile validates the window and returns its recurrence. defaultZone is
// used when the window names no zone. Errors are [*ParseError] values with
// field paths relative to the window.
func (w Window) Compile(defaultZone string) (Recurrence, error) {
	forms := 0
	for _, set := range []bool{w.Weekly != nil, w.Cron != "", w.RRule != "", w.Maintenance != "", w.Rule.IsValid()} {
		if set {
			forms++
		}
	}
	if forms != 1 {
		return Recurrence{}, perr("", w.Name, ErrInvalidConfig, "give exactly one of weekly, cron, rrule or maintenance")
	}
	if w.Rule.IsValid() {
		return w.Rule, nil
	}
	if w.Maintenance != "" {
		if w.Duration != 0 {
			return Recurrence{}, perr("duration", w.Duration.String(), ErrInvalidConfig, "the maintenance form carries its own end")
		}
		if w.Zone != "" {
			loc, err := LoadZone(w.Zone)
			if err != nil {
				return Recurrence{}, withPrefix("", err)
			}
			if loc != time.UTC {
				return Recurrence{}, perr("zone", w.Zone, ErrInvalidConfig, "the maintenance form is always UTC")
			}
		}
		return ParseMaintenance(w.Maintenance)
	}
	var opts []Option
	if w.Zone != "" {
		loc, err := LoadZone(w.Zone)
		if err != nil {
			return Recurrence{}, withPrefix("", err)
		}
		opts = append(opts, In(loc))
	} else if defaultZone != "" {
		loc, err := LoadZone(defaultZone)
		if err != nil {
			return Recurrence{}, withPrefix("", err)
		}
		opts = append(opts, fallbackZone(loc))
	}
	opts = append(opts, OnGap(w.Gap), OnFold(w.Fold))
	d := time.Duration(w.Duration)
	var (
		r   Recurrence
		err error
	)
	switch {
	case w.Weekly != nil:
		r, err = ParseWeekly(strings.Join(w.Weekly.Days, ","), w.Weekly.Start, d, opts...)
	case w.Cron != "":
		r, err = ParseCron(w.Cron, d, opts...)
	default:
		r, err = ParseRRule(w.RRule, d, opts...)
	}
	if err != nil {
		return Recurrence{}, fixWindowField(err)
	}
	return r, nil
}

// fixWindowField maps the parser's field names onto the configuration's.
func fixWindowField(err error) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		cp := *pe
		for _, p := range []string{"weekly.duration", "cron.duration", "rrule.duration"} {
			if cp.Field == p {
				cp.Field = "duration"
			}
		}
		return &cp
	}
	return err
}

// PartyKind says what a party is.
type PartyKind uint8

// The kinds of party.
const (
	PartyUnspecified PartyKind = iota
	PartyRegion
	PartyTeam
	PartyService
)

var partyKindNames = []string{"unspecified", "region", "team", "service"}

// String returns the kind name, or PartyKind(n) for an unknown value.
func (k PartyKind) String() string { return enumString(partyKindNames, int(k), "PartyKind") }

// MarshalText implements [encoding.TextMarshaler].
func (k PartyKind) MarshalText() ([]byte, error) {
	return enumMarshal(partyKindNames, int(k), "PartyKind")
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *PartyKind) UnmarshalText(b []byte) error {
	i, err := enumParse(partyKindNames, string(b), "kind")
	*k = PartyKind(i)
	return err
}

// Party is a region, team or service with its own windows and freezes.
type Party struct {
	Name       string    `json:"name"`
	Kind       PartyKind `json:"kind,omitzero"`
	Owner      string    `json:"owner,omitempty"`
	Escalation []string  `json:"escalation,omitempty"`
	// Zone is the default zone of the party's windows and date freezes.
	Zone    string   `json:"zone,omitempty"`
	Windows []Window `json:"windows,omitempty"`
	Freezes []Freeze `json:"freezes,omitempty"`
}

// Config is a whole calendar in configuration form; [New] compiles it.
type Config struct {
	// Horizon bounds every search; zero means 366 days.
	Horizon Duration `json:"horizon,omitzero"`
	// Freezes apply to every party.
	Freezes []Freeze `json:"freezes,omitempty"`
	Parties []Party  `json:"parties"`
	// Policy, when set, is the policy the calendar is meant to meet;
	// [Calendar.Policy] returns it for [Calendar.Validate].
	Policy *Policy `json:"policy,omitempty"`
}

// ParseConfig decodes YAML or JSON strictly (unknown fields and duplicate
// keys are errors) into a Config. It does not validate the values; [New]
// does, and [Load] does both.
func ParseConfig(data []byte) (Config, error) {
	var cfg Config
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return Config{}, &ParseError{Field: "config", Reason: err.Error(), Err: ErrSyntax}
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			cp := *pe
			if pe.Field != "policy" && !strings.HasPrefix(pe.Field, "policy.") {
				cp.Field = locate(js, pe.Field, pe.Value)
			}
			return Config{}, &cp
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return Config{}, perr(pathAt(js, te.Offset, te.Field), te.Value, ErrSyntax, "want %s", te.Type)
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
			if name, err := strconv.Unquote(name); err == nil {
				return Config{}, perr(unknownKeyPath(js, reflect.TypeFor[Config]()), name, ErrSyntax, "unknown field")
			}
		}
		return Config{}, &ParseError{Field: "config", Reason: msg, Err: ErrSyntax}
	}
	if dec.More() {
		return Config{}, &ParseError{Field: "config", Reason: "trailing data after the document", Err: ErrSyntax}
	}
	return cfg, nil
}

// Load parses and compiles a YAML or JSON calendar; see [ParseConfig] and
// [New].
func Load(data []byte) (*Calendar, error) {
	cfg, err := ParseConfig(data)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// locate finds where a value that failed to decode sits in the document, so
// that errors raised by a field type's UnmarshalJSON (which cannot know its
// path) name it fully, e.g. "parties[0].windows[1].duration". field is the
// type's own field name, possibly with an index suffix ("scope[0]").
func locate(js []byte, field, value string) string {
	var tree any
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	if dec.Decode(&tree) != nil {
		return "config." + field
	}
	key, suffix := field, ""
	if i := strings.IndexByte(field, '['); i >= 0 {
		key, suffix = field[:i], field[i:]
	}
	matches := func(v any) bool {
		switch v := v.(type) {
		case string:
			return v == value
		case json.Number:
			return v.String() == value
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok && s == value {
					return true
				}
			}
		}
		return false
	}
	var walk func(v any, path string) (string, bool)
	walk = func(v any, path string) (string, bool) {
		switch v := v.(type) {
		case map[string]any:
			if x, ok := v[key]; ok && matches(x) {
				return strings.TrimPrefix(path+"."+key+suffix, "."), true
			}
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if p, ok := walk(v[k], path+"."+k); ok {
					return p, true
				}
			}
		case []any:
			for i, e := range v {
				if p, ok := walk(e, fmt.Sprintf("%s[%d]", path, i)); ok {
					return p, true
				}
			}
		}
		return "", false
	}
	if p, ok := walk(tree, ""); ok {
		return p
	}
	return "config." + field
}

// unknownKeyPath returns the path of the first object key, in a
// deterministic walk of the document, that the Go type at its place does not
// have (json matches field names case-insensitively), or "config".
func unknownKeyPath(js []byte, t reflect.Type) string {
	var tree any
	if json.Unmarshal(js, &tree) != nil {
		return "config"
	}
	unmarshaler := reflect.TypeFor[json.Unmarshaler]()
	var walk func(v any, t reflect.Type, path string) (string, bool)
	walk = func(v any, t reflect.Type, path string) (string, bool) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if reflect.PointerTo(t).Implements(unmarshaler) {
			return "", false // decodes itself and reports its own errors
		}
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				var ft reflect.Type
				switch t.Kind() {
				case reflect.Map:
					ft = t.Elem()
				case reflect.Struct:
					for i := range t.NumField() {
						f := t.Field(i)
						name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
						if name == "" {
							name = f.Name
						}
						if f.IsExported() && name != "-" && strings.EqualFold(name, k) {
							ft = f.Type
							break
						}
					}
					if ft == nil {
						return strings.TrimPrefix(path+"."+k, "."), true
					}
				default:
					return "", false
				}
				if p, ok := walk(v[k], ft, path+"."+k); ok {
					return p, true
				}
			}
		case []any:
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return "", false
			}
			for i, e := range v {
				if p, ok := walk(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); ok {
					return p, true
				}
			}
		}
		return "", false
	}
	if p, ok := walk(tree, t, ""); ok {
		return p
	}
	return "config"
}

// pathAt returns the path, with array indices, of the JSON value that ends
// at or after offset; fallback is used if the document cannot be walked.
func pathAt(js []byte, offset int64, fallback string) string {
	type frame struct {
		array bool
		index int
		key   string
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
			} else if f.key != "" {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	// advance moves past a completed value inside the current container.
	advance := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].key = ""
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return "config." + fallback
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if dec.InputOffset() >= offset {
					return path()
				}
				stack = append(stack, frame{array: d == '['})
				expectKey = d == '{'
			default:
				stack = stack[:len(stack)-1]
				if dec.InputOffset() >= offset {
					return path()
				}
				advance()
				expectKey = len(stack) > 0 && !stack[len(stack)-1].array
			}
			continue
		}
		if expectKey {
			stack[len(stack)-1].key = tok.(string)
			expectKey = false
			continue
		}
		if dec.InputOffset() >= offset {
			return path()
		}
		advance()
		expectKey = len(stack) > 0 && !stack[len(stack)-1].array
	}
}

func jsonUnmarshalStrings(b []byte, v *[]string) error { return json.Unmarshal(b, v) }

func pathf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
