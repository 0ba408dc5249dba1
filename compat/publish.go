package compat

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Table is the published form of a matrix: every component version with
// its support level, the features it provides and what it requires, plus
// every rule, schema and feature. It marshals to JSON as is and renders
// as Markdown with [Table.Markdown].
type Table struct {
	Name        string           `json:"name,omitempty"`
	Description string           `json:"description,omitempty"`
	Prerelease  PrereleasePolicy `json:"prerelease"`
	Components  []TableComponent `json:"components"`
	Rules       []TableRule      `json:"rules,omitempty"`
	Features    []TableFeature   `json:"features,omitempty"`
}

// TableComponent is one component and its catalog versions.
type TableComponent struct {
	Name        string         `json:"name"`
	Owner       string         `json:"owner,omitempty"`
	Description string         `json:"description,omitempty"`
	Versions    []TableVersion `json:"versions"`
}

// TableVersion is the verdict for one catalog version of a component.
type TableVersion struct {
	Version Version `json:"version"`
	// Level comes from the support rules that match the version.
	Level Level `json:"level"`
	// LevelRule is the support rule that sets Level, if any.
	LevelRule string `json:"levelRule,omitempty"`
	// Features lists the features this version helps provide.
	Features []string `json:"features,omitempty"`
	// Requires lists "component range" requirements of this version.
	Requires []string `json:"requires,omitempty"`
	// Conflicts lists "component range" this version must not run beside.
	Conflicts []string `json:"conflicts,omitempty"`
	// Schemas lists "schema: reads R, writes W" for this version.
	Schemas []string `json:"schemas,omitempty"`
}

// TableRule summarizes one rule or schema.
type TableRule struct {
	ID          string `json:"id"`
	Kind        Kind   `json:"kind"`
	Summary     string `json:"summary"`
	Level       Level  `json:"level"`
	Owner       string `json:"owner,omitempty"`
	Description string `json:"description,omitempty"`
}

// TableFeature summarizes one feature.
type TableFeature struct {
	ID          string   `json:"id"`
	Needs       []string `json:"needs"`
	Requires    []string `json:"requires,omitempty"`
	Owner       string   `json:"owner,omitempty"`
	Description string   `json:"description,omitempty"`
}

// Table builds the published form of m.
func (m *Matrix) Table() Table {
	t := Table{Name: m.spec.Name, Description: m.spec.Description, Prerelease: m.policy}
	for ci, c := range m.comps {
		tc := TableComponent{Name: c.name, Owner: c.owner, Description: c.desc, Versions: []TableVersion{}}
		for _, v := range c.catalog {
			tc.Versions = append(tc.Versions, m.tableVersion(ci, v))
		}
		t.Components = append(t.Components, tc)
	}
	for i := range m.rules {
		r := &m.rules[i]
		if r.kind == KindFeature {
			continue
		}
		t.Rules = append(t.Rules, TableRule{ID: r.id, Kind: r.kind, Summary: m.summary(r), Level: r.level, Owner: m.owner(r), Description: r.desc})
	}
	for fi, ri := range m.features {
		r := &m.rules[ri]
		tf := TableFeature{ID: r.id, Owner: m.owner(r), Description: r.desc, Requires: append([]string(nil), m.spec.Features[fi].Requires...)}
		for _, p := range r.providers[:len(m.spec.Features[fi].Providers)] {
			tf.Needs = append(tf.Needs, m.comps[p.comp].name+" "+p.r.String())
		}
		t.Features = append(t.Features, tf)
	}
	return t
}

func (m *Matrix) tableVersion(ci int, v Version) TableVersion {
	tv := TableVersion{Version: v, Level: Supported}
	nv := m.Normalize(v)
	for _, ri := range m.byComp[ci] {
		r := &m.rules[ri]
		switch r.kind {
		case KindSupport:
			if m.match(r.ra, nv) {
				tv.Level, tv.LevelRule = r.level, r.id
			}
		case KindRequires:
			if r.a == ci && m.match(r.ra, nv) {
				tv.Requires = append(tv.Requires, m.comps[r.b].name+" "+r.rb.String())
			}
		case KindConflicts:
			if r.a == ci && m.match(r.ra, nv) {
				tv.Conflicts = append(tv.Conflicts, m.comps[r.b].name+" "+r.rb.String())
			}
			if r.b == ci && r.a != ci && m.match(r.rb, nv) {
				tv.Conflicts = append(tv.Conflicts, m.comps[r.a].name+" "+r.ra.String())
			}
		case KindSchema:
			if e := m.entry(r, ci, nv); e >= 0 {
				tv.Schemas = append(tv.Schemas, fmt.Sprintf("%s: reads %s, writes %s", r.id, r.access[e].reads, r.access[e].writes))
			}
		case KindFeature:
			for _, p := range r.providers {
				if p.comp == ci && p.feature == r.id && m.match(p.r, nv) {
					tv.Features = append(tv.Features, r.id)
					break
				}
			}
		}
	}
	return tv
}

