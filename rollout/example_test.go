package rollout_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/glidepath/glidepath/rollout"
)

const planYAML = `
name: checkout
owner: team-checkout
labels: {service: checkout, team: payments}
gates:
  - name: error-rate
    minSample: 200
    threshold: {metric: http_error_ratio, max: 0.01}
stages:
  - {name: canary, exposure: 5%, bake: 10m, gates: [error-rate]}
  - {name: everyone, exposure: 100%, bake: 30m, gates: [error-rate]}
`

func ExampleParsePlan() {
	plan, err := rollout.ParsePlan([]byte(planYAML))
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range plan.NumStages() {
		s := plan.Stage(i)
		fmt.Printf("%s: %s for at least %s\n", s.Name, s.Exposure, s.Bake)
	}

	_, err = rollout.ParsePlan([]byte(strings.Replace(planYAML, "exposure: 100%", "exposure: 1%", 1)))
	fmt.Println(err)
	// Output:
	// canary: 5% for at least 10m0s
	// everyone: 100% for at least 30m0s
	// rollout: stages[1].exposure: 1% is below the previous stage's 5%
}

func ExampleDecide() {
	plan := rollout.MustCompile(rollout.PlanSpec{
		Name: "checkout",
		Gates: []rollout.GateSpec{{
			Name:      "error-rate",
			MinSample: 200,
			Threshold: &rollout.ThresholdSpec{Metric: "http_error_ratio", Max: rollout.Bound(0.01)},
		}},
		Stages: []rollout.StageSpec{
			{Name: "canary", Exposure: rollout.Percent(5), Bake: rollout.Duration(10 * time.Minute), Gates: []string{"error-rate"}},
			{Name: "everyone", Exposure: rollout.Percent(100), Gates: []string{"error-rate"}},
		},
	})
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	state := rollout.State{ID: "checkout 2.3.1"}

	// No readiness criteria: the first decision starts the canary.
	d, state, _ := rollout.Decide(plan, state, rollout.Observations{}, now)
	fmt.Println(d.Action, d.StageName, d.Exposure)

	// One minute later the canary's error ratio is 4 % over 500 requests.
	obs := rollout.Observations{Metrics: map[string]rollout.Measurement{
		"http_error_ratio": {Value: 0.04, Sample: 500},
	}}
	d, state, _ = rollout.Decide(plan, state, obs, now.Add(time.Minute))
	fmt.Println(d.Action, d.StageName)
	for _, r := range d.Reasons {
		fmt.Println(" ", r)
	}
	fmt.Println(state.Phase)
	// Output:
	// advance canary 5%
	// rollback canary
	//   error-rate: http_error_ratio 0.04 above max 0.01
	// rolled-back
}

func ExampleApply() {
	plan := rollout.MustCompile(rollout.PlanSpec{
		Name: "billing",
		Stages: []rollout.StageSpec{
			{Name: "canary", Exposure: rollout.Percent(10), Approval: true, Approvers: []string{"alice"}},
			{Name: "everyone", Exposure: rollout.Percent(100)},
		},
	})
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	_, state, _ := rollout.Decide(plan, rollout.State{ID: "billing 7"}, rollout.Observations{}, now)
	d, state, _ := rollout.Decide(plan, state, rollout.Observations{}, now.Add(time.Minute))
	fmt.Println(d.Action, "-", d.Reasons[0].Message)

	d, state, _ = rollout.Apply(plan, state, rollout.ManualAction{Kind: rollout.Approve, Actor: "alice"}, now.Add(2*time.Minute))
	fmt.Println(d.Reasons[0].Message)
	d, _, _ = rollout.Decide(plan, state, rollout.Observations{}, now.Add(2*time.Minute))
	fmt.Println(d.Action, d.StageName)
	// Output:
	// needs-approval - stage "canary" is healthy and needs a manual approval from alice
	// approve by alice
	// advance everyone
}

