package flags_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glidepath/glidepath/internal/goldenfile"

	"github.com/glidepath/glidepath/flags"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, *update, name, got)
}

func TestParseConfigGolden(t *testing.T) {
	cfg, err := flags.LoadFile(filepath.Join("testdata", "checkout.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "checkout.golden.json", append(out, '\n'))

	// The JSON form decodes back into the same Config.
	again, err := flags.ParseConfig(out)
	if err != nil {
		t.Fatalf("re-parsing the JSON form: %v", err)
	}
	if diff := cmp.Diff(cfg, again); diff != "" {
		t.Errorf("JSON round trip changed the config (-yaml +json):\n%s", diff)
	}
}

func TestParseConfigEvaluates(t *testing.T) {
	cfg, err := flags.LoadFile(filepath.Join("testdata", "checkout.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := flags.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	during := time.Date(2026, 6, 4, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		flag    string
		ec      flags.Context
		variant string
		reason  flags.Reason
	}{
		{"staff", "checkout-v2", flags.Context{TargetingKey: "u1", Attributes: map[string]any{"email": "a@corp.example"}}, "on", flags.ReasonTargetingMatch},
		{"blocked region", "checkout-v2", flags.Context{TargetingKey: "u1", Attributes: map[string]any{"country": "KP", "app": map[string]any{"version": "2.5.0"}}}, "off", flags.ReasonDefault},
		{"ramp", "checkout-v2", flags.Context{TargetingKey: "u1", Attributes: map[string]any{"app.version": "2.5.0", "plan": "team"}}, "off", flags.ReasonSplit},
		{"enterprise excluded", "checkout-v2", flags.Context{TargetingKey: "u1", Attributes: map[string]any{"app.version": "2.5.0", "plan": "enterprise"}}, "off", flags.ReasonDefault},
		{"wide screen", "page-size", flags.Context{Attributes: map[string]any{"screen": map[string]any{"width": 1440}}}, "large", flags.ReasonTargetingMatch},
		{"dark mode", "theme", flags.Context{Attributes: map[string]any{"userAgent": "X DarkMode/1"}}, "dark", flags.ReasonTargetingMatch},
		{"killed by tag", "old-banner", flags.Context{}, "", flags.ReasonDisabled},
		{"float", "discount-rate", flags.Context{}, "none", flags.ReasonStatic},
		{"seeded split by account", "search-ranking", flags.Context{Attributes: map[string]any{"beta": true, "accountId": "acme"}}, "control", flags.ReasonSplit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := store.Evaluate(tc.flag, tc.ec, during)
			if d.Variant != tc.variant || d.Reason != tc.reason {
				t.Errorf("got %q %v, want %q %v", d.Variant, d.Reason, tc.variant, tc.reason)
			}
		})
	}
	if v := flags.FloatFlag(store, "discount-rate").ValueAt(flags.Context{}, during, -1); v != 0 {
		t.Errorf("discount-rate = %v", v)
	}
}

func TestParseConfigInvalidGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*"))
	if err != nil || len(files) == 0 {
		t.Fatal("no invalid test files")
	}
	var buf bytes.Buffer
	for _, f := range files {
		if strings.HasSuffix(f, ".golden") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := flags.LoadFile(f)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, flags.ErrInvalidConfig) {
				t.Errorf("not ErrInvalidConfig: %v", err)
			}
			buf.WriteString(filepath.Base(f) + ":\n  " + strings.ReplaceAll(err.Error(), "\n", "\n  ") + "\n")
		})
	}
	golden(t, filepath.Join("invalid", "errors.golden"), buf.Bytes())
}

