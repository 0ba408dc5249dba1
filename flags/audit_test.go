package flags_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/flags"
	"github.com/open-feature/go-sdk/openfeature"
)

// Object variants are copied at every boundary: a caller that modifies a
// returned object, or the tree it built the configuration from, must not
// change what later evaluations see.
func TestObjectValuesCopiedAtBoundary(t *testing.T) {
	tree := map[string]any{"cols": 3.0, "tags": []any{"a"}, "inner": map[string]any{"k": "v"}}
	cfg := flags.Config{Flags: map[string]flags.Flag{
		"layout": {Variants: map[string]flags.Value{"grid": flags.Object(tree)}, DefaultVariant: "grid"},
	}}
	store, err := flags.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The caller changes its own tree after loading.
	tree["cols"] = 99.0
	tree["inner"].(map[string]any)["k"] = "changed"

	mutate := func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("object value is %T", v)
		}
		m["cols"] = -1.0
		m["tags"].([]any)[0] = "mutated"
		m["inner"].(map[string]any)["k"] = "mutated"
		m["added"] = true
	}
	check := func(t *testing.T, v any) {
		t.Helper()
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("object value is %T", v)
		}
		if m["cols"] != 3.0 || m["tags"].([]any)[0] != "a" || m["inner"].(map[string]any)["k"] != "v" || m["added"] != nil {
			t.Fatalf("snapshot changed: %v", m)
		}
	}
	_, client := newClient(t, flags.NewProvider(store, flags.WithClock(fixedClock{t0})))
	h := flags.ObjectFlag(store, "layout")
	ec := openfeature.NewEvaluationContext("u1", nil)

	for _, tc := range []struct {
		name string
		get  func() any
	}{
		{"sdk client", func() any {
			v, err := client.ObjectValue(t.Context(), "layout", nil, ec)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}},
		{"handle", func() any { return h.ValueAt(flags.Context{TargetingKey: "u1"}, t0, nil) }},
		{"decision value", func() any {
			_, d := h.DetailsAt(flags.Context{TargetingKey: "u1"}, t0, nil)
			v, _ := d.Value().AsObject()
			return v
		}},
		{"value any", func() any {
			_, d := h.DetailsAt(flags.Context{TargetingKey: "u1"}, t0, nil)
			return d.Value().Any()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := tc.get()
			check(t, first)
			mutate(first)
			check(t, tc.get())
		})
	}
}

// YAML 1.1 reads unquoted on, off, yes and no as booleans. As keys they
// would silently become "true" and "false"; they are rejected with the path.
func TestParseConfigYAMLBooleanKeys(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: must load
	}{
		{"unquoted on/off variant names", "flags:\n  f:\n    variants: {on: true, off: false}\n    defaultVariant: \"on\"\n",
			`flags.f.variants: unquoted key is a YAML boolean`},
		{"unquoted yes as flag key", "flags:\n  yes:\n    variants: {\"a\": true}\n    defaultVariant: a\n",
			`flags: flags: unquoted key is a YAML boolean`},
		{"block-style no as variant name", "flags:\n  f:\n    variants:\n      \"a\": 1\n      no: 2\n    defaultVariant: a\n",
			`flags.f.variants: unquoted key is a YAML boolean`},
		{"quoted on/off load", "flags:\n  f:\n    variants: {\"on\": true, \"off\": false}\n    defaultVariant: \"on\"\n", ""},
		{"unquoted yes as string variant value", "flags:\n  f:\n    type: string\n    variants: {a: yes, b: \"no\"}\n    defaultVariant: a\n",
			`flags.f.variants.a: type mismatch: bool value in string flag`},
		{"unquoted off as default variant", "flags:\n  f:\n    variants: {\"on\": true, \"off\": false}\n    defaultVariant: off\n",
			`flags.f: cannot decode`},
		{"on as a value in a list is fine when quoted", "flags:\n  f:\n    variants: {\"a\": true, \"b\": false}\n    defaultVariant: a\n    rules:\n    - when: {attribute: mode, op: in, values: [\"on\", \"off\"]}\n      variant: b\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := flags.ParseConfig([]byte(tc.yaml))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if _, ok := cfg.Flags["f"]; !ok {
					t.Fatalf("flag f missing: %v", cfg.Flags)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
			}
			if !errors.Is(err, flags.ErrInvalidConfig) {
				t.Errorf("error %v does not match ErrInvalidConfig", err)
			}
		})
	}
}

// A file with several undecodable flags reports the same one every time:
// map iteration order must not leak into the error.
func TestParseConfigErrorIsDeterministic(t *testing.T) {
	var b strings.Builder
	b.WriteString("flags:\n")
	for _, k := range []string{"m", "c", "x", "a", "q", "h"} {
		b.WriteString("  " + k + ":\n    bogus: 1\n")
	}
	b.WriteString("segments:\n  s1: {bogus: 1}\n  s0: {bogus: 1}\n")
	for i := range 30 {
		_, err := flags.ParseConfig([]byte(b.String()))
		if err == nil || !strings.Contains(err.Error(), "flags.a: cannot decode") {
			t.Fatalf("run %d: error = %v, want the first flag in key order (flags.a)", i, err)
		}
	}
}
