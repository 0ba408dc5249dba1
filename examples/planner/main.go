package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
	// The sample's regions live in Sydney, Berlin and New York: embed the
	// zone database so the planner runs the same where none is installed.
	_ "time/tzdata"

	"github.com/glidepath/glidepath/compat"
	"github.com/glidepath/glidepath/flags"
	"github.com/glidepath/glidepath/rollout"
	"github.com/glidepath/glidepath/schedule"
)

// sample holds the ecosystem the planner runs on when no file is given, so
// that `go run ./examples/planner` works from any directory.
//
//go:embed sample/*.yaml
var sample embed.FS

// sampleNow is the reference instant of the sample: a Monday morning a few
// days before the holiday freeze. Using a fixed instant keeps the output the
// same on every run; -now=wall uses the real clock instead.
const sampleNow = "2026-12-14T08:00:00Z"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "planner:", err)
		}
		os.Exit(2)
	}
}

// options are the command-line flags.
type options struct {
	matrix, calendar, flagFile, plan, deployment, target string
	out                                                  string
	now                                                  time.Time
	wall                                                 bool
	soak                                                 time.Duration
	flagKey                                              string
	users                                                int
	seed                                                 uint64
	regressWave                                          int
}

func parseArgs(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("planner", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: planner [flags]\n\nPlans, schedules and rehearses an upgrade. Every file flag defaults to the\nbuilt-in sample ecosystem.\n\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.matrix, "matrix", "", "compatibility matrix (compat YAML/JSON); default: the sample")
	fs.StringVar(&o.calendar, "calendar", "", "regional calendar (schedule YAML/JSON); default: the sample")
	fs.StringVar(&o.flagFile, "flags", "", "flag configuration (flags YAML/JSON); default: the sample")
	fs.StringVar(&o.plan, "plan", "", "rollout plan applied to every wave in every region (rollout YAML/JSON); default: the sample")
	fs.StringVar(&o.deployment, "deployment", "", "today's deployment (compat deployment YAML/JSON); default: the sample")
	fs.StringVar(&o.target, "target", "", "target versions, one per component to move (compat deployment YAML/JSON); default: the sample")
	fs.StringVar(&o.out, "out", "", "folder for the written files; default: a new temporary folder")
	now := fs.String("now", sampleNow, `reference time (RFC 3339), or "wall" for the real clock`)
	fs.DurationVar(&o.soak, "soak", 24*time.Hour, "bake time in a region after its change, before the next region starts")
	fs.StringVar(&o.flagKey, "flag", "checkout-v2", "flag that exposes the new feature; also the feature's id in the matrix")
	fs.IntVar(&o.users, "users", 10000, "synthetic users evaluated to cross-check the exact flag exposure")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the simulated metrics")
	fs.IntVar(&o.regressWave, "regress-wave", -1, "wave whose rehearsal gets an injected error burst; -1: the last wave, 0: none")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	}
	if *now == "wall" {
		o.now, o.wall = time.Now().UTC().Truncate(time.Minute), true
	} else {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return o, fmt.Errorf(`-now: want RFC 3339 or "wall": %w`, err)
		}
		o.now = t.UTC()
	}
	if o.users <= 0 {
		return o, fmt.Errorf("-users: %d is not positive", o.users)
	}
	if o.soak < 0 {
		return o, fmt.Errorf("-soak: %v is negative", o.soak)
	}
	return o, nil
}

// read returns the file at path, or the sample file name when path is empty,
// with the name to show in messages.
func read(path, name string) ([]byte, string, error) {
	if path == "" {
		b, err := sample.ReadFile("sample/" + name)
		return b, "sample/" + name, err
	}
	b, err := os.ReadFile(path)
	return b, path, err
}

// inputs is the loaded ecosystem.
type inputs struct {
	matrix          *compat.Matrix
	current, target compat.Deployment
	cal             *schedule.Calendar
	flagSnap        *flags.Snapshot
	plan            *rollout.Plan
	sampleUsed      bool
}

