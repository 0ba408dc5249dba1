package flags_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/glidepath/glidepath/flags"
)

// matches evaluates c as the only rule of a flag and reports whether it
// matched.
func matches(t *testing.T, c flags.Condition, attrs map[string]any) bool {
	t.Helper()
	cfg := flags.Config{Flags: map[string]flags.Flag{"f": {
		Variants: boolVariants(), DefaultVariant: "off",
		Rules: []flags.Rule{{When: &c, Variant: "on"}},
	}}}
	snap, err := flags.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ec := flags.Context{Attributes: attrs}
	if tk, ok := attrs["targetingKey"].(string); ok {
		ec.TargetingKey = tk
	}
	d := snap.Evaluate("f", ec, t0)
	return d.Reason == flags.ReasonTargetingMatch
}

func TestConditions(t *testing.T) {
	s, n := flags.String, flags.Int
	tests := []struct {
		name  string
		cond  flags.Condition
		attrs map[string]any
		want  bool
	}{
		{"equals string", flags.Attr("country").Equals(s("NL")), map[string]any{"country": "NL"}, true},
		{"equals string differs", flags.Attr("country").Equals(s("NL")), map[string]any{"country": "BE"}, false},
		{"equals int vs int", flags.Attr("n").Equals(n(3)), map[string]any{"n": 3}, true},
		{"equals int vs float", flags.Attr("n").Equals(n(3)), map[string]any{"n": 3.0}, true},
		{"equals bool", flags.Attr("beta").Equals(flags.Bool(true)), map[string]any{"beta": true}, true},
		{"equals wrong type", flags.Attr("n").Equals(s("3")), map[string]any{"n": 3}, false},
		{"not equals", flags.Attr("country").NotEquals(s("NL")), map[string]any{"country": "BE"}, true},
		{"not equals missing is unknown", flags.Attr("country").NotEquals(s("NL")), nil, false},
		{"in", flags.Attr("country").In(s("NL"), s("BE")), map[string]any{"country": "BE"}, true},
		{"in miss", flags.Attr("country").In(s("NL"), s("BE")), map[string]any{"country": "DE"}, false},
		{"not in", flags.Attr("country").NotIn(s("NL"), s("BE")), map[string]any{"country": "DE"}, true},
		{"not in hit", flags.Attr("country").NotIn(s("NL")), map[string]any{"country": "NL"}, false},
		{"not in missing", flags.Attr("country").NotIn(s("NL")), nil, false},
		{"starts with", flags.Attr("id").StartsWith("abc"), map[string]any{"id": "abcdef"}, true},
		{"starts with non-string", flags.Attr("id").StartsWith("1"), map[string]any{"id": 123}, false},
		{"ends with", flags.Attr("email").EndsWith("@example.com"), map[string]any{"email": "a@example.com"}, true},
		{"contains", flags.Condition{Attribute: "ua", Op: flags.OpContains, Value: ptrValue(s("Firefox"))}, map[string]any{"ua": "Mozilla Firefox 1"}, true},
		{"regex", flags.Attr("email").Matches(`^[a-z]+@corp\.example$`), map[string]any{"email": "ann@corp.example"}, true},
		{"regex miss", flags.Attr("email").Matches(`^[a-z]+@corp\.example$`), map[string]any{"email": "ann@corp.example.org"}, false},
		{"lt", flags.Attr("age").Compare(flags.OpLess, n(18)), map[string]any{"age": int64(17)}, true},
		{"lte", flags.Attr("age").Compare(flags.OpLessOrEqual, n(18)), map[string]any{"age": uint8(18)}, true},
		{"gt float", flags.Attr("score").Compare(flags.OpGreater, flags.Float(0.5)), map[string]any{"score": float32(0.75)}, true},
		{"gte json.Number", flags.Attr("score").Compare(flags.OpGreaterOrEqual, n(2)), map[string]any{"score": json.Number("2")}, true},
		{"numeric on string unknown", flags.Attr("age").Compare(flags.OpLess, n(18)), map[string]any{"age": "17"}, false},
		{"semver eq", flags.Attr("v").Compare(flags.OpSemverEquals, s("2.0.0")), map[string]any{"v": "v2.0.0"}, true},
		{"semver eq build metadata", flags.Attr("v").Compare(flags.OpSemverEquals, s("1.0.0+a")), map[string]any{"v": "1.0.0+b"}, true},
		{"semver prerelease lower", flags.Attr("v").Compare(flags.OpSemverLess, s("2.0.0")), map[string]any{"v": "2.0.0-alpha"}, true},
		{"semver four segments unknown", flags.Attr("v").Compare(flags.OpSemverLess, s("3.0.0")), map[string]any{"v": "2.0.0.0"}, false},
		{"semver ne", flags.Attr("v").Compare(flags.OpSemverNotEquals, s("1.0.0")), map[string]any{"v": "1.0.1"}, true},
		{"semver gte numeric context", flags.Attr("v").Compare(flags.OpSemverGreaterOrEqual, s("1.2")), map[string]any{"v": 1.2}, true},
		{"semver tilde", flags.Attr("v").Compare(flags.OpSemverTilde, s("3.0.0")), map[string]any{"v": "3.0.9"}, true},
		{"semver tilde next minor", flags.Attr("v").Compare(flags.OpSemverTilde, s("3.0.0")), map[string]any{"v": "3.1.0"}, false},
		{"semver caret", flags.Attr("v").Compare(flags.OpSemverCaret, s("3.0.0")), map[string]any{"v": "3.9.0"}, true},
		{"semver caret next major", flags.Attr("v").Compare(flags.OpSemverCaret, s("3.0.0")), map[string]any{"v": "4.0.0"}, false},
		{"semver range", flags.Attr("v").SemverRange(">= 1.2, < 2.0"), map[string]any{"v": "1.9.3"}, true},
		{"semver range miss", flags.Attr("v").SemverRange(">= 1.2, < 2.0"), map[string]any{"v": "2.0.0"}, false},
		{"semver garbage unknown", flags.Attr("v").SemverRange(">= 1.2"), map[string]any{"v": "latest"}, false},
		{"exists", flags.Attr("v").Exists(), map[string]any{"v": ""}, true},
		{"exists missing", flags.Attr("v").Exists(), nil, false},
		{"not exists", flags.Not(flags.Attr("v").Exists()), nil, true},
		{"nested path", flags.Attr("user.name").Equals(s("jack")), map[string]any{"user": map[string]any{"name": "jack"}}, true},
		{"dotted key wins", flags.Attr("app.version").Equals(s("1")), map[string]any{"app.version": "1"}, true},
		{"nested path through non-map", flags.Attr("user.name").Exists(), map[string]any{"user": "jack"}, false},
		{"targeting key", flags.Attr("targetingKey").Equals(s("u1")), map[string]any{"targetingKey": "u1"}, true},
		{"all true", flags.All(flags.Attr("a").Exists(), flags.Attr("b").Exists()), map[string]any{"a": 1, "b": 2}, true},
		{"all with unknown", flags.All(flags.Attr("a").Exists(), flags.Attr("b").Equals(n(1))), map[string]any{"a": 1}, false},
		{"not of all with unknown stays unknown", flags.Not(flags.All(flags.Attr("a").Exists(), flags.Attr("b").Equals(n(1)))), map[string]any{"a": 1}, false},
		{"not of all with false", flags.Not(flags.All(flags.Attr("a").Equals(n(2)), flags.Attr("b").Equals(n(1)))), map[string]any{"a": 1}, true},
		{"any true beats unknown", flags.Any(flags.Attr("x").Equals(n(1)), flags.Attr("a").Exists()), map[string]any{"a": 1}, true},
		{"not of any unknown", flags.Not(flags.Any(flags.Attr("x").Equals(n(1)), flags.Attr("a").Equals(n(2)))), map[string]any{"a": 1}, false},
		{"not of false", flags.Not(flags.Attr("a").Equals(n(2))), map[string]any{"a": 1}, true},
		{"not of missing", flags.Not(flags.Attr("a").Equals(n(2))), nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := matches(t, tc.cond, tc.attrs); got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}

func ptrValue(v flags.Value) *flags.Value { return &v }

func TestSegments(t *testing.T) {
	cfg := flags.Config{
		Segments: map[string]flags.Condition{
			"staff":      flags.Attr("email").EndsWith("@corp.example"),
			"staff-beta": flags.All(flags.Condition{Segment: "staff"}, flags.Attr("beta").Equals(flags.Bool(true))),
		},
		Flags: map[string]flags.Flag{"f": {Variants: boolVariants(), DefaultVariant: "off",
			Rules: []flags.Rule{{When: &flags.Condition{Segment: "staff-beta"}, Variant: "on"}}}},
	}
	snap, err := flags.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		attrs map[string]any
		want  string
	}{
		{"staff beta", map[string]any{"email": "a@corp.example", "beta": true}, "on"},
		{"staff only", map[string]any{"email": "a@corp.example", "beta": false}, "off"},
		{"outsider", map[string]any{"email": "a@else.example", "beta": true}, "off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := snap.Evaluate("f", flags.Context{Attributes: tc.attrs}, t0); d.Variant != tc.want {
				t.Errorf("variant = %q, want %q", d.Variant, tc.want)
			}
		})
	}
}

