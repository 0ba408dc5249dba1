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
// notification API). Each poll reads the whole file and compares it with
// the content the previous poll saw; what it publishes to the store's
// subscribers depends on what it finds:
//
//   - Content unchanged since the previous poll: nothing, whether that
//     content was applied or rejected. (A rewrite with the same bytes is
//     unchanged.) If the previous poll could not read the file, the
//     source is readable again: [EventRecovered], or [EventRejected] again
//     if the content is the one rejected before.
//   - New, valid content: the configuration is swapped in atomically and
//     [EventChanged] names the flags it changed (no event if it changed
//     none). If the previous poll failed (unreadable or rejected),
//     [EventRecovered] comes first.
//   - New, invalid content: [EventRejected] with the error; the last good
//     configuration stays in force. Each distinct invalid content is
//     reported once.
//   - The file cannot be read: [EventStale] with the error, once until a
//     read succeeds again; the configuration in force keeps serving.
//
// So a rejected edit gives EventRejected; fixing the file then gives
// EventRecovered followed by EventChanged (unless the fix restores exactly
// the configuration in force, which gives EventRecovered alone).
//
// [FileWatcher.Poll] reads once and returns when the events of that read
// have been delivered. [FileWatcher.Run] polls on every tick; when
// something else owns Run (a [Provider] created [WithWatcher]), set Polled
// to learn when each read is over, for example to let a test wait for a
// reload without a second tick or a sleep.
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
	// Polled, if set, is called at the end of every poll (by Poll or Run)
	// with the error Poll returns, after the poll's events have been
	// delivered to the store's subscribers. It runs on the polling
	// goroutine with no lock held; it must not block for long, and must
	// not call Poll. Polls that overlap (Poll called while Run runs) may
	// call it concurrently.
	Polled func(error)

	mu        sync.Mutex // serializes polls; protects last
	last      []byte     // content last applied or rejected
	rejected  bool       // last was rejected
	rejectErr error      // why, when rejected
}

// Poll reads the file once and applies it if it changed; see
// [FileWatcher] for the events it publishes. It returns the read or
// validation error of new content, if any; content that an earlier poll
// rejected is not validated again and gives nil. Subscribers and Polled are called, in that order,
// before Poll returns and after the watcher's lock is released. Calls to
// Poll may be concurrent; they are applied one at a time.
func (w *FileWatcher) Poll() error {
	n, err := w.poll()
	n.send()
	if w.Polled != nil {
		w.Polled(err)
	}
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
			// Readable again after a failed read, but still invalid.
			return w.Store.unstale(Event{Kind: EventRejected, Err: w.rejectErr}), nil
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
		w.rejectErr = err
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
