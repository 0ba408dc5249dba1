package flags_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/flags"
	"github.com/glidepath/glidepath/internal/murmur3"
)

// bucketEntry is one resolved fractional bucket: a variant and its weight.
type bucketEntry struct {
	variant string
	weight  uint64
}

// fractionalRef is flagd's fractional over resolved buckets, bucketing by
// flag key + targeting key: the variant, the bucket, and false when the
// weights sum to zero.
func fractionalRef(flagKey, tk string, buckets []bucketEntry) (string, int64, bool) {
	var total uint64
	for _, b := range buckets {
		total += b.weight
	}
	if total == 0 {
		return "", -1, false
	}
	bucket := (uint64(murmur3.SumString(flagKey+tk, 0)) * total) >> 32
	var cum uint64
	for _, b := range buckets {
		cum += b.weight
		if bucket < cum {
			return b.variant, int64(bucket), true
		}
	}
	panic("unreachable")
}

// TestParseFlagdNestedFractional checks that nested expressions in
// fractional buckets translate to exactly flagd's result: for many
// subjects, the variant and bucket equal those of a fractional whose
// buckets were resolved by hand for the subject's attributes.
func TestParseFlagdNestedFractional(t *testing.T) {
	premium := `{"==": [{"var": "tier"}, "premium"]}`
	type resolved struct {
		attrs   map[string]any
		buckets []bucketEntry
	}
	tests := []struct {
		name      string
		targeting string
		cases     []resolved
	}{
		{"if as variant name",
			`{"fractional": [[{"if": [` + premium + `, "a", "b"]}, 50], ["b", 50]]}`,
			[]resolved{
				{map[string]any{"tier": "premium"}, []bucketEntry{{"a", 50}, {"b", 50}}},
				{map[string]any{"tier": "basic"}, []bucketEntry{{"b", 50}, {"b", 50}}},
				{nil, []bucketEntry{{"b", 50}, {"b", 50}}},
			}},
		{"if as weight",
			`{"fractional": [["a", {"if": [` + premium + `, 100, 0]}], ["b", 10]]}`,
			[]resolved{
				{map[string]any{"tier": "premium"}, []bucketEntry{{"a", 100}, {"b", 10}}},
				{map[string]any{"tier": "basic"}, []bucketEntry{{"a", 0}, {"b", 10}}},
			}},
		{"weights summing to zero in one branch",
			`{"fractional": [["a", {"if": [` + premium + `, 5, 0]}], ["b", 0]]}`,
			[]resolved{
				{map[string]any{"tier": "premium"}, []bucketEntry{{"a", 5}, {"b", 0}}},
				{map[string]any{"tier": "basic"}, []bucketEntry{{"a", 0}, {"b", 0}}},
			}},
		{"variant in two ranges",
			`{"fractional": [[{"if": [` + premium + `, "a", "b"]}, 50], ["b", 25], ["a", 25]]}`,
			[]resolved{
				{map[string]any{"tier": "premium"}, []bucketEntry{{"a", 50}, {"b", 25}, {"a", 25}}},
				{map[string]any{"tier": "basic"}, []bucketEntry{{"b", 75}, {"a", 25}}},
			}},
		{"else-if chain and several nested ifs",
			`{"fractional": [
				[{"if": [` + premium + `, "a", {"==": [{"var": "tier"}, "gold"]}, "b", "c"]}, 30],
				["b", {"if": [{">": [{"var": "age"}, 40]}, 70, 20]}]]}`,
			[]resolved{
				{map[string]any{"tier": "premium", "age": 50}, []bucketEntry{{"a", 30}, {"b", 70}}},
				{map[string]any{"tier": "gold", "age": 50}, []bucketEntry{{"b", 30}, {"b", 70}}},
				{map[string]any{"tier": "gold", "age": 30}, []bucketEntry{{"b", 30}, {"b", 20}}},
				{map[string]any{"tier": "free"}, []bucketEntry{{"c", 30}, {"b", 20}}},
			}},
		{"if nested in an if",
			`{"fractional": [[{"if": [` + premium + `, {"if": [{"==": [{"var": "beta"}, true]}, "a", "c"]}, "b"]}, 1], ["c", 1]]}`,
			[]resolved{
				{map[string]any{"tier": "premium", "beta": true}, []bucketEntry{{"a", 1}, {"c", 1}}},
				{map[string]any{"tier": "premium", "beta": false}, []bucketEntry{{"c", 1}, {"c", 1}}},
				{map[string]any{"tier": "basic"}, []bucketEntry{{"b", 1}, {"c", 1}}},
			}},
		{"fractional as condition",
			`{"if": [{"fractional": [[false, 30], [true, 70]]}, "a", "b"]}`,
			[]resolved{{nil, []bucketEntry{{"b", 30}, {"a", 70}}}}},
		{"fractional as condition with literal names",
			`{"if": [{"fractional": [["", 10], ["x", 20], [0, 30], [2, 40], [null, 50]]}, "a", "b"]}`,
			[]resolved{{nil, []bucketEntry{{"b", 10}, {"a", 20}, {"b", 30}, {"a", 40}, {"b", 50}}}}},
		{"fractional as condition, else-if",
			`{"if": [{"fractional": [[true, 1], [false, 3]]}, "a", ` + premium + `, "b", "c"]}`,
			[]resolved{
				{map[string]any{"tier": "premium"}, []bucketEntry{{"a", 1}, {"b", 3}}},
				{map[string]any{"tier": "basic"}, []bucketEntry{{"a", 1}, {"c", 3}}},
			}},
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
			for _, rc := range tc.cases {
				for i := range 2000 {
					tk := "user-" + strconv.Itoa(i)
					d := snap.Evaluate("f", flags.Context{TargetingKey: tk, Attributes: rc.attrs}, t0)
					want, bucket, ok := fractionalRef("f", tk, rc.buckets)
					if !ok {
						if d.Variant != "c" || d.Reason != flags.ReasonDefault {
							t.Fatalf("%v %s: got %q %v, want the default", rc.attrs, tk, d.Variant, d.Reason)
						}
						continue
					}
					if d.Variant != want || d.Bucket != bucket || d.Reason != flags.ReasonSplit {
						t.Fatalf("%v %s: got %q bucket %d %v, want %q bucket %d SPLIT", rc.attrs, tk, d.Variant, d.Bucket, d.Reason, want, bucket)
					}
				}
			}
		})
	}
}

