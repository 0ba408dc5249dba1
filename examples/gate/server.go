package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/isolated"

	"github.com/glidepath/glidepath/flags"
)

// config configures a server.
type config struct {
	// FlagFile is the flag configuration, in the flags package's format.
	FlagFile string
	// Flag is the boolean flag that gates the new checkout.
	Flag string
	// Interval is how often the flag file is read; zero means
	// flags.DefaultPollInterval.
	Interval time.Duration
	// Ticks, if set, triggers the reads instead of Interval, so that a test
	// decides when the file is read.
	Ticks <-chan time.Time
	// Polled, if set, is called after each read of the flag file, once its
	// events have been handled, with the read's error (nil when the file
	// was applied or had not changed), so that a test knows the read is over.
	Polled func(error)
	// Clock tells the flags the time, for ramps; nil means the system clock.
	Clock flags.Clock
}

// server serves a checkout page whose version a feature flag decides,
// through the OpenFeature SDK and the flags provider, and reloads the flag
// file while it runs.
type server struct {
	api    *openfeature.EvaluationAPI
	client *openfeature.Client
	store  *flags.Store
	flag   string
	unsub  func()

	mu     sync.Mutex // protects status
	status reloadStatus
}

// reloadStatus is what the server knows about its flag file.
type reloadStatus struct {
	Flags   string   `json:"flags"` // "ok", "rejected" or "stale"
	Error   string   `json:"error,omitempty"`
	Changed []string `json:"changed,omitempty"` // flags changed by the last reload
	Reloads int      `json:"reloads"`           // configurations applied since start
}

// newServer loads the flag file, registers the flags provider with an
// OpenFeature API instance of its own (no global state, so tests and other
// servers in the process do not interfere) and starts watching the file.
// Close stops the watcher.
func newServer(ctx context.Context, cfg config) (*server, error) {
	if cfg.Flag == "" {
		return nil, errors.New("gate: no flag to gate on")
	}
	s := &server{store: &flags.Store{}, flag: cfg.Flag, status: reloadStatus{Flags: "ok"}}
	// Record every reload, good or bad, for /healthz. The store calls us
	// without holding its locks.
	s.unsub = s.store.Subscribe(s.onEvent)
	watcher := &flags.FileWatcher{Path: cfg.FlagFile, Store: s.store, Interval: cfg.Interval, Ticks: cfg.Ticks, Polled: cfg.Polled}
	opts := []flags.ProviderOption{flags.WithWatcher(watcher)}
	if cfg.Clock != nil {
		opts = append(opts, flags.WithClock(cfg.Clock))
	}
	s.api = isolated.NewAPI()
	// The provider reads the file once here (an unreadable or invalid file
	// fails the start) and then watches it until Close.
	if err := s.api.SetProviderAndWait(ctx, flags.NewProvider(s.store, opts...)); err != nil {
		s.unsub()
		_ = s.api.Shutdown(ctx)
		return nil, err
	}
	s.client = s.api.NewClient()
	return s, nil
}

func (s *server) onEvent(e flags.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch e.Kind {
	case flags.EventChanged:
		s.status = reloadStatus{Flags: "ok", Changed: e.Changed, Reloads: s.status.Reloads + 1}
	case flags.EventRecovered:
		s.status.Flags, s.status.Error = "ok", ""
	case flags.EventRejected:
		s.status.Flags, s.status.Error = "rejected", e.Err.Error()
	case flags.EventStale:
		s.status.Flags, s.status.Error = "stale", e.Err.Error()
	}
}

// Close stops watching the flag file.
func (s *server) Close(ctx context.Context) error {
	s.unsub()
	return s.api.Shutdown(ctx)
}

// handler routes the server's two endpoints.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /checkout", s.checkout)
	mux.HandleFunc("GET /healthz", s.healthz)
	return mux
}

// checkoutPage is the response of /checkout: which checkout the user gets
// and why, as the flag decided.
type checkoutPage struct {
	User     string `json:"user"`
	Checkout string `json:"checkout"` // "v1" or "v2"
	Variant  string `json:"variant,omitempty"`
	Reason   string `json:"reason"`
	Error    string `json:"error,omitempty"`
}

func (s *server) checkout(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	if user == "" {
		http.Error(w, "missing user", http.StatusBadRequest)
		return
	}
	attrs := map[string]any{}
	if email := r.URL.Query().Get("email"); email != "" {
		attrs["email"] = email
	}
	// The fallback, false, is the old checkout: whatever goes wrong with
	// the flags, users keep a working page.
	d, err := s.client.BooleanValueDetails(r.Context(), s.flag, false, openfeature.NewEvaluationContext(user, attrs))
	page := checkoutPage{User: user, Checkout: "v1", Variant: d.Variant, Reason: string(d.Reason)}
	if d.Value {
		page.Checkout = "v2"
	}
	if err != nil {
		page.Error = err.Error()
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	st := s.status
	s.mu.Unlock()
	// A rejected edit is worth an alert, but the server keeps serving the
	// last good flags, so it stays healthy.
	writeJSON(w, http.StatusOK, st)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
