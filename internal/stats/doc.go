// Package stats holds the statistics behind rollout's comparison and
// sequential gates: the Mann–Whitney U test with the Hodges–Lehmann shift
// estimate ([MannWhitney]) and an anytime-valid sequential test for event
// counts ([SequentialTest]).
package stats
