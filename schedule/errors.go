package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Sentinel errors that callers branch on with [errors.Is]. Errors returned by
// this package wrap one of them where it applies.
var (
	// ErrSyntax reports text that does not follow the grammar of its form.
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownZone reports a time zone name that is neither an IANA zone
	// nor a fixed offset.
	ErrUnknownZone = errors.New("unknown time zone")
	// ErrUnsupported reports a valid but unsupported construct, such as an
	// RRULE part this package does not implement.
	ErrUnsupported = errors.New("unsupported")
	// ErrInvalidDuration reports a zero, negative or unparsable duration.
	ErrInvalidDuration = errors.New("invalid duration")
	// ErrImpossibleRule reports a rule that can never produce an occurrence,
	// such as February 30.
	ErrImpossibleRule = errors.New("rule never occurs")
	// ErrWindowTooLong reports a window longer than the spacing of its
	// recurrence, so that it would overlap its own next occurrence.
	ErrWindowTooLong = errors.New("window longer than its period")
	// ErrInvalidConfig reports any other invalid value.
	ErrInvalidConfig = errors.New("invalid configuration")
	// ErrUnknownParty reports a query naming a party the calendar lacks.
	ErrUnknownParty = errors.New("unknown party")
	// ErrNoSlot reports that a search found nothing within its horizon.
	ErrNoSlot = errors.New("no slot within horizon")
)

// ParseError describes a value that could not be parsed or validated. Field is
// a path such as "parties[1].windows[0].cron" or "rrule.BYDAY".
type ParseError struct {
	Field  string // where the bad value is
	Value  string // the bad value, verbatim
	Reason string // what is wrong with it
	Err    error  // one of the ErrXxx sentinels
}

// Error implements the error interface.
func (e *ParseError) Error() string {
	msg := "schedule: "
	if e.Field != "" {
		msg += e.Field + ": "
	}
	if e.Value != "" {
		msg += strconv.Quote(e.Value) + ": "
	}
	return msg + e.Reason
}

// Unwrap returns the sentinel the error belongs to.
func (e *ParseError) Unwrap() error { return e.Err }

func perr(field, value string, sentinel error, format string, args ...any) *ParseError {
	return &ParseError{Field: field, Value: value, Reason: fmt.Sprintf(format, args...), Err: sentinel}
}

// withPrefix returns err with its field path prefixed by prefix.
func withPrefix(prefix string, err error) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		cp := *pe
		switch {
		case cp.Field == "":
			cp.Field = prefix
		case prefix != "":
			cp.Field = prefix + "." + cp.Field
		}
		return &cp
	}
	return &ParseError{Field: prefix, Reason: err.Error(), Err: ErrInvalidConfig}
}

// NoSlotError reports that a search found no answer within its horizon.
type NoSlotError struct {
	What    string        // what was searched for, e.g. `slot of 2h0m0s for [eu us]`
	After   time.Time     // search start
	Horizon time.Duration // search length
}

// Error implements the error interface.
func (e *NoSlotError) Error() string {
	return fmt.Sprintf("schedule: no %s within the %s horizon after %s (until %s)",
		e.What, FormatDuration(e.Horizon), e.After.UTC().Format(time.RFC3339), e.After.Add(e.Horizon).UTC().Format(time.RFC3339))
}

// Unwrap returns [ErrNoSlot].
func (e *NoSlotError) Unwrap() error { return ErrNoSlot }
