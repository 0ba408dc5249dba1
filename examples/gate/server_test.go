package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glidepath/glidepath/flags"
)

// fixedClock is the time the flags see; the sample has no ramp, but a test
// should not depend on the wall clock anyway.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// flagFile renders the sample's flag file with another weight for "on"
// (out of 100).
func flagFile(t *testing.T, on int) string {
	t.Helper()
	data, err := os.ReadFile("flags.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), `{variant: "on", weight: 10}`, fmt.Sprintf(`{variant: "on", weight: %d}`, on), 1)
	s = strings.Replace(s, `{variant: "off", weight: 90}`, fmt.Sprintf(`{variant: "off", weight: %d}`, 100-on), 1)
	if on != 10 && s == string(data) {
		t.Fatal("flags.yaml no longer has the split this test edits")
	}
	return s
}

// harness runs a server on a temporary copy of the flag file, with a tick
// channel that decides when the file is read and a channel that says when
// a read is over.
type harness struct {
	t      *testing.T
	srv    *server
	http   *httptest.Server
	path   string
	ticks  chan time.Time
	polled chan error
	events chan flags.Event
}

func newHarness(t *testing.T) *harness {
	h := &harness{
		t: t, path: filepath.Join(t.TempDir(), "flags.yaml"),
		ticks: make(chan time.Time), polled: make(chan error, 1), events: make(chan flags.Event, 16),
	}
	h.write(flagFile(t, 10))
	srv, err := newServer(t.Context(), config{
		FlagFile: h.path, Flag: "checkout-v2", Ticks: h.ticks,
		Polled: func(err error) { h.polled <- err },
		Clock:  fixedClock{time.Date(2026, 12, 14, 8, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The provider read the file once to start.
	if err := <-h.polled; err != nil {
		t.Fatalf("first read: %v", err)
	}
	h.srv = srv
	// The test learns what a read did from the store's events.
	unsub := srv.store.Subscribe(func(e flags.Event) { h.events <- e })
	h.http = httptest.NewServer(srv.handler())
	t.Cleanup(func() {
		h.http.Close()
		unsub()
		if err := srv.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return h
}

func (h *harness) write(content string) {
	h.t.Helper()
	if err := os.WriteFile(h.path, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// edit writes the file, lets the watcher read it, and returns the events
// the read produced and the read's error. The watcher calls Polled once the
// read's events have been delivered, so when it has, they are all in
// h.events, without sleeping.
func (h *harness) edit(content string) ([]flags.Event, error) {
	h.t.Helper()
	h.write(content)
	h.ticks <- time.Time{}
	err := <-h.polled
	var evs []flags.Event
	for {
		select {
		case e := <-h.events:
			evs = append(evs, e)
		default:
			return evs, err
		}
	}
}

// kinds lists the kinds of events, for messages and comparisons.
func kinds(evs []flags.Event) string {
	var ks []string
	for _, e := range evs {
		k := e.Kind.String()
		if e.Err != nil {
			k += "(" + e.Err.Error() + ")"
		}
		ks = append(ks, k)
	}
	return strings.Join(ks, " ")
}

func (h *harness) get(path string, v any) {
	h.t.Helper()
	resp, err := h.http.Client().Get(h.http.URL + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		h.t.Fatal(err)
	}
}

const users = 400

// exposed asks the server, over HTTP, which of the users get the new checkout.
func (h *harness) exposed() map[string]bool {
	h.t.Helper()
	out := map[string]bool{}
	for i := range users {
		var page checkoutPage
		h.get(fmt.Sprintf("/checkout?user=user-%03d", i), &page)
		if page.Error != "" {
			h.t.Fatalf("user-%03d: %s", i, page.Error)
		}
		if page.Checkout == "v2" {
			out[page.User] = true
		}
	}
	return out
}

// want evaluates the same file with the flags package directly: the HTTP
// path through the OpenFeature SDK must agree with it user for user.
func want(t *testing.T, content string) map[string]bool {
	t.Helper()
	cfg, err := flags.ParseConfig([]byte(content))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := flags.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for i := range users {
		user := fmt.Sprintf("user-%03d", i)
		d := snap.Evaluate("checkout-v2", flags.Context{TargetingKey: user}, time.Time{})
		if v, _ := d.Value().AsBool(); v {
			out[user] = true
		}
	}
	return out
}

func TestEditChangesExposureWithoutRestart(t *testing.T) {
	h := newHarness(t)

	before := h.exposed()
	if w := want(t, flagFile(t, 10)); !sameSet(before, w) {
		t.Fatalf("at 10%%: %d users exposed over HTTP, the flags package says %d", len(before), len(w))
	}
	if n := len(before); n < users*5/100 || n > users*15/100 {
		t.Fatalf("at 10%%: %d of %d users exposed", n, users)
	}

	// Raise the split to 50 %: the same server, a new exposure.
	if evs, err := h.edit(flagFile(t, 50)); err != nil || len(evs) != 1 || evs[0].Kind != flags.EventChanged || len(evs[0].Changed) != 1 || evs[0].Changed[0] != "checkout-v2" {
		t.Fatalf("events [%s], error %v; want one change of checkout-v2", kinds(evs), err)
	}
	after := h.exposed()
	if w := want(t, flagFile(t, 50)); !sameSet(after, w) {
		t.Fatalf("at 50%%: %d users exposed over HTTP, the flags package says %d", len(after), len(w))
	}
	if n := len(after); n < users*40/100 || n > users*60/100 {
		t.Fatalf("at 50%%: %d of %d users exposed", n, users)
	}
	// Widening keeps everyone who already had the new checkout.
	for u := range before {
		if !after[u] {
			t.Errorf("%s had the new checkout at 10%% but lost it at 50%%", u)
		}
	}

	var st reloadStatus
	h.get("/healthz", &st)
	if st.Flags != "ok" || st.Reloads != 2 {
		t.Errorf("healthz = %+v, want ok after 2 reloads (start and edit)", st)
	}

	// A staff account sees the new checkout whatever the split.
	var page checkoutPage
	h.get("/checkout?user=ana&email=ana@shop.example", &page)
	if page.Checkout != "v2" || page.Reason != "TARGETING_MATCH" {
		t.Errorf("staff page = %+v, want v2 by targeting match", page)
	}
}

func TestBrokenEditKeepsLastGoodFlags(t *testing.T) {
	tests := []struct {
		name    string
		content string
		wantErr string // in /healthz's error
	}{
		{"weights sum to zero", strings.Replace(strings.Replace(flagFile(t, 10), "weight: 10}", "weight: 0}", 1), "weight: 90}", "weight: 0}", 1), "flags.checkout-v2.rules[1].split"},
		{"unknown field", strings.Replace(flagFile(t, 10), "defaultVariant:", "defaultVarient:", 1), "defaultVarient"},
		{"not YAML", "flags: [", "rejected"},
		{"unknown variant", strings.Replace(flagFile(t, 10), `{variant: "on", weight: 10}`, `{variant: "maybe", weight: 10}`, 1), "maybe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			before := h.exposed()

			evs, err := h.edit(tc.content)
			if len(evs) != 1 || evs[0].Kind != flags.EventRejected {
				t.Fatalf("events [%s], want one rejection", kinds(evs))
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("read error %v, want one mentioning %q", err, tc.wantErr)
			}
			if after := h.exposed(); !sameSet(before, after) {
				t.Fatalf("exposure changed after a rejected edit: %d users before, %d after", len(before), len(after))
			}
			var st reloadStatus
			h.get("/healthz", &st)
			if st.Flags != "rejected" || !strings.Contains(st.Error, tc.wantErr) {
				t.Errorf("healthz = %+v, want rejected mentioning %q", st, tc.wantErr)
			}

			// Fixing the file applies the fix.
			if evs, err := h.edit(flagFile(t, 50)); err != nil || len(evs) == 0 || evs[len(evs)-1].Kind != flags.EventChanged {
				t.Fatalf("events [%s], error %v after the fix; want a change last", kinds(evs), err)
			}
			if got, w := h.exposed(), want(t, flagFile(t, 50)); !sameSet(got, w) {
				t.Errorf("after the fix: %d users exposed, want %d", len(got), len(w))
			}
			st = reloadStatus{} // omitted fields must not keep old values
			h.get("/healthz", &st)
			if st.Flags != "ok" || st.Error != "" {
				t.Errorf("healthz after the fix = %+v, want ok", st)
			}
		})
	}
}

func TestNewServerErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("flags: {x: {variants: {}}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  config
	}{
		{"missing file", config{FlagFile: filepath.Join(dir, "nope.yaml"), Flag: "checkout-v2"}},
		{"invalid file", config{FlagFile: bad, Flag: "checkout-v2"}},
		{"no flag", config{FlagFile: "flags.yaml"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Ticks = make(chan time.Time)
			s, err := newServer(t.Context(), tc.cfg)
			if err == nil {
				_ = s.Close(context.Background())
				t.Fatal("newServer succeeded")
			}
		})
	}
}

func TestCheckoutNeedsUser(t *testing.T) {
	h := newHarness(t)
	resp, err := h.http.Client().Get(h.http.URL + "/checkout")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %s, want 400", resp.Status)
	}
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
