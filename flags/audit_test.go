package flags_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/glidepath/glidepath/flags"
	"github.com/glidepath/glidepath/internal/murmur3"
	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/isolated"
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

// Object trees built in Go with other map and slice types are copied too.
func TestObjectValuesOfOtherGoTypesCopied(t *testing.T) {
	tree := map[string]any{"labels": map[string]string{"k": "v"}, "ids": []int{1, 2}, "rows": []map[string]any{{"a": 1}}}
	store, err := flags.NewStore(flags.Config{Flags: map[string]flags.Flag{
		"o": {Variants: map[string]flags.Value{"x": flags.Object(tree)}, DefaultVariant: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	tree["labels"].(map[string]string)["k"] = "changed"
	tree["ids"].([]int)[0] = 99
	h := flags.ObjectFlag(store, "o")
	for range 2 {
		got := h.ValueAt(flags.Context{}, t0, nil).(map[string]any)
		if got["labels"].(map[string]string)["k"] != "v" || got["ids"].([]int)[0] != 1 || got["rows"].([]map[string]any)[0]["a"] != 1 {
			t.Fatalf("snapshot changed: %v", got)
		}
		got["labels"].(map[string]string)["k"] = "mutated"
		got["ids"].([]int)[0] = -1
		got["rows"].([]map[string]any)[0]["a"] = -1
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
		{"float-looking variant name", "flags:\n  f:\n    variants: {1.10: 1, \"a\": 2}\n    defaultVariant: a\n",
			`flags.f.variants: unquoted key is not a string in YAML; quote it, it reads as "1.1"`},
		{"octal-looking variant name", "flags:\n  f:\n    variants: {010: 1, \"a\": 2}\n    defaultVariant: a\n",
			`flags.f.variants: unquoted key is not a string in YAML; quote it, it reads as "8"`},
		{"null key", "flags:\n  ~:\n    variants: {\"a\": 2}\n    defaultVariant: a\n",
			`flags: flags: unquoted key is not a string in YAML; quote it, it reads as "null"`},
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

// flagdFractional is flagd's fractional operator, written from its
// definition: murmur3 x86 32-bit, seed 0, over the bucketing string;
// bucket = (hash × total) >> 32; the first variant whose cumulative weight
// exceeds the bucket wins.
func flagdFractional(bucketing string, names []string, weights []int64) (string, uint64) {
	var total uint64
	for _, w := range weights {
		total += uint64(w)
	}
	bucket := (uint64(murmur3.Sum32([]byte(bucketing), 0)) * total) >> 32
	var cum uint64
	for i, w := range weights {
		cum += uint64(w)
		if bucket < cum {
			return names[i], bucket
		}
	}
	return "", bucket
}

func TestSplitMatchesFlagdFractional(t *testing.T) {
	const maxW = math.MaxInt32
	tests := []struct {
		name    string
		weights []int64
	}{
		{"single variant", []int64{1}},
		{"single variant large", []int64{maxW}},
		{"fifty-fifty", []int64{50, 50}},
		{"zero first", []int64{0, 100}},
		{"zero last", []int64{100, 0}},
		{"zero middle", []int64{1, 0, 1}},
		{"all but one zero", []int64{0, 0, 7, 0}},
		{"uneven", []int64{1, 2, 3, 4, 5, 6, 7}},
		{"total at the limit", []int64{maxW - 1, 1}},
		{"total at the limit, three", []int64{maxW / 3, maxW / 3, maxW - 2*(maxW/3)}},
		{"tiny beside huge", []int64{1, maxW - 1}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			names := make([]string, len(tc.weights))
			variants := map[string]flags.Value{}
			var wv []flags.WeightedVariant
			for i, w := range tc.weights {
				names[i] = fmt.Sprintf("v%d", i)
				variants[names[i]] = flags.Int(int64(i))
				wv = append(wv, flags.WeightedVariant{Variant: names[i], Weight: w})
			}
			store, err := flags.NewStore(flags.Config{Flags: map[string]flags.Flag{
				"frac-flag": {Variants: variants, DefaultVariant: "v0", Rules: []flags.Rule{{Split: &flags.Split{Variants: wv}}}},
			}})
			if err != nil {
				t.Fatal(err)
			}
			h := flags.IntFlag(store, "frac-flag")
			for i := range 3000 {
				key := fmt.Sprintf("user-%d-%x", i, rng.Uint64())
				if i%7 == 0 {
					key = strings.Repeat("é", i%5) + key[:1+i%(len(key)-1)] // odd lengths and multibyte runes
				}
				want, wantBucket := flagdFractional("frac-flag"+key, names, tc.weights)
				_, d := h.DetailsAt(flags.Context{TargetingKey: key}, t0, -1)
				if d.Variant != want || d.Bucket != int64(wantBucket) || d.Reason != flags.ReasonSplit {
					t.Fatalf("key %q: got %s bucket %d (%v), flagd gives %s bucket %d", key, d.Variant, d.Bucket, d.Reason, want, wantBucket)
				}
				if w := tc.weights[slices.Index(names, d.Variant)]; w == 0 {
					t.Fatalf("key %q got zero-weight variant %s", key, d.Variant)
				}
			}
		})
	}
}

func TestSplitWeightLimits(t *testing.T) {
	tests := []struct {
		name    string
		weights []int64
		wantErr string
	}{
		{"total exactly MaxInt32", []int64{math.MaxInt32 - 5, 5}, ""},
		{"total one past MaxInt32", []int64{math.MaxInt32, 1}, ".variants[1].weight: weights overflow"},
		{"int64 weights that wrap when added", []int64{math.MaxInt64, math.MaxInt64}, ".variants[0].weight: weights overflow"},
		{"negative", []int64{-1, 2}, ".variants[0].weight: negative weight"},
		{"all zero", []int64{0, 0}, ": weights sum to 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var wv []flags.WeightedVariant
			for i, w := range tc.weights {
				wv = append(wv, flags.WeightedVariant{Variant: []string{"a", "b"}[i], Weight: w})
			}
			_, err := flags.Compile(flags.Config{Flags: map[string]flags.Flag{"f": {
				Variants: map[string]flags.Value{"a": flags.Bool(true), "b": flags.Bool(false)}, DefaultVariant: "a",
				Rules: []flags.Rule{{Split: &flags.Split{Variants: wv}}}}}})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "flags.f.rules[0].split"+tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// Ramps: exact boundaries, and exposure never falls, including at the
// first point relative to the declared weights.
func TestRampBoundaries(t *testing.T) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	mk := func(mode flags.RampMode, declared int64, pts ...flags.RampPoint) (*flags.Snapshot, error) {
		return flags.Compile(flags.Config{Flags: map[string]flags.Flag{"r": {
			Variants: map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)}, DefaultVariant: "off",
			Rules: []flags.Rule{{Split: &flags.Split{
				Variants: []flags.WeightedVariant{{Variant: "on", Weight: declared}, {Variant: "off", Weight: 1000 - declared}},
				Ramp:     &flags.Ramp{Mode: mode, Points: pts}}}}}}})
	}
	weight := func(t *testing.T, s *flags.Snapshot, now time.Time) (int64, int) {
		t.Helper()
		ex, err := s.Exposure("r", now)
		if err != nil || len(ex) != 1 {
			t.Fatalf("Exposure: %v %v", ex, err)
		}
		on, _ := ex[0].Share("on")
		return on.Weight, ex[0].RampStep
	}
	t.Run("steps at exact boundaries", func(t *testing.T) {
		s, err := mk(flags.RampSteps, 0, flags.RampPoint{At: at(0), Weight: 100}, flags.RampPoint{At: at(2), Weight: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			now      time.Time
			w        int64
			stepWant int
		}{
			{at(0).Add(-time.Nanosecond), 0, -1},
			{at(0), 100, 0},
			{at(2).Add(-time.Nanosecond), 100, 0},
			{at(2), 500, 1},
			{at(1000), 500, 1},
		} {
			if w, step := weight(t, s, c.now); w != c.w || step != c.stepWant {
				t.Errorf("at %v: weight %d step %d, want %d step %d", c.now, w, step, c.w, c.stepWant)
			}
		}
	})
	t.Run("linear interpolates and rounds down", func(t *testing.T) {
		s, err := mk(flags.RampLinear, 0, flags.RampPoint{At: at(0), Weight: 0}, flags.RampPoint{At: at(3), Weight: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			now time.Time
			w   int64
		}{
			{at(0).Add(-time.Nanosecond), 0},
			{at(0), 0},
			{at(1), 333},
			{at(3).Add(-time.Nanosecond), 999},
			{at(3), 1000},
			{at(9), 1000},
		} {
			if w, _ := weight(t, s, c.now); w != c.w {
				t.Errorf("at %v: weight %d, want %d", c.now, w, c.w)
			}
		}
	})
	t.Run("first point below the declared weight caps it before the ramp", func(t *testing.T) {
		for _, mode := range []flags.RampMode{flags.RampSteps, flags.RampLinear} {
			s, err := mk(mode, 500, flags.RampPoint{At: at(0), Weight: 100}, flags.RampPoint{At: at(1), Weight: 900})
			if err != nil {
				t.Fatal(err)
			}
			if w, step := weight(t, s, at(-1)); w != 100 || step != -1 {
				t.Errorf("%v: before the ramp weight %d step %d, want 100 (never above the first point)", mode, w, step)
			}
			if w, _ := weight(t, s, at(0)); w != 100 {
				t.Errorf("%v: at the first point weight %d, want 100", mode, w)
			}
			changes, err := s.RampSchedule("r")
			if err != nil || len(changes) == 0 || changes[0].Step != 1 && mode == flags.RampSteps {
				t.Errorf("%v: schedule %+v, %v; the first point changes nothing", mode, changes, err)
			}
		}
		s, err := mk(flags.RampSteps, 50, flags.RampPoint{At: at(0), Weight: 500})
		if err != nil {
			t.Fatal(err)
		}
		if w, _ := weight(t, s, at(-1)); w != 50 {
			t.Errorf("declared weight below the first point: before the ramp %d, want 50", w)
		}
	})
	t.Run("nobody loses the first variant", func(t *testing.T) {
		s, err := mk(flags.RampLinear, 700, flags.RampPoint{At: at(0), Weight: 10}, flags.RampPoint{At: at(5), Weight: 600},
			flags.RampPoint{At: at(6), Weight: 600}, flags.RampPoint{At: at(9), Weight: 1000})
		if err != nil {
			t.Fatal(err)
		}
		times := []time.Time{at(-1), at(0), at(0).Add(time.Minute), at(2), at(5), at(6), at(7), at(9), at(20)}
		var prev int64 = -1
		for _, now := range times {
			w, _ := weight(t, s, now)
			if w < prev {
				t.Fatalf("exposure fell from %d to %d at %v", prev, w, now)
			}
			prev = w
		}
	})
}

// Context attributes of every type the SDK may pass, through the client.
func TestProviderAttributeTypes(t *testing.T) {
	when := time.Date(2026, 3, 1, 12, 0, 0, 500_000_000, time.UTC)
	cond := func(c flags.Condition) flags.Flag {
		return flags.Flag{Variants: map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)}, DefaultVariant: "off",
			Rules: []flags.Rule{{When: &c, Variant: "on"}}}
	}
	cfg := flags.Config{Flags: map[string]flags.Flag{
		"age-ge-18":      cond(flags.Attr("age").Compare(flags.OpGreaterOrEqual, flags.Int(18))),
		"score-lt-half":  cond(flags.Attr("score").Compare(flags.OpLess, flags.Float(0.5))),
		"count-eq-3":     cond(flags.Attr("count").Equals(flags.Int(3))),
		"ratio-eq-2.5":   cond(flags.Attr("ratio").Equals(flags.Float(2.5))),
		"signup-after":   cond(flags.Attr("signup").Compare(flags.OpGreater, flags.Int(when.Unix()))),
		"signup-in-2026": cond(flags.Attr("signup").StartsWith("2026-")),
		"signup-exact":   cond(flags.Attr("signup").Equals(flags.String("2026-03-01T12:00:00.5Z"))),
		"nested-plan":    cond(flags.Attr("org.plan").In(flags.String("pro"), flags.String("enterprise"))),
		"deep-nested":    cond(flags.Attr("a.b.c").Equals(flags.Bool(true))),
	}}
	store, err := flags.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, client := newClient(t, flags.NewProvider(store, flags.WithClock(fixedClock{t0})))
	tests := []struct {
		flag  string
		attrs map[string]any
		want  bool
	}{
		{"age-ge-18", map[string]any{"age": 18}, true},
		{"age-ge-18", map[string]any{"age": int64(17)}, false},
		{"age-ge-18", map[string]any{"age": 18.0}, true},
		{"age-ge-18", map[string]any{"age": 17.999}, false},
		{"age-ge-18", map[string]any{"age": uint16(40)}, true},
		{"age-ge-18", map[string]any{"age": "40"}, false}, // a string is not a number
		{"score-lt-half", map[string]any{"score": 0}, true},
		{"score-lt-half", map[string]any{"score": float32(0.25)}, true},
		{"score-lt-half", map[string]any{"score": 0.5}, false},
		{"count-eq-3", map[string]any{"count": 3}, true},
		{"count-eq-3", map[string]any{"count": 3.0}, true},
		{"count-eq-3", map[string]any{"count": int8(3)}, true},
		{"count-eq-3", map[string]any{"count": "3"}, false},
		{"count-eq-3", map[string]any{"count": 3.5}, false},
		{"ratio-eq-2.5", map[string]any{"ratio": 2.5}, true},
		{"ratio-eq-2.5", map[string]any{"ratio": 2}, false},
		{"signup-after", map[string]any{"signup": when}, true},
		{"signup-after", map[string]any{"signup": when.Add(-time.Second)}, false},
		{"signup-in-2026", map[string]any{"signup": when}, true},
		{"signup-in-2026", map[string]any{"signup": when.AddDate(-1, 0, 0)}, false},
		{"signup-exact", map[string]any{"signup": when}, true},
		{"nested-plan", map[string]any{"org": map[string]any{"plan": "pro"}}, true},
		{"nested-plan", map[string]any{"org": map[string]any{"plan": "free"}}, false},
		{"nested-plan", map[string]any{"org": "pro"}, false},
		{"deep-nested", map[string]any{"a": map[string]any{"b": map[string]any{"c": true}}}, true},
		{"deep-nested", map[string]any{"a": map[string]any{"b": nil}}, false},
		{"deep-nested", map[string]any{"a": map[string]any{"b": map[string]any{"c": "true"}}}, false},
		{"nested-plan", map[string]any{"org": map[string]string{"plan": "enterprise"}}, true},
		{"nested-plan", map[string]any{"org": map[string]string{"tier": "enterprise"}}, false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s %v", tc.flag, tc.attrs), func(t *testing.T) {
			d, err := client.BooleanValueDetails(t.Context(), tc.flag, false, openfeature.NewEvaluationContext("u1", tc.attrs))
			if err != nil {
				t.Fatal(err)
			}
			if d.Value != tc.want {
				t.Fatalf("value %v (%s), want %v", d.Value, d.Reason, tc.want)
			}
			wantReason := openfeature.DefaultReason
			if tc.want {
				wantReason = openfeature.TargetingMatchReason
			}
			if d.Reason != wantReason {
				t.Errorf("reason %s, want %s", d.Reason, wantReason)
			}
		})
	}
}

// Error codes and reasons through the SDK client, as the OpenFeature spec
// wants them: the caller's default, reason ERROR, the right code.
func TestProviderErrorsThroughSDK(t *testing.T) {
	store, err := flags.NewStore(providerConfig())
	if err != nil {
		t.Fatal(err)
	}
	_, client := newClient(t, flags.NewProvider(store, flags.WithClock(fixedClock{t0}), flags.WithName("glidepath")))
	ec := openfeature.NewEvaluationContext("u1", nil)
	ctx := t.Context()
	tests := []struct {
		name string
		eval func() (any, openfeature.EvaluationDetails, error)
		def  any
		code openfeature.ErrorCode
	}{
		{"missing bool", func() (any, openfeature.EvaluationDetails, error) {
			d, err := client.BooleanValueDetails(ctx, "nope", true, ec)
			return d.Value, d.EvaluationDetails, err
		}, true, openfeature.FlagNotFoundCode},
		{"missing object", func() (any, openfeature.EvaluationDetails, error) {
			d, err := client.ObjectValueDetails(ctx, "nope", "fallback", ec)
			return d.Value, d.EvaluationDetails, err
		}, "fallback", openfeature.FlagNotFoundCode},
		{"string flag read as bool", func() (any, openfeature.EvaluationDetails, error) {
			d, err := client.BooleanValueDetails(ctx, "greeting", true, ec)
			return d.Value, d.EvaluationDetails, err
		}, true, openfeature.TypeMismatchCode},
		{"float flag read as int", func() (any, openfeature.EvaluationDetails, error) {
			d, err := client.IntValueDetails(ctx, "ratio", 7, ec)
			return d.Value, d.EvaluationDetails, err
		}, int64(7), openfeature.TypeMismatchCode},
		{"bool flag read as object", func() (any, openfeature.EvaluationDetails, error) {
			d, err := client.ObjectValueDetails(ctx, "static-bool", "x", ec)
			return d.Value, d.EvaluationDetails, err
		}, "x", openfeature.TypeMismatchCode},
		{"object flag read as string", func() (any, openfeature.EvaluationDetails, error) {
			d, err := client.StringValueDetails(ctx, "layout", "x", ec)
			return d.Value, d.EvaluationDetails, err
		}, "x", openfeature.TypeMismatchCode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, d, err := tc.eval()
			if err == nil {
				t.Fatal("no error")
			}
			if d.ErrorCode != tc.code || d.Reason != openfeature.ErrorReason || d.Variant != "" {
				t.Errorf("code %s reason %s variant %q, want %s ERROR", d.ErrorCode, d.Reason, d.Variant, tc.code)
			}
			if v != tc.def {
				t.Errorf("value %v, want the caller's default %v", v, tc.def)
			}
		})
	}
}

// Editing a segment changes every flag that uses it, directly or through
// another segment; change events must name those flags and no others.
func TestSegmentEditNamesDependentFlags(t *testing.T) {
	cfg := func(domain string) flags.Config {
		staff := flags.Attr("email").EndsWith(domain)
		viaStaff := flags.Condition{Segment: "staff"}
		useStaff := flags.Condition{Segment: "staff"}
		useInner := flags.Not(flags.Condition{Segment: "inner"})
		return flags.Config{
			Segments: map[string]flags.Condition{"staff": staff, "inner": viaStaff, "unused": flags.Attr("x").Exists()},
			Flags: map[string]flags.Flag{
				"direct":   {Variants: map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)}, DefaultVariant: "off", Rules: []flags.Rule{{When: &useStaff, Variant: "on"}}},
				"indirect": {Variants: map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)}, DefaultVariant: "off", Rules: []flags.Rule{{When: &useInner, Variant: "on"}}},
				"plain":    {Variants: map[string]flags.Value{"on": flags.Bool(true)}, DefaultVariant: "on"},
			},
		}
	}
	store, err := flags.NewStore(cfg("@a.example"))
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	store.Subscribe(func(e flags.Event) {
		if e.Kind == flags.EventChanged {
			got = append(got, e.Changed)
		}
	})
	if err := store.Replace(cfg("@b.example")); err != nil {
		t.Fatal(err)
	}
	if err := store.Replace(cfg("@b.example")); err != nil { // no change
		t.Fatal(err)
	}
	want := [][]string{{"direct", "indirect"}}
	if len(got) != len(want) || !slices.Equal(got[0], want[0]) {
		t.Fatalf("changed = %v, want %v", got, want)
	}
}

