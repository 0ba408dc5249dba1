package schedule

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/glidepath/glidepath/internal/interval"
)

// SVGOptions controls [Calendar.WriteSVG].
type SVGOptions struct {
	// From and To bound the timeline.
	From, To time.Time
	// Parties to draw, one row each; empty means every party.
	Parties []string
	// Slot, when set, is drawn across every row, labelled "slot" and its
	// start time. It is a shorthand for a [Mark] drawn first.
	Slot *Interval
	// Marks are further labelled intervals, such as the stages of a
	// rollout, each outlined across every row or on one party's row.
	Marks []Mark
	// Width of the picture in pixels; default 1200, at least 400.
	Width int
	// Title above the timeline; default "Upgrade calendar".
	Title string
}

// minSVGWidth keeps room for the labels and a plot of positive width.
const minSVGWidth = 400

// Mark is a labelled interval drawn on a timeline by [Calendar.WriteSVG].
type Mark struct {
	// Label is written above the mark; empty means none.
	Label string
	// Interval is the time marked; it is clipped to the timeline.
	Interval Interval
	// Party, when set, draws the mark on that party's row only; it must
	// be one of the parties drawn. Empty draws it across every row.
	Party string
}

// markColor returns the outline colour of the i'th mark; blue is the slot's.
func markColor(i int) string {
	colors := [...]string{"#9334e6", "#e37400", "#188038", "#d01884", "#12858c", "#5f6368"}
	return colors[i%len(colors)]
}

