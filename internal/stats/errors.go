package stats

import (
	"errors"
	"math"
	"strconv"
)

// ErrNoData is returned by [MannWhitney] when a sample is empty.
var ErrNoData = errors.New("stats: no data")

// ErrInvalidArgument is the sentinel wrapped by every [*ArgError]: a
// configuration value or parameter outside its documented domain.
var ErrInvalidArgument = errors.New("stats: invalid argument")

// ErrNegativeCount is returned by [SequentialTest.Observe] when an increment
// or a stored count is negative.
var ErrNegativeCount = errors.New("stats: negative count")

// ErrCountOverflow is returned by [SequentialTest.Observe] when a count would
// exceed the range of int64.
var ErrCountOverflow = errors.New("stats: count overflows int64")

// maxSampleMagnitude bounds sample values so that every pairwise difference
// x[i]-y[j], and every shifted value x[i]-d examined while searching for the
// shift estimate, stays finite.
const maxSampleMagnitude = math.MaxFloat64 / 4

// SampleError reports an unusable value in a sample: NaN, ±Inf, or a finite
// value so large in magnitude that differences between samples overflow.
type SampleError struct {
	Sample string  // "x" or "y"
	Index  int     // position of the value in the sample as passed in
	Value  float64 // the offending value
}

// Error returns a message such as "stats: sample x[3] is NaN".
func (e *SampleError) Error() string {
	msg := "stats: sample " + e.Sample + "[" + strconv.Itoa(e.Index) + "] is "
	switch {
	case math.IsNaN(e.Value):
		return msg + "NaN"
	case math.IsInf(e.Value, 1):
		return msg + "+Inf"
	case math.IsInf(e.Value, -1):
		return msg + "-Inf"
	}
	return msg + strconv.FormatFloat(e.Value, 'g', -1, 64) + ", too large in magnitude (limit ±MaxFloat64/4)"
}

// ArgError reports a configuration field or parameter outside its domain.
// It wraps [ErrInvalidArgument].
type ArgError struct {
	Field  string  // e.g. "CanaryShare" or "confLevel"
	Value  float64 // the rejected value
	Reason string  // e.g. "must be in (0, 1)"
}

// Error returns a message such as "stats: CanaryShare = 1.5: must be in (0, 1)".
func (e *ArgError) Error() string {
	return "stats: " + e.Field + " = " + strconv.FormatFloat(e.Value, 'g', -1, 64) + ": " + e.Reason
}

// Unwrap returns [ErrInvalidArgument].
func (e *ArgError) Unwrap() error { return ErrInvalidArgument }