// A flag that requires a changed or killed flag may resolve differently,
// so change events name it as well.
func TestPrerequisiteChangeNamesDependents(t *testing.T) {
	cfg := func(apiDefault string) flags.Config {
		b := map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)}
		return flags.Config{Flags: map[string]flags.Flag{
			"api":      {Variants: b, DefaultVariant: apiDefault, Tags: []string{"infra"}},
			"checkout": {Variants: b, DefaultVariant: "on", Requires: []flags.Prerequisite{{Flag: "api", Variants: []string{"on"}}}},
			"banner":   {Variants: b, DefaultVariant: "on", Requires: []flags.Prerequisite{{Flag: "checkout", Variants: []string{"on"}}}},
			"other":    {Variants: b, DefaultVariant: "on"},
		}}
	}
	store, err := flags.NewStore(cfg("on"))
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	store.Subscribe(func(e flags.Event) {
		if e.Kind == flags.EventChanged {
			got = append(got, e.Changed)
		}
	})
	if d := store.Evaluate("banner", flags.Context{}, t0); d.Variant != "on" {
		t.Fatalf("banner before: %+v", d)
	}
	if err := store.Replace(cfg("off")); err != nil {
		t.Fatal(err)
	}
	if d := store.Evaluate("checkout", flags.Context{}, t0); d.FailedPrerequisite != "api" {
		t.Fatalf("checkout after: %+v, want its api prerequisite failed", d)
	}
	store.Kill("infra")
	want := []string{"api", "banner", "checkout"}
	if len(got) != 2 || !slices.Equal(got[0], want) || !slices.Equal(got[1], want) {
		t.Fatalf("changed = %v, want %v twice", got, want)
	}
}

