package flags_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/glidepath/glidepath/flags"
	"github.com/open-feature/go-sdk/openfeature"
)

// twinConfig has two flags that always serve the same letter, so an
// evaluation that mixed two configurations would be visible.
func twinConfig(letter string) flags.Config {
	vs := map[string]flags.Value{"a": flags.String("a"), "b": flags.String("b")}
	return flags.Config{Flags: map[string]flags.Flag{
		"x": {Variants: vs, DefaultVariant: letter, Tags: []string{"t"}},
		"y": {Variants: vs, DefaultVariant: letter, Rules: []flags.Rule{{Split: &flags.Split{
			Variants: []flags.WeightedVariant{{Variant: letter, Weight: 1}}}}}},
	}}
}

// TestRaceEvaluationDuringReloads runs evaluations through every API while
// configurations are swapped and tags killed; run it with -race.
func TestRaceEvaluationDuringReloads(t *testing.T) {
	store, err := flags.NewStore(twinConfig("a"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.json")
	w := &flags.FileWatcher{Path: path, Store: store}
	p := flags.NewProvider(store, flags.WithClock(fixedClock{t0}))
	_, client := newClient(t, p)
	hx := flags.StringFlag(store, "x")
	iters := 2000
	if testing.Short() {
		iters = 300
	}
	var writers, readers sync.WaitGroup
	stop := make(chan struct{})
	// Writers: Replace, file reloads (valid and invalid), kill switches.
	writers.Go(func() {
		for i := range iters {
			letter := []string{"a", "b"}[i%2]
			if err := store.Replace(twinConfig(letter)); err != nil {
				t.Error(err)
			}
			if i%10 == 0 {
				store.Kill("t")
				store.Revive("t")
			}
		}
	})
	writers.Go(func() {
		docs := []string{`{"flags":{"x":{"variants":{"a":"a","b":"b"},"defaultVariant":"b"}}}`, `{"flags":{`}
		for i := range iters / 10 {
			if err := os.WriteFile(path, []byte(docs[i%2]), 0o600); err != nil {
				t.Error(err)
				return
			}
			_ = w.Poll()
		}
	})
	ec := flags.Context{TargetingKey: "u"}
	for range 3 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				snap := store.Snapshot()
				dx, dy := snap.Evaluate("x", ec, t0), snap.Evaluate("y", ec, t0)
				if dy.Reason == flags.ReasonSplit && dx.Reason != flags.ReasonDisabled && dx.Variant != dy.Variant {
					t.Errorf("one snapshot served x=%s and y=%s", dx.Variant, dy.Variant)
					return
				}
				_ = hx.ValueAt(ec, t0, "")
				_ = client.String(context.Background(), "y", "", openfeature.NewEvaluationContext("u", nil))
			}
		})
	}
	writers.Wait()
	close(stop)
	readers.Wait()
}
