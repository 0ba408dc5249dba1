package flags

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-feature/go-sdk/openfeature"
)

// Clock tells the time. The provider reads it once per evaluation, at the
// edge; everything below takes the time as a parameter.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// providerEventBuffer absorbs bursts of events until the SDK drains them.
const providerEventBuffer = 32

// Provider serves a [Store] through the OpenFeature Go SDK. It implements
// [openfeature.FeatureProvider] for all five types,
// [openfeature.ContextAwareStateHandler] and [openfeature.EventHandler].
//
// Reasons are STATIC, TARGETING_MATCH, SPLIT, DISABLED, DEFAULT and ERROR;
// errors are FLAG_NOT_FOUND, TYPE_MISMATCH, PARSE_ERROR (no valid
// configuration could be loaded), TARGETING_KEY_MISSING (a split needs a
// targeting key, only with [WithTargetingKeyRequired]) and GENERAL. Flag
// metadata holds the flag's own metadata plus, unless
// [WithDecisionMetadata](false), why the subject got its variant: "rule"
// and "ruleIndex" of the deciding rule, "bucket" and "totalWeight" of a
// split, "rampStep" of a ramp, "noBucketingValue" (true) when a split could
// not bucket the subject, and "prerequisite" when one failed. The
// metadata maps are shared between evaluations; the SDK hands callers
// copies, and direct callers of the provider must not modify them.
//
// Events: PROVIDER_CONFIGURATION_CHANGED with the changed flag keys after
// each applied update, PROVIDER_ERROR when an update is rejected (the last
// good configuration stays in force), PROVIDER_STALE when the source cannot
// be read, PROVIDER_READY when it recovers. The SDK itself emits
// PROVIDER_READY after a successful initialization.
type Provider struct {
	store     *Store
	clock     Clock
	name      string
	explain   bool
	requireTK bool
	watcher   *FileWatcher
	events    chan openfeature.Event

	mu          sync.Mutex // protects the fields below
	unsubscribe func()
	cancel      context.CancelFunc
	done        chan struct{}
}

var (
	_ openfeature.FeatureProvider          = (*Provider)(nil)
	_ openfeature.ContextAwareStateHandler = (*Provider)(nil)
	_ openfeature.EventHandler             = (*Provider)(nil)
)

// ProviderOption configures a [Provider].
type ProviderOption func(*Provider)

// WithClock sets the clock that ramps are evaluated against (default: the
// system clock).
func WithClock(c Clock) ProviderOption { return func(p *Provider) { p.clock = c } }

// WithName sets the provider name reported to the SDK (default "glidepath-flags").
func WithName(name string) ProviderOption { return func(p *Provider) { p.name = name } }

// WithDecisionMetadata turns the per-evaluation explanation in flag
// metadata on (the default) or off. Off, an evaluation allocates nothing
// beyond what the SDK allocates.
func WithDecisionMetadata(on bool) ProviderOption { return func(p *Provider) { p.explain = on } }

// WithTargetingKeyRequired makes a split that has no targeting key to bucket
// by fail with TARGETING_KEY_MISSING, instead of serving the default variant
// with reason DEFAULT.
func WithTargetingKeyRequired() ProviderOption { return func(p *Provider) { p.requireTK = true } }

// WithWatcher has the provider load w's file when it is initialized and
// watch it until it is shut down. w must feed the provider's store.
func WithWatcher(w *FileWatcher) ProviderOption { return func(p *Provider) { p.watcher = w } }