func load(o options) (*inputs, error) {
	in := &inputs{sampleUsed: o.matrix == "" && o.calendar == "" && o.flagFile == "" && o.plan == "" && o.deployment == "" && o.target == ""}
	data, name, err := read(o.matrix, "matrix.yaml")
	if err != nil {
		return nil, err
	}
	if in.matrix, err = compat.ParseMatrix(data, name); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		path, name string
		dst        *compat.Deployment
	}{{o.deployment, "deployment.yaml", &in.current}, {o.target, "target.yaml", &in.target}} {
		data, name, err := read(d.path, d.name)
		if err != nil {
			return nil, err
		}
		if *d.dst, err = compat.DecodeDeployment(data, name); err != nil {
			return nil, err
		}
	}
	if data, name, err = read(o.calendar, "calendar.yaml"); err != nil {
		return nil, err
	}
	if in.cal, err = schedule.Load(data); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if data, name, err = read(o.flagFile, "flags.yaml"); err != nil {
		return nil, err
	}
	flagCfg, err := flags.ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if in.flagSnap, err = flags.Compile(flagCfg); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if data, name, err = read(o.plan, "plan.yaml"); err != nil {
		return nil, err
	}
	if in.plan, err = rollout.ParsePlan(data); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return in, nil
}

// run is the whole program: it parses args, prints the plan to stdout and
// writes the files. main only maps its error to an exit status.
func run(args []string, stdout io.Writer) error {
	o, err := parseArgs(args, stdout)
	if err != nil {
		return err
	}
	in, err := load(o)
	if err != nil {
		return err
	}
	out := o.out
	if out == "" {
		if out, err = os.MkdirTemp("", "glidepath-planner-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}

	p := &printer{w: stdout}
	source := "built-in sample"
	if !in.sampleUsed {
		source = "your files (the sample fills in any not given)"
	}
	nowNote := "fixed reference instant of the sample; -now=wall for the real clock"
	switch {
	case o.wall:
		nowNote = "the real clock"
	case o.now.Format(time.RFC3339) != sampleNow:
		nowNote = "from -now"
	}
	p.f("Upgrade plan for %q — %s\n", in.matrix.Name(), source)
	p.f("Now: %s (%s)\n", fmtTime(o.now), nowNote)

	p.section("1. Services")
	printServices(p, in)

	p.section("2. Compatibility")
	printReport(p, "today", in.matrix, in.current)
	printReport(p, "target", in.matrix, in.current.UpgradeTo(in.target))

	p.section("3. Safe upgrade order")
	// Today's deployment may be merely tested-only (an old database, say);
	// accept such intermediate states, since the target is what must be
	// fully supported.
	planOpts := compat.PlanOptions{AllowTestedOnly: true}
	cplan, err := in.matrix.Plan(in.current, in.target, nil, planOpts)
	if err != nil {
		return err
	}
	waves := buildWaves(in.matrix, in.current, cplan)
	printWaves(p, cplan, waves)

	p.section("4. Windows")
	if err := scheduleWaves(p, in, o, waves); err != nil {
		return err
	}

	p.section("5. Flag ramp")
	if err := printRamp(p, in, o, waves); err != nil {
		return err
	}

	p.section("6. Rehearsal (simulated metrics)")
	records, err := rehearseWaves(p, in, o, waves)
	if err != nil {
		return err
	}

	p.section("7. Runbook")
	runbook := buildRunbook(in, o, waves)
	p.f("%s", runbook)

	p.section("8. Decision log")
	printSummary(p, records)

	p.section("Files")
	if err := writeFiles(p, in, o, out, waves, runbook, records); err != nil {
		return err
	}
	return p.err
}

// printer writes to stdout and remembers the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) section(title string) { p.f("\n%s\n", title) }

func fmtTime(t time.Time) string { return t.UTC().Format("Mon 2006-01-02 15:04 MST") }

func writeFile(dir, name string, write func(io.Writer) error) (string, error) {
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := write(f); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}
