package schedule

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// AgendaOptions controls [Calendar.WriteAgenda].
type AgendaOptions struct {
	// From and To bound the agenda.
	From, To time.Time
	// Parties limits the agenda; empty means every party.
	Parties []string
	// Slot, when set, is shown as the chosen slot.
	Slot *Interval
}

// WriteAgenda writes a Markdown agenda: for each party its owner and
// escalation contacts, then its windows and freezes within [From, To) in
// time order, in UTC and in the window's local time, and finally the time
// when every listed party is open. The output is deterministic.
func (c *Calendar) WriteAgenda(w io.Writer, opt AgendaOptions) error {
	if !opt.To.After(opt.From) {
		return perr("To", opt.To.Format(time.RFC3339), ErrInvalidConfig, "must be after From")
	}
	names := opt.Parties
	if len(names) == 0 {
		names = c.Parties()
	}
	ps, err := c.lookup(names)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	const day = "Mon 2006-01-02 15:04"
	fmt.Fprintf(bw, "# Upgrade calendar %s – %s (UTC)\n", opt.From.UTC().Format(day), opt.To.UTC().Format(day))
	if c.change != ChangeAny {
		fmt.Fprintf(bw, "\nFor %s changes: freezes that do not block them are listed but do not close windows.\n", c.change)
	}
	type row struct {
		start time.Time
		text  string
	}
	for _, p := range ps {
		fmt.Fprintf(bw, "\n## %s", mdEscape(p.cfg.Name))
		if p.cfg.Kind != PartyUnspecified {
			fmt.Fprintf(bw, " (%s)", p.cfg.Kind)
		}
		bw.WriteString("\n\n")
		if p.cfg.Owner != "" {
			fmt.Fprintf(bw, "Owner: %s", mdEscape(p.cfg.Owner))
			if len(p.cfg.Escalation) > 0 {
				fmt.Fprintf(bw, "; escalation: %s", mdEscape(strings.Join(p.cfg.Escalation, ", ")))
			}
			bw.WriteString("\n\n")
		}
		var rows []row
		for _, win := range p.windows {
			loc := win.rule.Location()
			for _, iv := range win.rule.Between(opt.From, opt.To) {
				local := iv.Start.In(loc).Format("Mon 15:04 MST") + "–" + iv.End.In(loc).Format("15:04 MST")
				rows = append(rows, row{iv.Start, fmt.Sprintf("| %s | %s | %s | window %s |",
					iv.Start.UTC().Format(day), iv.End.UTC().Format(day), local, mdEscape(win.name))})
			}
		}
		for _, f := range p.freezes {
			var spans []Interval
			if f.recurring() {
				spans = f.rule.Between(opt.From, opt.To)
			} else if f.span.Start.Before(opt.To) && f.span.End.After(opt.From) {
				spans = []Interval{f.span}
			}
			for _, iv := range spans {
				what := "**freeze** " + mdEscape(f.name)
				if f.global {
					what += " (all parties)"
				}
				if f.scope != ScopeAll {
					what += " — blocks " + f.scope.String()
				}
				if f.owner != "" {
					what += " — owner " + mdEscape(f.owner)
				}
				if len(f.escalation) > 0 {
					what += " — escalation " + mdEscape(strings.Join(f.escalation, ", "))
				}
				rows = append(rows, row{iv.Start, fmt.Sprintf("| %s | %s | | %s |",
					iv.Start.UTC().Format(day), iv.End.UTC().Format(day), what)})
			}
		}
		slices.SortStableFunc(rows, func(a, b row) int { return a.start.Compare(b.start) })
		if len(rows) == 0 {
			bw.WriteString("Nothing scheduled.\n")
			continue
		}
		bw.WriteString("| Start (UTC) | End (UTC) | Local | What |\n|---|---|---|---|\n")
		for _, r := range rows {
			bw.WriteString(r.text + "\n")
		}
	}
	open, err := c.OpenIntervals(opt.From, opt.To, names...)
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "\n## Open for %s\n\n", strings.Join(names, ", "))
	if len(open) == 0 {
		bw.WriteString("Never within this range.\n")
	}
	for _, iv := range open {
		fmt.Fprintf(bw, "- %s – %s (%s)\n", iv.Start.Format(day), iv.End.Format(day), FormatDuration(iv.Duration()))
	}
	if opt.Slot != nil {
		fmt.Fprintf(bw, "\n**Chosen slot:** %s – %s UTC (%s)\n", opt.Slot.Start.UTC().Format(day), opt.Slot.End.UTC().Format(day), FormatDuration(opt.Slot.Duration()))
	}
	return bw.Flush()
}

func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
