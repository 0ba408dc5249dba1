package flags_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glidepath/glidepath/flags"
	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/isolated"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newClient registers p with a fresh, isolated API instance.
func newClient(t *testing.T, p openfeature.FeatureProvider) (*openfeature.EvaluationAPI, *openfeature.Client) {
	t.Helper()
	api := isolated.NewAPI()
	t.Cleanup(func() { _ = api.Shutdown(context.Background()) })
	if err := api.SetProviderAndWait(t.Context(), p); err != nil {
		t.Fatalf("SetProviderAndWait: %v", err)
	}
	return api, api.NewClient()
}

func providerConfig() flags.Config {
	internal := flags.Attr("email").EndsWith("@example.com")
	return flags.Config{Flags: map[string]flags.Flag{
		"static-bool": {Variants: map[string]flags.Value{"on": flags.Bool(true), "off": flags.Bool(false)}, DefaultVariant: "on",
			Metadata: map[string]flags.Value{"owner": flags.String("team-a")}},
		"greeting": {Variants: map[string]flags.Value{"hi": flags.String("hi"), "hello": flags.String("hello")}, DefaultVariant: "hi",
			Rules: []flags.Rule{{Name: "staff", When: &internal, Variant: "hello"}}},
		"limit":  {Variants: map[string]flags.Value{"low": flags.Int(10), "high": flags.Int(100)}, DefaultVariant: "low"},
		"ratio":  {Variants: map[string]flags.Value{"a": flags.Float(0.25), "b": flags.Float(0.5)}, DefaultVariant: "b"},
		"layout": {Variants: map[string]flags.Value{"grid": flags.Object(map[string]any{"cols": 3.0})}, DefaultVariant: "grid"},
		"experiment": {Variants: map[string]flags.Value{"control": flags.String("control"), "treatment": flags.String("treatment")},
			DefaultVariant: "control",
			Rules: []flags.Rule{{Name: "everyone", Split: &flags.Split{
				Variants: []flags.WeightedVariant{{Variant: "treatment", Weight: 0}, {Variant: "control", Weight: 100}},
				Ramp:     &flags.Ramp{Points: []flags.RampPoint{{At: t0.Add(-time.Hour), Weight: 50}}},
			}}}},
		"off-flag": {State: flags.Disabled, Variants: map[string]flags.Value{"on": flags.Bool(true)}, DefaultVariant: "on"},
	}}
}