// Strict decoding: field names must match exactly (encoding/json alone
// ignores case, so two spellings of a field would merge), and an empty
// document, typically a file caught mid-write, is not an empty
// configuration.
func TestParseConfigExactFieldsAndEmptyDocuments(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"mis-cased field", `{"flags":{"f":{"variants":{"a":1},"DefaultVariant":"a"}}}`, "flags.f.DefaultVariant: unknown field; did you mean defaultVariant?"},
		{"two spellings of one field", `{"flags":{"f":{"Variants":{"a":1},"variants":{"b":2},"defaultVariant":"b"}}}`, "flags.f.Variants: unknown field; did you mean variants?"},
		{"mis-cased nested field", "flags:\n  f:\n    variants: {\"a\": 1, \"b\": 2}\n    rules:\n    - split:\n        variants: [{variant: a, Weight: 1}, {variant: b, weight: 1}]\n", "flags.f.rules[0].split.variants[0].Weight: unknown field; did you mean weight?"},
		{"mis-cased top level", `{"Flags":{}}`, "Flags: unknown field; did you mean flags?"},
		{"mis-cased segment field", `{"flags":{},"segments":{"s":{"Attribute":"x","op":"exists"}}}`, "segments.s.Attribute: unknown field; did you mean attribute?"},
		{"unknown field", `{"flags":{"f":{"variants":{"a":1},"colour":"red"}}}`, `flags.f: cannot decode: json: unknown field "colour"`},
		{"object variant keys keep their case", `{"flags":{"f":{"variants":{"a":{"Cols":1,"cols":2}},"defaultVariant":"a"}}}`, ""},
		{"metadata keys keep their case", `{"flags":{"f":{"variants":{"a":1},"metadata":{"Owner":"x","owner":"y"}}}}`, ""},
		{"empty", ``, "config: empty document"},
		{"blank", "  \n  \n", "config: empty document"},
		{"comment only", "# nothing yet\n", "config: empty document"},
		{"null", "null", "config: empty document"},
		{"explicitly no flags", "flags: {}\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flags.ParseConfig([]byte(tc.in))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			if !errors.Is(err, flags.ErrInvalidConfig) {
				t.Errorf("%v does not match ErrInvalidConfig", err)
			}
		})
	}
}

