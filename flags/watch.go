package flags

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"time"
)

// DefaultPollInterval is how often a [FileWatcher] reads its file when
// Interval is zero.
const DefaultPollInterval = 5 * time.Second

// FileWatcher keeps a [Store] in step with a configuration file by reading it
// periodically (polling works the same on every file system and needs no
// notification API). When the content changes and is valid, the new
// configuration is swapped in atomically; when it is invalid it is rejected,
// the last good configuration stays in force and an [EventRejected] is
// published; when the file cannot be read, an [EventStale] is published.
//
// Set Path and Store; the other fields are optional. Do not change the
// fields after the first call to [FileWatcher.Poll] or [FileWatcher.Run].
type FileWatcher struct {
	// Path is the file to read.
	Path string
	// Store receives the configurations.
	Store *Store
	// Parse decodes the file; nil means [ParseConfig]. Use [ParseFlagd]
	// for flagd definition files.
	Parse func([]byte) (Config, error)
	// Interval between reads; zero means [DefaultPollInterval].
	Interval time.Duration
	// Ticks, if set, drives the polling instead of a ticker with Interval,
	// so tests can decide when a poll happens.
	Ticks <-chan time.Time

	mu       sync.Mutex // serializes polls; protects last
	last     []byte     // content last applied or rejected
	rejected bool       // last was rejected
}

// Poll reads the file once and applies it if it changed. It returns the
// read or validation error, if any; the error is also published to the
// store's subscribers, which are called after the watcher's lock is
// released.
func (w *FileWatcher) Poll() error {
	n, err := w.poll()
	n.send()
	return err
}

func (w *FileWatcher) poll() (notification, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	data, err := os.ReadFile(w.Path)
	if err != nil {
		err = fmt.Errorf("flags: reading %s: %w", w.Path, err)
		return w.Store.publish(Event{Kind: EventStale, Err: err}), err
	}
	if w.last != nil && bytes.Equal(data, w.last) {
		if w.rejected {
			return notification{}, nil
		}
		return w.Store.recovered(), nil
	}
	parse := w.Parse
	if parse == nil {
		parse = ParseConfig
	}
	w.last = data
	cfg, err := parse(data)
	var snap *Snapshot
	if err == nil {
		snap, err = Compile(cfg)
	}
	if err != nil {
		w.rejected = true
		err = fmt.Errorf("flags: %s rejected: %w", w.Path, err)
		return w.Store.publish(Event{Kind: EventRejected, Err: err}), err
	}
	w.rejected = false
	// The swap happens under the watcher's lock so that the content it
	// remembers is the content in force.
	return w.Store.install(snap), nil
}

// Run polls until ctx is done, then returns. Errors are reported through
// the store's events, not returned.
func (w *FileWatcher) Run(ctx context.Context) {
	ticks := w.Ticks
	if ticks == nil {
		iv := w.Interval
		if iv <= 0 {
			iv = DefaultPollInterval
		}
		t := time.NewTicker(iv)
		defer t.Stop()
		ticks = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			_ = w.Poll()
		}
	}
}
