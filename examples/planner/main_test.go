package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/glidepath/glidepath/internal/goldenfile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// outputs are the files the planner writes, each compared with its golden copy.
var outputs = []string{"compatibility.md", "calendar.ics", "timeline.svg", "runbook.md", "decisions.jsonl"}

// TestSampleGolden covers the whole run on the built-in sample: stdout, with
// the output folder replaced by $OUT, and every file written.
func TestSampleGolden(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	if err := run([]string{"-out", dir}, &stdout); err != nil {
		t.Fatal(err)
	}
	goldenfile.Check(t, *update, "stdout.golden", []byte(strings.ReplaceAll(stdout.String(), dir, "$OUT")))
	for _, name := range outputs {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		goldenfile.Check(t, *update, "out/"+name, data)
	}
}

// TestDefaultOutputFolder checks that without -out the planner creates a
// temporary folder and names it.
func TestDefaultOutputFolder(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	var stdout bytes.Buffer
	if err := run(nil, &stdout); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`written to (\S+):`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("output does not name its folder:\n%s", stdout.String())
	}
	if !strings.HasPrefix(m[1], os.Getenv("TMPDIR")) {
		t.Errorf("folder %s is not under TMPDIR %s", m[1], os.Getenv("TMPDIR"))
	}
	for _, name := range outputs {
		if _, err := os.Stat(filepath.Join(m[1], name)); err != nil {
			t.Error(err)
		}
	}
}

// shortOverlapCalendar has two regions whose Monday windows overlap for
// only 30 minutes, and a freeze of one region.
const shortOverlapCalendar = `parties:
  - name: east
    kind: region
    windows:
      - name: am
        weekly: {days: [mon, tue], start: "10:00"}
        duration: 4h
  - name: west
    kind: region
    freezes:
      - name: launch
        owner: west-lead
        from: "2026-12-21"
        until: "2026-12-23"
    windows:
      - name: pm
        weekly: {days: [mon], start: "13:30"}
        duration: 4h
      - name: tue
        weekly: {days: [tue], start: "11:00"}
        duration: 4h
`