// A provider that owns a watcher stops its goroutine on shutdown, also
// when the watcher polls on its own ticker. synctest fails the test if any
// goroutine started inside the bubble is still blocked when it ends.
func TestProviderShutdownLeavesNoGoroutine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.yaml")
	if err := os.WriteFile(path, []byte(yamlV1), 0o600); err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		store := &flags.Store{}
		var polls atomic.Int64
		w := &flags.FileWatcher{Path: path, Store: store, Interval: time.Second, Polled: func(error) { polls.Add(1) }}
		p := flags.NewProvider(store, flags.WithWatcher(w))
		for round := range 2 { // shut down, then start again
			if err := p.InitWithContext(t.Context(), openfeature.EvaluationContext{}); err != nil {
				t.Fatal(err)
			}
			before := polls.Load()
			time.Sleep(3500 * time.Millisecond)
			synctest.Wait()
			if got := polls.Load() - before; got != 3 {
				t.Errorf("round %d: %d polls in 3.5s at 1s, want 3", round, got)
			}
			if err := p.ShutdownWithContext(t.Context()); err != nil {
				t.Fatal(err)
			}
			after := polls.Load()
			time.Sleep(5 * time.Second)
			synctest.Wait()
			if polls.Load() != after {
				t.Errorf("round %d: polling went on after shutdown", round)
			}
		}
	})
}