func ExampleRenderRunbook() {
	plan, _ := rollout.ParsePlan([]byte(`
name: search
owner: team-search
stages:
  - {name: canary, exposure: 10%, bake: 15m, approval: true}
  - {name: everyone, exposure: 100%}
`))
	_ = rollout.RenderRunbook(os.Stdout, plan)
	// Output:
	// # Runbook: search
	//
	// - Strategy: canary
	// - Owner: team-search
	// - Evaluated every 1m
	//
	// ## Before you start
	//
	// No readiness checks: the rollout starts at once.
	//
	// ## Stage 1: canary (10%)
	//
	// Owner: team-search
	//
	// | Step | Action | Expected result |
	// |---|---|---|
	// | 1 | Set the exposure of the new version to 10% of traffic | 10% of traffic runs the new version; the rest stays on the old one |
	// | 2 | Bake for at least 15m | the stage has run its bake time |
	// | 3 | Approve the stage | the approval is recorded in the decision log |
	// | 4 | Advance to stage 2 (everyone) | exposure widens to 100% of traffic |
	//
	// If it goes wrong: a failing gate rolls back automatically; inconclusive or missing data hold the rollout for the owner, never roll it back.
	//
	// ## Stage 2: everyone (100%)
	//
	// Owner: team-search
	//
	// | Step | Action | Expected result |
	// |---|---|---|
	// | 1 | Set the exposure of the new version to 100% of traffic | all traffic runs the new version |
	// | 2 | Evaluate the gates | the stage has run its bake time |
	// | 3 | Promote | the new version serves everything; the rollout is complete |
	//
	// If it goes wrong: a failing gate rolls back automatically; inconclusive or missing data hold the rollout for the owner, never roll it back.
	//
	// ## Rolling back by hand
	//
	// Abort the rollout with an actor and a comment; the abort is recorded in the decision log and the new version is removed.
}

func ExampleSummarize() {
	log := `{"time":"2026-03-02T09:00:00Z","kind":"decision","rollout":"a","plan":"p","stage":0,"exposure":"5%","action":"advance","labels":{"region":"eu"}}
{"time":"2026-03-02T11:00:00Z","kind":"decision","rollout":"a","plan":"p","stage":1,"exposure":"100%","action":"complete","labels":{"region":"eu"}}
{"time":"2026-03-03T09:00:00Z","kind":"decision","rollout":"b","plan":"p","stage":0,"exposure":"5%","action":"advance","labels":{"region":"eu"}}
{"time":"2026-03-03T09:12:00Z","kind":"decision","rollout":"b","plan":"p","stage":0,"exposure":"5%","action":"rollback","reasons":[{"gate":"error-rate","value":0.04,"threshold":0.01,"message":"too many errors"}],"labels":{"region":"eu"}}
{"time":"2026-03-03T09:15:00Z","kind":"actuation","rollout":"b","plan":"p","stage":0,"exposure":"5%","action":"rollback","labels":{"region":"eu"}}
{"time":"2026-03-04T09:00:00Z","kind":"decision","rollout":"c","plan":"p","stage":0,"exposure":"5%","action":"advance","labels":{"region":"us"}}
{"time":"2026-03-04T13:00:00Z","kind":"decision","rollout":"c","plan":"p","stage":1,"exposure":"100%","action":"complete","labels":{"region":"us"}}
`
	records, err := rollout.ReadLog(strings.NewReader(log))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range rollout.Summarize(records, "region") {
		fmt.Printf("%s: %d rollouts, %d completed, rollback rate %.2f, MTTD %s, MTTR %s\n",
			s.Value, s.Rollouts, s.Completed, s.RollbackRate, s.MTTD, s.MTTR)
	}
	all := rollout.Summarize(records, "")[0]
	fmt.Println("a successful upgrade every", all.Cadence)
	// Output:
	// eu: 2 rollouts, 1 completed, rollback rate 0.50, MTTD 12m0s, MTTR 3m0s
	// us: 1 rollouts, 1 completed, rollback rate 0.00, MTTD 0s, MTTR 0s
	// a successful upgrade every 50h0m0s
}