func TestProviderThroughSDK(t *testing.T) {
	store, err := flags.NewStore(providerConfig())
	if err != nil {
		t.Fatal(err)
	}
	_, client := newClient(t, flags.NewProvider(store, flags.WithClock(fixedClock{t0})))
	ctx := t.Context()
	staff := openfeature.NewEvaluationContext("u1", map[string]any{"email": "ann@example.com"})
	anon := openfeature.NewTargetlessEvaluationContext(nil)

	t.Run("bool static", func(t *testing.T) {
		d, err := client.BooleanValueDetails(ctx, "static-bool", false, anon)
		if err != nil || !d.Value || d.Reason != openfeature.StaticReason || d.Variant != "on" {
			t.Fatalf("got %+v, %v", d, err)
		}
		if owner, _ := d.FlagMetadata.GetString("owner"); owner != "team-a" {
			t.Errorf("metadata owner = %q", owner)
		}
	})
	t.Run("string targeting match", func(t *testing.T) {
		d, err := client.StringValueDetails(ctx, "greeting", "x", staff)
		if err != nil || d.Value != "hello" || d.Reason != openfeature.TargetingMatchReason {
			t.Fatalf("got %+v, %v", d, err)
		}
		if rule, _ := d.FlagMetadata.GetString("rule"); rule != "staff" {
			t.Errorf("metadata rule = %q, want staff", rule)
		}
	})
	t.Run("string default", func(t *testing.T) {
		d, err := client.StringValueDetails(ctx, "greeting", "x", anon)
		if err != nil || d.Value != "hi" || d.Reason != openfeature.DefaultReason {
			t.Fatalf("got %+v, %v", d, err)
		}
	})
	t.Run("int", func(t *testing.T) {
		if v, err := client.IntValue(ctx, "limit", 1, anon); err != nil || v != 10 {
			t.Fatalf("got %v, %v", v, err)
		}
	})
	t.Run("float", func(t *testing.T) {
		if v, err := client.FloatValue(ctx, "ratio", 1, anon); err != nil || v != 0.5 {
			t.Fatalf("got %v, %v", v, err)
		}
	})
	t.Run("int flag read as float", func(t *testing.T) {
		if v, err := client.FloatValue(ctx, "limit", 1, anon); err != nil || v != 10 {
			t.Fatalf("got %v, %v", v, err)
		}
	})
	t.Run("object", func(t *testing.T) {
		v, err := client.ObjectValue(ctx, "layout", nil, anon)
		m, _ := v.(map[string]any)
		if err != nil || m["cols"] != 3.0 {
			t.Fatalf("got %v, %v", v, err)
		}
	})
	t.Run("split with ramp", func(t *testing.T) {
		d, err := client.StringValueDetails(ctx, "experiment", "x", openfeature.NewEvaluationContext("user-42", nil))
		if err != nil || d.Reason != openfeature.SplitReason {
			t.Fatalf("got %+v, %v", d, err)
		}
		b, err1 := d.FlagMetadata.GetInt("bucket")
		tw, err2 := d.FlagMetadata.GetInt("totalWeight")
		step, err3 := d.FlagMetadata.GetInt("rampStep")
		if err1 != nil || err2 != nil || err3 != nil || tw != 100 || step != 0 || b < 0 || b >= 100 {
			t.Fatalf("metadata %v", d.FlagMetadata)
		}
		want := "control"
		if b < 50 {
			want = "treatment"
		}
		if d.Value != want {
			t.Errorf("bucket %d gave %q, want %q", b, d.Value, want)
		}
	})
	t.Run("split without targeting key", func(t *testing.T) {
		d, err := client.StringValueDetails(ctx, "experiment", "x", anon)
		if err != nil || d.Value != "control" || d.Reason != openfeature.DefaultReason {
			t.Fatalf("got %+v, %v", d, err)
		}
		nb, err1 := d.FlagMetadata.GetBool("noBucketingValue")
		rule, err2 := d.FlagMetadata.GetString("rule")
		if err1 != nil || !nb || err2 != nil || rule != "everyone" {
			t.Errorf("metadata %v: want the rule and noBucketingValue", d.FlagMetadata)
		}
		if _, err := d.FlagMetadata.GetInt("bucket"); err == nil {
			t.Errorf("metadata %v has a bucket", d.FlagMetadata)
		}
	})
	t.Run("disabled", func(t *testing.T) {
		d, err := client.BooleanValueDetails(ctx, "off-flag", false, anon)
		if err != nil || d.Value || d.Reason != openfeature.DisabledReason {
			t.Fatalf("got %+v, %v", d, err)
		}
	})

	errCases := []struct {
		name string
		eval func() (openfeature.InterfaceEvaluationDetails, error)
		code openfeature.ErrorCode
	}{
		{"not found", func() (openfeature.InterfaceEvaluationDetails, error) {
			d, err := client.BooleanValueDetails(ctx, "nope", true, anon)
			return openfeature.InterfaceEvaluationDetails{Value: d.Value, EvaluationDetails: d.EvaluationDetails}, err
		}, openfeature.FlagNotFoundCode},
		{"type mismatch", func() (openfeature.InterfaceEvaluationDetails, error) {
			d, err := client.IntValueDetails(ctx, "greeting", 7, anon)
			return openfeature.InterfaceEvaluationDetails{Value: d.Value, EvaluationDetails: d.EvaluationDetails}, err
		}, openfeature.TypeMismatchCode},
		{"float flag read as int", func() (openfeature.InterfaceEvaluationDetails, error) {
			d, err := client.IntValueDetails(ctx, "ratio", 7, anon)
			return openfeature.InterfaceEvaluationDetails{Value: d.Value, EvaluationDetails: d.EvaluationDetails}, err
		}, openfeature.TypeMismatchCode},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.eval()
			if err == nil || d.ErrorCode != tc.code || d.Reason != openfeature.ErrorReason {
				t.Fatalf("got %+v, %v; want code %s", d, err, tc.code)
			}
		})
	}
}

