package runner

import (
	"maps"
	"slices"
	"sync"
)

// Budget caps the rollouts in progress at once per label value: with limits
// {"region": 2, "team": 1}, at most two rollouts run in any one region and at
// most one per team. Labels without a limit are not capped. Share one Budget
// between the runners of a process. It is safe for concurrent use; the zero
// value caps nothing.
type Budget struct {
	limits map[string]int

	mu      sync.Mutex              // protects holders, inUse and wake
	holders map[string][]labelValue // rollout ID → label values it holds
	inUse   map[labelValue]int      // label value → rollouts holding it
	wake    chan struct{}           // closed and replaced when a slot frees
}

type labelValue struct{ label, value string }

// NewBudget returns a budget with the given limit per label. Limits below 1
// are treated as 1.
func NewBudget(limits map[string]int) *Budget {
	b := &Budget{limits: maps.Clone(limits)}
	for k, v := range b.limits {
		if v < 1 {
			b.limits[k] = 1
		}
	}
	return b
}

func (b *Budget) keys(labels map[string]string) []labelValue {
	var ks []labelValue
	for _, l := range slices.Sorted(maps.Keys(b.limits)) {
		if v, ok := labels[l]; ok {
			ks = append(ks, labelValue{l, v})
		}
	}
	return ks
}

// TryAcquire takes a slot for rollout id under each of its labels, if every
// one has room, and reports whether it did. A rollout that already holds its
// slots gets true again.
func (b *Budget) TryAcquire(id string, labels map[string]string) bool {
	return b.acquire(id, labels, false)
}

// acquire with force takes the slots even over the limit (a rollout found in
// progress on restart must be counted).
func (b *Budget) acquire(id string, labels map[string]string, force bool) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.holders[id]; ok {
		return true
	}
	ks := b.keys(labels)
	if !force {
		for _, k := range ks {
			if b.inUse[k] >= b.limits[k.label] {
				return false
			}
		}
	}
	if b.holders == nil {
		b.holders = map[string][]labelValue{}
		b.inUse = map[labelValue]int{}
	}
	b.holders[id] = ks
	for _, k := range ks {
		b.inUse[k]++
	}
	return true
}

// Release returns the slots of rollout id; releasing a rollout that holds
// nothing does nothing.
func (b *Budget) Release(id string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	ks, ok := b.holders[id]
	if !ok {
		return
	}
	delete(b.holders, id)
	for _, k := range ks {
		b.inUse[k]--
	}
	if b.wake != nil {
		close(b.wake)
		b.wake = nil
	}
}

// InUse returns how many rollouts hold a slot for label=value.
func (b *Budget) InUse(label, value string) int {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.inUse[labelValue{label, value}]
}

// changed returns a channel closed at the next Release.
func (b *Budget) changed() <-chan struct{} {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.wake == nil {
		b.wake = make(chan struct{})
	}
	return b.wake
}