func TestFlags(t *testing.T) {
	write := func(t *testing.T, name, content string) string {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name string
		args func(t *testing.T) []string
		// want are substrings of stdout; wantErr of the error.
		want, notWant []string
		wantErr       string
	}{
		{
			name:    "no regression injected",
			args:    func(*testing.T) []string { return []string{"-regress-wave", "0"} },
			want:    []string{"3 rehearsed rollouts: 3 completed, 0 rolled back", "rollback rate 0%"},
			notWant: []string{"injected:"},
		},
		{
			name: "regression in the first wave",
			args: func(*testing.T) []string { return []string{"-regress-wave", "1"} },
			want: []string{"wave 1 in apac from Mon 2026-12-14 22:00 UTC: rolled-back", "2 completed, 1 rolled back"},
		},
		{
			name: "a later now moves every window",
			args: func(*testing.T) []string { return []string{"-now", "2027-01-05T00:00:00Z"} },
			want: []string{"Now: Tue 2027-01-05 00:00 UTC (from -now)", "wave 1 (major change), searching from Tue 2027-01-05 00:00 UTC"},
		},
		{
			name: "the real clock",
			args: func(*testing.T) []string { return []string{"-now", "wall"} },
			want: []string{"(the real clock)", "wave 1 ("},
		},
		{
			name: "no soak: regions follow each other the same day",
			args: func(*testing.T) []string { return []string{"-soak", "0s"} },
			want: []string{"regions soak 0s apart", "emea  Mon 2026-12-14 23:00 → 00:00 UTC"},
		},
		{
			name: "own deployment file",
			args: func(t *testing.T) []string {
				return []string{"-deployment", write(t, "d.yaml", "components:\n  postgres: [{version: \"15.5\"}]\n  ledger: [{version: \"2.3.0\"}]\n  payments: [{version: \"2.2.0\"}]\n  orders-api: [{version: \"3.1.0\"}]\n  web: [{version: \"4.9.0\"}]\n")}
			},
			want: []string{"today:  supported", "your files"},
		},
		{
			name: "a split without a ramp exposes users before the upgrade",
			args: func(t *testing.T) []string {
				return []string{"-flags", write(t, "f.yaml", "flags:\n  checkout-v2:\n    variants: {\"on\": true, \"off\": false}\n    defaultVariant: \"off\"\n    rules:\n      - name: tenth\n        split:\n          variants: [{variant: \"on\", weight: 1}, {variant: \"off\", weight: 9}]\n")}
			},
			want: []string{
				`users who reach split rule "tenth" get true (variant "on")`,
				"Mon 2026-12-14 08:00 UTC  no ramp            10.00%  (now)",
				"WARNING: checkout-v2 exposes 10.00% from Mon 2026-12-14 08:00 UTC, before wave 3",
			},
		},
		{
			name: "a calendar that meets its policy says so",
			args: func(t *testing.T) []string {
				data, err := sample.ReadFile("sample/calendar.yaml")
				if err != nil {
					t.Fatal(err)
				}
				return []string{"-calendar", write(t, "c.yaml", strings.Replace(string(data), "period: 14d", "period: 28d", 1))}
			},
			want:    []string{"Calendar policy: windows of at least 2h; 8h open in any 28d, in blocks of at least 2h.\n  Checked over the next 120d: met.\n"},
			notWant: []string{"finding"},
		},
		{
			name: "a calendar without a policy is not checked",
			args: func(t *testing.T) []string {
				data, err := sample.ReadFile("sample/calendar.yaml")
				if err != nil {
					t.Fatal(err)
				}
				s := regexp.MustCompile(`(?m)^policy:.*\n`).ReplaceAllString(string(data), "")
				return []string{"-calendar", write(t, "c.yaml", s)}
			},
			want:    []string{"4. Windows\n  A region's change lasts 1h"},
			notWant: []string{"Calendar policy"},
		},
		{
			name: "a party's freeze and a common opening too short explain the slot",
			args: func(t *testing.T) []string {
				return []string{"-now", "2026-12-21T00:00:00Z", "-soak", "0s", "-calendar", write(t, "c.yaml", shortOverlapCalendar)}
			},
			want: []string{
				"all regions at once: Tue 2026-12-29 11:00 → 14:00 UTC, open 3h",
				"not earlier: \"launch\" freezes west Mon 2026-12-21 00:00 → Thu 2026-12-24 00:00 UTC\n        exceptions: west-lead\n",
				"not earlier: every region is open together Mon 2026-12-28 13:30 → 14:00 UTC, but for less than 1h",
				"Scheduled after the \"launch\" freeze (Mon 2026-12-21 00:00 → Thu 2026-12-24 00:00 UTC in west); to change during it, ask west-lead.",
			},
		},
		{
			name:    "unknown argument",
			args:    func(*testing.T) []string { return []string{"extra"} },
			wantErr: `unexpected argument "extra"`,
		},
		{
			name:    "bad now",
			args:    func(*testing.T) []string { return []string{"-now", "yesterday"} },
			wantErr: `-now: want RFC 3339 or "wall"`,
		},
		{
			name:    "missing file",
			args:    func(t *testing.T) []string { return []string{"-matrix", filepath.Join(t.TempDir(), "nope.yaml")} },
			wantErr: "nope.yaml",
		},
		{
			name: "invalid matrix names the field",
			args: func(t *testing.T) []string {
				return []string{"-matrix", write(t, "m.yaml", "components:\n  - name: web\nrules:\n  - id: r\n    requires:\n      when: {component: web}\n      need: {component: db}\n")}
			},
			wantErr: `rules[0].requires.need.component: "db": unknown component`,
		},
		{
			name: "invalid calendar names the field",
			args: func(t *testing.T) []string {
				return []string{"-calendar", write(t, "c.yaml", "parties:\n  - name: x\n    zone: Mars/Olympus\n")}
			},
			wantErr: "Mars/Olympus",
		},
		{
			name:    "flag missing from the flag file",
			args:    func(*testing.T) []string { return []string{"-flag", "nope"} },
			wantErr: `flag "nope" is not in the flag file`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout bytes.Buffer
			args := append([]string{"-out", t.TempDir(), "-users", "1000"}, tc.args(t)...)
			err := run(args, &stdout)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, stdout.String())
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(stdout.String(), w) {
					t.Errorf("output has %q", w)
				}
			}
		})
	}
}
