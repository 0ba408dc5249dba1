package flags_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glidepath/glidepath/flags"
)

func boolVariants() map[string]flags.Value {
	return map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)}
}

func ptrCond(c flags.Condition) *flags.Condition { return &c }

func TestCompileErrors(t *testing.T) {
	split := func(ws ...flags.WeightedVariant) *flags.Split { return &flags.Split{Variants: ws} }
	one := func(f flags.Flag) flags.Config { return flags.Config{Flags: map[string]flags.Flag{"checkout-v2": f}} }
	tests := []struct {
		name string
		cfg  flags.Config
		want string // substring of the error
	}{
		{"weights sum to zero", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{Variant: "on"},
			{Split: split(flags.WeightedVariant{Variant: "on"}, flags.WeightedVariant{Variant: "off"})},
		}}), "flags: flags.checkout-v2.rules[1].split: weights sum to 0"},
		{"unknown default variant", one(flags.Flag{Variants: boolVariants(), DefaultVariant: "maybe"}),
			`flags.checkout-v2.defaultVariant: unknown variant "maybe"`},
		{"unknown rule variant", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{{Variant: "blue"}}}),
			`flags.checkout-v2.rules[0].variant: unknown variant "blue"`},
		{"unknown split variant", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{Split: split(flags.WeightedVariant{Variant: "x", Weight: 1})}}}),
			`flags.checkout-v2.rules[0].split.variants[0].variant: unknown variant "x"`},
		{"negative weight", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{Split: split(flags.WeightedVariant{Variant: "on", Weight: -5}, flags.WeightedVariant{Variant: "off", Weight: 5})}}}),
			`flags.checkout-v2.rules[0].split.variants[0].weight: negative weight "-5"`},
		{"overflowing weights", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{Split: split(flags.WeightedVariant{Variant: "on", Weight: 1 << 30}, flags.WeightedVariant{Variant: "off", Weight: 1 << 30})}}}),
			`flags.checkout-v2.rules[0].split.variants[1].weight: weights overflow`},
		{"duplicate split variant", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{Split: split(flags.WeightedVariant{Variant: "on", Weight: 1}, flags.WeightedVariant{Variant: "on", Weight: 1})}}}),
			`split.variants[1].variant: duplicate variant in split "on"`},
		{"type mismatch", one(flags.Flag{Variants: map[string]flags.Value{"a": flags.Bool(true), "b": flags.String("x")}}),
			`flags.checkout-v2.variants.b: type mismatch: string value in bool flag`},
		{"declared type mismatch", one(flags.Flag{Type: flags.KindInt, Variants: map[string]flags.Value{"a": flags.Float(1.5)}}),
			`flags.checkout-v2.variants.a: type mismatch: float value in int flag`},
		{"no variants", one(flags.Flag{}), "flags.checkout-v2.variants: no variants"},
		{"bad regex", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{When: ptrCond(flags.Attr("email").Matches("(")), Variant: "on"}}}),
			`flags.checkout-v2.rules[0].when.value: bad regular expression "("`},
		{"bad semver operand", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{When: ptrCond(flags.Attr("v").Compare(flags.OpSemverGreater, flags.String("one"))), Variant: "on"}}}),
			`rules[0].when.value: bad version "one"`},
		{"bad semver range", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{When: ptrCond(flags.Attr("v").SemverRange(">>1")), Variant: "on"}}}),
			`rules[0].when.value: bad version constraint ">>1"`},
		{"numeric op needs number", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{When: ptrCond(flags.Attr("n").Compare(flags.OpLess, flags.String("3"))), Variant: "on"}}}),
			`rules[0].when.value: must be a number`},
		{"two outcomes", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{{Variant: "on", Default: true}}}),
			`rules[0]: exactly one of variant, split and default must be set`},
		{"empty condition", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{{When: &flags.Condition{}, Variant: "on"}}}),
			`rules[0].when: exactly one of all, any, not, segment and attribute must be set`},
		{"in without values", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{When: ptrCond(flags.Attr("c").In()), Variant: "on"}}}), `rules[0].when.values: no values`},
		{"unknown segment", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{
			{When: &flags.Condition{Segment: "staff"}, Variant: "on"}}}), `rules[0].when.segment: unknown segment "staff"`},
		{"segment cycle", flags.Config{
			Segments: map[string]flags.Condition{"a": {Segment: "b"}, "b": {Segment: "a"}},
			Flags:    map[string]flags.Flag{"f": {Variants: boolVariants()}}}, `segment refers to itself`},
		{"unknown prerequisite", one(flags.Flag{Variants: boolVariants(), Requires: []flags.Prerequisite{{Flag: "nope", Variants: []string{"on"}}}}),
			`flags.checkout-v2.requires[0].flag: unknown flag "nope"`},
		{"unknown prerequisite variant", flags.Config{Flags: map[string]flags.Flag{
			"a": {Variants: boolVariants(), Requires: []flags.Prerequisite{{Flag: "b", Variants: []string{"yes"}}}},
			"b": {Variants: boolVariants()}}}, `flags.a.requires[0].variants[0]: unknown variant "yes"`},
		{"prerequisite cycle", flags.Config{Flags: map[string]flags.Flag{
			"a": {Variants: boolVariants(), Requires: []flags.Prerequisite{{Flag: "b", Variants: []string{"on"}}}},
			"b": {Variants: boolVariants(), Requires: []flags.Prerequisite{{Flag: "c", Variants: []string{"on"}}}},
			"c": {Variants: boolVariants(), Requires: []flags.Prerequisite{{Flag: "a", Variants: []string{"on"}}}}}},
			`prerequisite cycle "a -> b -> c -> a"`},
		{"self prerequisite", one(flags.Flag{Variants: boolVariants(), Requires: []flags.Prerequisite{{Flag: "checkout-v2", Variants: []string{"on"}}}}),
			`prerequisite cycle "checkout-v2 -> checkout-v2"`},
		{"ramp weight above pair", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{{Split: &flags.Split{
			Variants: []flags.WeightedVariant{{Variant: "on", Weight: 0}, {Variant: "off", Weight: 100}},
			Ramp:     &flags.Ramp{Points: []flags.RampPoint{{At: t0, Weight: 101}}}}}}}),
			`rules[0].split.ramp.points[0].weight: weight must be between 0 and 100`},
		{"ramp decreasing", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{{Split: &flags.Split{
			Variants: []flags.WeightedVariant{{Variant: "on", Weight: 0}, {Variant: "off", Weight: 100}},
			Ramp:     &flags.Ramp{Points: []flags.RampPoint{{At: t0, Weight: 50}, {At: t0.Add(time.Hour), Weight: 40}}}}}}}),
			`ramp.points[1].weight: weights must not decrease "40"`},
		{"ramp times not increasing", one(flags.Flag{Variants: boolVariants(), Rules: []flags.Rule{{Split: &flags.Split{
			Variants: []flags.WeightedVariant{{Variant: "on", Weight: 0}, {Variant: "off", Weight: 100}},
			Ramp:     &flags.Ramp{Points: []flags.RampPoint{{At: t0, Weight: 5}, {At: t0, Weight: 10}}}}}}}),
			`ramp.points[1].at: times must increase`},
		{"bucket part with two fields", one(flags.Flag{Variants: boolVariants(), BucketBy: []flags.BucketPart{{FlagKey: true, Literal: "x"}}}),
			`flags.checkout-v2.bucketBy[0]: exactly one of flagKey, attribute and literal must be set`},
		{"metadata object", one(flags.Flag{Variants: boolVariants(), Metadata: map[string]flags.Value{"o": flags.Object(map[string]any{})}}),
			`flags.checkout-v2.metadata.o: metadata values must be bool, string, int or float`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flags.Compile(tc.cfg)
			if err == nil {
				t.Fatalf("Compile succeeded, want error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, tc.want)
			}
			if !errors.Is(err, flags.ErrInvalidConfig) {
				t.Errorf("errors.Is(err, ErrInvalidConfig) = false")
			}
			var ce *flags.ConfigError
			if !errors.As(err, &ce) || ce.Path == "" {
				t.Errorf("no *ConfigError with a path in %v", err)
			}
		})
	}
}

