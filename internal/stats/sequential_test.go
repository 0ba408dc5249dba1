package stats

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestNewSequentialTestValidation(t *testing.T) {
	tests := []struct {
		name  string
		cfg   SequentialConfig
		field string // "" means valid
	}{
		{"minimal", SequentialConfig{CanaryShare: 0.1, Alpha: 0.05}, ""},
		{"all fields", SequentialConfig{CanaryShare: 0.5, Alpha: 0.01, Concentration: 3, PromoteAfter: 100, AllowedRatio: 1.2}, ""},
		{"ratio below one", SequentialConfig{CanaryShare: 0.5, Alpha: 0.01, AllowedRatio: 0.8}, ""},
		{"share zero", SequentialConfig{CanaryShare: 0, Alpha: 0.05}, "CanaryShare"},
		{"share one", SequentialConfig{CanaryShare: 1, Alpha: 0.05}, "CanaryShare"},
		{"share NaN", SequentialConfig{CanaryShare: math.NaN(), Alpha: 0.05}, "CanaryShare"},
		{"alpha zero", SequentialConfig{CanaryShare: 0.1}, "Alpha"},
		{"alpha one", SequentialConfig{CanaryShare: 0.1, Alpha: 1}, "Alpha"},
		{"negative concentration", SequentialConfig{CanaryShare: 0.1, Alpha: 0.05, Concentration: -1}, "Concentration"},
		{"infinite concentration", SequentialConfig{CanaryShare: 0.1, Alpha: 0.05, Concentration: math.Inf(1)}, "Concentration"},
		{"negative promote", SequentialConfig{CanaryShare: 0.1, Alpha: 0.05, PromoteAfter: -1}, "PromoteAfter"},
		{"negative ratio", SequentialConfig{CanaryShare: 0.1, Alpha: 0.05, AllowedRatio: -2}, "AllowedRatio"},
		{"NaN ratio", SequentialConfig{CanaryShare: 0.1, Alpha: 0.05, AllowedRatio: math.NaN()}, "AllowedRatio"},
		{"ratio overflowing the share", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05, AllowedRatio: 1e308}, "AllowedRatio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := NewSequentialTest(tt.cfg)
			if tt.field == "" {
				if err != nil || st == nil {
					t.Fatalf("NewSequentialTest: %v", err)
				}
				return
			}
			var ae *ArgError
			if !errors.As(err, &ae) || ae.Field != tt.field || !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("NewSequentialTest error = %v, want an *ArgError for %s", err, tt.field)
			}
		})
	}
}

func TestSequentialDefaults(t *testing.T) {
	st, err := NewSequentialTest(SequentialConfig{CanaryShare: 0.2, Alpha: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	cfg := st.Config()
	if cfg.Concentration != DefaultConcentration || cfg.AllowedRatio != 1 {
		t.Errorf("defaults not filled in: %+v", cfg)
	}
	if st.NullShare() != 0.2 {
		t.Errorf("NullShare = %g, want 0.2", st.NullShare())
	}
	// A canary allowed twice the baseline's rate at a 20 % split may see
	// 2·0.2/(2·0.2+0.8) = 1/3 of the events.
	st2, _ := NewSequentialTest(SequentialConfig{CanaryShare: 0.2, Alpha: 0.05, AllowedRatio: 2})
	if got := st2.NullShare(); math.Abs(got-1.0/3) > 1e-15 {
		t.Errorf("NullShare with ratio 2 = %g, want 1/3", got)
	}
}

// logBFDirect is the Beta–binomial Bayes factor computed the long way, with
// math.Lgamma and no precomputation.
func logBFDirect(c SequentialCounts, share, ratio, k float64) float64 {
	p := ratio * share / (ratio*share + 1 - share)
	a, b := k*p, k*(1-p)
	nc, nb := float64(c.Canary), float64(c.Baseline)
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	lb := func(x, y float64) float64 { return lg(x) + lg(y) - lg(x+y) }
	return lb(a+nc, b+nb) - lb(a, b) - nc*math.Log(p) - nb*math.Log(1-p)
}

func TestSequentialEvaluate(t *testing.T) {
	tests := []struct {
		name   string
		cfg    SequentialConfig
		counts SequentialCounts
		want   SequentialVerdict
	}{
		{"no events", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05}, SequentialCounts{}, Continue},
		{"balanced", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05}, SequentialCounts{Canary: 500, Baseline: 500}, Continue},
		{"canary much worse", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05}, SequentialCounts{Canary: 40, Baseline: 5}, Reject},
		{"canary much better, no promotion", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05}, SequentialCounts{Canary: 5, Baseline: 40}, Continue},
		{"canary much better, promotion", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05, PromoteAfter: 20}, SequentialCounts{Canary: 5, Baseline: 40}, Accept},
		{"better but too few events to promote", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05, PromoteAfter: 100}, SequentialCounts{Canary: 5, Baseline: 40}, Continue},
		{"small share, worse", SequentialConfig{CanaryShare: 0.05, Alpha: 0.05}, SequentialCounts{Canary: 30, Baseline: 170}, Reject},
		{"small share, as expected", SequentialConfig{CanaryShare: 0.05, Alpha: 0.05}, SequentialCounts{Canary: 10, Baseline: 190}, Continue},
		{"worse but within allowed ratio", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05, AllowedRatio: 2}, SequentialCounts{Canary: 600, Baseline: 400}, Continue},
		{"worse beyond allowed ratio", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05, AllowedRatio: 1.2}, SequentialCounts{Canary: 700, Baseline: 300}, Reject},
		{"within allowed ratio, promotion", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05, AllowedRatio: 1.5, PromoteAfter: 100}, SequentialCounts{Canary: 500, Baseline: 500}, Accept},
		{"negative counts carry no evidence", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05}, SequentialCounts{Canary: 40, Baseline: -5}, Continue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := NewSequentialTest(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := st.Evaluate(tt.counts)
			if got.Verdict != tt.want {
				t.Fatalf("Evaluate(%+v) = %+v, want %v", tt.counts, got, tt.want)
			}
			if got.Threshold != -math.Log(tt.cfg.Alpha) {
				t.Errorf("Threshold = %g, want log(1/alpha)", got.Threshold)
			}
			if tt.counts.Canary < 0 || tt.counts.Baseline < 0 {
				return
			}
			ratio := tt.cfg.AllowedRatio
			if ratio == 0 {
				ratio = 1
			}
			want := logBFDirect(tt.counts, tt.cfg.CanaryShare, ratio, DefaultConcentration)
			if math.Abs(got.LogBayesFactor-want) > 1e-9*max(1, math.Abs(want)) {
				t.Errorf("LogBayesFactor = %.15g, direct computation %.15g", got.LogBayesFactor, want)
			}
			if n := tt.counts.Total(); n > 0 && got.CanaryShare != float64(tt.counts.Canary)/float64(n) {
				t.Errorf("CanaryShare = %g", got.CanaryShare)
			}
		})
	}
}