func TestParseConfigStrictness(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unknown top-level field", `{"flags": {}, "extra": 1}`, `unknown field "extra"`},
		{"unknown condition field", "flags:\n  a:\n    variants: {x: 1}\n    rules: [{when: {atribute: a, op: exists}, variant: x}]\n", `unknown field "atribute"`},
		{"null variant", `{"flags": {"a": {"variants": {"x": null}}}}`, "null is not a valid value"},
		{"trailing data", `{"flags": {}} {}`, "trailing data"},
		{"bad state", `{"flags": {"a": {"state": "ON", "variants": {"x": 1}}}}`, `unknown state "ON"`},
		{"bad mode", `{"flags": {"a": {"variants": {"x": 1}, "rules": [{"split": {"variants": [{"variant": "x", "weight": 1}], "ramp": {"mode": "fast", "points": []}}}]}}}`, `unknown ramp mode "fast"`},
		{"weight not integer", `{"flags": {"a": {"variants": {"x": 1}, "rules": [{"split": {"variants": [{"variant": "x", "weight": 0.5}]}}]}}}`, "cannot unmarshal number 0.5"},
		{"bad yaml", "flags: [", "invalid YAML"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flags.ParseConfig([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestValueJSON(t *testing.T) {
	tests := []struct {
		in   string
		kind flags.Kind
		out  string
	}{
		{`true`, flags.KindBool, `true`},
		{`"x"`, flags.KindString, `"x"`},
		{`42`, flags.KindInt, `42`},
		{`-7`, flags.KindInt, `-7`},
		{`1.0`, flags.KindFloat, `1.0`},
		{`0.25`, flags.KindFloat, `0.25`},
		{`1e3`, flags.KindFloat, `1000.0`},
		{`99999999999999999999`, flags.KindFloat, `1e+20`},
		{`{"a":[1,2]}`, flags.KindObject, `{"a":[1,2]}`},
		{`[1,"x"]`, flags.KindObject, `[1,"x"]`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var v flags.Value
			if err := json.Unmarshal([]byte(tc.in), &v); err != nil {
				t.Fatal(err)
			}
			if v.Kind() != tc.kind {
				t.Errorf("kind = %v, want %v", v.Kind(), tc.kind)
			}
			out, err := json.Marshal(v)
			if err != nil || string(out) != tc.out {
				t.Errorf("marshal = %s, %v; want %s", out, err, tc.out)
			}
		})
	}
}

func TestEnumStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{flags.KindBool.String(), "bool"},
		{flags.Kind(99).String(), "Kind(99)"},
		{flags.Disabled.String(), "DISABLED"},
		{flags.State(9).String(), "State(9)"},
		{flags.OpSemverRange.String(), "semverRange"},
		{flags.Operator(200).String(), "Operator(200)"},
		{flags.RampLinear.String(), "linear"},
		{flags.RampMode(7).String(), "RampMode(7)"},
		{flags.ReasonTargetingMatch.String(), "TARGETING_MATCH"},
		{flags.Reason(42).String(), "Reason(42)"},
		{flags.EventStale.String(), "stale"},
		{flags.EventKind(9).String(), "EventKind(9)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

func TestValueAccessors(t *testing.T) {
	if b, ok := flags.Bool(true).AsBool(); !b || !ok {
		t.Error("AsBool")
	}
	if _, ok := flags.String("x").AsBool(); ok {
		t.Error("AsBool on string")
	}
	if i, ok := flags.Int(5).AsInt(); i != 5 || !ok {
		t.Error("AsInt")
	}
	if f, ok := flags.Int(5).AsFloat(); f != 5 || !ok {
		t.Error("AsFloat on int")
	}
	if _, ok := flags.Float(0.5).AsInt(); ok {
		t.Error("AsInt on float")
	}
	if o, ok := flags.Object([]any{1.0}).AsObject(); !ok || len(o.([]any)) != 1 {
		t.Error("AsObject")
	}
	if s, ok := flags.String("x").AsString(); s != "x" || !ok {
		t.Error("AsString")
	}
	eq := []struct {
		a, b flags.Value
		want bool
	}{
		{flags.Int(1), flags.Int(1), true},
		{flags.Int(1), flags.Float(1), false},
		{flags.Float(0.5), flags.Float(0.5), true},
		{flags.Object(map[string]any{"a": 1.0}), flags.Object(map[string]any{"a": 1.0}), true},
		{flags.Object(map[string]any{"a": 1.0}), flags.Object(map[string]any{"a": 2.0}), false},
		{flags.Value{}, flags.Value{}, true},
	}
	for _, tc := range eq {
		if got := tc.a.Equal(tc.b); got != tc.want {
			t.Errorf("%v.Equal(%v) = %v", tc.a, tc.b, got)
		}
	}
	strs := map[string]flags.Value{`"x"`: flags.String("x"), `<invalid>`: {}, `true`: flags.Bool(true), `0.5`: flags.Float(0.5), `{"a":1}`: flags.Object(map[string]any{"a": 1})}
	for want, v := range strs {
		if v.String() != want {
			t.Errorf("String() = %s, want %s", v.String(), want)
		}
	}
}

func TestStoreReplaceRejects(t *testing.T) {
	store, err := flags.NewStore(twinConfig("a"))
	if err != nil {
		t.Fatal(err)
	}
	var got []flags.EventKind
	unsub := store.Subscribe(func(e flags.Event) { got = append(got, e.Kind) })
	bad := twinConfig("a")
	bad.Flags["x"] = flags.Flag{Variants: boolVariants(), DefaultVariant: "nope"}
	if err := store.Replace(bad); !errors.Is(err, flags.ErrInvalidConfig) {
		t.Fatalf("Replace(bad) = %v", err)
	}
	if d := store.Evaluate("x", flags.Context{}, t0); d.Variant != "a" {
		t.Errorf("old configuration lost: %q", d.Variant)
	}
	if err := store.Replace(twinConfig("b")); err != nil {
		t.Fatal(err)
	}
	unsub()
	_ = store.Replace(twinConfig("a")) // not observed
	want := []flags.EventKind{flags.EventRejected, flags.EventRecovered, flags.EventChanged}
	if !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if _, err := flags.NewStore(bad); err == nil {
		t.Error("NewStore(bad) succeeded")
	}
}
