// Package stats holds the statistics behind rollout's gates: a rank test
// that compares a canary's metric samples with its baseline's and estimates
// the shift between them ([MannWhitney]), and a sequential test on event
// counts that may be checked after every event ([SequentialTest]).
//
//	res, err := stats.MannWhitney(canaryLatency, baselineLatency, stats.Greater, 0.95)
//	// res.PValue, res.Estimate (ms slower), res.CILow
//
//	test, err := stats.NewSequentialTest(stats.SequentialConfig{CanaryShare: 0.1, Alpha: 0.05})
//	counts, err = test.Observe(counts, canaryErrors, baselineErrors)
//	if test.Evaluate(counts).Verdict == stats.Reject { /* roll back */ }
//
// Everything here is pure computation: no clocks, no I/O, no shared state.
// A compiled [SequentialTest] is immutable and safe for concurrent use.
//
// # Mann–Whitney U and the Hodges–Lehmann shift
//
// [MannWhitney] reproduces what R's wilcox.test(x, y, conf.int = TRUE,
// exact = FALSE, correct = TRUE) reports, so that results can be checked
// against the reference implementation most analysts already trust:
//
//   - W is the rank sum of x in the pooled sample minus N1(N1+1)/2, with tied
//     values sharing their average rank; it counts the pairs in which x is
//     larger, ties counting one half.
//   - Under the null hypothesis of identical distributions W has mean
//     N1·N2/2 and variance N1·N2/12 · (N+1 − Σ(t³−t)/(N(N−1))), where N =
//     N1+N2 and t runs over the sizes of groups of tied values. Z is the
//     centred W, moved half a unit towards zero (continuity correction: by
//     the sign of the difference for [TwoSided], −½ for [Greater], +½ for
//     [Less]), divided by the standard deviation; the p-value is the normal
//     tail in the direction of the alternative.
//   - The shift estimate is the value d at which the centred statistic of
//     x − d against y, without continuity correction, crosses zero: the
//     Hodges–Lehmann estimator, essentially the median of the N1·N2 pairwise
//     differences x[i] − y[j]. The confidence bounds are the shifts at which
//     the corrected, standardised statistic, with the tie correction
//     recomputed at that shift, equals the normal quantiles of the level.
//
// Like R, the estimate and the bounds are found by Brent's root search over
// [min x − max y, max x − min y] with an absolute tolerance of 1e-4. The
// search here takes the very same steps as R's uniroot, so the results agree
// with R to about 1e-14 rather than to the tolerance; the statistic at each
// step is computed by one merge over the sorted samples, O(N1+N2), so the
// N1·N2 differences are never formed. Two samples of 10,000 take a few
// milliseconds. Where the statistic is zero over a whole gap between two
// pairwise differences (an even number of them), the estimate is the point
// of that gap the search happens to stop at, as in R.
//
// Assumptions: the two samples are independent, each of independent draws;
// the p-value tests for any difference that makes one sample tend to exceed
// the other, while the estimate and interval are interpretable as a location
// shift when the two distributions have the same shape. The normal
// approximation is always used (R switches to exact p-values below 50
// observations without ties).
//
// Where this package deliberately differs from R: non-finite or enormous
// values (beyond ±MaxFloat64/4) are an error, not silently dropped; when
// every observation is tied (R reports NaN) the result is Z = 0, p = 1 and an
// estimate and interval equal to the single pairwise difference; and an
// interval whose bound the root search left a hair on the wrong side of the
// estimate (possible at low confidence levels) is widened to contain it.
//
// # Sequential test for event counts
//
// [SequentialTest] watches errors or crashes as they arrive from a canary
// and its baseline. If the canary is no worse, each event lands in the
// canary with a known probability p: its share of traffic, or with an
// [SequentialConfig.AllowedRatio] r the share p = r·s/(r·s + 1 − s) at which
// the canary's rate is r times the baseline's (s the traffic share). After c
// canary and b baseline events the evidence against that null is the Bayes
// factor of a Beta(k·p, k·(1−p)) mixture over the canary's share θ,
//
//	BF = B(k·p + c, k·(1−p) + b) / B(k·p, k·(1−p)) / (p^c · (1−p)^b),
//
// the two-category case of the Dirichlet–multinomial test of Lindon and
// Malek. It depends on the counts alone, costs three log-gamma evaluations,
// and needs no history; the state is two integers ([SequentialCounts]).
//
// Under the null the Bayes factor is a non-negative martingale with mean
// one, so by Ville's inequality the chance that it ever reaches 1/α is at
// most α, no matter how often it is looked at or when monitoring stops.
// [Reject] additionally requires the observed canary share to exceed p, so a
// canary with fewer errors is never rolled back. The guarantee also holds
// when the canary is strictly better than the null (θ < p): while the
// observed share is above p every prior component below p contributes less
// than its prior weight, and the components above p form a supermartingale,
// which bounds the rejection probability by α again.
//
// With [SequentialConfig.PromoteAfter] set, [Accept] is the mirror image:
// at least that many events, Bayes factor ≥ 1/α and the observed share below
// p, so a canary at the allowed ratio or worse is promoted with probability
// at most α. Equivalently, the set of shares θ whose Bayes factor stays below
// 1/α is an anytime-valid confidence sequence; Reject means it lies entirely
// above p, Accept that it lies entirely below.
//
// The prior strength k ([SequentialConfig.Concentration], default
// [DefaultConcentration] = 10) trades sensitivity to large against small
// regressions. With the default and α = 0.05, a canary with twice the
// baseline's error rate is rejected after a median of about 64 events at a
// 50 % split, 130 at 10 % and 240 at 5 %; in 2,000 A/A simulations checked
// after every event (up to 2,000 events each) the false-rollback rate was
// at most 2.1 % for α = 5 %.
//
// Assumptions: events are independent; the traffic split is fixed while the
// counts accumulate (start new counts when the exposure changes); canary and
// baseline are observed over the same period; counts are of events, and the
// null share equals the traffic share only if per-request event rates are
// equal.
//
// # References
//
//   - R Core Team, wilcox.test in package stats, R 4.2.2 (the reference
//     implementation the tests compare against; see testdata/wilcox_reference.R).
//   - J. L. Hodges and E. L. Lehmann (1963), Estimates of location based on
//     rank tests, Annals of Mathematical Statistics 34(2), 598–611.
//   - D. F. Bauer (1972), Constructing confidence sets using rank statistics,
//     Journal of the American Statistical Association 67, 687–690.
//   - R. P. Brent (1973), Algorithms for Minimization without Derivatives;
//     G. E. Forsythe, M. A. Malcolm and C. B. Moler (1977), Computer Methods
//     for Mathematical Computations (the zero finder R's uniroot uses).
//   - M. Lindon and A. Malek (2022), Anytime-valid inference for multinomial
//     count data, Advances in Neural Information Processing Systems 35.
//   - J. Ville (1939), Étude critique de la notion de collectif.
package stats
