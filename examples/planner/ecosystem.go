package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/glidepath/glidepath/compat"
	"github.com/glidepath/glidepath/schedule"
)

// wave is one wave of the compat plan, with what the rest of the planner
// learns about it.
type wave struct {
	n      int
	steps  []compat.Step
	kind   schedule.Change   // the largest change in the wave: freezes block by kind
	state  compat.Deployment // the deployment once the wave is done
	report compat.Report     // compat's verdict on that deployment

	// Filled in by scheduleWaves.
	slot    schedule.Interval // the next slot in which every region is open
	why     []string          // why that slot
	freezes []freezeSpan      // the freezes that kept earlier slots out
	seq     schedule.Plan     // region by region, following the sun
}

func printServices(p *printer, in *inputs) {
	spec := in.matrix.Spec()
	tw := tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  component\towner\ttoday\ttarget")
	for _, c := range spec.Components {
		today := describeInstances(in.current.Components[c.Name])
		target := "(stays)"
		if inst := in.target.Components[c.Name]; len(inst) > 0 {
			target = inst[0].Version.String()
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.Name, c.Owner, today, target)
	}
	if err := tw.Flush(); err != nil && p.err == nil {
		p.err = err
	}
}

// describeInstances renders instances as "3.1.0 ×3" or "4.9.0, 5.0.0".
func describeInstances(inst []compat.Instance) string {
	if len(inst) == 0 {
		return "-"
	}
	var parts []string
	count := map[string]int{}
	for _, i := range inst {
		v := i.Version.String()
		if count[v] == 0 {
			parts = append(parts, v)
		}
		count[v]++
	}
	for i, v := range parts {
		if count[v] > 1 {
			parts[i] = fmt.Sprintf("%s ×%d", v, count[v])
		}
	}
	return strings.Join(parts, ", ")
}

func printReport(p *printer, label string, m *compat.Matrix, d compat.Deployment) {
	r := m.Check(d)
	p.f("  %-7s %s", label+":", r.Verdict)
	if n := len(r.Violations); n > 0 {
		p.f(" (%d violation%s)", n, plural(n))
	}
	p.f("\n")
	for _, v := range r.Violations {
		p.f("    - %s\n", v)
	}
	for _, c := range r.UnknownComponents {
		p.f("    - %s is not in the matrix; no rule constrains it\n", c)
	}
	for _, fs := range m.Features(d) {
		if fs.Usable {
			p.f("    feature %s: usable\n", fs.Feature)
		} else {
			p.f("    feature %s: not usable: %s\n", fs.Feature, fs.Why)
		}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// buildWaves replays the plan to learn the state after each wave and the
// kind of change each wave is.
func buildWaves(m *compat.Matrix, current compat.Deployment, plan *compat.Plan) []*wave {
	states := plan.States(current)
	waves := make([]*wave, len(plan.Waves))
	for i, steps := range plan.Waves {
		waves[i] = &wave{
			n: i + 1, steps: steps,
			kind:   freezeKind(plan.WaveChange(i)),
			state:  states[i],
			report: m.Check(states[i]),
		}
	}
	return waves
}

// freezeKind maps compat's kind of version change onto the schedule's
// kinds of change, which freezes block. A wave that changes no version
// (a restart) is treated as a patch.
func freezeKind(c compat.Change) schedule.Change {
	switch c {
	case compat.ChangeMajor:
		return schedule.ChangeMajor
	case compat.ChangeMinor:
		return schedule.ChangeMinor
	}
	return schedule.ChangePatch
}

func printWaves(p *printer, plan *compat.Plan, waves []*wave) {
	note := "fewest steps possible"
	if !plan.Optimal {
		note = "a safe plan; the search budget ran out before proving it shortest"
	}
	p.f("  %d waves, %d steps (%s); every state on the way passes the matrix,\n", len(waves), len(plan.Steps), note)
	p.f("  including the mixed states while a wave's steps run in parallel.\n")
	for _, w := range waves {
		p.f("  wave %d  %-5s  %s  → %s\n", w.n, w.kind, joinSteps(w.steps), w.report.Verdict)
	}
}

func joinSteps(steps []compat.Step) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

func componentsOf(steps []compat.Step) string {
	var names []string
	for _, s := range steps {
		if !slices.Contains(names, s.Component) {
			names = append(names, s.Component)
		}
	}
	return strings.Join(names, ", ")
}
