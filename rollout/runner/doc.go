// Package runner is an optional driver for [rollout] plans: it polls metric
// sources, calls [rollout.Decide], carries out decisions through an
// [Actuator], persists the [rollout.State] in a [Store] and logs every
// decision.
//
// # Running a rollout
//
//	r, err := runner.New(runner.Config{
//		Plan:     plan,
//		ID:       "checkout 2.3.1",
//		Sources:  []runner.NamedSource{{Name: "prometheus", Source: prom, Metrics: []string{"http_error_ratio"}}},
//		Actuator: mesh,
//		Store:    &runner.FileStore{Dir: "/var/lib/rollouts"},
//		Budget:   budget, // shared by every runner of the process
//	})
//	state, err := r.Run(ctx)
//
// Sources are polled concurrently, each call under its own timeout, and a
// failing source is retried with exponential backoff and jitter (drawn from
// an injected random source, so tests are deterministic). A source that still
// fails marks its metrics as provider errors: gates treat them as missing
// data, never as success.
//
// Advances are carried out before the new state is saved, so a failed
// actuation is retried at the next evaluation; rollbacks and completions are
// saved first and then carried out, retrying until they succeed or the
// context ends; a Run that finds an ended state carries its rollback or
// promotion out again, so that one interrupted before it took effect is not
// lost (actuators must be idempotent). [Runner.Apply] sends manual actions (approve, pause, resume,
// abort) to the running loop.
//
// # Concurrency budget
//
// A [Budget] caps how many rollouts are in progress at once per label value
// (for example at most two per region and one per team). It is an explicit
// value shared by the runners of one process; a runner takes its slot when
// its rollout starts and returns it when the rollout ends or Run returns.
//
// # Time
//
// The runner reads time through Config.Now (time.Now by default) and waits
// with timers, so it runs unchanged inside a [testing/synctest] bubble; its
// own tests never sleep.
package runner
