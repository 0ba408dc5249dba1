package rollout

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func rec(id, region string, at time.Duration, kind RecordKind, a Action, gate string) Record {
	r := Record{Time: epoch.Add(at), Kind: kind, Rollout: id, Plan: "p", Action: a,
		Labels: map[string]string{"region": region, "team": "payments"}}
	if gate != "" {
		r.Reasons = []Reason{{Gate: gate, Message: "bad"}}
	}
	return r
}

func testLog() []Record {
	m := time.Minute
	return []Record{
		// r1: eu, completes after 2h.
		rec("r1", "eu", 0, KindDecision, ActionAdvance, ""),
		rec("r1", "eu", 60*m, KindDecision, ActionAdvance, ""),
		rec("r1", "eu", 120*m, KindDecision, ActionComplete, ""),
		// r2: eu, a gate rolls back after 30m; the rollback takes effect 2m later.
		rec("r2", "eu", 200*m, KindDecision, ActionAdvance, ""),
		rec("r2", "eu", 230*m, KindDecision, ActionRollBack, "errors"),
		rec("r2", "eu", 232*m, KindActuation, ActionRollBack, ""),
		// r3: us, held by a gate after 10m, resumed by a person, completes.
		rec("r3", "us", 0, KindDecision, ActionAdvance, ""),
		rec("r3", "us", 10*m, KindDecision, ActionHold, "latency"),
		{Time: epoch.Add(25 * m), Kind: KindManual, Rollout: "r3", Plan: "p", Action: ActionWait, Actor: "ops", Labels: map[string]string{"region": "us"}},
		rec("r3", "us", 30*m, KindDecision, ActionAdvance, ""),
		rec("r3", "us", 300*m, KindDecision, ActionComplete, ""),
		// r4: us, rolled back after 20m, no actuation record.
		rec("r4", "us", 400*m, KindDecision, ActionAdvance, ""),
		rec("r4", "us", 420*m, KindDecision, ActionRollBack, "crashes"),
		// r5: us, aborted by hand: a rollback, but no detection.
		rec("r5", "us", 500*m, KindDecision, ActionAdvance, ""),
		{Time: epoch.Add(510 * m), Kind: KindManual, Rollout: "r5", Plan: "p", Action: ActionRollBack, Actor: "ops", Labels: map[string]string{"region": "us"}},
		// r6: never started: not counted.
		rec("r6", "us", 0, KindDecision, ActionHold, ""),
	}
}

func TestSummarize(t *testing.T) {
	m := time.Minute
	got := Summarize(testLog(), "region")
	want := []Summary{
		{Label: "region", Value: "eu", Rollouts: 2, Completed: 1, RolledBack: 1, RollbackRate: 0.5,
			Detections: 1, MTTD: 30 * m, MTTR: 2 * m},
		{Label: "region", Value: "us", Rollouts: 3, Completed: 1, RolledBack: 2, RollbackRate: 2.0 / 3,
			Detections: 2, MTTD: 15 * m, MTTR: 10 * m},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("by region (-want +got):\n%s", diff)
	}
	all := Summarize(testLog(), "")
	if len(all) != 1 {
		t.Fatalf("overall: %+v", all)
	}
	o := all[0]
	// Completions at 120m and 300m: one interval of 180m.
	if o.Rollouts != 5 || o.Completed != 2 || o.Cadence != 180*m || o.Detections != 3 || o.MTTD != (30+10+20)*m/3 || o.MTTR != (2+20+0)*m/3 {
		t.Fatalf("overall: %+v", o)
	}
	if got := Summarize(nil, "region"); len(got) != 0 {
		t.Fatalf("empty log: %+v", got)
	}
}

func TestLogRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewLogWriter(&buf)
	in := testLog()
	in[1].Reasons = []Reason{{Gate: "g", Value: clamp(math.Inf(1)), Threshold: 0.5, Status: GateFailed, Message: "infinite ratio"}}
	for _, r := range in {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(buf.String(), "\n"); n != len(in) {
		t.Fatalf("%d lines for %d records", n, len(in))
	}
	out, err := ReadLog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Fatalf("round trip (-in +out):\n%s", diff)
	}
	if _, err := ReadLog(strings.NewReader("{}\n\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("bad line: %v", err)
	}
}

func TestRecordSlog(t *testing.T) {
	p := loadPlan(t, "canary.yaml")
	m := start(t, p)
	bad := healthy(1000)
	bad.Metrics["http_error_ratio"] = Measurement{Value: 0.2, Sample: 1000}
	var d Decision
	for range 2 {
		m.now = m.now.Add(time.Minute)
		d = m.decide(bad)
	}
	r := NewRecord(p, d)
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	r.Log(context.Background(), logger)
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"level": "ERROR", "msg": "r1: rollback at stage canary", "kind": "decision", "rollout": "r1", "plan": "checkout-canary",
		"stage": 0.0, "stage_name": "canary", "exposure": "5%", "action": "rollback",
		"reasons": []any{"error-rate: http_error_ratio 0.2 above max 0.01; 2 failed measurements > limit 1"},
		"labels":  map[string]any{"region": "eu-west-1", "service": "checkout", "team": "payments"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("slog output (-want +got):\n%s", diff)
	}
	// As an attribute value, a record is a group.
	buf.Reset()
	logger.Info("decided", "decision", r)
	if !strings.Contains(buf.String(), `"decision":{"kind":"decision","rollout":"r1"`) {
		t.Fatalf("LogValue: %s", buf.String())
	}
	if lv := (Record{Action: ActionHold}).Level(); lv != slog.LevelWarn {
		t.Errorf("hold level = %v", lv)
	}
}
