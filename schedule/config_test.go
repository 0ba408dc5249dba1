package schedule

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

func loadTestCalendar(t testing.TB) *Calendar {
	t.Helper()
	data, err := os.ReadFile("testdata/calendar.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestLoadYAML(t *testing.T) {
	cal := loadTestCalendar(t)
	if got := strings.Join(cal.Parties(), ","); got != "apac,emea,amer,billing-db" {
		t.Fatalf("parties %s", got)
	}
	p, ok := cal.Party("apac")
	if !ok || p.Owner != "apac-sre" || len(p.Escalation) != 2 || p.Kind != PartyRegion {
		t.Fatalf("party %+v", p)
	}
	p.Escalation[0] = "mutated"
	if p2, _ := cal.Party("apac"); p2.Escalation[0] != "apac-oncall@example.com" {
		t.Fatal("Party returned shared slices")
	}
	tests := []struct {
		name   string
		party  string
		at     string
		change Change
		want   string
	}{
		{"emea patch tuesday winter", "emea", "2025-02-11T01:30:00Z", ChangeAny, `emea: open (window "patch-tuesday")`},
		{"emea patch tuesday summer is an hour earlier in UTC", "emea", "2025-06-10T00:30:00Z", ChangeAny, `emea: open (window "patch-tuesday")`},
		{"emea EXDATE", "emea", "2025-10-14T01:30:00Z", ChangeAny, `emea: closed (outside every window)`},
		{"emea scoped freeze blocks minor", "emea", "2025-09-30T18:30:00Z", ChangeMinor, `emea: closed (frozen by "fiscal-close" during window "weeknights")`},
		{"emea scoped freeze spares patch", "emea", "2025-09-30T18:30:00Z", ChangePatch, `emea: open (window "weeknights")`},
		{"amer recurring freeze", "amer", "2025-05-02T22:00:00Z", ChangePatch, `amer: closed (frozen by "no-friday-deploys" during window "evenings")`},
		{"amer thursday", "amer", "2025-05-01T22:00:00Z", ChangePatch, `amer: open (window "evenings")`},
		{"global freeze", "billing-db", "2025-12-24T22:30:00Z", ChangePatch, `billing-db: closed (frozen by "year-end" during window "rds")`},
		{"apac", "apac", "2025-05-05T23:30:00Z", ChangeAny, `apac: open (window "tue-morning")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := cal.ForChange(tc.change).State(tc.party, mustTime(t, tc.at))
			if err != nil || st.String() != tc.want {
				t.Fatalf("State = %v, %v; want %s", st, err, tc.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	base := "parties:\n  - name: a\n    windows:\n"
	tests := []struct {
		name  string
		yaml  string
		field string
		is    error
		msg   string
	}{
		{"unknown field", "parties:\n  - name: a\n    colour: red\n", "parties[0].colour", ErrSyntax, "colour"},
		{"unknown field nested", "parties:\n  - name: a\n  - name: b\n    windows:\n      - weekly: {days: [mon], start: \"01:00\", end: \"02:00\"}\n        duration: 1h\n", "parties[1].windows[0].weekly.end", ErrSyntax, "end"},
		{"unknown top-level field", "partys: []\n", "partys", ErrSyntax, "partys"},
		{"unknown field named like a field elsewhere", "parties:\n  - name: a\n    freezes:\n      - name: f\n        start: 2025-01-01T00:00:00Z\n        end: 2025-01-02T00:00:00Z\n  - name: b\n    windows:\n      - weekly: {days: [mon], start: \"01:00\", end: \"02:00\"}\n        duration: 1h\n", "parties[1].windows[0].weekly.end", ErrSyntax, "end"},
		{"duplicate key", "parties: []\nparties: []\n", "config", ErrSyntax, "parties"},
		{"bad cron field", base + "      - cron: \"0 25 * * *\"\n        duration: 1h\n", "parties[0].windows[0].cron.hour", ErrSyntax, `"25"`},
		{"unknown zone", base + "      - cron: \"0 2 * * *\"\n        duration: 1h\n        zone: Europe/Atlantis\n", "parties[0].windows[0].zone", ErrUnknownZone, "Europe/Atlantis"},
		{"bad duration", base + "      - cron: \"0 2 * * *\"\n        duration: soon\n", "parties[0].windows[0].duration", ErrInvalidDuration, "soon"},
		{"numeric duration", base + "      - cron: \"0 2 * * *\"\n        duration: 3600\n", "parties[0].windows[0].duration", ErrInvalidDuration, "3600"},
		{"missing duration", base + "      - cron: \"0 2 * * *\"\n", "parties[0].windows[0].duration", ErrInvalidDuration, "positive"},
		{"two forms", base + "      - cron: \"0 2 * * *\"\n        maintenance: sun:01:00-sun:02:00\n", "parties[0].windows[0]", ErrInvalidConfig, "exactly one"},
		{"window too long", base + "      - weekly: {days: [mon], start: \"01:00\"}\n        duration: 8d\n", "parties[0].windows[0].duration", ErrWindowTooLong, "8d"},
		{"bad scope", "parties:\n  - name: a\n    freezes:\n      - name: f\n        from: \"2025-01-01\"\n        until: \"2025-01-02\"\n        scope: [tiny]\n", "parties[0].freezes[0].scope[0]", ErrInvalidConfig, "tiny"},
		{"freeze until before from", "parties:\n  - name: a\n    freezes:\n      - name: f\n        from: \"2025-01-03\"\n        until: \"2025-01-02\"\n", "parties[0].freezes[0].until", ErrInvalidConfig, "before"},
		{"freeze bad date", "freezes:\n  - name: f\n    from: \"2025-02-30\"\n    until: \"2025-03-02\"\nparties:\n  - name: a\n", "freezes[0].from", ErrSyntax, "2025-02-30"},
		{"duplicate party", "parties:\n  - name: a\n  - name: a\n", "parties[1].name", ErrInvalidConfig, "duplicate"},
		{"wrong type", base + "      - cron: 5\n        duration: 1h\n", "parties[0].windows[0].cron", ErrSyntax, "want string"},
		{"wrong type in list", "parties:\n  - name: a\n  - name: b\n    escalation: [x, {y: 1}]\n", "parties[1].escalation[1]", ErrSyntax, "want string"},
		{"no parties", "horizon: 30d\n", "parties", ErrInvalidConfig, "at least one"},
		{"bad party kind", "parties:\n  - name: a\n    kind: planet\n", "parties[0].kind", ErrInvalidConfig, "planet"},
		{"rrule unsupported part", base + "      - rrule: \"DTSTART:20250101T000000Z\\nRRULE:FREQ=DAILY;BYWEEKNO=3\"\n        duration: 1h\n", "parties[0].windows[0].rrule.BYWEEKNO", ErrUnsupported, "BYWEEKNO"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load([]byte(tc.yaml))
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Field != tc.field || !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v (%#v)\nwant field %q wrapping %v mentioning %q", err, pe, tc.field, tc.is, tc.msg)
			}
		})
	}
}

// TestGoValuesEqualYAML builds the same calendar from Go values, including a
// precompiled Recurrence, and checks it answers like the YAML one.
func TestGoValuesEqualYAML(t *testing.T) {
	yc := loadTestCalendar(t)
	cfg := yc.Config()
	rds, err := ParseMaintenance("wed:22:00-wed:23:30")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Parties[3].Windows[0] = Window{Name: "rds", Rule: rds}
	gc, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	after := mustTime(t, "2025-04-01T00:00:00Z")
	for _, p := range yc.Parties() {
		a, err1 := yc.NextSlot(after, time.Hour, p)
		b, err2 := gc.NextSlot(after, time.Hour, p)
		if err1 != nil || err2 != nil || a != b {
			t.Fatalf("%s: %v %v / %v %v", p, a, err1, b, err2)
		}
	}
}

// TestConfigRoundTrip writes a loaded configuration back out as YAML and
// JSON and reloads it: the calendars must answer alike.
func TestConfigRoundTrip(t *testing.T) {
	orig := loadTestCalendar(t)
	out, err := yaml.Marshal(orig.Config())
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(orig.Config())
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"yaml": out, "json": js} {
		t.Run(name, func(t *testing.T) {
			again, err := Load(data)
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if again.Policy() != orig.Policy() || orig.Policy() == (Policy{}) {
				t.Fatalf("policy %+v, want %+v", again.Policy(), orig.Policy())
			}
			after := mustTime(t, "2025-09-01T00:00:00Z")
			for _, p := range orig.Parties() {
				for _, k := range []Change{ChangeAny, ChangeMinor, ChangePatch} {
					a, err1 := orig.ForChange(k).NextSlot(after, time.Hour, p)
					b, err2 := again.ForChange(k).NextSlot(after, time.Hour, p)
					if a != b || (err1 == nil) != (err2 == nil) {
						t.Fatalf("%s/%s: %v %v vs %v %v", p, k, a, err1, b, err2)
					}
				}
			}
		})
	}
}

func TestPolicyConfig(t *testing.T) {
	cal := loadTestCalendar(t)
	want := Policy{MinWindow: time.Hour, MinOpen: 48 * time.Hour, Period: 32 * 24 * time.Hour, MinBlock: 4 * time.Hour}
	if got := cal.Policy(); got != want {
		t.Fatalf("Policy() = %+v, want %+v", got, want)
	}
	cfg := cal.Config()
	cfg.Policy.MinWindow = 99 * time.Hour
	if cal.Policy().MinWindow != time.Hour {
		t.Fatal("Config shares the policy")
	}
	from := mustTime(t, "2025-01-01T00:00:00Z")
	if a, b := cal.Validate(cal.Policy(), from), cal.Validate(want, from); len(a) != len(b) {
		t.Fatalf("Validate with the configured policy differs: %v vs %v", a, b)
	}
	if p := testCalendar(t).Policy(); p != (Policy{}) {
		t.Fatalf("no policy configured, got %+v", p)
	}

	js, err := json.Marshal(Policy{MinWindow: 90 * time.Minute, Period: 32 * 24 * time.Hour})
	if err != nil || string(js) != `{"minWindow":"1h30m","period":"32d"}` {
		t.Fatalf("MarshalJSON = %s, %v", js, err)
	}

	base := "parties:\n  - name: a\n    windows:\n      - cron: \"0 2 * * *\"\n        duration: 4h\npolicy:\n"
	for _, tc := range []struct {
		name  string
		yaml  string
		field string
		is    error
		msg   string
	}{
		{"unknown field", base + "  minWindows: 1h\n", "policy.minWindows", ErrSyntax, "unknown field"},
		{"bad duration", base + "  minOpen: lots\n  period: 32d\n", "policy.minOpen", ErrInvalidDuration, "lots"},
		{"numeric duration", base + "  period: 3600\n", "policy.period", ErrInvalidDuration, "3600"},
		{"not an object", "policy: strict\n" + base[:len(base)-len("policy:\n")], "policy", ErrSyntax, "object"},
		{"negative", base + "  minWindow: -1h\n", "policy.minWindow", ErrInvalidDuration, "negative"},
		{"minOpen without period", base + "  minOpen: 48h\n", "policy.minOpen", ErrInvalidConfig, "together"},
		{"period without minOpen", base + "  period: 32d\n", "policy.minOpen", ErrInvalidConfig, "together"},
		{"minOpen longer than period", base + "  minOpen: 3d\n  period: 2d\n", "policy.minOpen", ErrInvalidConfig, "longer than the period"},
		{"minBlock alone", base + "  minBlock: 4h\n", "policy.minBlock", ErrInvalidConfig, "no effect"},
		{"minBlock longer than the period", base + "  minOpen: 2h\n  period: 1d\n  minBlock: 25h\n", "policy.minBlock", ErrInvalidConfig, "no block"},
		{"duplicate key", base + "  period: 1d\n  period: 2d\n", "config", ErrSyntax, "period"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load([]byte(tc.yaml))
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Field != tc.field || !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v (%#v)\nwant field %q wrapping %v mentioning %q", err, pe, tc.field, tc.is, tc.msg)
			}
		})
	}
	_, err = New(Config{Parties: []Party{{Name: "a"}}, Policy: &Policy{MinWindow: -time.Minute}})
	if !errors.Is(err, ErrInvalidDuration) || !strings.Contains(err.Error(), "policy.minWindow") {
		t.Fatalf("Go value: %v", err)
	}
}