func TestSequentialObserve(t *testing.T) {
	st, err := NewSequentialTest(SequentialConfig{CanaryShare: 0.5, Alpha: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name             string
		c                SequentialCounts
		canary, baseline int64
		want             SequentialCounts
		err              error
	}{
		{"add", SequentialCounts{Canary: 1, Baseline: 2}, 3, 4, SequentialCounts{Canary: 4, Baseline: 6}, nil},
		{"nothing", SequentialCounts{Canary: 1, Baseline: 2}, 0, 0, SequentialCounts{Canary: 1, Baseline: 2}, nil},
		{"negative canary", SequentialCounts{}, -1, 0, SequentialCounts{}, ErrNegativeCount},
		{"negative baseline", SequentialCounts{Canary: 3}, 0, -1, SequentialCounts{Canary: 3}, ErrNegativeCount},
		{"negative stored count", SequentialCounts{Canary: -3}, 1, 1, SequentialCounts{Canary: -3}, ErrNegativeCount},
		{"canary overflow", SequentialCounts{Canary: math.MaxInt64 - 1}, 2, 0, SequentialCounts{Canary: math.MaxInt64 - 1}, ErrCountOverflow},
		{"total overflow", SequentialCounts{Canary: math.MaxInt64 / 2, Baseline: math.MaxInt64 / 2}, 1, 1, SequentialCounts{Canary: math.MaxInt64 / 2, Baseline: math.MaxInt64 / 2}, ErrCountOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.Observe(tt.c, tt.canary, tt.baseline)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("Observe error = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Fatalf("Observe = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSequentialCountsJSON(t *testing.T) {
	in := SequentialCounts{Canary: 12, Baseline: 345}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"canary":12,"baseline":345}` {
		t.Fatalf("JSON = %s", b)
	}
	var out SequentialCounts
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Fatalf("round trip = %+v, %v", out, err)
	}
}

func TestVerdictAndAlternativeStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{Continue.String(), "continue"},
		{Reject.String(), "reject"},
		{Accept.String(), "accept"},
		{SequentialVerdict(9).String(), "SequentialVerdict(9)"},
		{TwoSided.String(), "two-sided"},
		{Less.String(), "less"},
		{Greater.String(), "greater"},
		{Alternative(-1).String(), "Alternative(-1)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
}

func TestLgammaMatchesMath(t *testing.T) {
	for x := 1e-3; x < 1e9; x *= 1.01 {
		want, _ := math.Lgamma(x)
		if got := lgamma(x); math.Abs(got-want) > 1e-13*max(1, math.Abs(want)) {
			t.Fatalf("lgamma(%g) = %.17g, math.Lgamma %.17g", x, got, want)
		}
	}
}

// simulation runs seeded trials of a sequential test checked after every
// event. Each event lands in the canary with probability eventShare.
type simulation struct {
	cfg        SequentialConfig
	eventShare float64
	runs       int
	maxEvents  int
	seed       uint64
}

// run returns, per trial, the verdict that stopped it (Continue if none
// did within maxEvents) and the number of events seen at that point.
func (s simulation) run(t *testing.T) (verdicts []SequentialVerdict, events []int) {
	t.Helper()
	st, err := NewSequentialTest(s.cfg)
	if err != nil {
		t.Fatal(err)
	}
	verdicts = make([]SequentialVerdict, s.runs)
	events = make([]int, s.runs)
	for run := range s.runs {
		r := rand.New(rand.NewPCG(s.seed, uint64(run)))
		var c SequentialCounts
		for n := 1; n <= s.maxEvents; n++ {
			canary := int64(0)
			if r.Float64() < s.eventShare {
				canary = 1
			}
			if c, err = st.Observe(c, canary, 1-canary); err != nil {
				t.Fatal(err)
			}
			if v := st.Evaluate(c).Verdict; v != Continue {
				verdicts[run], events[run] = v, n
				break
			}
		}
	}
	return verdicts, events
}

// binomialUpper returns the smallest k with P(X > k) ≤ tail for
// X ~ Binomial(n, p).
func binomialUpper(n int, p, tail float64) int {
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	cdf := 0.0
	for k := 0; k <= n; k++ {
		cdf += math.Exp(lg(float64(n+1)) - lg(float64(k+1)) - lg(float64(n-k+1)) +
			float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
		if 1-cdf <= tail {
			return k
		}
	}
	return n
}

func eventShare(share, ratio float64) float64 { return ratio * share / (ratio*share + 1 - share) }

// TestSequentialAAFalseRollbacks is the proof that checking after every
// event does not inflate false rollbacks: in 2,000 A/A runs per case
// (canary and baseline equally healthy, events split by traffic share) the
// fraction rejected stays at or below Alpha. Tolerance: the count of false
// rollbacks must not exceed the 99.9 % quantile of Binomial(2000, Alpha),
// i.e. a true rate above Alpha would be caught; with fixed seeds the outcome
// is deterministic. The bound holds over an unlimited horizon (Ville's
// inequality); maxEvents only keeps the test fast.
func TestSequentialAAFalseRollbacks(t *testing.T) {
	const runs = 2000
	maxEvents := 2000
	if testing.Short() {
		maxEvents = 500
	}
	tests := []struct {
		name      string
		cfg       SequentialConfig
		trueRatio float64 // canary event rate / baseline event rate
	}{
		{"share 0.5", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05}, 1},
		{"share 0.1", SequentialConfig{CanaryShare: 0.1, Alpha: 0.05}, 1},
		{"share 0.05 alpha 0.01", SequentialConfig{CanaryShare: 0.05, Alpha: 0.01}, 1},
		{"allowed ratio 1.5 at the boundary", SequentialConfig{CanaryShare: 0.2, Alpha: 0.05, AllowedRatio: 1.5}, 1.5},
		{"allowed ratio 1.5, healthy canary", SequentialConfig{CanaryShare: 0.2, Alpha: 0.05, AllowedRatio: 1.5}, 1},
		{"concentration 1", SequentialConfig{CanaryShare: 0.3, Alpha: 0.05, Concentration: 1}, 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := simulation{cfg: tt.cfg, eventShare: eventShare(tt.cfg.CanaryShare, tt.trueRatio),
				runs: runs, maxEvents: maxEvents, seed: 1000 + uint64(i)}
			verdicts, _ := sim.run(t)
			rejected := 0
			for _, v := range verdicts {
				if v == Reject {
					rejected++
				}
			}
			limit := binomialUpper(runs, tt.cfg.Alpha, 0.001)
			t.Logf("false rollbacks: %d of %d A/A runs (%.2f %%), alpha %.0f %%, limit %d, %d events checked after each",
				rejected, runs, 100*float64(rejected)/runs, 100*tt.cfg.Alpha, limit, maxEvents)
			if rejected > limit {
				t.Errorf("false rollbacks %d exceed %d (alpha %g)", rejected, limit, tt.cfg.Alpha)
			}
		})
	}
}

// TestSequentialDetectsDoubledRate shows the power side: a canary with twice
// the baseline's error rate is rejected, and reports the median number of
// events (canary plus baseline) until it is.
func TestSequentialDetectsDoubledRate(t *testing.T) {
	runs, maxEvents := 1000, 20000
	if testing.Short() {
		runs = 300
	}
	tests := []struct {
		name      string
		cfg       SequentialConfig
		maxMedian int // generous ceiling on the median events to detection
	}{
		{"share 0.5", SequentialConfig{CanaryShare: 0.5, Alpha: 0.05}, 150},
		{"share 0.1", SequentialConfig{CanaryShare: 0.1, Alpha: 0.05}, 300},
		{"share 0.05", SequentialConfig{CanaryShare: 0.05, Alpha: 0.05}, 500},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := simulation{cfg: tt.cfg, eventShare: eventShare(tt.cfg.CanaryShare, 2),
				runs: runs, maxEvents: maxEvents, seed: 2000 + uint64(i)}
			verdicts, events := sim.run(t)
			var detected []int
			for j, v := range verdicts {
				switch v {
				case Reject:
					detected = append(detected, events[j])
				case Accept:
					t.Fatalf("run %d promoted a canary with twice the error rate", j)
				}
			}
			if len(detected) < runs*99/100 {
				t.Fatalf("detected %d of %d runs within %d events", len(detected), runs, maxEvents)
			}
			slices.Sort(detected)
			median := detected[len(detected)/2]
			t.Logf("doubled error rate: detected in %d of %d runs; events to detection: median %d, 90th percentile %d",
				len(detected), runs, median, detected[len(detected)*9/10])
			if median > tt.maxMedian {
				t.Errorf("median events to detection %d > %d", median, tt.maxMedian)
			}
		})
	}
}

// TestSequentialPromotion checks the early promotion rule: a healthy canary
// under an allowed ratio of 1.5 is promoted, and a canary exactly at the
// allowed ratio (the worst it may be) is promoted in at most Alpha of runs.
func TestSequentialPromotion(t *testing.T) {
	const runs = 1000
	cfg := SequentialConfig{CanaryShare: 0.2, Alpha: 0.05, AllowedRatio: 1.5, PromoteAfter: 200}
	t.Run("healthy canary is promoted", func(t *testing.T) {
		sim := simulation{cfg: cfg, eventShare: eventShare(0.2, 1), runs: runs, maxEvents: 20000, seed: 3000}
		verdicts, events := sim.run(t)
		var promoted []int
		for j, v := range verdicts {
			if v == Accept {
				if events[j] < 200 {
					t.Fatalf("promoted after %d events, before PromoteAfter", events[j])
				}
				promoted = append(promoted, events[j])
			}
		}
		if len(promoted) < runs*95/100 {
			t.Fatalf("promoted %d of %d healthy canaries", len(promoted), runs)
		}
		slices.Sort(promoted)
		t.Logf("healthy canary promoted in %d of %d runs, median after %d events", len(promoted), runs, promoted[len(promoted)/2])
	})
	t.Run("canary at the allowed ratio is rarely promoted", func(t *testing.T) {
		sim := simulation{cfg: cfg, eventShare: eventShare(0.2, 1.5), runs: runs, maxEvents: 2000, seed: 3001}
		verdicts, _ := sim.run(t)
		promoted := 0
		for _, v := range verdicts {
			if v == Accept {
				promoted++
			}
		}
		limit := binomialUpper(runs, cfg.Alpha, 0.001)
		t.Logf("wrong promotions: %d of %d (limit %d)", promoted, runs, limit)
		if promoted > limit {
			t.Errorf("wrong promotions %d exceed %d", promoted, limit)
		}
	})
}

func TestEnumsTextRoundTrip(t *testing.T) {
	for _, v := range []SequentialVerdict{Continue, Reject, Accept} {
		b, err := v.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var got SequentialVerdict
		if err := got.UnmarshalText(b); err != nil || got != v {
			t.Fatalf("verdict %v round trip: %v, %v", v, got, err)
		}
	}
	for _, a := range []Alternative{TwoSided, Less, Greater} {
		b, err := a.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var got Alternative
		if err := got.UnmarshalText(b); err != nil || got != a {
			t.Fatalf("alternative %v round trip: %v, %v", a, got, err)
		}
	}
	if _, err := SequentialVerdict(5).MarshalText(); err == nil {
		t.Error("invalid verdict marshalled")
	}
	if _, err := Alternative(5).MarshalText(); err == nil {
		t.Error("invalid alternative marshalled")
	}
	var v SequentialVerdict
	if err := v.UnmarshalText([]byte("Reject")); err == nil {
		t.Error(`"Reject" accepted as a verdict`)
	}
	var a Alternative
	if err := a.UnmarshalText([]byte("two.sided")); err == nil {
		t.Error(`"two.sided" accepted as an alternative`)
	}
	b, err := json.Marshal(struct {
		V SequentialVerdict `json:"v"`
		A Alternative       `json:"a"`
	}{Reject, Greater})
	if err != nil || string(b) != `{"v":"reject","a":"greater"}` {
		t.Fatalf("JSON = %s, %v", b, err)
	}
}