func TestProviderTargetingKeyRequired(t *testing.T) {
	store, err := flags.NewStore(providerConfig())
	if err != nil {
		t.Fatal(err)
	}
	_, client := newClient(t, flags.NewProvider(store, flags.WithTargetingKeyRequired(), flags.WithClock(fixedClock{t0})))
	d, err := client.StringValueDetails(t.Context(), "experiment", "fb", openfeature.NewTargetlessEvaluationContext(nil))
	if err == nil || d.ErrorCode != openfeature.TargetingKeyMissingCode || d.Value != "fb" {
		t.Fatalf("got %+v, %v", d, err)
	}
	// Flags that do not split need no key.
	if v, err := client.Int(t.Context(), "limit", 0, openfeature.NewTargetlessEvaluationContext(nil)), error(nil); v != 10 || err != nil {
		t.Fatalf("limit = %d", v)
	}
}

func TestProviderWithoutDecisionMetadata(t *testing.T) {
	store, err := flags.NewStore(providerConfig())
	if err != nil {
		t.Fatal(err)
	}
	_, client := newClient(t, flags.NewProvider(store, flags.WithDecisionMetadata(false)))
	d, _ := client.StringValueDetails(t.Context(), "greeting", "x",
		openfeature.NewEvaluationContext("u", map[string]any{"email": "a@example.com"}))
	if d.Value != "hello" || len(d.FlagMetadata) != 0 {
		t.Fatalf("got %+v", d)
	}
}

// eventRecorder collects provider events delivered by the SDK.
type eventRecorder struct {
	mu     sync.Mutex
	events []openfeature.EventDetails
	kinds  []openfeature.EventType
	signal chan struct{}
}

func newRecorder(api *openfeature.EvaluationAPI) *eventRecorder {
	r := &eventRecorder{signal: make(chan struct{}, 100)}
	for _, et := range []openfeature.EventType{openfeature.ProviderConfigChange, openfeature.ProviderError,
		openfeature.ProviderStale, openfeature.ProviderReady} {
		cb := func(d openfeature.EventDetails) {
			r.mu.Lock()
			r.events = append(r.events, d)
			r.kinds = append(r.kinds, et)
			r.mu.Unlock()
			r.signal <- struct{}{}
		}
		api.AddHandler(et, &cb)
	}
	return r
}

// waitFor waits until an event of type et arrives and returns it.
func (r *eventRecorder) waitFor(t *testing.T, et openfeature.EventType) openfeature.EventDetails {
	t.Helper()
	timeout := time.After(10 * time.Second) // a safety net, not a timing assumption
	for {
		r.mu.Lock()
		for i, k := range r.kinds {
			if k == et {
				d := r.events[i]
				r.kinds = slices.Delete(r.kinds, 0, i+1)
				r.events = slices.Delete(r.events, 0, i+1)
				r.mu.Unlock()
				return d
			}
		}
		r.mu.Unlock()
		select {
		case <-r.signal:
		case <-timeout:
			t.Fatalf("no %s event", et)
		}
	}
}

const yamlV1 = `
flags:
  checkout-v2:
    variants: {"on": true, "off": false}
    defaultVariant: "off"
  banner:
    variants: {a: "A", b: "B"}
    defaultVariant: a
`

const yamlV2 = `
flags:
  checkout-v2:
    variants: {"on": true, "off": false}
    defaultVariant: "on"
  banner:
    variants: {a: "A", b: "B"}
    defaultVariant: a
  new-flag:
    variants: {x: 1}
    defaultVariant: x
`

const yamlBad = `
flags:
  checkout-v2:
    variants: {"on": true, "off": false}
    defaultVariant: maybe
`

func TestProviderEventsFromWatchedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.yaml")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(yamlV1)
	store := &flags.Store{}
	ticks := make(chan time.Time)
	w := &flags.FileWatcher{Path: path, Store: store, Ticks: ticks}
	p := flags.NewProvider(store, flags.WithWatcher(w))
	api := isolated.NewAPI()
	t.Cleanup(func() { _ = api.Shutdown(context.Background()) })
	rec := newRecorder(api)
	if err := api.SetProviderAndWait(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, openfeature.ProviderReady)
	client := api.NewClient()
	ctx, ec := t.Context(), openfeature.NewTargetlessEvaluationContext(nil)
	tick := func() { ticks <- t0 }

	if v := client.Boolean(ctx, "checkout-v2", true, ec); v {
		t.Fatal("v1 should serve off")
	}

	write(yamlV2)
	tick()
	d := rec.waitFor(t, openfeature.ProviderConfigChange)
	if want := []string{"checkout-v2", "new-flag"}; !slices.Equal(d.FlagChanges, want) {
		t.Errorf("FlagChanges = %v, want %v", d.FlagChanges, want)
	}
	if v := client.Boolean(ctx, "checkout-v2", false, ec); !v {
		t.Fatal("v2 should serve on")
	}

	write(yamlBad)
	tick()
	d = rec.waitFor(t, openfeature.ProviderError)
	// The SDK passes the message on, not the error code.
	if !strings.Contains(d.Message, "rejected") || !strings.Contains(d.Message, "maybe") {
		t.Errorf("error event message = %q", d.Message)
	}
	if v := client.Boolean(ctx, "checkout-v2", false, ec); !v {
		t.Fatal("the last good configuration must stay in force")
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	tick()
	rec.waitFor(t, openfeature.ProviderStale)
	if client.State() != openfeature.StaleState {
		t.Errorf("client state = %s, want STALE", client.State())
	}
	if v := client.Boolean(ctx, "checkout-v2", false, ec); !v {
		t.Fatal("a stale provider keeps serving")
	}

	write(yamlV2)
	tick()
	rec.waitFor(t, openfeature.ProviderReady)
	if client.State() != openfeature.ReadyState {
		t.Errorf("client state = %s, want READY", client.State())
	}
}

func TestProviderInitFailsWithoutValidFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.yaml")
	if err := os.WriteFile(path, []byte(yamlBad), 0o600); err != nil {
		t.Fatal(err)
	}
	store := &flags.Store{}
	ticks := make(chan time.Time)
	w := &flags.FileWatcher{Path: path, Store: store, Ticks: ticks}
	p := flags.NewProvider(store, flags.WithWatcher(w))
	api := isolated.NewAPI()
	t.Cleanup(func() { _ = api.Shutdown(context.Background()) })
	rec := newRecorder(api)
	err := api.SetProviderAndWait(t.Context(), p)
	if err == nil {
		t.Fatal("init should fail")
	}
	// The SDK takes the error code from a ProviderInitError (it does not
	// pass it on to event handlers, only the message).
	var initErr *openfeature.ProviderInitError
	if !errors.As(err, &initErr) || initErr.ErrorCode != openfeature.ParseErrorCode || !errors.Is(err, flags.ErrInvalidConfig) {
		t.Errorf("init error %v: want a PARSE_ERROR ProviderInitError wrapping ErrInvalidConfig", err)
	}
	if d := rec.waitFor(t, openfeature.ProviderError); !strings.Contains(d.Message, "rejected") || !strings.Contains(d.Message, "maybe") {
		t.Errorf("init error event message %q", d.Message)
	}
	client := api.NewClient()
	if client.State() != openfeature.ErrorState {
		t.Errorf("state = %s, want ERROR", client.State())
	}
	d, err := client.BooleanValueDetails(t.Context(), "checkout-v2", true, openfeature.NewTargetlessEvaluationContext(nil))
	if err == nil || d.ErrorCode != openfeature.ParseErrorCode || !d.Value {
		t.Fatalf("got %+v, %v; want PARSE_ERROR", d, err)
	}

	// The provider keeps watching: fixing the file makes it ready.
	if err := os.WriteFile(path, []byte(yamlV1), 0o600); err != nil {
		t.Fatal(err)
	}
	ticks <- t0
	rec.waitFor(t, openfeature.ProviderConfigChange)
	if client.State() != openfeature.ReadyState {
		t.Errorf("state = %s, want READY", client.State())
	}
	if v, err := client.BooleanValue(t.Context(), "checkout-v2", true, openfeature.NewTargetlessEvaluationContext(nil)); err != nil || v {
		t.Errorf("after the fix: %v, %v", v, err)
	}
}

