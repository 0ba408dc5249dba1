// Package compat answers three questions before and during an upgrade: is
// the set of versions running right now compatible, which features can be
// turned on with what is deployed, and in what order can components be
// upgraded so that every intermediate state stays compatible.
//
// # Matrices
//
// A compatibility matrix is written as a [Spec] — in Go, or in YAML or
// JSON decoded strictly with [DecodeSpec] — and compiled once into an
// immutable [Matrix] with [Compile], [ParseMatrix] or [LoadFile]. Compiling
// validates everything: malformed versions and ranges, unknown components,
// empty or contradictory ranges, duplicate ids and feature dependency
// cycles are reported as a [*MatrixError] whose [*FieldError] problems
// name the file, the field path and the value.
//
// A matrix declares components (with owners and a catalog of versions) and
// relates their versions with rules, each with an id, a description, an
// owner and a [Level] that breaking it imposes:
//
//   - requires: when A runs a version in R, B must be deployed with all
//     instances in S ([RequiresSpec]);
//   - conflicts: A in R must not run beside B in S ([ConflictsSpec]);
//   - skew: the distance between two components, counted in major, minor
//     or patch versions, with bounds behind and ahead and overrides for
//     some versions ([SkewSpec]); and instance skew within one component
//     ([InstanceSkewSpec]);
//   - support: the [Level] of some versions, such as end-of-life releases;
//   - schemas: which schema versions each component version reads and
//     writes; every writer's output must be readable by every reader
//     ([SchemaSpec]);
//   - features: capabilities usable only when every provider runs a
//     providing version on every instance ([FeatureSpec]).
//
// Rules that no deployment could satisfy are rejected: a requirement whose
// needed versions are all in conflict, two requirements of one version
// range with disjoint needed ranges, overlapping support rules with
// different levels, overlapping schema access entries, and requirement
// cycles that no version can satisfy (A 1.1 needs B 2, and B 2 needs A at
// least 1.2). Feature dependency cycles are rejected too. Other mutual
// requirements (A needs B at least 2.0, B needs A at least 3.1) are
// legitimate: they describe services that evolve together, and
// [Matrix.Plan] finds the interleaving they call for.
//
// # Versions and ranges
//
// [Version] values are parsed with github.com/hashicorp/go-version rules.
// A [Range] is a normalized union of intervals parsed from go-version
// constraint syntax plus "||"; its ~> operator is defined exactly for every
// segment count (see [Range]). [Range.Contains] on a parsed range compares
// pre-extracted integer segments and does not allocate. Whether a
// prerelease matches a range is the matrix's [PrereleasePolicy]; vendor
// builds such as 1.29.3-eks-1234 can count as their release through
// Spec.VendorPrereleases or a [Normalizer].
//
// # Checking a deployment
//
// A [Deployment] lists every running instance of every component, so a
// rolling upgrade that runs two versions at once is checked as such:
//
//	m, err := compat.LoadFile("matrix.yaml")
//	...
//	report := m.Check(deployment)
//	if !report.OK() {
//		fmt.Println(report) // one line per violation: rule, owner, why
//	}
//
// Deployments are Go values ([NewDeployment], [MustDeployment]) or files
// read with [LoadDeployment] (YAML or JSON, decoded as strictly as a
// matrix; errors name the file, field path and value). They are immutable
// values: [Deployment.Upgrade] moves every instance of a component to a
// version, keeping instance names, [Deployment.Apply] applies plan steps,
// and [Deployment.UpgradeTo] gives "production after this bump" in one
// line:
//
//	prod, err := compat.LoadDeployment("production.yaml")
//	...
//	report := m.Check(prod.UpgradeTo(bump))
//
// [Matrix.Check] returns a [Report] whose [Violation] values name the rule,
// its description and owner, the instances and versions involved, and what
// to do about it, in a deterministic order. [Matrix.UsableFeatures],
// [Matrix.Features] and [Matrix.FeatureProviders] answer feature questions;
// a [FeatureStatus] carries the reason (Why) and prints the whole sentence
// ("feature checkout-v2 is not usable: ...") with its String method.
//
// # Planning an upgrade
//
// [Matrix.Plan] orders the steps from a current to a target deployment
// into waves such that every intermediate state — including every state
// reachable while the steps of one wave run in parallel — passes Check:
//
//	plan, err := m.Plan(current, target, nil, compat.PlanOptions{StepThroughMinors: true})
//	var blocked *compat.NoPathError
//	if errors.As(err, &blocked) {
//		fmt.Println(blocked) // which rule blocks which step
//	}
//
// [Plan.States] replays a plan and returns the deployment after each wave;
// [Step.Change] says whether a step is a major, minor or patch [Change],
// and [Plan.WaveChange] gives the largest change in a wave, for freeze and
// approval policies:
//
//	for i, state := range plan.States(current) {
//		fmt.Println(i+1, plan.WaveChange(i), m.Check(state).Verdict)
//	}
//
// It finds the fewest steps with an A* search over groups of coupled
// components, falls back to a greedy search on very large groups (and
// says so in Plan.Optimal), and explains with a [*NoPathError] which rule
// blocks which step when no path exists; see [Matrix.Plan] for its exact
// guarantees.
//
// # Publishing and tests
//
// [Matrix.Table] renders the matrix (components × versions × verdicts and
// features) as Markdown or JSON for runbooks. Package compattest asserts in
// one line that a deployment is compatible, loads deployment files
// (compattest.LoadDeployment) and verifies plans (compattest.VerifyPlan).
package compat
