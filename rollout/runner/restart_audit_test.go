package runner

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/glidepath/glidepath/rollout"
)

// TestRunCarriesOutAnInterruptedRollback: the deploy system is down when a
// gate rolls the rollout back, and the process stops before the rollback
// took effect. The next Run must carry it out, not return the ended state
// untouched.
func TestRunCarriesOutAnInterruptedRollback(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPlan(t, nil)
		store := &MemoryStore{}
		ctx, cancel := context.WithCancel(context.Background())
		down := &rollbackDown{}
		var log1 logSink
		r, _ := New(Config{Plan: p, ID: "r9", Actuator: down, Store: store, Log: log1.add,
			Sources: []NamedSource{{Name: "prom", Source: metrics(0.5)}}})
		done := make(chan error, 1)
		go func() { _, err := r.Run(ctx); done <- err }()
		time.Sleep(10 * time.Minute)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("first run: %v", err)
		}
		s, err := store.Load(context.Background(), "r9")
		if err != nil || s.Phase != rollout.RolledBack {
			t.Fatalf("saved %+v %v", s, err)
		}
		if down.rollbacks.Load() == 0 {
			t.Fatal("the first run never tried to roll back")
		}
		up := &recorder{}
		var log2 logSink
		r2, _ := New(Config{Plan: p, ID: "r9", Actuator: up, Store: store, Log: log2.add})
		final, err := r2.Run(context.Background())
		if err != nil || final.Phase != rollout.RolledBack {
			t.Fatalf("second run: %+v %v", final, err)
		}
		if got := up.list(); !slices.Equal(got, []string{"rollback canary 10%"}) {
			t.Fatalf("second run's actuator calls %v, want the rollback", got)
		}
		if got := log2.actions(); !slices.Equal(got, []string{"actuation:rollback"}) {
			t.Fatalf("second run logged %v", got)
		}
	})
}

// rollbackDown exposes fine but cannot roll back.
type rollbackDown struct{ rollbacks atomic.Int64 }

func (*rollbackDown) SetExposure(context.Context, rollout.Decision) error { return nil }
func (*rollbackDown) Promote(context.Context, rollout.Decision) error     { return nil }
func (a *rollbackDown) RollBack(context.Context, rollout.Decision) error {
	a.rollbacks.Add(1)
	return errors.New("deploy system down")
}
