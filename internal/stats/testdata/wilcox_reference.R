# Reference values for TestMannWhitneyMatchesR (mannwhitney_test.go).
#
# Regenerate with:  Rscript internal/stats/testdata/wilcox_reference.R
# and compare the printed table with the one in mannwhitney_test.go.
# The values in the test were produced by R 4.2.2 Patched (2022-11-10 r83330),
# Debian package r-base-core, with
#   wilcox.test(x, y, alternative = alt, mu = 0, conf.int = TRUE,
#               conf.level = conf, exact = FALSE, correct = TRUE)
#
# The samples are generated from a Park–Miller linear congruential sequence
# using only operations that IEEE 754 rounds exactly the same way in R and Go
# (integer products below 2^53, %%, one division, sums, products, floor), so
# the Go test rebuilds bit-identical samples; the printed sums (added left to
# right in double precision, unlike sum(), which uses long double) let it check
# that it did.

lcg <- function(seed, n) {
  s <- seed
  u <- numeric(n)
  for (i in seq_len(n)) {
    s <- (16807 * s) %% 2147483647
    u[i] <- s / 2147483647
  }
  u
}

# Sample shapes, mirrored by genSample in mannwhitney_test.go.
gen <- function(kind, seed, n, shift) {
  if (kind == "smooth") {          # sum of three uniforms, centred
    u <- lcg(seed, 3 * n)
    v <- u[seq(1, 3 * n, 3)] + u[seq(2, 3 * n, 3)] + u[seq(3, 3 * n, 3)] - 1.5
  } else if (kind == "skewed") {   # latency-like: 100 u^2
    u <- lcg(seed, n)
    v <- 100 * (u * u)
  } else if (kind == "ties10") {   # integers 0..9
    v <- floor(10 * lcg(seed, n))
  } else if (kind == "ties3") {    # integers 0..2, very many ties
    v <- floor(3 * lcg(seed, n))
  } else if (kind == "buckets") {  # latency buckets of 5 ms, 0..95
    u <- lcg(seed, n)
    v <- 5 * floor(20 * (u * u))
  } else stop(kind)
  v + shift
}

cases <- list(
  list("n5 smooth two-sided",     "smooth", 11, 5,    0,    "smooth", 12, 5,    0,   "two.sided", 0.95),
  list("n5 vs 7 ties",            "ties10", 13, 5,    0,    "ties10", 14, 7,    0,   "two.sided", 0.95),
  list("n5 ties3 greater",        "ties3",  15, 5,    0,    "ties3",  16, 6,    0,   "greater",   0.90),
  list("n20 smooth shift greater","smooth", 21, 20,   0.5,  "smooth", 22, 20,   0,   "greater",   0.95),
  list("n20 vs 25 ties less",     "ties10", 23, 20,   0,    "ties10", 24, 25,   2,   "less",      0.90),
  list("n20 skewed two-sided",    "skewed", 25, 20,   0,    "skewed", 26, 18,   0,   "two.sided", 0.99),
  list("n50 vs 60 smooth less",   "smooth", 31, 50,   0,    "smooth", 32, 60,   0.1, "less",      0.80),
  list("n200 skewed two-sided",   "skewed", 41, 200,  0,    "skewed", 42, 200,  0,   "two.sided", 0.99),
  list("n200 vs 150 ties shift",  "ties10", 43, 200,  1,    "ties10", 44, 150,  0,   "greater",   0.95),
  list("n200 buckets two-sided",  "buckets",45, 200,  0,    "buckets",46, 210,  0,   "two.sided", 0.95),
  list("n200 ties3 less",         "ties3",  47, 190,  0,    "ties3",  48, 200,  0,   "less",      0.95),
  list("n1000 buckets shift",     "buckets",51, 1000, 5,    "buckets",52, 1000, 0,   "two.sided", 0.95),
  list("n2000 vs 1500 smooth",    "smooth", 53, 2000, 0.05, "smooth", 54, 1500, 0,   "two.sided", 0.95),
  list("n300 skewed vs smooth",   "skewed", 55, 300,  0,    "smooth", 56, 400,  20,  "greater",   0.99),
  list("n1 vs 9",                 "smooth", 61, 1,    0,    "smooth", 62, 9,    0,   "two.sided", 0.95),
  list("n2 vs 3 far apart",       "smooth", 63, 2,    10,   "smooth", 64, 3,    0,   "two.sided", 0.95)
)

cat(sprintf("# %s\n", R.version.string))
for (cs in cases) {
  x <- gen(cs[[2]], cs[[3]], cs[[4]], cs[[5]])
  y <- gen(cs[[6]], cs[[7]], cs[[8]], cs[[9]])
  r <- suppressWarnings(wilcox.test(x, y, alternative = cs[[10]], mu = 0,
                                    conf.int = TRUE, conf.level = cs[[11]],
                                    exact = FALSE, correct = TRUE))
  f <- function(v) if (is.infinite(v)) (if (v > 0) "inf" else "-inf") else sprintf("%.17g", v)
  cat(sprintf('{"%s", gen{"%s", %d, %d, %s}, gen{"%s", %d, %d, %s}, %s, %s, %s, %s, %s, %s, %s, %s, %s},\n',
              cs[[1]], cs[[2]], cs[[3]], cs[[4]], f(cs[[5]]), cs[[6]], cs[[7]], cs[[8]], f(cs[[9]]),
              c(two.sided = "TwoSided", less = "Less", greater = "Greater")[[cs[[10]]]], f(cs[[11]]),
              f(Reduce(`+`, x)), f(Reduce(`+`, y)),
              f(r$statistic), f(r$p.value), f(r$estimate), f(r$conf.int[1]), f(r$conf.int[2])))
}