func TestCompileReportsAllProblems(t *testing.T) {
	cfg := flags.Config{Flags: map[string]flags.Flag{
		"a": {Variants: boolVariants(), DefaultVariant: "x"},
		"b": {Variants: boolVariants(), DefaultVariant: "y"},
	}}
	_, err := flags.Compile(cfg)
	if err == nil || !strings.Contains(err.Error(), `flags.a.defaultVariant`) || !strings.Contains(err.Error(), `flags.b.defaultVariant`) {
		t.Fatalf("error = %v, want both problems", err)
	}
}

func TestCompileBoundsEvaluationCost(t *testing.T) {
	// Each segment references the next twice: 2^40 tests if expanded.
	segs := map[string]flags.Condition{"s40": flags.Attr("x").Exists()}
	for i := 39; i >= 0; i-- {
		next := flags.Condition{Segment: "s" + itoa(i+1)}
		segs["s"+itoa(i)] = flags.All(next, next)
	}
	cfg := flags.Config{Segments: segs, Flags: map[string]flags.Flag{"f": {Variants: boolVariants(),
		Rules: []flags.Rule{{When: &flags.Condition{Segment: "s0"}, Variant: "on"}}}}}
	_, err := flags.Compile(cfg)
	if err == nil || !strings.Contains(err.Error(), "flags.f.rules[0].when: condition too large") {
		t.Fatalf("error = %v", err)
	}
}

