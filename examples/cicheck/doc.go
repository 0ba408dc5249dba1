// Package cicheck shows how to fail a pull request, before merge, when a
// proposed version bump would break the compatibility of what runs in
// production. Copy cicheck_test.go and testdata/ into your repository:
//
//   - testdata/matrix.yaml is your compatibility matrix (package compat);
//   - testdata/production.yaml is what runs today, instance by instance;
//   - testdata/bump.yaml is what the change proposes to ship; a pull request
//     that bumps a version edits it.
//
// Then `go test ./...` in CI checks three things with package
// compat/compattest: production is compatible today, production after the
// bump is compatible, and there is a rolling upgrade from one to the other
// in which every intermediate state — old and new instances side by side —
// is compatible too. When one fails, the test output names the rule, its
// owner and what to do; see Example_failingBump for what that looks like.
//
// Run it with:
//
//	go test ./examples/cicheck
//
// The check needs nothing beyond compat and compattest:
// compattest.LoadDeployment reads the files and Deployment.UpgradeTo gives
// production after the bump, so cicheck_test.go and testdata/ are all there
// is to copy.
package cicheck