// TestParseFlagdFractionalConditionNull checks that where flagd's
// fractional yields null, a fractional condition is false.
func TestParseFlagdFractionalConditionNull(t *testing.T) {
	tests := []struct {
		name      string
		targeting string
		ec        flags.Context
		variant   string
		reason    flags.Reason
	}{
		{"no targeting key", `{"if": [{"fractional": [[true, 1]]}, "a", "b"]}`,
			flags.Context{}, "b", flags.ReasonTargetingMatch},
		{"missing bucketing attribute", `{"if": [{"fractional": [{"cat": ["s", {"var": "acct"}]}, [true, 1]]}, "a", "b"]}`,
			flags.Context{TargetingKey: "k"}, "b", flags.ReasonTargetingMatch},
		{"bucketing attribute present", `{"if": [{"fractional": [{"cat": ["s", {"var": "acct"}]}, [true, 1]]}, "a", "b"]}`,
			flags.Context{Attributes: map[string]any{"acct": "x"}}, "a", flags.ReasonSplit},
		{"null bucketing value", `{"if": [{"fractional": [null, [true, 1]]}, "a", "b"]}`,
			flags.Context{TargetingKey: "k"}, "b", flags.ReasonTargetingMatch},
		{"weights sum to zero", `{"if": [{"fractional": [[true, 0], [false, 0]]}, "a", "b"]}`,
			flags.Context{TargetingKey: "k"}, "b", flags.ReasonTargetingMatch},
		{"no else", `{"if": [{"fractional": [[true, 1]]}, "a"]}`,
			flags.Context{}, "c", flags.ReasonDefault},
		{"no else, falsy buckets never chosen", `{"if": [{"fractional": [[false, 0], [true, 1]]}, "a"]}`,
			flags.Context{TargetingKey: "k"}, "a", flags.ReasonSplit},
		{"after another condition", `{"if": [{"==": [{"var": "n"}, 1]}, "c", {"fractional": [[true, 1]]}, "a", "b"]}`,
			flags.Context{TargetingKey: "k", Attributes: map[string]any{"n": 1}}, "c", flags.ReasonTargetingMatch},
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
			d := snap.Evaluate("f", tc.ec, t0)
			if d.Variant != tc.variant || d.Reason != tc.reason {
				t.Errorf("got %q %v, want %q %v", d.Variant, d.Reason, tc.variant, tc.reason)
			}
		})
	}
}