func TestCompileRampTimeRange(t *testing.T) {
	far := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := flags.Compile(flags.Config{Flags: map[string]flags.Flag{"f": {Variants: boolVariants(), Rules: []flags.Rule{{Split: &flags.Split{
		Variants: []flags.WeightedVariant{{Variant: "on", Weight: 0}, {Variant: "off", Weight: 1}},
		Ramp:     &flags.Ramp{Points: []flags.RampPoint{{At: far, Weight: 1}}}}}}}}})
	if err == nil || !strings.Contains(err.Error(), "time out of range") {
		t.Fatalf("error = %v", err)
	}
}

func TestCompileBoundsPrerequisites(t *testing.T) {
	// f0 requires f1 and f1' ... a ladder of diamonds: 2^30 evaluations.
	cfg := flags.Config{Flags: map[string]flags.Flag{"a30": {Variants: boolVariants()}, "b30": {Variants: boolVariants()}}}
	for i := 29; i >= 0; i-- {
		req := []flags.Prerequisite{{Flag: "a" + itoa(i+1), Variants: []string{"on"}}, {Flag: "b" + itoa(i+1), Variants: []string{"on"}}}
		cfg.Flags["a"+itoa(i)] = flags.Flag{Variants: boolVariants(), Requires: req}
		cfg.Flags["b"+itoa(i)] = flags.Flag{Variants: boolVariants(), Requires: req}
	}
	_, err := flags.Compile(cfg)
	if err == nil || !strings.Contains(err.Error(), "prerequisites too deep") {
		t.Fatalf("error = %v", err)
	}
	dup := flags.Config{Flags: map[string]flags.Flag{
		"a": {Variants: boolVariants(), Requires: []flags.Prerequisite{{Flag: "b", Variants: []string{"on"}}, {Flag: "b", Variants: []string{"off"}}}},
		"b": {Variants: boolVariants()}}}
	if _, err := flags.Compile(dup); err == nil || !strings.Contains(err.Error(), `flags.a.requires[1].flag: duplicate prerequisite "b"`) {
		t.Fatalf("error = %v", err)
	}
}

// TestCompileAllowRepeats: with AllowRepeats a variant may hold several
// ranges of buckets, and every subject gets the variant of its range.
func TestCompileAllowRepeats(t *testing.T) {
	cfg := flags.Config{Flags: map[string]flags.Flag{"f": {
		Variants: boolVariants(), DefaultVariant: "off",
		Rules: []flags.Rule{{Split: &flags.Split{AllowRepeats: true, Variants: []flags.WeightedVariant{
			{Variant: "on", Weight: 1}, {Variant: "off", Weight: 1}, {Variant: "on", Weight: 2},
		}}}},
	}}}
	snap, err := flags.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := snap.Exposure("f", time.Time{})
	if err != nil || len(exp) != 1 || len(exp[0].Shares) != 3 {
		t.Fatalf("Exposure = %+v, %v; want one split of three shares", exp, err)
	}
	seen := map[int]bool{}
	for i := range 1000 {
		d := snap.Evaluate("f", flags.Context{TargetingKey: "user-" + strconv.Itoa(i)}, time.Time{})
		for j, s := range exp[0].Shares {
			if d.Bucket >= s.From && d.Bucket < s.From+s.Weight {
				seen[j] = true
				if d.Variant != s.Variant {
					t.Fatalf("bucket %d: variant %q, want %q", d.Bucket, d.Variant, s.Variant)
				}
			}
		}
	}
	if len(seen) != 3 {
		t.Errorf("only ranges %v were reached", seen)
	}
}
