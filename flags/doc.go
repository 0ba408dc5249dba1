// Package flags is a deterministic feature-flag evaluator for staged
// exposure. Percentage rollouts are stable as exposure grows and identical
// on every replica; flags are served through an OpenFeature provider and,
// for hot paths, through typed handles that evaluate without allocating.
//
// A [Config] (written in Go, or decoded from YAML or JSON with
// [ParseConfig]) is compiled into an immutable [Snapshot]; a [Store] holds
// the snapshot in force and swaps it atomically on reload:
//
//	store, err := flags.NewStore(cfg)
//	checkout := flags.BoolFlag(store, "checkout-v2")
//	if checkout.ValueAt(flags.Context{TargetingKey: userID}, now, false) { ... }
//
// # Model
//
// A [Flag] has typed variants ([Bool], [String], [Int], [Float], [Object]
// values), a default variant, a [State], ordered [Rule] values, tags and
// metadata. A rule has an optional [Condition], a tree of All, Any and Not
// over attribute tests (equality, membership, prefixes and suffixes, RE2
// regular expressions, numeric and semantic-version comparison, go-version
// ranges), and yields a variant, a [Split] or the default. Conditions use
// three-valued logic: a test on a missing or ill-typed attribute is
// unknown, so negations never match by accident. Named segments in
// Config.Segments are written once and referenced from any rule.
//
// [Compile] rejects, with a [*ConfigError] naming the field path (for
// example flags.checkout-v2.rules[1].split: weights sum to 0), everything
// that can be caught before evaluation: unknown variants, negative or
// overflowing weights, duplicate keys, type mismatches, bad regular
// expressions and versions, prerequisite and segment cycles. Evaluation
// never fails for such reasons and never panics.
//
// # Evaluation
//
// A disabled flag, or one carrying a tag killed in Config.KilledTags or with
// [Store.Kill], resolves at once to the caller's fallback with
// [ReasonDisabled]. Otherwise each [Prerequisite] must resolve to one of its
// variants, else the default variant is served. Then the first matching
// rule decides; when none does, the default variant is served
// ([ReasonDefault], or [ReasonStatic] for a flag without rules). The
// [Decision] records the rule, the bucket and the ramp step.
//
// # Bucketing
//
// A split hashes the bucketing string with MurmurHash3 x86 32-bit, seed 0.
// By default the string is the flag key followed by the targeting key; a
// flag or split may set BucketBy to another attribute, a fixed seed
// ([BucketBySeed]) or a concatenation. The bucket is
// (hash × total weight) >> 32, and the first variant in declared order
// whose cumulative weight exceeds it wins. This is flagd's fractional
// operator bit for bit, so a subject gets the same variant here as from
// flagd; [ParseFlagd] translates flagd definition files. A subject without
// a bucketing value gets the default variant with [ReasonDefault].
//
// Flags bucketing by their own keys assign independently; flags that
// share a seed and a split assign alike.
//
// # Staged exposure
//
// A [Ramp] raises the weight of a split's first variant over time, in steps
// or linearly, taking it from the second variant. It is evaluated at the
// time passed in, so replicas agree without coordinating. Because the total
// weight never changes and the first variant holds the lowest buckets, a
// subject who has the first variant keeps it as the ramp advances; only
// subjects of the second variant move, and only to the first. Likewise, a
// new variant inserted right after the variant whose weight it takes (total
// unchanged) moves only that variant's subjects, and only to itself. Changing
// the total weight, or reordering variants, reshuffles subjects.
//
// [Snapshot.Exposure] tells, for each split rule of a flag, the exact share
// of each variant at a given time ([SplitExposure], [VariantShare]: value,
// weight, first bucket and total), with the rule and the ramp step in force, as
// evaluation computes them; [Snapshot.RampSchedule] lists the instants at
// which a ramp changes the weights ([RampChange]), so a planner can show
// "5% from Monday 09:00, 25% from Wednesday" without sampling subjects:
//
//	splits, _ := snap.Exposure("checkout-v2", now)
//	on, _ := splits[0].Share("on") // on.Fraction() == 0.25
//	changes, _ := snap.RampSchedule("checkout-v2")
//
// # Serving
//
// [Provider] serves a Store through the OpenFeature Go SDK, with events for
// reloads, rejected configurations and unreadable sources, and flag
// metadata that explains each decision. [FileWatcher] polls a file and
// feeds valid versions to the Store; an invalid version is rejected and the
// last good configuration stays in force. [Handle] is the native typed API
// over the same snapshots. Object values are copied whenever they leave the
// package (provider, handles, [Value]), so a caller that modifies one
// cannot change the configuration.
//
// Store subscribers ([Store.Subscribe]) see one [Event] per change of
// state, never repeats: a rejected edit gives [EventRejected] (the last
// good configuration stays); fixing the file then gives [EventRecovered]
// followed by [EventChanged] naming the changed flags; rewriting identical
// content gives nothing; an unreadable file gives [EventStale] once, and
// [EventRecovered] when it can be read again ([EventRejected] if it still
// holds content rejected before). The provider turns these into
// PROVIDER_ERROR, PROVIDER_READY, PROVIDER_CONFIGURATION_CHANGED and
// PROVIDER_STALE. FileWatcher.Polled is called after every poll, once its
// events are delivered, so a test can wait for a reload it triggered even
// when the provider owns the watcher's loop. A failed initial load fails
// the provider's initialization with an [openfeature.ProviderInitError]
// (PARSE_ERROR or GENERAL) that also matches [ErrInvalidConfig] when the
// file was invalid; the provider keeps watching and becomes ready once the
// file is fixed.
//
// Snapshots, stores, handles and providers are safe for concurrent use.
// Nothing in the package reads the clock except the thin wrappers
// [Handle.Value] and the provider (through its [Clock]).
package flags