// WriteSVG draws a timeline: one row per party with its windows (green),
// the freezes that apply (red, hatched), a final row with the time every
// party is open, the chosen slot outlined in blue, and the marks outlined
// in turn in purple, orange, green and further colours. Times run left to
// right in UTC with a tick per day (or per week for long ranges). The
// output is deterministic.
func (c *Calendar) WriteSVG(w io.Writer, opt SVGOptions) error {
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
	row := make(map[string]int, len(names))
	for i, n := range names {
		row[n] = i
	}
	for i, m := range opt.Marks {
		if m.Party != "" {
			if _, ok := row[m.Party]; !ok {
				return perr(pathf("Marks[%d].Party", i), m.Party, ErrUnknownParty, "is not one of the parties drawn")
			}
		}
		if m.Interval.End.Before(m.Interval.Start) {
			return perr(pathf("Marks[%d].Interval", i), m.Interval.String(), ErrInvalidConfig, "ends before it starts")
		}
	}
	width := opt.Width
	if width <= 0 {
		width = 1200
	}
	width = max(width, minSVGWidth) // leaves the plot a positive width
	title := opt.Title
	if title == "" {
		title = "Upgrade calendar"
	}
	const (
		labelW = 150.0
		top    = 56.0
		rowH   = 30.0
		barH   = 18.0
		right  = 20.0
	)
	plotW := float64(width) - labelW - right
	rows := len(ps) + 1
	height := top + float64(rows)*rowH + 40
	span := opt.To.Sub(opt.From).Seconds()
	x := func(t time.Time) float64 {
		s := t.Sub(opt.From).Seconds()
		s = min(max(s, 0), span)
		return labelW + s/span*plotW
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%s" viewBox="0 0 %d %s" font-family="sans-serif" font-size="12">`+"\n", width, f(height), width, f(height))
	bw.WriteString(`<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4c7c3"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c5221f" stroke-width="2"/></pattern></defs>` + "\n")
	fmt.Fprintf(bw, `<rect width="%d" height="%s" fill="#ffffff"/>`+"\n", width, f(height))
	fmt.Fprintf(bw, `<text x="10" y="20" font-size="15" font-weight="bold">%s</text>`+"\n", xmlText(title))
	fmt.Fprintf(bw, `<text x="10" y="38" fill="#555555">%s – %s UTC</text>`+"\n",
		opt.From.UTC().Format("2006-01-02 15:04"), opt.To.UTC().Format("2006-01-02 15:04"))

	// Ticks: daily, or weekly when that would be crowded.
	step := 24 * time.Hour
	if opt.To.Sub(opt.From) > 45*24*time.Hour {
		step = 7 * 24 * time.Hour
	}
	y0, y1 := top-4, top+float64(rows)*rowH
	first := opt.From.UTC().Truncate(24 * time.Hour)
	if first.Before(opt.From) {
		first = first.Add(24 * time.Hour)
	}
	for t := first; t.Before(opt.To); t = t.Add(step) {
		xx := x(t)
		fmt.Fprintf(bw, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#dddddd"/>`+"\n", f(xx), f(y0), f(xx), f(y1))
		fmt.Fprintf(bw, `<text x="%s" y="%s" font-size="10" fill="#555555" text-anchor="middle">%s</text>`+"\n", f(xx), f(y1+14), t.Format("Jan 2"))
	}
	bar := func(row int, a, b time.Time, fill, opacity, tip string) {
		x0, x1 := x(a), x(b)
		if x1-x0 < 0.5 {
			x1 = x0 + 0.5
		}
		y := top + float64(row)*rowH + (rowH-barH)/2
		fmt.Fprintf(bw, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="%s"><title>%s</title></rect>`+"\n",
			f(x0), f(y), f(x1-x0), f(barH), fill, opacity, xmlText(tip))
	}
	label := func(row int, s string) {
		fmt.Fprintf(bw, `<text x="10" y="%s">%s</text>`+"\n", f(top+float64(row)*rowH+rowH/2+4), xmlText(s))
	}
	for i, p := range ps {
		label(i, p.cfg.Name)
		fmt.Fprintf(bw, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#eeeeee"/>`+"\n", f(labelW), f(top+float64(i+1)*rowH), f(labelW+plotW), f(top+float64(i+1)*rowH))
		for _, win := range p.windows {
			for _, iv := range win.rule.Between(opt.From, opt.To) {
				bar(i, iv.Start, iv.End, "#34a853", "0.85", win.name+" "+utc(iv).String())
			}
		}
		for _, fr := range p.freezes {
			if !fr.scope.Blocks(c.change) {
				continue
			}
			for _, iv := range fr.appendBetween(nil, opt.From, opt.To) {
				bar(i, iv.Start, iv.End, "url(#hatch)", "0.9", "freeze "+fr.name)
			}
		}
	}
	all := len(ps)
	label(all, "all open")
	common, _ := c.common(opt.From, opt.To, ps, nil)
	for i := range common.Len() {
		iv := common.At(i)
		bar(all, iv.Start, iv.End, "#1a73e8", "0.6", "all open "+utc(Interval(iv)).String())
	}
	whole := interval.Interval{Start: opt.From, End: opt.To}
	if s := opt.Slot; s != nil && s.Start.Before(opt.To) && s.End.After(opt.From) {
		clip := interval.Interval(*s).Intersect(whole)
		x0, x1 := x(clip.Start), x(clip.End)
		fmt.Fprintf(bw, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#1a73e8" stroke-width="2.5"/>`+"\n",
			f(x0), f(top-2), f(max(x1-x0, 1)), f(float64(rows)*rowH+4))
		fmt.Fprintf(bw, `<text x="%s" y="%s" fill="#1a73e8" font-weight="bold">slot %s</text>`+"\n", f(x0), f(top-8), s.Start.UTC().Format("Jan 2 15:04"))
	}
	for i, m := range opt.Marks {
		s := m.Interval
		if !s.Start.Before(opt.To) || !s.End.After(opt.From) {
			continue
		}
		color := markColor(i)
		clip := interval.Interval(s).Intersect(whole)
		x0, x1 := x(clip.Start), x(clip.End)
		y, h, ly := top-2, float64(rows)*rowH+4, top-8
		if m.Party != "" {
			r := row[m.Party]
			y, h = top+float64(r)*rowH+1, rowH-2
			ly = y + 9
		}
		fmt.Fprintf(bw, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="%s" stroke-width="2.5"><title>%s</title></rect>`+"\n",
			f(x0), f(y), f(max(x1-x0, 1)), f(h), color, xmlText(strings.TrimSpace(m.Label+" "+utc(s).String())))
		if m.Label != "" {
			size := ""
			if m.Party != "" {
				size = ` font-size="10"`
			}
			fmt.Fprintf(bw, `<text x="%s" y="%s" fill="%s" font-weight="bold"%s>%s</text>`+"\n", f(x0+2), f(ly), color, size, xmlText(m.Label))
		}
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// xmlText escapes s for XML character data and attribute values. Characters
// XML 1.0 does not allow at all (most C0 controls, invalid UTF-8) become
// U+FFFD, so that any name yields a well-formed document.
func xmlText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteRune(r)
		case r < 0x20 || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
