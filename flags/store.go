package flags

import (
	"maps"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Store holds the configuration in force and swaps it atomically: an
// evaluation uses one [Snapshot] from start to end, so it never sees a
// half-applied update. The zero Store is ready to use and holds no
// configuration until [Store.Replace] or a [FileWatcher] supplies one.
// A Store is safe for concurrent use.
type Store struct {
	snap atomic.Pointer[Snapshot]

	mu     sync.Mutex // protects the fields below; serializes updates
	subs   map[int]func(Event)
	nextID int
	kills  map[string]bool // tags killed at run time
	stale  bool            // the last read of the source failed
	err    error           // the last rejection or read failure, until the next install
}

// loadError returns the last rejection or read failure not yet superseded
// by a successful update.
func (s *Store) loadError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// NewStore compiles cfg into a new Store.
func NewStore(cfg Config) (*Store, error) {
	snap, err := Compile(cfg)
	if err != nil {
		return nil, err
	}
	s := &Store{}
	s.snap.Store(snap)
	return s, nil
}

// Snapshot returns the configuration in force, or nil if none has been
// loaded. The snapshot never changes; later updates replace it.
func (s *Store) Snapshot() *Snapshot { return s.snap.Load() }

// Evaluate evaluates flag key in the current snapshot. Without a
// configuration the decision carries [ErrNoConfig].
func (s *Store) Evaluate(key string, ec Context, now time.Time) Decision {
	snap := s.snap.Load()
	if snap == nil {
		return Decision{FlagKey: key, Reason: ReasonError, Rule: -1, Bucket: -1, RampStep: -1, Err: ErrNoConfig, idx: -1}
	}
	return snap.Evaluate(key, ec, now)
}

// Replace validates cfg and, if it is valid, swaps it in and notifies
// subscribers with an [EventChanged] naming the flags that changed (none
// if no flag did). If cfg is
// invalid, the configuration in force stays, subscribers get an
// [EventRejected], and the error is returned.
func (s *Store) Replace(cfg Config) error {
	snap, err := Compile(cfg)
	if err != nil {
		s.publish(Event{Kind: EventRejected, Err: err}).send()
		return err
	}
	s.install(snap).send()
	return nil
}

// install swaps snap in (with the run-time kill switches applied) and
// returns the notification to send once the caller holds no lock.
func (s *Store) install(snap *Snapshot) notification {
	s.mu.Lock()
	for tag := range s.kills {
		snap = snap.withKilled(tag, true)
	}
	old := s.snap.Swap(snap)
	degraded := s.stale || s.err != nil
	s.stale, s.err = false, nil
	subs := s.subscribers()
	s.mu.Unlock()
	changed := diffSnapshots(old, snap)
	n := notification{subs: subs}
	if degraded {
		n.events = append(n.events, Event{Kind: EventRecovered})
	}
	if len(changed) > 0 {
		n.events = append(n.events, Event{Kind: EventChanged, Changed: changed})
	}
	return n
}

// Kill switches off every flag tagged tag, immediately and until
// [Store.Revive], across configuration reloads. Killed flags resolve to the
// caller's fallback with reason DISABLED.
func (s *Store) Kill(tag string) { s.setKill(tag, true) }

// Revive undoes [Store.Kill]. Tags listed in Config.KilledTags stay killed.
func (s *Store) Revive(tag string) { s.setKill(tag, false) }

func (s *Store) setKill(tag string, kill bool) {
	s.mu.Lock()
	if kill {
		if s.kills == nil {
			s.kills = map[string]bool{}
		}
		s.kills[tag] = true
	} else {
		delete(s.kills, tag)
	}
	old := s.snap.Load()
	if old == nil {
		s.mu.Unlock()
		return
	}
	var snap *Snapshot
	if !kill && old.configKilled[tag] {
		snap = old // the configuration itself kills the tag
	} else {
		snap = old.withKilled(tag, kill)
	}
	s.snap.Store(snap)
	subs := s.subscribers()
	s.mu.Unlock()
	if changed := diffSnapshots(old, snap); len(changed) > 0 {
		notify(subs, Event{Kind: EventChanged, Changed: changed})
	}
}

// Subscribe registers fn to be called with every [Event]. fn runs on the
// goroutine that caused the event, without any lock held; it must not
// block for long. Events from concurrent updates may arrive in either
// order. The returned function unsubscribes.
func (s *Store) Subscribe(fn func(Event)) (unsubscribe func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.subs == nil {
		s.subs = map[int]func(Event){}
	}
	id := s.nextID
	s.nextID++
	s.subs[id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

// subscribers returns the callbacks in registration order; s.mu is held.
func (s *Store) subscribers() []func(Event) {
	ids := slices.Sorted(maps.Keys(s.subs))
	out := make([]func(Event), len(ids))
	for i, id := range ids {
		out[i] = s.subs[id]
	}
	return out
}

// publish records a rejection or read failure and returns the
// notification to send; a repeated EventStale sends nothing.
func (s *Store) publish(e Event) notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch e.Kind {
	case EventStale:
		if s.stale {
			return notification{} // already reported
		}
		s.stale, s.err = true, e.Err
	case EventRejected:
		s.stale, s.err = false, e.Err // the source was read
	}
	return notification{s.subscribers(), []Event{e}}
}

// unstale publishes e if the last read of the source failed, for a source
// that is readable again but still holds content rejected earlier.
func (s *Store) unstale(e Event) notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stale {
		return notification{}
	}
	s.stale, s.err = false, e.Err
	return notification{s.subscribers(), []Event{e}}
}

// recovered reports that the source is readable again and unchanged
// since the configuration in force was loaded.
func (s *Store) recovered() notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stale {
		return notification{}
	}
	s.stale, s.err = false, nil
	return notification{s.subscribers(), []Event{{Kind: EventRecovered}}}
}

