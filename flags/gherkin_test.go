package flags_test

import (
	"bufio"
	"os"
	"strings"
)

// A minimal reader for the Gherkin subset the flagd evaluator suite uses:
// tags, Feature, Background, Scenario, Scenario Outline, steps with an
// optional data table, and Examples tables with their own tags.

type gherkinStep struct {
	text  string
	table [][]string // data table rows, header first
}

type gherkinScenario struct {
	feature string
	name    string // scenario name plus the example row, if any
	tags    []string
	steps   []gherkinStep
}

func (s gherkinScenario) hasTag(tag string) bool {
	for _, t := range s.tags {
		if t == tag {
			return true
		}
	}
	return false
}

// readFeature expands a feature file into concrete scenarios: outlines are
// instantiated once per example row, with <placeholders> substituted.
func readFeature(path string) ([]gherkinScenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var (
		out         []gherkinScenario
		feature     string
		featureTags []string
		pending     []string // tags waiting for the next keyword
		background  []gherkinStep
		inBg        bool
		cur         *gherkinScenario // scenario or outline being read
		outline     bool
		exTags      []string
		exHeader    []string
		inExamples  bool
	)
	flush := func() {
		if cur != nil && !outline {
			out = append(out, *cur)
		}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "@"):
			pending = append(pending, strings.Fields(line)...)
		case strings.HasPrefix(line, "Feature:"):
			feature = strings.TrimSpace(strings.TrimPrefix(line, "Feature:"))
			featureTags, pending = pending, nil
		case strings.HasPrefix(line, "Background:"):
			inBg = true
		case strings.HasPrefix(line, "Scenario Outline:"), strings.HasPrefix(line, "Scenario:"):
			flush()
			inBg, inExamples = false, false
			outline = strings.HasPrefix(line, "Scenario Outline:")
			name := strings.TrimSpace(line[strings.Index(line, ":")+1:])
			cur = &gherkinScenario{feature: feature, name: name,
				tags: append(append([]string{}, featureTags...), pending...), steps: append([]gherkinStep{}, background...)}
			pending = nil
		case strings.HasPrefix(line, "Examples:"):
			inExamples, exHeader = true, nil
			exTags, pending = pending, nil
		case strings.HasPrefix(line, "|"):
			cells := splitRow(line)
			switch {
			case inExamples && exHeader == nil:
				exHeader = cells
			case inExamples:
				s := gherkinScenario{feature: cur.feature, tags: append(append([]string{}, cur.tags...), exTags...)}
				repl := make([]string, 0, 2*len(cells))
				for i, h := range exHeader {
					if i < len(cells) {
						repl = append(repl, "<"+h+">", cells[i])
					}
				}
				r := strings.NewReplacer(repl...)
				s.name = cur.name + " [" + strings.Join(cells, ",") + "]"
				for _, st := range cur.steps {
					ns := gherkinStep{text: r.Replace(st.text)}
					for _, row := range st.table {
						nr := make([]string, len(row))
						for j, c := range row {
							nr[j] = r.Replace(c)
						}
						ns.table = append(ns.table, nr)
					}
					s.steps = append(s.steps, ns)
				}
				out = append(out, s)
			default:
				steps := &cur.steps
				if inBg {
					steps = &background
				}
				last := &(*steps)[len(*steps)-1]
				last.table = append(last.table, cells)
			}
		default:
			for _, kw := range []string{"Given ", "When ", "Then ", "And ", "But "} {
				if strings.HasPrefix(line, kw) {
					st := gherkinStep{text: strings.TrimPrefix(line, kw)}
					if inBg {
						background = append(background, st)
					} else if cur != nil {
						cur.steps = append(cur.steps, st)
					}
				}
			}
		}
	}
	flush()
	return out, sc.Err()
}

func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	parts := strings.Split(line, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
