package rollout

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RenderRunbook writes p as a Markdown runbook: readiness checks, the gates
// and their rules, and for every stage each action with its expected result,
// its gates, its owner and what happens when it goes wrong.
func RenderRunbook(w io.Writer, p *Plan) error {
	var b strings.Builder
	s := &p.spec
	fmt.Fprintf(&b, "# Runbook: %s\n\n", s.Name)
	fmt.Fprintf(&b, "- Strategy: %s\n", s.Strategy)
	if len(s.Labels) > 0 {
		var ls []string
		for _, k := range slices.Sorted(maps.Keys(s.Labels)) {
			ls = append(ls, k+"="+s.Labels[k])
		}
		fmt.Fprintf(&b, "- Labels: %s\n", strings.Join(ls, ", "))
	}
	if s.Owner != "" {
		fmt.Fprintf(&b, "- Owner: %s\n", s.Owner)
	}
	fmt.Fprintf(&b, "- Evaluated every %s\n", fmtDur(p.interval))
	if s.Strategy == BlueGreen {
		fmt.Fprintf(&b, "- Rollback window: the old version is kept for %s after the switch\n", fmtDur(s.RollbackWindow.D()))
	}

	b.WriteString("\n## Before you start\n\n")
	if len(s.Readiness) == 0 {
		b.WriteString("No readiness checks: the rollout starts at once.\n")
	} else {
		b.WriteString("Every readiness check must pass before the first stage; a failed check holds the rollout.\n\n")
		for _, c := range s.Readiness {
			fmt.Fprintf(&b, "- [ ] **%s**%s\n", c.Name, dash(c.Description))
		}
	}

	if len(p.gates) > 0 {
		b.WriteString("\n## Gates\n\n")
		b.WriteString("| Gate | Rule | Measured | Missing data | Minimum sample | Tolerates |\n")
		b.WriteString("|---|---|---|---|---|---|\n")
		for i := range p.gates {
			g := &p.gates[i]
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", g.spec.Name, cell(gateRule(g)), gateCadence(g),
				g.spec.Missing, minSampleText(g), cell(gateLimits(g)))
		}
	}

	for i := range p.stages {
		st := &p.stages[i]
		sp := &st.spec
		fmt.Fprintf(&b, "\n## Stage %d: %s (%s)\n\n", i+1, sp.Name, sp.Exposure)
		if st.owner != "" {
			fmt.Fprintf(&b, "Owner: %s\n\n", st.owner)
		}
		b.WriteString("| Step | Action | Expected result |\n|---|---|---|\n")
		step := 0
		row := func(action, result string) {
			step++
			fmt.Fprintf(&b, "| %d | %s | %s |\n", step, cell(action), cell(result))
		}
		last := i == len(p.stages)-1
		action := "Set the exposure of the new version to " + exposureText(sp.Exposure)
		watch := "Bake for at least " + fmtDur(st.bake)
		if s.Strategy == BlueGreen {
			action = "Deploy the new version beside the old one, with no user traffic"
			if last {
				action = "Switch all traffic to the new version at once"
				watch = "Keep the old version running for the " + fmtDur(st.bake) + " rollback window"
			}
		}
		row(action, exposureResult(p, i))
		if st.bake == 0 {
			watch = "Evaluate the gates"
		}
		result := "the stage has run its bake time"
		switch len(sp.Gates) {
		case 0:
		case 1:
			watch += "; watch gate " + sp.Gates[0]
		default:
			watch += "; watch gates " + strings.Join(sp.Gates, ", ")
		}
		if len(sp.Gates) > 0 {
			result = "every gate passes (a failing gate rolls back at once)"
		}
		row(watch, result)
		if len(sp.Exit) > 0 {
			var names []string
			for _, c := range sp.Exit {
				names = append(names, c.Name+dash(c.Description))
			}
			row("Confirm the exit checks: "+strings.Join(names, "; "), "every exit check reports OK")
		}
		switch {
		case sp.Approval && len(sp.Approvers) > 0:
			row("Approve the stage ("+strings.Join(sp.Approvers, " or ")+")", "the approval is recorded in the decision log")
		case sp.Approval:
			row("Approve the stage", "the approval is recorded in the decision log")
		case sp.Pause:
			row("Resume the rollout (it pauses here once healthy)", "the resume is recorded in the decision log")
		}
		if last {
			done := "the new version serves everything; the rollout is complete"
			if s.Strategy == BlueGreen {
				done = "the old version is released; the rollout is complete"
			}
			row("Promote", done)
		} else {
			row("Advance to stage "+strconv.Itoa(i+2)+" ("+p.stages[i+1].spec.Name+")", "exposure widens to "+exposureText(p.stages[i+1].spec.Exposure))
		}
		b.WriteString("\nIf it goes wrong: a failing gate rolls back automatically")
		if sp.ProgressDeadline > 0 {
			act := "holds for the owner"
			if sp.OnDeadline == DeadlineRollBack {
				act = "rolls back"
			}
			fmt.Fprintf(&b, "; if the stage has not passed within %s the rollout %s", fmtDur(sp.ProgressDeadline.D()), act)
		}
		var failOnMissing []string
		for _, g := range p.stages[i].gates {
			if g.g.spec.Missing == MissingFail {
				failOnMissing = append(failOnMissing, g.g.spec.Name)
			}
		}
		switch {
		case len(failOnMissing) == 0 && sp.OnDeadline != DeadlineRollBack:
			b.WriteString("; inconclusive or missing data hold the rollout for the owner, never roll it back.\n")
		default:
			b.WriteString("; inconclusive or missing data hold the rollout for the owner")
			if sp.ProgressDeadline > 0 && sp.OnDeadline == DeadlineRollBack {
				b.WriteString(" until the deadline")
			}
			if len(failOnMissing) > 0 {
				b.WriteString(", except that missing data count as failed measurements for " + strings.Join(failOnMissing, ", "))
			}
			b.WriteString(".\n")
		}
	}
	b.WriteString("\n## Rolling back by hand\n\nAbort the rollout with an actor and a comment; the abort is recorded in the decision log and the new version is removed")
	if s.Strategy == BlueGreen {
		b.WriteString(" (within the rollback window, traffic switches back to the old version)")
	}
	b.WriteString(".\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func dash(desc string) string {
	if desc == "" {
		return ""
	}
	return " — " + desc
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func fmtDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func exposureText(e Exposure) string {
	switch {
	case e.Cohort != "":
		return "the cohort " + e.Cohort
	case len(e.Regions) > 0:
		return "the regions " + strings.Join(e.Regions, ", ")
	}
	return formatPercent(e.Percent) + " of traffic"
}

func exposureResult(p *Plan, i int) string {
	e := p.stages[i].spec.Exposure
	if p.spec.Strategy == BlueGreen {
		if e.IsPercent() && e.Percent == 0 {
			return "the new version is up; users still see only the old one"
		}
		return "all users see the new version; the old one stays ready to take traffic back"
	}
	switch {
	case e.Cohort != "":
		return "the cohort " + e.Cohort + " runs the new version; everyone else stays on the old one"
	case len(e.Regions) > 0:
		return "the new version runs in " + strings.Join(e.Regions, ", ") + "; other regions stay on the old one"
	case e.Percent >= 100:
		return "all traffic runs the new version"
	case e.Percent == 0:
		return "the new version is deployed but receives no traffic"
	}
	return formatPercent(e.Percent) + " of traffic runs the new version; the rest stays on the old one"
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func gateRule(g *compiledGate) string {
	switch g.kind {
	case kindThreshold:
		t := g.spec.Threshold
		switch {
		case t.Min != nil && t.Max != nil:
			return fmt.Sprintf("%s ≤ %s ≤ %s", num(*t.Min), t.Metric, num(*t.Max))
		case t.Min != nil:
			return fmt.Sprintf("%s ≥ %s", t.Metric, num(*t.Min))
		default:
			return fmt.Sprintf("%s ≤ %s", t.Metric, num(*t.Max))
		}
	case kindComparison:
		cg := g.cmp
		var ms []string
		for _, m := range cg.metrics {
			d := m.Name + " (" + m.Direction.String()
			if m.AllowedIncrease != 1 && m.Direction != Decrease {
				d += ", allowed ×" + num(m.AllowedIncrease)
			}
			if m.AllowedDecrease != 1 && m.Direction != Increase {
				d += ", allowed ×" + num(m.AllowedDecrease)
			}
			if m.Critical {
				d += ", critical"
			}
			if m.Muted {
				d += ", muted"
			}
			ms = append(ms, d+")")
		}
		return fmt.Sprintf("canary vs baseline, Mann–Whitney at %s%% confidence: %s; score ≥ %s passes, ≥ %s is marginal",
			num(100*cg.conf), strings.Join(ms, ", "), num(cg.pass), num(cg.marginal))
	default:
		s := g.spec.Sequential
		alpha := s.Alpha
		if alpha == 0 {
			alpha = DefaultAlpha
		}
		r := fmt.Sprintf("%s counts of canary vs baseline, anytime-valid test at α = %s (rolls back when the Bayes factor reaches %s)",
			s.Metric, num(alpha), num(1/alpha))
		if s.AllowedRatio != 0 && s.AllowedRatio != 1 {
			r += ", allowed ratio " + num(s.AllowedRatio)
		}
		if s.PromoteAfter > 0 {
			r += fmt.Sprintf(", promotes early after %d events", s.PromoteAfter)
		}
		return r
	}
}

func gateCadence(g *compiledGate) string {
	if g.kind == kindSequential {
		return "every evaluation"
	}
	return "every " + fmtDur(g.interval)
}

func minSampleText(g *compiledGate) string {
	switch g.kind {
	case kindThreshold:
		return strconv.FormatInt(g.minSample, 10) + " requests"
	case kindComparison:
		return strconv.FormatInt(g.minSample, 10) + " per side"
	}
	if g.minSample == 0 {
		return "none"
	}
	return strconv.FormatInt(g.minSample, 10) + " canary requests"
}

func gateLimits(g *compiledGate) string {
	var parts []string
	if g.kind == kindThreshold && g.successes > 1 {
		parts = append(parts, fmt.Sprintf("passes after %d successes", g.successes))
	}
	if g.kind != kindSequential || g.spec.Missing == MissingFail {
		parts = append(parts, fmt.Sprintf("%d failed", g.spec.FailureLimit))
	}
	if g.spec.InconclusiveLimit > 0 {
		parts = append(parts, fmt.Sprintf("%d inconclusive", g.spec.InconclusiveLimit))
	}
	if g.spec.Missing == MissingHold {
		parts = append(parts, fmt.Sprintf("%d missing in a row", g.errLimit))
	}
	return strings.Join(parts, ", ")
}