// notification is an event and the subscribers to send it to, prepared
// under a lock and sent after it is released.
type notification struct {
	subs   []func(Event)
	events []Event
}

func (n notification) send() {
	for _, e := range n.events {
		notify(n.subs, e)
	}
}

func notify(subs []func(Event), e Event) {
	for _, fn := range subs {
		fn(e)
	}
}

// diffSnapshots returns the keys of flags added, removed, redefined, killed
// or revived between old and new, and of the flags that require them,
// sorted.
func diffSnapshots(old, new *Snapshot) []string {
	var changed []string
	if old == nil {
		return new.Keys()
	}
	for _, f := range new.list {
		o, ok := old.flags[f.key]
		if !ok || o.fp != f.fp || old.killed[o.index] != new.killed[f.index] {
			changed = append(changed, f.key)
		}
	}
	for _, o := range old.list {
		if _, ok := new.flags[o.key]; !ok {
			changed = append(changed, o.key)
		}
	}
	// A flag whose prerequisite changed may resolve differently too.
	// Prerequisites form no cycles, so this ends.
	set := make(map[string]bool, len(changed))
	for _, k := range changed {
		set[k] = true
	}
	for grew := len(changed) > 0; grew; {
		grew = false
		for _, f := range new.list {
			if set[f.key] {
				continue
			}
			for _, p := range f.prereqs {
				if set[p.flag.key] {
					set[f.key] = true
					changed = append(changed, f.key)
					grew = true
					break
				}
			}
		}
	}
	slices.Sort(changed)
	return changed
}

// EventKind classifies an [Event].
type EventKind uint8

// Event kinds.
const (
	// EventChanged: a new configuration is in force; Changed lists the
	// flags it affects (see Event.Changed).
	EventChanged EventKind = iota
	// EventRejected: a new configuration was invalid and was not applied;
	// the previous one stays in force. Err says why.
	EventRejected
	// EventStale: the source could not be read; the configuration in force
	// may be out of date. Err says why.
	EventStale
	// EventRecovered: after an EventStale or EventRejected, the source is
	// readable and valid again. If the configuration changed as well, an
	// EventChanged follows.
	EventRecovered
)

var eventKindNames = [...]string{"changed", "rejected", "stale", "recovered"}

// String returns the kind's lower-case name.
func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event reports a change in a [Store]'s configuration or its source.
type Event struct {
	// Kind says what happened.
	Kind EventKind
	// Changed lists the flags an EventChanged affects, sorted: those
	// added, removed, redefined (segments they use included), killed or
	// revived, and those that require one of them.
	Changed []string
	// Err is the reason for an EventRejected or EventStale.
	Err error
}
