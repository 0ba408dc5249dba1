package compat

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors that callers branch on with [errors.Is].
var (
	// ErrInvalidMatrix reports a matrix that failed validation; the
	// concrete error is a [*MatrixError].
	ErrInvalidMatrix = errors.New("compat: invalid matrix")
	// ErrNoPath reports that no upgrade path keeps every intermediate state
	// compatible; the concrete error is a [*NoPathError].
	ErrNoPath = errors.New("compat: no compatible upgrade path")
	// ErrSearchLimit reports that the planner gave up before finding a path
	// or proving that none exists; the concrete error is a [*NoPathError].
	ErrSearchLimit = errors.New("compat: upgrade search limit reached")
	// ErrIncompatible reports that the current or target deployment of a
	// plan does not pass [Matrix.Check]; the concrete error is a
	// [*StateError].
	ErrIncompatible = errors.New("compat: deployment is not compatible")
	// ErrInvalidPlanInput reports an unusable plan request, such as a
	// target version that is not a single version.
	ErrInvalidPlanInput = errors.New("compat: invalid plan input")
)

// ParseError describes a version or range that could not be parsed.
type ParseError struct {
	Kind   string // "version" or "range"
	Input  string // the text that was parsed
	Reason string // what is wrong with it
}

// Error implements the error interface.
func (e *ParseError) Error() string {
	return fmt.Sprintf("compat: invalid %s %q: %s", e.Kind, e.Input, e.Reason)
}

// FieldError is one problem in a matrix: where it is and what is wrong.
type FieldError struct {
	File   string // source file name, or "" for matrices built in Go
	Path   string // field path such as rules[3].requires.need.versions
	Value  string // the offending value, or ""
	Reason string // what is wrong
	Err    error  // underlying error, if any
}

// Error implements the error interface.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("compat: ")
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Value != "" {
		fmt.Fprintf(&b, "%q: ", e.Value)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// MatrixError lists every problem found while loading or compiling a
// matrix, or decoding a deployment ([DecodeDeployment], [LoadDeployment]).
// It matches [ErrInvalidMatrix] with [errors.Is].
type MatrixError struct {
	Problems []*FieldError
	what     string // "matrix" (when empty) or "deployment"
}

// Error implements the error interface. It lists up to ten problems, one a
// line.
func (e *MatrixError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0].Error()
	}
	var b strings.Builder
	what := e.what
	if what == "" {
		what = "matrix"
	}
	fmt.Fprintf(&b, "compat: invalid %s: %d problems", what, len(e.Problems))
	for i, p := range e.Problems {
		if i == 10 {
			fmt.Fprintf(&b, "\n\t... and %d more", len(e.Problems)-10)
			break
		}
		b.WriteString("\n\t")
		b.WriteString(strings.TrimPrefix(p.Error(), "compat: "))
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalidMatrix) true.
func (e *MatrixError) Is(target error) bool { return target == ErrInvalidMatrix }

// Unwrap returns the individual problems.
func (e *MatrixError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}