func bounds(behind, ahead int64, unit Unit) string {
	var parts []string
	if behind >= 0 {
		parts = append(parts, fmt.Sprintf("at most %d %s behind", behind, plural(behind, unit.String())))
	}
	switch {
	case ahead == 0:
		parts = append(parts, "never ahead")
	case ahead > 0:
		parts = append(parts, fmt.Sprintf("at most %d %s ahead", ahead, plural(ahead, unit.String())))
	}
	if len(parts) == 0 {
		return "any distance"
	}
	return strings.Join(parts, ", ")
}

// summary states a rule in one line.
func (m *Matrix) summary(r *rule) string {
	a, b := m.comps[r.a].name, m.comps[r.b].name
	switch r.kind {
	case KindRequires:
		return fmt.Sprintf("%s %s requires %s %s", a, r.ra, b, r.rb)
	case KindConflicts:
		return fmt.Sprintf("%s %s conflicts with %s %s", a, r.ra, b, r.rb)
	case KindSkew:
		s := fmt.Sprintf("%s relative to %s: %s", a, b, bounds(r.behind, r.ahead, r.unit))
		if r.sameMajor {
			s += ", same major"
		}
		for _, o := range r.overrides {
			s += fmt.Sprintf("; while %s is %s: %s", a, o.r, bounds(o.behind, o.ahead, r.unit))
		}
		return s
	case KindInstanceSkew:
		return fmt.Sprintf("%s instances within %d %s of each other", a, r.behind, plural(r.behind, r.unit.String()))
	case KindSupport:
		return fmt.Sprintf("%s %s is %s", a, r.ra, r.level)
	case KindSchema:
		return fmt.Sprintf("every reader of %s reads what every running writer writes", r.id)
	}
	return ""
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	if s == "" {
		return "–"
	}
	// Pipes are escaped and every kind of line break folded: either would
	// end the table row.
	return strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

func cells(ss []string) string { return cell(strings.Join(ss, "; ")) }

// Markdown renders t for a runbook: one table of versions per component,
// then the rules and the features.
func (t Table) Markdown() string {
	var b strings.Builder
	title := "Compatibility matrix"
	if t.Name != "" {
		title += ": " + t.Name
	}
	fmt.Fprintf(&b, "# %s\n\n", title)
	if t.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", t.Description)
	}
	fmt.Fprintf(&b, "Prerelease policy: %s.\n", t.Prerelease)
	for _, c := range t.Components {
		fmt.Fprintf(&b, "\n## %s\n\n", c.Name)
		if c.Description != "" {
			fmt.Fprintf(&b, "%s\n\n", c.Description)
		}
		if c.Owner != "" {
			fmt.Fprintf(&b, "Owner: %s\n\n", c.Owner)
		}
		if len(c.Versions) == 0 {
			b.WriteString("No catalog versions declared.\n")
			continue
		}
		b.WriteString("| Version | Support | Features | Requires | Conflicts with | Schemas |\n")
		b.WriteString("|---|---|---|---|---|---|\n")
		for _, v := range c.Versions {
			support := v.Level.String()
			if v.LevelRule != "" {
				support += " (" + v.LevelRule + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", cell(v.Version.String()), cell(support),
				cells(v.Features), cells(v.Requires), cells(v.Conflicts), cells(v.Schemas))
		}
	}
	if len(t.Rules) > 0 {
		b.WriteString("\n## Rules\n\n| ID | Kind | Rule | Breaking it | Owner | Why |\n|---|---|---|---|---|---|\n")
		for _, r := range t.Rules {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", cell(r.ID), r.Kind, cell(r.Summary), r.Level, cell(r.Owner), cell(r.Description))
		}
	}
	if len(t.Features) > 0 {
		b.WriteString("\n## Features\n\n| Feature | Needs | Builds on | Owner | Description |\n|---|---|---|---|---|\n")
		for _, f := range t.Features {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(f.ID), cells(f.Needs), cells(f.Requires), cell(f.Owner), cell(f.Description))
		}
	}
	return b.String()
}

// WriteMarkdown writes m.Table().Markdown() to w.
func (m *Matrix) WriteMarkdown(w io.Writer) error {
	_, err := io.WriteString(w, m.Table().Markdown())
	return err
}

// WriteJSON writes m.Table() to w as indented JSON.
func (m *Matrix) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m.Table())
}
