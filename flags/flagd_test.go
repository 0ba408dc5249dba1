package flags_test

import (
	"strings"
	"testing"

	"github.com/glidepath/glidepath/flags"
)

func flagdDoc(targeting string) []byte {
	return []byte(`{"flags": {"f": {"state": "ENABLED", "variants": {"a": "a", "b": "b", "c": "c", "true": "t", "false": "f"},
		"defaultVariant": "c", "targeting": ` + targeting + `}}}`)
}

func TestParseFlagdTargeting(t *testing.T) {
	tests := []struct {
		name      string
		targeting string
		attrs     map[string]any
		variant   string
		reason    flags.Reason
	}{
		{"if else", `{"if": [{"==": [{"var": "n"}, 1]}, "a", "b"]}`, map[string]any{"n": 1}, "a", flags.ReasonTargetingMatch},
		{"if else miss", `{"if": [{"==": [{"var": "n"}, 1]}, "a", "b"]}`, map[string]any{"n": 2}, "b", flags.ReasonTargetingMatch},
		{"if missing attr takes else", `{"if": [{"==": [{"var": "n"}, 1]}, "a", "b"]}`, nil, "b", flags.ReasonTargetingMatch},
		{"literal on the left", `{"if": [{"==": [1, {"var": "n"}]}, "a", "b"]}`, map[string]any{"n": 1}, "a", flags.ReasonTargetingMatch},
		{"if without else", `{"if": [{"==": [{"var": "n"}, 1]}, "a"]}`, map[string]any{"n": 2}, "c", flags.ReasonDefault},
		{"nested if without else yields default", `{"if": [{"==": [{"var": "n"}, 1]}, {"if": [{"==": [{"var": "m"}, 1]}, "a"]}, "b"]}`,
			map[string]any{"n": 1, "m": 2}, "c", flags.ReasonDefault},
		{"null branch", `{"if": [{"==": [{"var": "n"}, 1]}, null, "b"]}`, map[string]any{"n": 1}, "c", flags.ReasonDefault},
		{"multi-branch if", `{"if": [{"==": [{"var": "n"}, 1]}, "a", {"==": [{"var": "n"}, 2]}, "b", "c"]}`, map[string]any{"n": 2}, "b", flags.ReasonTargetingMatch},
		{"and", `{"if": [{"and": [{">": [{"var": "n"}, 1]}, {"<": [{"var": "n"}, 5]}]}, "a", "b"]}`, map[string]any{"n": 3}, "a", flags.ReasonTargetingMatch},
		{"or", `{"if": [{"or": [{"==": [{"var": "s"}, "x"]}, {"==": [{"var": "s"}, "y"]}]}, "a", "b"]}`, map[string]any{"s": "y"}, "a", flags.ReasonTargetingMatch},
		{"not", `{"if": [{"!": {"==": [{"var": "s"}, "x"]}}, "a", "b"]}`, map[string]any{"s": "y"}, "a", flags.ReasonTargetingMatch},
		{"between", `{"if": [{"<": [1, {"var": "n"}, 5]}, "a", "b"]}`, map[string]any{"n": 5}, "b", flags.ReasonTargetingMatch},
		{"between inside", `{"if": [{"<=": [1, {"var": "n"}, 5]}, "a", "b"]}`, map[string]any{"n": 5}, "a", flags.ReasonTargetingMatch},
		{"descending between", `{"if": [{">": [5, {"var": "n"}, 1]}, "a", "b"]}`, map[string]any{"n": 3}, "a", flags.ReasonTargetingMatch},
		{"literal first comparison", `{"if": [{"<": [10, {"var": "n"}]}, "a", "b"]}`, map[string]any{"n": 11}, "a", flags.ReasonTargetingMatch},
		{"in list", `{"if": [{"in": [{"var": "c"}, ["NL", "BE"]]}, "a", "b"]}`, map[string]any{"c": "BE"}, "a", flags.ReasonTargetingMatch},
		{"in substring", `{"if": [{"in": ["@corp", {"var": "email"}]}, "a", "b"]}`, map[string]any{"email": "x@corp.example"}, "a", flags.ReasonTargetingMatch},
		{"boolean targeting true", `{"starts_with": [{"var": "id"}, "ab"]}`, map[string]any{"id": "abc"}, "true", flags.ReasonTargetingMatch},
		{"boolean targeting false", `{"starts_with": [{"var": "id"}, "ab"]}`, map[string]any{"id": "xbc"}, "false", flags.ReasonTargetingMatch},
		{"boolean targeting null", `{"starts_with": [{"var": "id"}, "ab"]}`, map[string]any{"id": 5}, "c", flags.ReasonDefault},
		{"sem_ver caret", `{"if": [{"sem_ver": [{"var": "v"}, "^", "1.2.0"]}, "a", "b"]}`, map[string]any{"v": "1.9.0"}, "a", flags.ReasonTargetingMatch},
		{"fractional by attribute", `{"fractional": [{"var": "account"}, ["a", 1]]}`, map[string]any{"account": "acme"}, "a", flags.ReasonSplit},
		{"fractional in branch", `{"if": [{"==": [{"var": "n"}, 1]}, {"fractional": [["a"], ["b", 0]]}, "b"]}`, map[string]any{"n": 1, "targetingKey": "k"}, "a", flags.ReasonSplit},
		{"fractional all zero", `{"fractional": [["a", 0], ["b", 0]]}`, map[string]any{"targetingKey": "k"}, "c", flags.ReasonDefault},
		{"empty targeting", `{}`, nil, "c", flags.ReasonStatic},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := flags.ParseFlagd(flagdDoc(tc.targeting))
			if err != nil {
				t.Fatal(err)
			}
			snap, err := flags.Compile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ec := flags.Context{Attributes: tc.attrs}
			if tk, ok := tc.attrs["targetingKey"].(string); ok {
				ec.TargetingKey = tk
			}
			d := snap.Evaluate("f", ec, t0)
			if d.Variant != tc.variant || d.Reason != tc.reason {
				t.Errorf("got %q %v, want %q %v", d.Variant, d.Reason, tc.variant, tc.reason)
			}
		})
	}
}

func TestParseFlagdErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unsupported operator", string(flagdDoc(`{"if": [{"+": [1, 2]}, "a", "b"]}`)), `flags.f.targeting: unsupported operator "+"`},
		{"unknown ref", string(flagdDoc(`{"if": [{"$ref": "nope"}, "a", "b"]}`)), `flags.f.targeting: reference to unknown evaluator "nope"`},
		{"nested fractional variant", string(flagdDoc(`{"fractional": [[{"var": "x"}, 1]]}`)), "unsupported fractional variant"},
		{"unknown variant", string(flagdDoc(`{"if": [{"==": [{"var": "n"}, 1]}, "zzz", "b"]}`)), `unknown variant "zzz"`},
		{"duplicate key", `{"flags": {"f": {"state": "ENABLED", "variants": {"a": 1, "a": 2}}}}`, `duplicate key "a"`},
		{"unknown field", `{"flags": {"f": {"state": "ENABLED", "variants": {"a": 1}, "colour": 1}}}`, `unknown field "colour"`},
		{"bad state", `{"flags": {"f": {"state": "ON", "variants": {"a": 1}}}}`, `flags.f.state: unknown state "ON"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flags.ParseFlagd([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseFlagdKeepsValidFlags(t *testing.T) {
	cfg, err := flags.ParseFlagd([]byte(`{"flags": {
		"good": {"state": "ENABLED", "variants": {"a": 1}, "defaultVariant": "a"},
		"bad": {"state": "ENABLED", "variants": {"a": 1}, "defaultVariant": "b"}}}`))
	if err == nil || !strings.Contains(err.Error(), "flags.bad.defaultVariant") {
		t.Fatalf("error = %v", err)
	}
	if _, ok := cfg.Flags["good"]; !ok || len(cfg.Flags) != 1 {
		t.Fatalf("flags = %v, want only good", cfg.Flags)
	}
}

func TestParseFlagdBoundsRefExpansion(t *testing.T) {
	evals := `"e0": {"==": [{"var": "x"}, 1]}`
	// Each level refers to the previous one 20 times: 20^8 nodes if expanded.
	for i := 1; i <= 8; i++ {
		refs := strings.Repeat(`{"$ref": "e`+itoa(i-1)+`"}, `, 19) + `{"$ref": "e` + itoa(i-1) + `"}`
		evals += `, "e` + itoa(i) + `": {"and": [` + refs + `]}`
	}
	doc := `{"$evaluators": {` + evals + `}, "flags": {"f": {"state": "ENABLED", "variants": {"a": 1}, "targeting": {"if": [{"$ref": "e8"}, "a"]}}}}`
	_, err := flags.ParseFlagd([]byte(doc))
	if err == nil || !strings.Contains(err.Error(), "targeting too large") {
		t.Fatalf("error = %v", err)
	}
}