func TestProviderWithoutConfiguration(t *testing.T) {
	_, client := newClient(t, flags.NewProvider(&flags.Store{}))
	d, err := client.BooleanValueDetails(t.Context(), "any", true, openfeature.NewTargetlessEvaluationContext(nil))
	if err == nil || d.ErrorCode != openfeature.GeneralCode || !d.Value {
		t.Fatalf("got %+v, %v; want GENERAL", d, err)
	}
}

func TestProviderLifecycle(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.yaml")
	if err := os.WriteFile(path, []byte(yamlV1), 0o600); err != nil {
		t.Fatal(err)
	}
	store := &flags.Store{}
	p := flags.NewProvider(store, flags.WithWatcher(&flags.FileWatcher{Path: path, Store: store, Ticks: make(chan time.Time)}),
		flags.WithName("test-provider"))
	if p.Metadata().Name != "test-provider" {
		t.Errorf("name = %q", p.Metadata().Name)
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	if err := p.InitWithContext(cancelled, openfeature.EvaluationContext{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("init with a cancelled context: %v", err)
	}
	if err := p.InitWithContext(t.Context(), openfeature.EvaluationContext{}); err != nil {
		t.Fatal(err)
	}
	if store.Snapshot() == nil {
		t.Fatal("init did not load the file")
	}
	// ShutdownWithContext waits for the watcher goroutine to exit.
	if err := p.ShutdownWithContext(t.Context()); err != nil {
		t.Fatal(err)
	}
	// A second shutdown, and Init/Shutdown without context, are harmless.
	if err := p.ShutdownWithContext(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := p.Init(openfeature.EvaluationContext{}); err != nil {
		t.Fatal(err)
	}
	p.Shutdown()
}

// TestProviderContextAwareThroughSDK checks that the SDK drives the
// provider through openfeature.ContextAwareStateHandler: SetProviderAndWait
// runs InitWithContext (which loads the file before READY and starts the
// watcher), and the API's Shutdown runs ShutdownWithContext, which stops
// the watcher before returning.
func TestProviderContextAwareThroughSDK(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.yaml")
	if err := os.WriteFile(path, []byte(yamlV1), 0o600); err != nil {
		t.Fatal(err)
	}
	store := &flags.Store{}
	ticks := make(chan time.Time)
	polled := make(chan error, 1)
	w := &flags.FileWatcher{Path: path, Store: store, Ticks: ticks, Polled: func(err error) { polled <- err }}
	api := isolated.NewAPI()
	var p openfeature.FeatureProvider = flags.NewProvider(store, flags.WithWatcher(w))
	if _, ok := p.(openfeature.ContextAwareStateHandler); !ok {
		t.Fatal("the provider is not a ContextAwareStateHandler")
	}
	if err := api.SetProviderAndWait(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	if err := <-polled; err != nil {
		t.Fatalf("initial load: %v", err)
	}
	client := api.NewClient()
	if client.State() != openfeature.ReadyState || store.Snapshot() == nil {
		t.Fatalf("state %s, snapshot %v", client.State(), store.Snapshot())
	}
	// The watcher runs: a tick is taken and polled.
	ticks <- t0
	if err := <-polled; err != nil {
		t.Fatal(err)
	}
	if err := api.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	// ShutdownWithContext returned only after the watcher stopped, so
	// nobody takes a tick any more.
	select {
	case ticks <- t0:
		t.Fatal("the watcher still runs after the API shut down")
	default:
	}
}

func TestProviderInitFailsWithoutFile(t *testing.T) {
	store := &flags.Store{}
	w := &flags.FileWatcher{Path: filepath.Join(t.TempDir(), "missing.yaml"), Store: store, Ticks: make(chan time.Time)}
	api := isolated.NewAPI()
	t.Cleanup(func() { _ = api.Shutdown(context.Background()) })
	err := api.SetProviderAndWait(t.Context(), flags.NewProvider(store, flags.WithWatcher(w)))
	var initErr *openfeature.ProviderInitError
	if !errors.As(err, &initErr) || initErr.ErrorCode != openfeature.GeneralCode || errors.Is(err, flags.ErrInvalidConfig) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("init error %v: want a GENERAL ProviderInitError wrapping os.ErrNotExist", err)
	}
	if st := api.NewClient().State(); st != openfeature.ErrorState {
		t.Errorf("state = %s, want ERROR", st)
	}
}
