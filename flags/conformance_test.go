package flags_test

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glidepath/glidepath/flags"
	"github.com/open-feature/go-sdk/openfeature"
)

const testbed = "../../shared/conformance/flagd-testbed/evaluator"

// skippedTags are scenario tags outside the model, with the reason.
var skippedTags = map[string]string{
	"@fractional-v1": "legacy float bucketing; only the current integer bucketing (v2) is implemented",
}

// skippedFlags are flags of the suite that ParseFlagd does not translate,
// with the reason; their scenarios are skipped.
var skippedFlags = map[string]string{
	"fractional-nested-var-flag": "a context attribute as a fractional variant name: flagd fails the evaluation " +
		"(reason ERROR) when the value names no variant, which no rule can express",
}

// evalResult is what a scenario observes of one evaluation.
type evalResult struct {
	value     any
	reason    string
	errorCode string
	metadata  map[string]any
}

// resolver evaluates one flag the way an OpenFeature client would.
type resolver func(t *testing.T, typ, key string, fallback any, attrs map[string]any) evalResult

func loadTestkit(t *testing.T) (flags.Config, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testbed, "flags", "testkit-flags.json"))
	if err != nil {
		t.Skipf("flagd test bed not available at %s: %v", testbed, err)
	}
	return flags.ParseFlagd(data)
}

// nativeResolver evaluates through Snapshot.Evaluate, applying the
// OpenFeature conventions for fallbacks and type checks.
func nativeResolver(snap *flags.Snapshot) resolver {
	return func(t *testing.T, typ, key string, fallback any, attrs map[string]any) evalResult {
		ec := flags.Context{Attributes: attrs}
		if tk, ok := attrs[flags.TargetingKey].(string); ok {
			ec.TargetingKey = tk
		}
		d := snap.Evaluate(key, ec, time.Unix(0, 0))
		res := evalResult{value: fallback, reason: d.Reason.String(), metadata: snap.Metadata(key)}
		if errors.Is(d.Err, flags.ErrFlagNotFound) {
			res.errorCode = "FLAG_NOT_FOUND"
			return res
		}
		kind, _ := snap.Kind(key)
		want := map[string]flags.Kind{"Boolean": flags.KindBool, "String": flags.KindString,
			"Integer": flags.KindInt, "Float": flags.KindFloat, "Object": flags.KindObject}[typ]
		if kind != want && (want != flags.KindFloat || kind != flags.KindInt) {
			res.errorCode, res.reason = "TYPE_MISMATCH", "ERROR"
			return res
		}
		if d.HasValue() {
			v := d.Value()
			res.value = v.Any()
			if want == flags.KindFloat {
				res.value, _ = v.AsFloat()
			}
		}
		return res
	}
}

type conformanceStats struct {
	run, passed, skipped int
	skipReasons          map[string]int
}

// runConformance runs every scenario of the suite against r.
func runConformance(t *testing.T, r resolver, translateErr error) conformanceStats {
	files, err := filepath.Glob(filepath.Join(testbed, "gherkin", "*.feature"))
	if err != nil || len(files) == 0 {
		t.Skipf("flagd test bed not available at %s", testbed)
	}
	stats := conformanceStats{skipReasons: map[string]int{}}
	for _, file := range files {
		scenarios, err := readFeature(file)
		if err != nil {
			t.Fatalf("reading %s: %v", file, err)
		}
		for _, sc := range scenarios {
			skip := skippedFlags[sc.flagKey()]
			for tag, why := range skippedTags {
				if sc.hasTag(tag) {
					skip = why
				}
			}
			name := filepath.Base(file) + "/" + sc.name
			if skip != "" {
				stats.skipped++
				stats.skipReasons[skip]++
				continue
			}
			stats.run++
			ok := t.Run(name, func(t *testing.T) { runScenario(t, sc, r, translateErr) })
			if ok {
				stats.passed++
			}
		}
	}
	return stats
}

