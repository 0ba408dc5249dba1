package flags_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/glidepath/glidepath/flags"
	"github.com/open-feature/go-sdk/openfeature"
)

type eventLog struct {
	mu     sync.Mutex
	events []flags.Event
}

func (l *eventLog) add(e flags.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) take() []flags.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.events
	l.events = nil
	return out
}

func kinds(es []flags.Event) []flags.EventKind {
	var out []flags.EventKind
	for _, e := range es {
		out = append(out, e.Kind)
	}
	return out
}

func TestFileWatcherPoll(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.yaml")
	store := &flags.Store{}
	log := &eventLog{}
	store.Subscribe(log.add)
	w := &flags.FileWatcher{Path: path, Store: store}
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name    string
		act     func()
		wantErr bool
		want    []flags.EventKind
		check   func(t *testing.T, es []flags.Event)
	}{
		{"missing file is stale", func() {}, true, []flags.EventKind{flags.EventStale}, nil},
		{"still missing reports once", func() {}, true, nil, nil},
		{"first valid file recovers and changes", func() { write(yamlV1) }, false, []flags.EventKind{flags.EventRecovered, flags.EventChanged},
			func(t *testing.T, es []flags.Event) {
				if !slices.Equal(es[1].Changed, []string{"banner", "checkout-v2"}) {
					t.Errorf("Changed = %v", es[1].Changed)
				}
			}},
		{"touched file, same content, is silent", func() { write(yamlV1) }, false, nil, nil},
		{"unchanged file is silent", func() {}, false, nil, nil},
		{"invalid file rejected", func() { write(yamlBad) }, true, []flags.EventKind{flags.EventRejected},
			func(t *testing.T, es []flags.Event) {
				if !errors.Is(es[0].Err, flags.ErrInvalidConfig) {
					t.Errorf("Err = %v", es[0].Err)
				}
				if store.Snapshot() == nil {
					t.Error("last good configuration lost")
				}
			}},
		{"same invalid file reported once", func() {}, false, nil, nil},
		{"fixed file applied", func() { write(yamlV2) }, false, []flags.EventKind{flags.EventRecovered, flags.EventChanged},
			func(t *testing.T, es []flags.Event) {
				if !slices.Equal(es[1].Changed, []string{"checkout-v2", "new-flag"}) {
					t.Errorf("Changed = %v", es[1].Changed)
				}
			}},
		{"valid change", func() { write(yamlV1) }, false, []flags.EventKind{flags.EventChanged}, nil},
		{"valid change back", func() { write(yamlV2) }, false, []flags.EventKind{flags.EventChanged}, nil},
		{"file removed", func() { _ = os.Remove(path) }, true, []flags.EventKind{flags.EventStale}, nil},
		{"same content back recovers", func() { write(yamlV2) }, false, []flags.EventKind{flags.EventRecovered}, nil},
		{"rejected again", func() { write(yamlBad) }, true, []flags.EventKind{flags.EventRejected}, nil},
		{"unreadable after a rejection", func() { _ = os.Remove(path) }, true, []flags.EventKind{flags.EventStale}, nil},
		{"the rejected content back is rejected, not recovered", func() { write(yamlBad) }, false, []flags.EventKind{flags.EventRejected},
			func(t *testing.T, es []flags.Event) {
				if !errors.Is(es[0].Err, flags.ErrInvalidConfig) {
					t.Errorf("Err = %v", es[0].Err)
				}
			}},
		{"unreadable again is reported again", func() { _ = os.Remove(path) }, true, []flags.EventKind{flags.EventStale}, nil},
		{"fix restoring the configuration in force only recovers", func() { write(yamlV2) }, false, []flags.EventKind{flags.EventRecovered}, nil},
		{"rejection then fix", func() { write(yamlBad) }, true, []flags.EventKind{flags.EventRejected}, nil},
		{"fix after rejection recovers then changes", func() { write(yamlV1) }, false, []flags.EventKind{flags.EventRecovered, flags.EventChanged}, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.act()
			err := w.Poll()
			if (err != nil) != st.wantErr {
				t.Errorf("Poll error = %v, want error %v", err, st.wantErr)
			}
			es := log.take()
			if !slices.Equal(kinds(es), st.want) {
				t.Fatalf("events %v, want %v", kinds(es), st.want)
			}
			if st.check != nil {
				st.check(t, es)
			}
		})
	}
}

// TestFileWatcherRun drives the polling loop with the real ticker inside a
// synctest bubble, where time advances only when every goroutine waits.
func TestFileWatcherRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.yaml")
	if err := os.WriteFile(path, []byte(yamlV1), 0o600); err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		store := &flags.Store{}
		w := &flags.FileWatcher{Path: path, Store: store, Interval: time.Minute}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			w.Run(ctx)
		}()
		synctest.Wait()
		if store.Snapshot() != nil {
			t.Fatal("loaded before the first tick")
		}
		<-time.After(time.Minute) // fake time: the bubble advances it at once
		synctest.Wait()
		if store.Snapshot() == nil {
			t.Fatal("not loaded after the first tick")
		}
		if err := os.WriteFile(path, []byte(yamlV2), 0o600); err != nil {
			t.Fatal(err)
		}
		<-time.After(time.Minute)
		synctest.Wait()
		if _, ok := store.Snapshot().Kind("new-flag"); !ok {
			t.Fatal("change not picked up")
		}
		cancel()
		<-done
	})
}

// TestFileWatcherPolled waits for each poll of a watcher whose Run loop is
// owned by a provider, through the Polled hook: one tick per edit, no
// sleeps. Polled must see the poll's events already delivered.
func TestFileWatcherPolled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.yaml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(yamlV1)
	store := &flags.Store{}
	log := &eventLog{}
	store.Subscribe(log.add)
	type result struct {
		err    error
		events []flags.Event
	}
	polled := make(chan result, 1)
	ticks := make(chan time.Time)
	w := &flags.FileWatcher{Path: path, Store: store, Ticks: ticks,
		Polled: func(err error) { polled <- result{err, log.take()} }}
	p := flags.NewProvider(store, flags.WithWatcher(w))
	if err := p.InitWithContext(t.Context(), openfeature.EvaluationContext{}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := p.ShutdownWithContext(t.Context()); err != nil {
			t.Error(err)
		}
	}()
	if r := <-polled; r.err != nil || !slices.Equal(kinds(r.events), []flags.EventKind{flags.EventChanged}) {
		t.Fatalf("initial load: %v %v", r.err, kinds(r.events))
	}
	steps := []struct {
		name    string
		content string // "" removes the file
		wantErr bool
		want    []flags.EventKind
	}{
		{"valid edit", yamlV2, false, []flags.EventKind{flags.EventChanged}},
		{"identical content", yamlV2, false, nil},
		{"rejected edit", yamlBad, true, []flags.EventKind{flags.EventRejected}},
		{"fixed", yamlV1, false, []flags.EventKind{flags.EventRecovered, flags.EventChanged}},
		{"unreadable", "", true, []flags.EventKind{flags.EventStale}},
		{"readable again", yamlV1, false, []flags.EventKind{flags.EventRecovered}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.content == "" {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			} else {
				write(st.content)
			}
			ticks <- time.Time{}
			r := <-polled
			if (r.err != nil) != st.wantErr {
				t.Errorf("poll error %v, want error %v", r.err, st.wantErr)
			}
			if !slices.Equal(kinds(r.events), st.want) {
				t.Errorf("events %v, want %v", kinds(r.events), st.want)
			}
			if store.Snapshot() == nil {
				t.Error("no configuration in force")
			}
		})
	}
}