func TestEvaluationOutcomes(t *testing.T) {
	staff := flags.Attr("email").EndsWith("@corp.example")
	cfg := flags.Config{Flags: map[string]flags.Flag{
		"base": {Variants: boolVariants(), DefaultVariant: "on", Tags: []string{"payments"}},
		"dependent": {Variants: boolVariants(), DefaultVariant: "off",
			Requires: []flags.Prerequisite{{Flag: "base", Variants: []string{"on"}}},
			Rules:    []flags.Rule{{Variant: "on"}}},
		"excluded": {Variants: boolVariants(), DefaultVariant: "off",
			Rules: []flags.Rule{{Name: "no-staff", When: &staff, Default: true}, {Variant: "on"}}},
		"no-default": {Variants: boolVariants(), Rules: []flags.Rule{{When: &staff, Variant: "on"}}},
		"split": {Variants: boolVariants(), DefaultVariant: "off",
			Rules: []flags.Rule{{Split: &flags.Split{Variants: []flags.WeightedVariant{{Variant: "on", Weight: 1}}}}}},
		"by-account": {Variants: boolVariants(), DefaultVariant: "off", BucketBy: flags.BucketByAttribute("account"),
			Rules: []flags.Rule{{Split: &flags.Split{Variants: []flags.WeightedVariant{{Variant: "on", Weight: 1}}}}}},
	}}
	store, err := flags.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	staffCtx := flags.Context{TargetingKey: "u1", Attributes: map[string]any{"email": "a@corp.example"}}
	userCtx := flags.Context{TargetingKey: "u2", Attributes: map[string]any{"email": "a@else.example"}}
	type want struct {
		variant string
		reason  flags.Reason
		rule    int
	}
	check := func(t *testing.T, key string, ec flags.Context, w want) flags.Decision {
		t.Helper()
		d := store.Evaluate(key, ec, t0)
		if d.Variant != w.variant || d.Reason != w.reason || d.Rule != w.rule {
			t.Errorf("%s: got variant %q reason %v rule %d, want %q %v %d", key, d.Variant, d.Reason, d.Rule, w.variant, w.reason, w.rule)
		}
		return d
	}
	t.Run("static", func(t *testing.T) { check(t, "base", userCtx, want{"on", flags.ReasonStatic, -1}) })
	t.Run("prerequisite met", func(t *testing.T) { check(t, "dependent", userCtx, want{"on", flags.ReasonTargetingMatch, 0}) })
	t.Run("default rule", func(t *testing.T) {
		d := check(t, "excluded", staffCtx, want{"off", flags.ReasonDefault, 0})
		if d.RuleName != "no-staff" {
			t.Errorf("RuleName = %q", d.RuleName)
		}
		check(t, "excluded", userCtx, want{"on", flags.ReasonTargetingMatch, 1})
	})
	t.Run("no default variant", func(t *testing.T) {
		d := check(t, "no-default", userCtx, want{"", flags.ReasonDefault, -1})
		if d.HasValue() || d.Value().IsValid() {
			t.Error("no value expected")
		}
		check(t, "no-default", staffCtx, want{"on", flags.ReasonTargetingMatch, 0})
	})
	t.Run("split", func(t *testing.T) {
		d := check(t, "split", userCtx, want{"on", flags.ReasonSplit, 0})
		if d.Bucket != 0 || d.TotalWeight != 1 {
			t.Errorf("bucket %d/%d", d.Bucket, d.TotalWeight)
		}
	})
	t.Run("split without targeting key", func(t *testing.T) {
		d := check(t, "split", flags.Context{}, want{"off", flags.ReasonDefault, 0})
		if !d.NoBucketingValue || d.Bucket != -1 {
			t.Errorf("NoBucketingValue %v bucket %d", d.NoBucketingValue, d.Bucket)
		}
	})
	t.Run("split by missing attribute", func(t *testing.T) {
		check(t, "by-account", userCtx, want{"off", flags.ReasonDefault, 0})
		check(t, "by-account", flags.Context{Attributes: map[string]any{"account": 42}}, want{"on", flags.ReasonSplit, 0})
	})
	t.Run("unknown flag", func(t *testing.T) {
		d := store.Evaluate("nope", userCtx, t0)
		if !errors.Is(d.Err, flags.ErrFlagNotFound) || d.Reason != flags.ReasonError {
			t.Errorf("got %+v", d)
		}
	})
	t.Run("kill switch", func(t *testing.T) {
		store.Kill("payments")
		check(t, "base", userCtx, want{"", flags.ReasonDisabled, -1})
		// The prerequisite no longer resolves to "on".
		d := check(t, "dependent", userCtx, want{"off", flags.ReasonDefault, -1})
		if d.FailedPrerequisite != "base" {
			t.Errorf("FailedPrerequisite = %q", d.FailedPrerequisite)
		}
		// A reload keeps the run-time kill.
		if err := store.Replace(cfg); err != nil {
			t.Fatal(err)
		}
		check(t, "base", userCtx, want{"", flags.ReasonDisabled, -1})
		store.Revive("payments")
		check(t, "base", userCtx, want{"on", flags.ReasonStatic, -1})
	})
	t.Run("killed in config", func(t *testing.T) {
		killed := cfg
		killed.KilledTags = []string{"payments"}
		s2, err := flags.NewStore(killed)
		if err != nil {
			t.Fatal(err)
		}
		s2.Revive("payments") // does not override the configuration
		if d := s2.Evaluate("base", userCtx, t0); d.Reason != flags.ReasonDisabled {
			t.Errorf("reason = %v, want DISABLED", d.Reason)
		}
		if got := s2.Snapshot().KilledTags(); len(got) != 1 || got[0] != "payments" {
			t.Errorf("KilledTags = %v", got)
		}
	})
}