var (
	reFlag      = regexp.MustCompile(`^a (\w+)-flag with key "([^"]*)" and a fallback value "(.*)"$`)
	reNested    = regexp.MustCompile(`^a context containing a nested property with outer key "([^"]*)" and inner key "([^"]*)", with value "(.*)"$`)
	reTK        = regexp.MustCompile(`^a context containing a targeting key with value "(.*)"$`)
	reKey       = regexp.MustCompile(`^a context containing a key "([^"]*)", with type "(\w+)" and with value "(.*)"$`)
	reValue     = regexp.MustCompile(`^the resolved details value should be "(.*)"$`)
	reReason    = regexp.MustCompile(`^the reason should be "(.*)"$`)
	reErrorCode = regexp.MustCompile(`^the error-code should be "(.*)"$`)
)

// flagKey returns the key of the flag the scenario evaluates.
func (s gherkinScenario) flagKey() string {
	for _, st := range s.steps {
		if m := reFlag.FindStringSubmatch(st.text); m != nil {
			return m[2]
		}
	}
	return ""
}

func runScenario(t *testing.T, sc gherkinScenario, r resolver, translateErr error) {
	var (
		typ, key string
		fallback any
		attrs    = map[string]any{}
		res      *evalResult
	)
	for _, st := range sc.steps {
		s := st.text
		switch {
		case s == "an evaluator":
		case reFlag.MatchString(s):
			m := reFlag.FindStringSubmatch(s)
			typ, key = m[1], m[2]
			fallback = parseTyped(t, typ, m[3])
		case reNested.MatchString(s):
			m := reNested.FindStringSubmatch(s)
			inner, _ := attrs[m[1]].(map[string]any)
			if inner == nil {
				inner = map[string]any{}
				attrs[m[1]] = inner
			}
			inner[m[2]] = m[3]
		case reTK.MatchString(s):
			attrs[flags.TargetingKey] = reTK.FindStringSubmatch(s)[1]
		case reKey.MatchString(s):
			m := reKey.FindStringSubmatch(s)
			attrs[m[1]] = parseTyped(t, m[2], m[3])
		case s == "the flag was evaluated with details":
			if key == "ref-to-nonexistent-evaluator-flag" {
				// Our loader rejects a definition with a dangling $ref up
				// front instead of failing at evaluation time: check that
				// it did, and report it as the parse error flagd gives.
				var ce *flags.ConfigError
				if !errors.As(translateErr, &ce) || !strings.Contains(translateErr.Error(), key) {
					t.Fatalf("loading did not reject %s: %v", key, translateErr)
				}
				res = &evalResult{value: fallback, reason: "ERROR", errorCode: "PARSE_ERROR"}
				continue
			}
			got := r(t, typ, key, fallback, attrs)
			res = &got
		case reValue.MatchString(s):
			want := parseTyped(t, typ, reValue.FindStringSubmatch(s)[1])
			if !sameValue(res.value, want) {
				t.Errorf("value = %#v, want %#v (reason %s, error %s)", res.value, want, res.reason, res.errorCode)
			}
		case reReason.MatchString(s):
			if want := reReason.FindStringSubmatch(s)[1]; res.reason != want {
				t.Errorf("reason = %s, want %s", res.reason, want)
			}
		case reErrorCode.MatchString(s):
			if want := reErrorCode.FindStringSubmatch(s)[1]; res.errorCode != want {
				t.Errorf("error code = %q, want %q", res.errorCode, want)
			}
		case s == "the resolved metadata is empty":
			if len(res.metadata) != 0 {
				t.Errorf("metadata = %v, want empty", res.metadata)
			}
		case s == "the resolved metadata should contain":
			for _, row := range st.table[1:] {
				want := parseTyped(t, row[1], row[2])
				if got := res.metadata[row[0]]; !sameValue(got, want) {
					t.Errorf("metadata[%s] = %#v, want %#v", row[0], got, want)
				}
			}
		default:
			t.Fatalf("unsupported step %q", s)
		}
	}
}

