package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"github.com/glidepath/glidepath/rollout"
)

// ErrNotFound is returned by [Store.Load] for a rollout that has no saved state.
var ErrNotFound = errors.New("runner: state not found")

// Store persists rollout states by rollout ID.
type Store interface {
	// Load returns the saved state of rollout id, or an error wrapping ErrNotFound.
	Load(ctx context.Context, id string) (rollout.State, error)
	// Save replaces the saved state of rollout id.
	Save(ctx context.Context, id string, s rollout.State) error
}

var (
	_ Store = (*MemoryStore)(nil)
	_ Store = (*FileStore)(nil)
)

// MemoryStore keeps states in memory, as JSON so that callers never share
// them. The zero value is ready to use and safe for concurrent use.
type MemoryStore struct {
	mu sync.Mutex // protects m
	m  map[string][]byte
}

// Load implements [Store].
func (m *MemoryStore) Load(_ context.Context, id string) (rollout.State, error) {
	m.mu.Lock()
	b, ok := m.m[id]
	m.mu.Unlock()
	if !ok {
		return rollout.State{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	var s rollout.State
	if err := json.Unmarshal(b, &s); err != nil {
		return rollout.State{}, fmt.Errorf("runner: decoding state %q: %w", id, err)
	}
	return s, nil
}

// Save implements [Store].
func (m *MemoryStore) Save(_ context.Context, id string, s rollout.State) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("runner: encoding state %q: %w", id, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = make(map[string][]byte)
	}
	m.m[id] = b
	return nil
}

// FileStore keeps each state in a JSON file in Dir, named after the escaped
// rollout ID. Save writes a temporary file in Dir, syncs it and renames it
// over the old one (then syncs the directory), so a crash leaves either the
// old state or the new one, never a torn file. Concurrent saves of the same
// ID are last-writer-wins.
type FileStore struct {
	Dir string
}

func (f *FileStore) path(id string) string {
	return filepath.Join(f.Dir, url.PathEscape(id)+".json")
}

// Load implements [Store].
func (f *FileStore) Load(_ context.Context, id string) (rollout.State, error) {
	b, err := os.ReadFile(f.path(id))
	if errors.Is(err, os.ErrNotExist) {
		return rollout.State{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if err != nil {
		return rollout.State{}, fmt.Errorf("runner: %w", err)
	}
	var s rollout.State
	if err := json.Unmarshal(b, &s); err != nil {
		return rollout.State{}, fmt.Errorf("runner: decoding %s: %w", f.path(id), err)
	}
	return s, nil
}

// Save implements [Store].
func (f *FileStore) Save(_ context.Context, id string, s rollout.State) (err error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("runner: encoding state %q: %w", id, err)
	}
	tmp, err := os.CreateTemp(f.Dir, ".state-*.tmp")
	if err != nil {
		return fmt.Errorf("runner: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("runner: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("runner: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("runner: %w", err)
	}
	if err = os.Rename(tmp.Name(), f.path(id)); err != nil {
		return fmt.Errorf("runner: %w", err)
	}
	if d, derr := os.Open(f.Dir); derr == nil {
		// Make the rename durable; not every platform supports syncing a directory.
		_ = d.Sync()
		d.Close()
	}
	return nil
}