// flagd reads YAML definition files too; they translate like their JSON.
func TestParseFlagdYAML(t *testing.T) {
	const js = `{"flags":{"color":{"state":"ENABLED","variants":{"red":"r","blue":"b"},"defaultVariant":"red",
	  "targeting":{"fractional":[{"cat":[{"var":"$flagd.flagKey"},{"var":"email"}]},["red",25],["blue",75]]}}}}`
	const ym = `
flags:
  color:
    state: ENABLED
    variants:
      red: r
      blue: b
    defaultVariant: red
    targeting:
      fractional:
        - cat: [{var: $flagd.flagKey}, {var: email}]
        - [red, 25]
        - [blue, 75]
`
	a, err := flags.ParseFlagd([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	b, err := flags.ParseFlagd([]byte(ym))
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatalf("YAML translated differently:\n%s\n%s", ja, jb)
	}
	if _, err := flags.ParseFlagd([]byte("flags:\n  f:\n    state: ENABLED\n    variants: {on: true, off: false}\n    defaultVariant: \"on\"\n")); err == nil ||
		!strings.Contains(err.Error(), "flags.f.variants: unquoted key is a YAML boolean") {
		t.Errorf("unquoted on/off in a flagd YAML file: %v", err)
	}
}

// SDK status through a rejected edit and its fix: READY, then ERROR (the
// last good configuration keeps serving), then READY and
// CONFIGURATION_CHANGED naming the fixed flag; a kill switch is a
// configuration change too.
func TestProviderStatusThroughRejectedEdit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.yaml")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(yamlV1)
	store := &flags.Store{}
	ticks := make(chan time.Time)
	p := flags.NewProvider(store, flags.WithWatcher(&flags.FileWatcher{Path: path, Store: store, Ticks: ticks}))
	api := isolated.NewAPI()
	t.Cleanup(func() { _ = api.Shutdown(context.Background()) })
	rec := newRecorder(api)
	if err := api.SetProviderAndWait(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, openfeature.ProviderReady)
	client := api.NewClient()
	ctx, ec := t.Context(), openfeature.NewTargetlessEvaluationContext(nil)

	write(yamlBad)
	ticks <- t0
	rec.waitFor(t, openfeature.ProviderError)
	if client.State() != openfeature.ErrorState {
		t.Errorf("state after a rejected edit = %s, want ERROR", client.State())
	}
	if d, err := client.BooleanValueDetails(ctx, "checkout-v2", true, ec); err != nil || d.Value || d.Reason != openfeature.StaticReason {
		t.Errorf("after a rejected edit: %+v, %v; want the last good configuration (off, STATIC)", d, err)
	}
	write(strings.Replace(yamlBad, "maybe", `"on"`, 1))
	ticks <- t0
	d := waitBoth(t, rec, openfeature.ProviderReady, openfeature.ProviderConfigChange)
	if want := []string{"banner", "checkout-v2"}; !slices.Equal(d.FlagChanges, want) {
		t.Errorf("FlagChanges = %v, want %v", d.FlagChanges, want)
	}
	if client.State() != openfeature.ReadyState {
		t.Errorf("state after the fix = %s, want READY", client.State())
	}
	if v, err := client.BooleanValue(ctx, "checkout-v2", false, ec); err != nil || !v {
		t.Errorf("after the fix: %v, %v", v, err)
	}
	store.Kill("nothing-tagged")
	mustReplace(t, store, flags.Config{Flags: map[string]flags.Flag{"k": {Tags: []string{"ops"}, Variants: map[string]flags.Value{"on": flags.Bool(true)}, DefaultVariant: "on"}}})
	rec.waitFor(t, openfeature.ProviderConfigChange)
	store.Kill("ops")
	d = rec.waitFor(t, openfeature.ProviderConfigChange)
	if !slices.Equal(d.FlagChanges, []string{"k"}) {
		t.Errorf("kill switch FlagChanges = %v, want [k]", d.FlagChanges)
	}
	if d, err := client.BooleanValueDetails(ctx, "k", false, ec); err != nil || d.Value || d.Reason != openfeature.DisabledReason {
		t.Errorf("killed flag: %+v, %v; want the caller's default with DISABLED", d, err)
	}
}

