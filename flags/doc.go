// Package flags is a deterministic feature-flag evaluator with staged
// exposure, served to services through an OpenFeature provider and through a
// typed native API for hot paths.
//
// # Model
//
// A [Config] maps flag keys to [Flag] definitions: typed variants, a default
// variant, a state, ordered [Rule] values over a [Condition] tree, tags and
// metadata. [Compile] validates a Config into an immutable [Snapshot]; every
// mistake that can be caught (unknown variants, bad weights, type
// mismatches, bad regular expressions, prerequisite cycles) is a load-time
// [*ConfigError] naming the field path, never an evaluation-time panic.
//
// # Bucketing
//
// A [Split] assigns variants by MurmurHash3 x86 32-bit (seed 0) of the
// bucketing string, by default flag key + targeting key, exactly as flagd's
// fractional operator does: bucket = (hash × total weight) >> 32, and the
// first variant whose cumulative weight exceeds the bucket wins. A subject
// gets the same variant from this package as from flagd. [ParseFlagd]
// translates flagd definition files into a Config.
//
// # Staged exposure
//
// A [Ramp] raises a split's first variant over time, evaluated at the time
// passed in, so every replica computes the same exposure. Subjects who have
// the first variant keep it as the ramp advances.
package flags
