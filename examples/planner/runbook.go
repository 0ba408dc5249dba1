package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/glidepath/glidepath/compat"
	"github.com/glidepath/glidepath/rollout"
	"github.com/glidepath/glidepath/schedule"
)

// buildRunbook writes the waves as a Markdown runbook: for every region's
// window the action, the expected result, the owner and whom to escalate
// to, then the compatibility check that closes the wave.
func buildRunbook(in *inputs, o options, waves []*wave) string {
	var b strings.Builder
	owners := componentOwners(in.matrix)
	fmt.Fprintf(&b, "# Upgrade runbook: %s\n\n", in.matrix.Name())
	fmt.Fprintf(&b, "Planned %s. Roll each upgrade out with plan `%s`; if it goes wrong, escalate to the window's contacts and the components' owners (%s).\n",
		fmtTime(o.now), in.plan.Name(), ownersLine(in.matrix))
	for _, w := range waves {
		fmt.Fprintf(&b, "\n## Wave %d: %s (%s change)\n\n", w.n, componentsOf(w.steps), w.kind)
		b.WriteString("| When (UTC) | Where | Action | Expected result | Owner | Escalation |\n|---|---|---|---|---|---|\n")
		for _, st := range w.seq.Stages {
			party, _ := in.cal.Party(st.Party)
			fmt.Fprintf(&b, "| %s | %s | Upgrade %s | `%s` completes; every gate passes | %s | %s |\n",
				fmtSpan(st.Start, st.End), st.Party, joinSteps(w.steps), in.plan.Name(),
				orDash(party.Owner), orDash(strings.Join(party.Escalation, ", ")))
		}
		last := w.seq.Stages[len(w.seq.Stages)-1]
		fmt.Fprintf(&b, "| after %s | everywhere | Check compatibility | %s | %s | - |\n",
			fmtTime(last.End), expected(in.matrix, w), stepOwners(w.steps, owners))
		for _, f := range w.freezes {
			fmt.Fprintf(&b, "\nScheduled after the %q freeze (%s in %s)", f.freeze.Name, fmtSpan(f.first, f.till), strings.Join(f.regions, ", "))
			if ask := append(orNil(f.freeze.Owner), f.freeze.Escalation...); len(ask) > 0 {
				fmt.Fprintf(&b, "; to change during it, ask %s", strings.Join(ask, ", then "))
			}
			b.WriteString(".\n")
		}
	}
	return b.String()
}

func expected(m *compat.Matrix, w *wave) string {
	s := "verdict " + w.report.Verdict.String()
	if n := len(w.report.Violations); n > 0 {
		ids := make([]string, n)
		for i, v := range w.report.Violations {
			ids[i] = v.Rule
		}
		s += " (" + strings.Join(ids, ", ") + ")"
	}
	if f := m.UsableFeatures(w.state); len(f) > 0 {
		s += "; usable: " + strings.Join(f, ", ")
	}
	return s
}

func componentOwners(m *compat.Matrix) map[string]string {
	owners := map[string]string{}
	for _, c := range m.Spec().Components {
		owners[c.Name] = c.Owner
	}
	return owners
}

// ownersLine lists "component: owner" for every component with an owner.
func ownersLine(m *compat.Matrix) string {
	var parts []string
	for _, c := range m.Spec().Components {
		if c.Owner != "" {
			parts = append(parts, c.Name+": "+c.Owner)
		}
	}
	return orDash(strings.Join(parts, ", "))
}

func stepOwners(steps []compat.Step, owners map[string]string) string {
	var out []string
	for _, s := range steps {
		if o := owners[s.Component]; o != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return orDash(strings.Join(out, ", "))
}

// orNil returns s as a list of one, or none if it is empty.
func orNil(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// fullRunbook appends the rollout plan's own runbook (every stage's actions
// and expected results), one heading level down.
func fullRunbook(waveBook string, p *rollout.Plan) (string, error) {
	var b bytes.Buffer
	if err := rollout.RenderRunbook(&b, p); err != nil {
		return "", err
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "#") {
			lines[i] = "#" + l
		}
	}
	return waveBook + "\n## Rolling out a change: plan `" + p.Name() + "`\n\n" +
		strings.TrimPrefix(strings.Join(lines, "\n"), "## Runbook: "+p.Name()+"\n\n"), nil
}

func writeFiles(p *printer, in *inputs, o options, dir string, waves []*wave, waveBook string, records []rollout.Record) error {
	end := waves[len(waves)-1].seq.End()
	day := func(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }
	from, to := day(o.now), day(end).Add(48*time.Hour)
	book, err := fullRunbook(waveBook, in.plan)
	if err != nil {
		return err
	}
	files := []struct {
		name, what string
		write      func(io.Writer) error
	}{
		{"compatibility.md", "the compatibility matrix", in.matrix.WriteMarkdown},
		{"calendar.ics", "every region's windows, the freezes and each wave's stages, for calendar apps", func(w io.Writer) error {
			return in.cal.WriteICS(w, schedule.ICSOptions{From: from, To: to, Stamp: o.now, Events: plannedEvents(in, waves)})
		}},
		{"timeline.svg", "windows, freezes, each wave's common slot and its stages", func(w io.Writer) error {
			return in.cal.WriteSVG(w, schedule.SVGOptions{From: from, To: to, Marks: timelineMarks(waves), Title: in.matrix.Name() + " upgrade windows"})
		}},
		{"runbook.md", "this runbook plus the rollout plan's stage-by-stage steps", func(w io.Writer) error {
			_, err := io.WriteString(w, book)
			return err
		}},
		{"decisions.jsonl", "the rehearsals' decision log, one JSON record a line", func(w io.Writer) error {
			lw := rollout.NewLogWriter(w)
			for _, r := range records {
				if err := lw.Write(r); err != nil {
					return err
				}
			}
			return nil
		}},
	}
	p.f("  written to %s:\n", dir)
	for _, f := range files {
		path, err := writeFile(dir, f.name, f.write)
		if err != nil {
			return err
		}
		p.f("    %-17s %s\n", filepath.Base(path), f.what)
	}
	return nil
}
