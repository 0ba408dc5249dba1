package rollout

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// RecordKind says where a [Record] comes from.
type RecordKind int

const (
	// KindDecision is an automatic decision of [Decide].
	KindDecision RecordKind = iota
	// KindManual is a person's action recorded by [Apply].
	KindManual
	// KindActuation records that the caller carried out an action (or failed
	// to, with Error set), e.g. that a rollback took effect.
	KindActuation
)

var kindNames = [...]string{KindDecision: "decision", KindManual: "manual", KindActuation: "actuation"}

// String returns "decision", "manual" or "actuation".
func (k RecordKind) String() string { return enumString(kindNames[:], int(k), "RecordKind") }

// MarshalText implements [encoding.TextMarshaler].
func (k RecordKind) MarshalText() ([]byte, error) {
	return enumMarshal(kindNames[:], int(k), "record kind")
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *RecordKind) UnmarshalText(b []byte) error {
	v, err := enumParse(kindNames[:], string(b), "record kind")
	*k = RecordKind(v)
	return err
}

// Record is one entry of a decision log: a decision, a manual action or an
// actuation, with the plan's labels for reporting.
type Record struct {
	Time      time.Time         `json:"time"`
	Kind      RecordKind        `json:"kind"`
	Rollout   string            `json:"rollout,omitempty"`
	Plan      string            `json:"plan"`
	Stage     int               `json:"stage"`
	StageName string            `json:"stageName,omitempty"`
	Exposure  Exposure          `json:"exposure"`
	Action    Action            `json:"action"`
	Reasons   []Reason          `json:"reasons,omitempty"`
	Actor     string            `json:"actor,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	Error     string            `json:"error,omitempty"` // a failed actuation
}

// NewRecord returns the log record of decision d of plan p: a manual record
// if d has an actor, an automatic one otherwise.
func NewRecord(p *Plan, d Decision) Record {
	r := Record{Time: d.At, Kind: KindDecision, Rollout: d.Rollout, Plan: d.Plan, Stage: d.Stage,
		StageName: d.StageName, Exposure: d.Exposure, Action: d.Action, Reasons: slices.Clone(d.Reasons),
		Actor: d.Actor, Labels: p.Labels()}
	if d.Actor != "" {
		r.Kind = KindManual
	}
	return r
}

// Actuated returns the record of carrying out d at time at; err is the
// actuator's error, if any.
func Actuated(p *Plan, d Decision, at time.Time, err error) Record {
	r := NewRecord(p, d)
	r.Time, r.Kind, r.Reasons = at, KindActuation, nil
	if err != nil {
		r.Error = err.Error()
	}
	return r
}

// Level is the slog level that suits the record: errors for rollbacks and
// failed actuations, warnings for holds and approvals, info otherwise.
func (r Record) Level() slog.Level {
	switch {
	case r.Error != "" || r.Action == ActionRollBack:
		return slog.LevelError
	case r.Action == ActionHold || r.Action == ActionNeedsApproval:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// Message is a one-line summary, e.g. "checkout 2.3.1: rollback at stage canary".
func (r Record) Message() string {
	var b strings.Builder
	if r.Rollout != "" {
		b.WriteString(r.Rollout)
	} else {
		b.WriteString(r.Plan)
	}
	b.WriteString(": ")
	if r.Kind == KindActuation {
		b.WriteString("carried out ")
	}
	b.WriteString(r.Action.String())
	if r.StageName != "" {
		b.WriteString(" at stage " + r.StageName)
	}
	if r.Actor != "" && r.Kind == KindManual {
		b.WriteString(" by " + r.Actor)
	}
	return b.String()
}

// Attrs returns the record as slog attributes: kind, rollout, plan, stage,
// exposure, action, actor, error, reasons (a list of strings) and labels (a
// group). The time is left to the logger.
func (r Record) Attrs() []slog.Attr {
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs, slog.String("kind", r.Kind.String()))
	if r.Rollout != "" {
		attrs = append(attrs, slog.String("rollout", r.Rollout))
	}
	attrs = append(attrs, slog.String("plan", r.Plan), slog.Int("stage", r.Stage))
	if r.StageName != "" {
		attrs = append(attrs, slog.String("stage_name", r.StageName), slog.String("exposure", r.Exposure.String()))
	}
	attrs = append(attrs, slog.String("action", r.Action.String()))
	if r.Actor != "" {
		attrs = append(attrs, slog.String("actor", r.Actor))
	}
	if r.Error != "" {
		attrs = append(attrs, slog.String("error", r.Error))
	}
	if len(r.Reasons) > 0 {
		rs := make([]string, len(r.Reasons))
		for i, x := range r.Reasons {
			rs[i] = x.String()
		}
		attrs = append(attrs, slog.Any("reasons", rs))
	}
	if len(r.Labels) > 0 {
		var ls []any
		for _, k := range slices.Sorted(maps.Keys(r.Labels)) {
			ls = append(ls, slog.String(k, r.Labels[k]))
		}
		attrs = append(attrs, slog.Group("labels", ls...))
	}
	return attrs
}

// LogValue implements [slog.LogValuer]: a record logged as an attribute
// becomes a group of its [Record.Attrs].
func (r Record) LogValue() slog.Value { return slog.GroupValue(r.Attrs()...) }

// Log writes the record to logger at [Record.Level] with [Record.Message].
func (r Record) Log(ctx context.Context, logger *slog.Logger) {
	logger.LogAttrs(ctx, r.Level(), r.Message(), r.Attrs()...)
}

// LogWriter writes records as JSON lines. It is safe for concurrent use.
type LogWriter struct {
	mu  sync.Mutex // protects w and buf
	w   io.Writer
	buf bytes.Buffer
}

// NewLogWriter returns a LogWriter that writes to w.
func NewLogWriter(w io.Writer) *LogWriter { return &LogWriter{w: w} }

// Write appends r as one JSON line.
func (l *LogWriter) Write(r Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Reset()
	if err := json.NewEncoder(&l.buf).Encode(r); err != nil {
		return fmt.Errorf("rollout: encoding record: %w", err)
	}
	_, err := l.w.Write(l.buf.Bytes())
	return err
}

// ReadLog reads JSON-lines records written by [LogWriter]. Blank lines are
// skipped; a malformed line is an error naming its line number.
func ReadLog(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	var out []Record
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(b, &rec); err != nil {
			return out, fmt.Errorf("rollout: decision log line %d: %w", line, err)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("rollout: reading decision log: %w", err)
	}
	return out, nil
}