// waitBoth waits for events of types a and b, in either order (the SDK
// may run handlers concurrently), and returns the one of type b.
func waitBoth(t *testing.T, r *eventRecorder, a, b openfeature.EventType) openfeature.EventDetails {
	t.Helper()
	timeout := time.After(10 * time.Second) // a safety net, not a timing assumption
	for {
		r.mu.Lock()
		ia, ib := slices.Index(r.kinds, a), slices.Index(r.kinds, b)
		if ia >= 0 && ib >= 0 {
			d := r.events[ib]
			r.kinds = slices.Delete(r.kinds, 0, max(ia, ib)+1)
			r.events = slices.Delete(r.events, 0, max(ia, ib)+1)
			r.mu.Unlock()
			return d
		}
		r.mu.Unlock()
		select {
		case <-r.signal:
		case <-timeout:
			t.Fatalf("no %s and %s events", a, b)
		}
	}
}

func mustReplace(t *testing.T, s *flags.Store, cfg flags.Config) {
	t.Helper()
	if err := s.Replace(cfg); err != nil {
		t.Fatal(err)
	}
}

// Times outside the years 1678 to 2262 (including the zero time.Time)
// must not wrap around: long after a ramp it is complete, long before it
// has not started.
func TestRampFarTimes(t *testing.T) {
	snap, err := flags.Compile(flags.Config{Flags: map[string]flags.Flag{"r": {
		Variants: map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)}, DefaultVariant: "off",
		Rules: []flags.Rule{{Split: &flags.Split{
			Variants: []flags.WeightedVariant{{Variant: "on", Weight: 0}, {Variant: "off", Weight: 100}},
			Ramp:     &flags.Ramp{Points: []flags.RampPoint{{At: t0, Weight: 40}, {At: t0.Add(time.Hour), Weight: 100}}}}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		now  time.Time
		want int64
	}{
		{"zero time", time.Time{}, 0},
		{"year 1500", time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{"year 3000", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 100},
		{"year 9999", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), 100},
	} {
		t.Run(c.name, func(t *testing.T) {
			ex, err := snap.Exposure("r", c.now)
			if err != nil {
				t.Fatal(err)
			}
			on, _ := ex[0].Share("on")
			if on.Weight != c.want {
				t.Errorf("exposure weight %d, want %d", on.Weight, c.want)
			}
			d := snap.Evaluate("r", flags.Context{TargetingKey: "u1"}, c.now)
			if c.want == 100 && d.Variant != "on" || c.want == 0 && d.Variant != "off" {
				t.Errorf("Evaluate gave %s (bucket %d, step %d)", d.Variant, d.Bucket, d.RampStep)
			}
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := flags.LoadFile(filepath.Join(t.TempDir(), "absent.yaml"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "flags: ") || !strings.Contains(err.Error(), "absent.yaml") {
		t.Fatalf("error = %v, want a flags: error naming the file and matching fs.ErrNotExist", err)
	}
}

// Several problems in one map are reported in the same order every time.
func TestCompileErrorOrderIsStable(t *testing.T) {
	meta := map[string]flags.Value{}
	for _, k := range []string{"q", "b", "x", "a", "m", "k"} {
		meta[k] = flags.Object(map[string]any{})
	}
	cfg := flags.Config{Flags: map[string]flags.Flag{"f": {Variants: map[string]flags.Value{"a": flags.Bool(true)}, Metadata: meta}}}
	_, first := flags.Compile(cfg)
	if first == nil || !strings.Contains(first.Error(), "flags.f.metadata.a:") {
		t.Fatalf("error = %v", first)
	}
	for range 30 {
		if _, err := flags.Compile(cfg); err.Error() != first.Error() {
			t.Fatalf("errors changed order:\n%v\n%v", first, err)
		}
	}
}

// Object values built in Go must be JSON-like trees; anything else is a
// load-time error, never a crash.
func TestObjectValueMustBeJSON(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	for _, tc := range []struct {
		name string
		obj  any
	}{
		{"cycle", cyclic},
		{"function", map[string]any{"f": func() {}}},
		{"NaN", []any{math.NaN()}},
		{"channel", map[string]any{"c": make(chan int)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flags.Compile(flags.Config{Flags: map[string]flags.Flag{"f": {
				Variants: map[string]flags.Value{"a": flags.Object(tc.obj)}, DefaultVariant: "a"}}})
			if err == nil || !strings.Contains(err.Error(), "flags.f.variants.a: object value is not a JSON value") {
				t.Fatalf("error = %v", err)
			}
		})
	}
}