// TestParseFlagdRepeatedVariants checks that a split lists a variant twice
// only where a translation needs it, and then with AllowRepeats set.
func TestParseFlagdRepeatedVariants(t *testing.T) {
	tests := []struct {
		name, targeting string
		want            []flags.WeightedVariant
		repeats         bool
	}{
		{"adjacent buckets merge", `{"fractional": [["a", 10], ["a", 20], ["b", 5]]}`,
			[]flags.WeightedVariant{{Variant: "a", Weight: 30}, {Variant: "b", Weight: 5}}, false},
		{"separate buckets stay apart", `{"fractional": [["a", 10], ["b", 5], ["a", 20]]}`,
			[]flags.WeightedVariant{{Variant: "a", Weight: 10}, {Variant: "b", Weight: 5}, {Variant: "a", Weight: 20}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := flags.ParseFlagd(flagdDoc(tc.targeting))
			if err != nil {
				t.Fatal(err)
			}
			sp := cfg.Flags["f"].Rules[0].Split
			if sp == nil || sp.AllowRepeats != tc.repeats || !slicesEqual(sp.Variants, tc.want) {
				t.Fatalf("split = %+v, want %v with AllowRepeats %v", sp, tc.want, tc.repeats)
			}
		})
	}
}

func slicesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseFlagdNestedErrors(t *testing.T) {
	// Each level doubles the splits: 2^11 > the limit.
	var entries []string
	for i := range 11 {
		entries = append(entries, `[{"if": [{"==": [{"var": "x`+strconv.Itoa(i)+`"}, 1]}, "a", "b"]}, 1]`)
	}
	tests := []struct {
		name, targeting, want string
	}{
		{"if without else as a name", `{"fractional": [[{"if": [{"==": [{"var": "n"}, 1]}, "a"]}, 1], ["b", 1]]}`,
			"unsupported fractional variant null"},
		{"if without else as a weight", `{"fractional": [["a", {"if": [{"==": [{"var": "n"}, 1]}, 1]}], ["b", 1]]}`,
			"unsupported fractional weight"},
		{"var as a name", `{"fractional": [[{"var": "color"}, 1], ["b", 1]]}`, "unsupported fractional variant"},
		{"short if", `{"fractional": [[{"if": ["a"]}, 1]]}`, "if needs at least a condition and a result"},
		{"unknown variant in a branch", `{"fractional": [[{"if": [{"==": [{"var": "n"}, 1]}, "zzz", "a"]}, 1]]}`,
			`unknown variant "zzz"`},
		{"too many splits", `{"fractional": [` + strings.Join(entries, ", ") + `]}`, "too many splits"},
		{"condition bucket not a literal", `{"if": [{"fractional": [[{"var": "x"}, 1]]}, "a", "b"]}`,
			"unsupported fractional condition bucket"},
		{"condition weight not a number", `{"if": [{"fractional": [[true, "1"]]}, "a", "b"]}`,
			"unsupported fractional condition weight"},
		{"condition without else and a falsy bucket", `{"if": [{"fractional": [[false, 1], [true, 1]]}, "a"]}`,
			"unsupported fractional variant null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flags.ParseFlagd(flagdDoc(tc.targeting))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
