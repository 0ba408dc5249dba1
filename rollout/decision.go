package rollout

import (
	"math"
	"time"
)

// Decision is what [Decide] concluded and why.
type Decision struct {
	Rollout string    `json:"rollout,omitempty"` // [State.ID]
	Plan    string    `json:"plan"`
	At      time.Time `json:"at"`
	Action  Action    `json:"action"`
	// Stage is the stage the rollout is in after the action (for
	// [ActionAdvance], the stage to expose); -1 before the rollout starts.
	Stage     int      `json:"stage"`
	StageName string   `json:"stageName,omitempty"`
	Exposure  Exposure `json:"exposure"`
	// Reasons explain the action: failing gates for a rollback, what is still
	// pending for a wait, what needs a human for a hold.
	Reasons []Reason `json:"reasons,omitempty"`
	// NextEvaluation is when to call [Decide] again; zero once the rollout ended.
	NextEvaluation time.Time `json:"nextEvaluation,omitzero"`
	// Actor is who took a manual action ([Apply]); empty for automatic decisions.
	Actor string `json:"actor,omitempty"`
}

// Reason explains one part of a decision: which gate, which statistic, which
// threshold. Value and Threshold are finite (infinities are clamped), so a
// reason always encodes to JSON.
type Reason struct {
	Gate      string     `json:"gate,omitempty"`
	Metric    string     `json:"metric,omitempty"`
	Statistic string     `json:"statistic,omitempty"` // e.g. "value", "score", "log-bayes-factor", "bake"
	Value     float64    `json:"value"`
	Threshold float64    `json:"threshold"`
	Status    GateStatus `json:"status,omitempty"`
	Message   string     `json:"message"`
}

// String returns the reason's message prefixed by its gate, if any.
func (r Reason) String() string {
	if r.Gate == "" {
		return r.Message
	}
	return r.Gate + ": " + r.Message
}

// GateStatus is the verdict of one gate.
type GateStatus int

const (
	// GatePending: not enough evidence yet; the stage cannot advance.
	GatePending GateStatus = iota
	// GatePassed: healthy with enough evidence.
	GatePassed
	// GateFailed: unhealthy; the rollout rolls back.
	GateFailed
	// GateHeld: the gate cannot decide (too many inconclusive or missing
	// measurements); a human must look.
	GateHeld
)

var gateStatusNames = [...]string{GatePending: "pending", GatePassed: "passed", GateFailed: "failed", GateHeld: "held"}

// String returns "pending", "passed", "failed" or "held".
func (g GateStatus) String() string { return enumString(gateStatusNames[:], int(g), "GateStatus") }

// MarshalText implements [encoding.TextMarshaler].
func (g GateStatus) MarshalText() ([]byte, error) {
	return enumMarshal(gateStatusNames[:], int(g), "gate status")
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (g *GateStatus) UnmarshalText(b []byte) error {
	v, err := enumParse(gateStatusNames[:], string(b), "gate status")
	*g = GateStatus(v)
	return err
}

// clamp makes x safe for JSON.
func clamp(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case math.IsInf(x, 1):
		return math.MaxFloat64
	case math.IsInf(x, -1):
		return -math.MaxFloat64
	}
	return x
}
