package flags_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/glidepath/glidepath/flags"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func addSeedFiles(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
}

// FuzzParseConfig: the loader never panics, and whatever it accepts
// compiles and survives a JSON round trip unchanged.
func FuzzParseConfig(f *testing.F) {
	addSeedFiles(f, "testdata/*.yaml", "testdata/invalid/*")
	f.Add([]byte(`{"flags":{"a":{"variants":{"x":1.5,"y":2},"rules":[{"when":{"attribute":"v","op":"semverTilde","value":"1.2"},"split":{"variants":[{"variant":"x","weight":1},{"variant":"y","weight":1}],"ramp":{"mode":"linear","points":[{"at":"2026-01-01T00:00:00Z","weight":1},{"at":"2026-01-02T00:00:00Z","weight":2}]}}}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := flags.ParseConfig(data)
		if err != nil {
			return
		}
		if _, err := flags.Compile(cfg); err != nil {
			t.Fatalf("ParseConfig accepted what Compile rejects: %v", err)
		}
		js, err := json.Marshal(cfg)
		if err != nil {
			t.Fatalf("accepted config does not marshal: %v", err)
		}
		again, err := flags.ParseConfig(js)
		if err != nil {
			t.Fatalf("JSON form rejected: %v\n%s", err, js)
		}
		// Empty lists and maps encode as absent; that is no change.
		if diff := cmp.Diff(cfg, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip changed the config:\n%s", diff)
		}
	})
}

// FuzzParseFlagd: the flagd translator never panics, and the flags it
// returns always compile.
func FuzzParseFlagd(f *testing.F) {
	addSeedFiles(f, "../../shared/conformance/flagd-testbed/evaluator/flags/*.json")
	f.Add([]byte(`{"flags":{"f":{"state":"ENABLED","variants":{"a":"a","b":"b"},"defaultVariant":"a","targeting":{"if":[{"and":[{"<":[1,{"var":"n"},5]},{"!":{"in":["x",{"var":"s"}]}}]},{"fractional":[{"cat":["seed",{"var":"id"}]},["a",10],["b"]]},null]}}}}`))
	f.Add([]byte(`{"flags":{"f":{"state":"ENABLED","variants":{"a":"a","b":"b"},"defaultVariant":"a","targeting":{"if":[{"fractional":[[false,1],[{"if":[{"==":[{"var":"t"},"x"]},true,0]},2]]},{"fractional":[[{"if":[{"==":[{"var":"t"},"y"]},"a","b"]},{"if":[{"var":"n"},3,1]}],["b",1],["a",1]]},"b"]}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, _ := flags.ParseFlagd(data)
		if _, err := flags.Compile(cfg); err != nil {
			t.Fatalf("ParseFlagd returned flags that do not compile: %v", err)
		}
	})
}

// FuzzEvaluate evaluates every flag of the sample configuration for
// arbitrary subjects and times: no panics, deterministic results, and
// decisions that are internally consistent.
func FuzzEvaluate(f *testing.F) {
	cfg, err := flags.LoadFile("testdata/checkout.yaml")
	if err != nil {
		f.Fatal(err)
	}
	store, err := flags.NewStore(cfg)
	if err != nil {
		f.Fatal(err)
	}
	snap := store.Snapshot()
	f.Add("user-1", []byte(`{"email":"a@corp.example","app":{"version":"2.4.0"},"beta":true,"accountId":"acme"}`), int64(1780000000))
	f.Add("", []byte(`{"screen":{"width":"wide"},"app.version":7,"country":["KP"]}`), int64(-1))
	f.Add("x", []byte(`{"userAgent":"darkmode","plan":null,"targetingKey":12}`), int64(1<<62))
	f.Fuzz(func(t *testing.T, tk string, attrs []byte, unix int64) {
		var m map[string]any
		if json.Unmarshal(attrs, &m) != nil {
			m = nil
		}
		ec := flags.Context{TargetingKey: tk, Attributes: m}
		now := time.Unix(0, unix)
		for _, key := range snap.Keys() {
			d := snap.Evaluate(key, ec, now)
			if d2 := snap.Evaluate(key, ec, now); d2.Variant != d.Variant || d2.Reason != d.Reason || d2.Bucket != d.Bucket {
				t.Fatalf("%s: not deterministic: %+v vs %+v", key, d, d2)
			}
			if d.Err != nil {
				t.Fatalf("%s: unexpected error %v", key, d.Err)
			}
			if d.HasValue() != (d.Variant != "") {
				t.Fatalf("%s: HasValue %v with variant %q", key, d.HasValue(), d.Variant)
			}
			if d.Reason == flags.ReasonSplit && (d.Bucket < 0 || d.Bucket >= d.TotalWeight) {
				t.Fatalf("%s: bucket %d outside [0,%d)", key, d.Bucket, d.TotalWeight)
			}
			if d.Reason == flags.ReasonSplit {
				exposure(t, snap, key, now, d)
			}
		}
	})
}

// exposure checks that a split decision agrees with Snapshot.Exposure: the
// subject's bucket lies in the range Exposure gives its variant.
func exposure(t *testing.T, snap *flags.Snapshot, key string, now time.Time, d flags.Decision) {
	t.Helper()
	es, err := snap.Exposure(key, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Rule != d.Rule {
			continue
		}
		s, ok := e.Share(d.Variant)
		if !ok || e.RampStep != d.RampStep || d.Bucket < s.From || d.Bucket >= s.From+s.Weight {
			t.Fatalf("%s: bucket %d got %s at step %d; exposure %+v", key, d.Bucket, d.Variant, d.RampStep, e)
		}
		return
	}
	t.Fatalf("%s: rule %d decided by a split Exposure does not list", key, d.Rule)
}