func TestEmptyStore(t *testing.T) {
	var s flags.Store
	d := s.Evaluate("x", flags.Context{}, t0)
	if !errors.Is(d.Err, flags.ErrNoConfig) {
		t.Fatalf("Err = %v", d.Err)
	}
	if v := flags.BoolFlag(&s, "x").ValueAt(flags.Context{}, t0, true); !v {
		t.Fatal("fallback expected")
	}
}

func TestHandles(t *testing.T) {
	cfg := flags.Config{Flags: map[string]flags.Flag{
		"b": {Variants: boolVariants(), DefaultVariant: "on"},
		"s": {Variants: map[string]flags.Value{"x": flags.String("hello")}, DefaultVariant: "x"},
		"i": {Variants: map[string]flags.Value{"x": flags.Int(7)}, DefaultVariant: "x"},
		"f": {Variants: map[string]flags.Value{"x": flags.Float(2.5)}, DefaultVariant: "x"},
		"o": {Variants: map[string]flags.Value{"x": flags.Object(map[string]any{"k": "v"})}, DefaultVariant: "x"},
		"d": {State: flags.Disabled, Variants: boolVariants(), DefaultVariant: "on"},
	}}
	store, err := flags.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ec := flags.Context{TargetingKey: "u"}
	if v := flags.BoolFlag(store, "b").ValueAt(ec, t0, false); !v {
		t.Error("bool")
	}
	if v := flags.StringFlag(store, "s").ValueAt(ec, t0, ""); v != "hello" {
		t.Error("string", v)
	}
	if v := flags.IntFlag(store, "i").ValueAt(ec, t0, 0); v != 7 {
		t.Error("int", v)
	}
	if v := flags.FloatFlag(store, "f").ValueAt(ec, t0, 0); v != 2.5 {
		t.Error("float", v)
	}
	if v := flags.FloatFlag(store, "i").ValueAt(ec, t0, 0); v != 7 {
		t.Error("int as float", v)
	}
	if v, _ := flags.ObjectFlag(store, "o").ValueAt(ec, t0, nil).(map[string]any); v["k"] != "v" {
		t.Error("object", v)
	}
	if v, d := flags.BoolFlag(store, "d").DetailsAt(ec, t0, false); v || d.Reason != flags.ReasonDisabled {
		t.Error("disabled", v, d.Reason)
	}
	if v, d := flags.IntFlag(store, "s").DetailsAt(ec, t0, 3); v != 3 || !errors.Is(d.Err, flags.ErrTypeMismatch) {
		t.Error("type mismatch", v, d.Err)
	}
	if v, d := flags.IntFlag(store, "nope").DetailsAt(ec, t0, 3); v != 3 || !errors.Is(d.Err, flags.ErrFlagNotFound) {
		t.Error("not found", v, d.Err)
	}
	if !flags.BoolFlag(store, "b").Value(ec, false) {
		t.Error("Value")
	}

	// A handle follows reloads.
	h := flags.StringFlag(store, "s")
	_ = h.ValueAt(ec, t0, "")
	cfg.Flags["s"] = flags.Flag{Variants: map[string]flags.Value{"x": flags.String("bye")}, DefaultVariant: "x"}
	if err := store.Replace(cfg); err != nil {
		t.Fatal(err)
	}
	if v := h.ValueAt(ec, t0, ""); v != "bye" {
		t.Errorf("after reload: %q", v)
	}
}