// NewProvider returns a provider serving store.
func NewProvider(store *Store, opts ...ProviderOption) *Provider {
	p := &Provider{store: store, clock: systemClock{}, name: "glidepath-flags", explain: true,
		events: make(chan openfeature.Event, providerEventBuffer)}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Metadata implements [openfeature.FeatureProvider].
func (p *Provider) Metadata() openfeature.Metadata { return openfeature.Metadata{Name: p.name} }

// Hooks implements [openfeature.FeatureProvider]; the provider has none.
func (p *Provider) Hooks() []openfeature.Hook { return nil }

// EventChannel implements [openfeature.EventHandler]. Events that find the
// buffer full are dropped rather than blocking an update.
func (p *Provider) EventChannel() <-chan openfeature.Event { return p.events }

// Init implements [openfeature.StateHandler].
func (p *Provider) Init(evalCtx openfeature.EvaluationContext) error {
	return p.InitWithContext(context.Background(), evalCtx)
}

// InitWithContext implements [openfeature.ContextAwareStateHandler]: it
// subscribes to the store and, with a watcher, loads the file and starts
// watching it. If no valid configuration can be loaded it returns the error
// (the SDK reports PROVIDER_ERROR, with error code PARSE_ERROR for an
// invalid file and GENERAL for an unreadable one) but keeps watching: once the file is
// fixed, PROVIDER_CONFIGURATION_CHANGED brings the provider to READY.
func (p *Provider) InitWithContext(ctx context.Context, _ openfeature.EvaluationContext) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	running := p.cancel != nil
	p.mu.Unlock()
	var loadErr error
	if p.watcher != nil && !running {
		// The initial load is reported by the SDK's READY (or ERROR), so
		// it happens before subscribing, and without p.mu held since it
		// calls the store's subscribers.
		if err := p.watcher.Poll(); err != nil && p.store.Snapshot() == nil {
			loadErr = newInitError(err)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unsubscribe == nil {
		p.unsubscribe = p.store.Subscribe(p.onEvent)
	}
	if p.watcher != nil && p.cancel == nil {
		// Watch even after a failed load, so that a fixed file recovers.
		runCtx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		p.cancel, p.done = cancel, done
		go func() {
			defer close(done)
			p.watcher.Run(runCtx)
		}()
	}
	return loadErr
}

// initError is a failed initial load. It reads as the load error, and
// unwraps both to it (for errors.Is with [ErrInvalidConfig]) and to an
// [openfeature.ProviderInitError], from which the SDK takes the error code
// of its PROVIDER_ERROR event: PARSE_ERROR for an invalid file, GENERAL for
// an unreadable one.
type initError struct {
	err error
	of  *openfeature.ProviderInitError
}

func newInitError(err error) error {
	code := openfeature.GeneralCode
	if errors.Is(err, ErrInvalidConfig) {
		code = openfeature.ParseErrorCode
	}
	return &initError{err: err, of: &openfeature.ProviderInitError{ErrorCode: code, Message: err.Error()}}
}

func (e *initError) Error() string   { return e.err.Error() }
func (e *initError) Unwrap() []error { return []error{e.err, e.of} }

// Shutdown implements [openfeature.StateHandler].
func (p *Provider) Shutdown() { _ = p.ShutdownWithContext(context.Background()) }

// ShutdownWithContext implements [openfeature.ContextAwareStateHandler]: it
// stops the watcher and waits for it, or for ctx.
func (p *Provider) ShutdownWithContext(ctx context.Context) error {
	p.mu.Lock()
	cancel, done, unsub := p.cancel, p.done, p.unsubscribe
	p.cancel, p.done, p.unsubscribe = nil, nil, nil
	p.mu.Unlock()
	if unsub != nil {
		unsub()
	}
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Provider) onEvent(e Event) {
	ev := openfeature.Event{ProviderName: p.name}
	switch e.Kind {
	case EventChanged:
		ev.EventType = openfeature.ProviderConfigChange
		ev.Message = "flag configuration changed"
		ev.FlagChanges = e.Changed
	case EventRejected:
		ev.EventType = openfeature.ProviderError
		ev.Message = "configuration rejected, previous one stays in force: " + e.Err.Error()
		ev.ErrorCode = openfeature.ParseErrorCode
	case EventStale:
		ev.EventType = openfeature.ProviderStale
		ev.Message = "flag source unreadable: " + e.Err.Error()
	case EventRecovered:
		ev.EventType = openfeature.ProviderReady
		ev.Message = "flag source readable again"
	default:
		return
	}
	select {
	case p.events <- ev:
	default:
	}
}

// BooleanEvaluation implements [openfeature.FeatureProvider].
func (p *Provider) BooleanEvaluation(_ context.Context, key string, def bool, flat openfeature.FlattenedContext) openfeature.BoolResolutionDetail {
	v, d := resolveTyped(p, key, KindBool, def, flat, func(f *flag, i int) bool { return f.boolVals[i] })
	return openfeature.BoolResolutionDetail{Value: v, ProviderResolutionDetail: d}
}

// StringEvaluation implements [openfeature.FeatureProvider].
func (p *Provider) StringEvaluation(_ context.Context, key string, def string, flat openfeature.FlattenedContext) openfeature.StringResolutionDetail {
	v, d := resolveTyped(p, key, KindString, def, flat, func(f *flag, i int) string { return f.strVals[i] })
	return openfeature.StringResolutionDetail{Value: v, ProviderResolutionDetail: d}
}

// FloatEvaluation implements [openfeature.FeatureProvider]; integer flags
// are served as floats too.
func (p *Provider) FloatEvaluation(_ context.Context, key string, def float64, flat openfeature.FlattenedContext) openfeature.FloatResolutionDetail {
	v, d := resolveTyped(p, key, KindFloat, def, flat, func(f *flag, i int) float64 { return f.floatVals[i] })
	return openfeature.FloatResolutionDetail{Value: v, ProviderResolutionDetail: d}
}

// IntEvaluation implements [openfeature.FeatureProvider].
func (p *Provider) IntEvaluation(_ context.Context, key string, def int64, flat openfeature.FlattenedContext) openfeature.IntResolutionDetail {
	v, d := resolveTyped(p, key, KindInt, def, flat, func(f *flag, i int) int64 { return f.intVals[i] })
	return openfeature.IntResolutionDetail{Value: v, ProviderResolutionDetail: d}
}

// ObjectEvaluation implements [openfeature.FeatureProvider]. Each call
// returns its own copy of the variant's maps and slices, so a caller that
// modifies the result cannot change the configuration or other callers'
// results.
func (p *Provider) ObjectEvaluation(_ context.Context, key string, def any, flat openfeature.FlattenedContext) openfeature.InterfaceResolutionDetail {
	v, d := resolveTyped(p, key, KindObject, def, flat, func(f *flag, i int) any { return cloneTree(f.anyValues[i]) })
	return openfeature.InterfaceResolutionDetail{Value: v, ProviderResolutionDetail: d}
}

var ofReasons = [...]openfeature.Reason{
	ReasonStatic:         openfeature.StaticReason,
	ReasonTargetingMatch: openfeature.TargetingMatchReason,
	ReasonSplit:          openfeature.SplitReason,
	ReasonDisabled:       openfeature.DisabledReason,
	ReasonDefault:        openfeature.DefaultReason,
	ReasonError:          openfeature.ErrorReason,
}

func resolveTyped[T any](p *Provider, key string, kind Kind, def T, flat openfeature.FlattenedContext,
	get func(*flag, int) T) (T, openfeature.ProviderResolutionDetail) {
	snap := p.store.snap.Load()
	if snap == nil {
		return def, p.noConfig()
	}
	f, ok := snap.flags[key]
	if !ok {
		return def, openfeature.ProviderResolutionDetail{Reason: openfeature.ErrorReason,
			ResolutionError: openfeature.NewFlagNotFoundResolutionError("flag " + key + " not found")}
	}
	if f.kind != kind && (kind != KindFloat || f.kind != KindInt) {
		return def, openfeature.ProviderResolutionDetail{Reason: openfeature.ErrorReason,
			ResolutionError: openfeature.NewTypeMismatchResolutionError("flag " + key + " is of type " + f.kind.String() + ", not " + kind.String())}
	}
	ec := Context{Attributes: flat}
	if tk, ok := flat[TargetingKey].(string); ok {
		ec.TargetingKey = tk
	}
	var d Decision
	snap.eval(f, &ec, unixNanos(p.clock.Now()), &d)
	if d.NoBucketingValue && p.requireTK && ec.TargetingKey == "" {
		return def, openfeature.ProviderResolutionDetail{Reason: openfeature.ErrorReason,
			ResolutionError: openfeature.NewTargetingKeyMissingResolutionError("flag " + key + " splits by targeting key, and none was given")}
	}
	out := openfeature.ProviderResolutionDetail{Reason: ofReasons[d.Reason], Variant: d.Variant, FlagMetadata: p.metadata(f, &d)}
	if d.idx < 0 {
		return def, out
	}
	return get(f, d.idx), out
}

func (p *Provider) noConfig() openfeature.ProviderResolutionDetail {
	err := p.store.loadError()
	if err == nil {
		return openfeature.ProviderResolutionDetail{Reason: openfeature.ErrorReason,
			ResolutionError: openfeature.NewGeneralResolutionError(ErrNoConfig.Error())}
	}
	if errors.Is(err, ErrInvalidConfig) {
		return openfeature.ProviderResolutionDetail{Reason: openfeature.ErrorReason,
			ResolutionError: openfeature.NewParseErrorResolutionError("no valid flag configuration: "+err.Error(), err)}
	}
	return openfeature.ProviderResolutionDetail{Reason: openfeature.ErrorReason,
		ResolutionError: openfeature.NewGeneralResolutionError("no flag configuration: "+err.Error(), err)}
}

// metadata returns the flag metadata for d. The maps are built once per
// rule, prerequisite, or split bucket and ramp step, and shared (the SDK
// copies them), so explaining a decision costs no allocation.
func (p *Provider) metadata(f *flag, d *Decision) openfeature.FlagMetadata {
	if !p.explain {
		return f.meta
	}
	if d.FailedPrerequisite != "" {
		for i := range f.prereqs {
			if f.prereqs[i].flag.key == d.FailedPrerequisite {
				return f.prereqs[i].meta
			}
		}
	}
	if d.Rule < 0 {
		return f.meta
	}
	r := &f.rules[d.Rule]
	if d.NoBucketingValue {
		return r.noBucketMeta
	}
	if d.Bucket < 0 || r.split == nil {
		return r.meta
	}
	sp := r.split
	var slot *atomic.Pointer[bucketMeta]
	if d.Bucket < int64(len(sp.metaCache)) {
		slot = &sp.metaCache[d.Bucket]
		if e := slot.Load(); e != nil && e.step == d.RampStep {
			return e.m
		}
	}
	m := withMeta(r.meta, "bucket", d.Bucket, "totalWeight", d.TotalWeight)
	if d.RampStep >= 0 {
		m["rampStep"] = int64(d.RampStep)
	}
	if slot != nil {
		slot.Store(&bucketMeta{step: d.RampStep, m: m})
	}
	return m
}
