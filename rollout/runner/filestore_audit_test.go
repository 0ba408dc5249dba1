package runner

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/glidepath/glidepath/rollout"
)

// TestFileStoreNeverTorn loads while another goroutine saves: every load sees
// a whole state, the old one or the new one.
func TestFileStoreNeverTorn(t *testing.T) {
	fs := &FileStore{Dir: t.TempDir()}
	ctx := context.Background()
	big := func(n int) rollout.State {
		s := rollout.State{ID: "r", Plan: "p", Phase: rollout.Progressing}
		for i := range 200 {
			s.Gates = append(s.Gates, rollout.GateState{Name: strings.Repeat("g", 50), Successes: n, Failures: i})
		}
		return s
	}
	if err := fs.Save(ctx, "r", big(0)); err != nil {
		t.Fatal(err)
	}
	n := 200
	if testing.Short() {
		n = 50
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 1; i <= n; i++ {
			if err := fs.Save(ctx, "r", big(i)); err != nil {
				t.Error(err)
				return
			}
		}
	})
	last := 0
	for i := 0; i < n; i++ {
		s, err := fs.Load(ctx, "r")
		if err != nil {
			t.Fatalf("load %d: %v", i, err)
		}
		if len(s.Gates) != 200 || s.Gates[0].Successes < last || s.Gates[199].Successes != s.Gates[0].Successes {
			t.Fatalf("load %d: torn or stale state (%d gates)", i, len(s.Gates))
		}
		last = s.Gates[0].Successes
	}
	wg.Wait()
	entries, _ := os.ReadDir(fs.Dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}