func parseTyped(t *testing.T, typ, s string) any {
	t.Helper()
	var (
		v   any
		err error
	)
	switch typ {
	case "Boolean":
		v, err = strconv.ParseBool(s)
	case "String":
		v = s
	case "Integer":
		v, err = strconv.ParseInt(s, 10, 64)
	case "Float":
		v, err = strconv.ParseFloat(s, 64)
	case "Object":
		var o any
		err = json.Unmarshal([]byte(strings.ReplaceAll(s, `\"`, `"`)), &o)
		v = o
	default:
		t.Fatalf("unknown type %q", typ)
	}
	if err != nil {
		t.Fatalf("parsing %s %q: %v", typ, s, err)
	}
	return v
}

func sameValue(got, want any) bool {
	switch w := want.(type) {
	case float64:
		switch g := got.(type) {
		case float64:
			return g == w
		case int64:
			return float64(g) == w
		}
		return false
	case map[string]any, []any:
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(w)
		var x, y any
		_ = json.Unmarshal(a, &x)
		_ = json.Unmarshal(b, &y)
		return reflect.DeepEqual(x, y)
	}
	return reflect.DeepEqual(got, want)
}

func TestConformanceNative(t *testing.T) {
	cfg, translateErr := loadTestkit(t)
	snap, err := flags.Compile(cfg)
	if err != nil {
		t.Fatalf("Compile(translated testkit): %v", err)
	}
	st := runConformance(t, nativeResolver(snap), translateErr)
	t.Logf("flagd evaluator suite (native): %d scenarios run, %d passed, %d skipped %v", st.run, st.passed, st.skipped, st.skipReasons)
	if st.run == 0 {
		t.Fatal("no scenarios ran")
	}
}

// TestConformanceFractionalV2 checks that every @fractional-v2 scenario ran.
func TestConformanceFractionalV2(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testbed, "gherkin", "fractional.feature"))
	if len(files) == 0 {
		t.Skipf("flagd test bed not available at %s", testbed)
	}
	scenarios, err := readFeature(files[0])
	if err != nil {
		t.Fatal(err)
	}
	cfg, translateErr := loadTestkit(t)
	snap, err := flags.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, sc := range scenarios {
		if !sc.hasTag("@fractional-v2") {
			continue
		}
		n++
		t.Run(sc.name, func(t *testing.T) { runScenario(t, sc, nativeResolver(snap), translateErr) })
	}
	if n < 20 {
		t.Errorf("only %d @fractional-v2 scenarios found, want at least 20", n)
	}
}

// providerResolver evaluates through the OpenFeature SDK client.
func providerResolver(client *openfeature.Client) resolver {
	return func(t *testing.T, typ, key string, fallback any, attrs map[string]any) evalResult {
		ctx := t.Context()
		tk, _ := attrs[flags.TargetingKey].(string)
		rest := maps.Clone(attrs)
		delete(rest, flags.TargetingKey)
		ec := openfeature.NewEvaluationContext(tk, rest)
		var (
			v any
			d openfeature.EvaluationDetails
		)
		switch typ {
		case "Boolean":
			r, _ := client.BooleanValueDetails(ctx, key, fallback.(bool), ec)
			v, d = r.Value, r.EvaluationDetails
		case "String":
			r, _ := client.StringValueDetails(ctx, key, fallback.(string), ec)
			v, d = r.Value, r.EvaluationDetails
		case "Integer":
			r, _ := client.IntValueDetails(ctx, key, fallback.(int64), ec)
			v, d = r.Value, r.EvaluationDetails
		case "Float":
			r, _ := client.FloatValueDetails(ctx, key, fallback.(float64), ec)
			v, d = r.Value, r.EvaluationDetails
		case "Object":
			r, _ := client.ObjectValueDetails(ctx, key, fallback, ec)
			v, d = r.Value, r.EvaluationDetails
		}
		return evalResult{value: v, reason: string(d.Reason), errorCode: string(d.ErrorCode), metadata: d.FlagMetadata}
	}
}

func TestConformanceProvider(t *testing.T) {
	cfg, translateErr := loadTestkit(t)
	store, err := flags.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, client := newClient(t, flags.NewProvider(store, flags.WithClock(fixedClock{t0})))
	st := runConformance(t, providerResolver(client), translateErr)
	t.Logf("flagd evaluator suite (OpenFeature client): %d scenarios run, %d passed, %d skipped %v", st.run, st.passed, st.skipped, st.skipReasons)
}