func TestRampSchedule(t *testing.T) {
	start := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	mk := func(mode flags.RampMode) *flags.Snapshot {
		snap, err := flags.Compile(flags.Config{Flags: map[string]flags.Flag{"f": {
			Variants: boolVariants(), DefaultVariant: "off",
			Rules: []flags.Rule{{Split: &flags.Split{
				Variants: []flags.WeightedVariant{{Variant: "on", Weight: 0}, {Variant: "off", Weight: 1000}},
				Ramp: &flags.Ramp{Mode: mode, Points: []flags.RampPoint{
					{At: start, Weight: 10}, {At: start.Add(10 * time.Hour), Weight: 110}, {At: start.Add(20 * time.Hour), Weight: 1000}}},
			}}},
		}}})
		if err != nil {
			t.Fatal(err)
		}
		return snap
	}
	// share measures the exposure on 20000 subjects.
	share := func(snap *flags.Snapshot, at time.Time) (float64, int) {
		on, step := 0, 0
		for i := range 20000 {
			d := snap.Evaluate("f", flags.Context{TargetingKey: "user-" + itoa(i)}, at)
			if d.Variant == "on" {
				on++
			}
			step = d.RampStep
		}
		return float64(on) / 20000, step
	}
	tests := []struct {
		name     string
		mode     flags.RampMode
		at       time.Time
		want     float64
		wantStep int
	}{
		{"steps before start", flags.RampSteps, start.Add(-time.Second), 0, -1},
		{"steps first", flags.RampSteps, start, 0.01, 0},
		{"steps held", flags.RampSteps, start.Add(9 * time.Hour), 0.01, 0},
		{"steps second", flags.RampSteps, start.Add(10 * time.Hour), 0.11, 1},
		{"steps last", flags.RampSteps, start.Add(100 * time.Hour), 1, 2},
		{"linear start", flags.RampLinear, start, 0.01, 0},
		{"linear midway", flags.RampLinear, start.Add(5 * time.Hour), 0.06, 0},
		{"linear second leg", flags.RampLinear, start.Add(15 * time.Hour), 0.555, 1},
		{"linear end", flags.RampLinear, start.Add(30 * time.Hour), 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, step := share(mk(tc.mode), tc.at)
			if diff := got - tc.want; diff > 0.01 || diff < -0.01 {
				t.Errorf("exposure = %.4f, want %.3f", got, tc.want)
			}
			if step != tc.wantStep {
				t.Errorf("step = %d, want %d", step, tc.wantStep)
			}
		})
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestStoreReplaceReportsOnlyChanges(t *testing.T) {
	cfg := flags.Config{Flags: map[string]flags.Flag{
		"a": {Variants: boolVariants(), DefaultVariant: "on"},
		"b": {Variants: boolVariants(), DefaultVariant: "on"},
	}}
	store, err := flags.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var events []flags.Event
	store.Subscribe(func(e flags.Event) { events = append(events, e) })
	if err := store.Replace(cfg); err != nil {
		t.Fatal(err)
	}
	if len(events) != 0 {
		t.Fatalf("identical configuration reported %v", events)
	}
	cfg.Flags["b"] = flags.Flag{Variants: boolVariants(), DefaultVariant: "off"}
	cfg.Flags["c"] = flags.Flag{Variants: boolVariants()}
	delete(cfg.Flags, "a")
	if err := store.Replace(cfg); err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || strings.Join(events[0].Changed, ",") != "a,b,c" {
		t.Fatalf("events = %+v, want one change of a,b,c", events)
	}
}
