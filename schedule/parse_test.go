package schedule

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	ny := OnGap(GapShift)
	tests := []struct {
		name  string
		parse func() error
		field string
		is    error
	}{
		{"cron minute out of range", func() error { _, err := ParseCron("61 * * * *", time.Hour); return err }, "cron.minute", ErrSyntax},
		{"cron too few fields", func() error { _, err := ParseCron("0 0 * *", time.Hour); return err }, "cron", ErrSyntax},
		{"cron L unsupported", func() error { _, err := ParseCron("0 0 L * *", time.Hour); return err }, "cron.day-of-month", ErrSyntax},
		{"cron backwards range", func() error { _, err := ParseCron("0 5-2 * * *", time.Hour); return err }, "cron.hour", ErrSyntax},
		{"cron February 30", func() error { _, err := ParseCron("0 0 30 2 *", time.Hour); return err }, "cron", ErrImpossibleRule},
		{"cron April 31", func() error { _, err := ParseCron("0 0 31 4,6,9,11 *", time.Hour); return err }, "cron", ErrImpossibleRule},
		{"cron unknown zone", func() error { _, err := ParseCron("CRON_TZ=Mars/Olympus 0 0 * * *", time.Hour); return err }, "cron.zone", ErrUnknownZone},
		{"cron zone conflicts with In", func() error {
			_, err := ParseCron("CRON_TZ=Europe/Berlin 0 0 * * *", time.Hour, In(mustZone(t, "Asia/Kolkata")))
			return err
		}, "cron.CRON_TZ", ErrInvalidConfig},
		{"cron window longer than spacing", func() error { _, err := ParseCron("0 * * * *", 2*time.Hour); return err }, "cron.duration", ErrWindowTooLong},
		{"cron zero duration", func() error { _, err := ParseCron("0 0 * * *", 0); return err }, "cron.duration", ErrInvalidDuration},
		{"weekly negative duration", func() error { _, err := ParseWeekly("mon", "10:00", -time.Hour, ny); return err }, "weekly.duration", ErrInvalidDuration},
		{"weekly longer than a week", func() error { _, err := ParseWeekly("mon", "10:00", 8*24*time.Hour); return err }, "weekly.duration", ErrWindowTooLong},
		{"weekly longer than gap between days", func() error { _, err := ParseWeekly("mon,tue", "22:00", 30*time.Hour); return err }, "weekly.duration", ErrWindowTooLong},
		{"weekly bad day", func() error { _, err := ParseWeekly("funday", "10:00", time.Hour); return err }, "weekly.days", ErrSyntax},
		{"weekly 24:00", func() error { _, err := ParseWeekly("mon", "24:00", time.Hour); return err }, "weekly.start", ErrSyntax},
		{"weekly no days", func() error { _, err := Weekly(nil, 1, 0, time.Hour); return err }, "weekly.days", ErrInvalidConfig},
		{"maintenance bad hour", func() error { _, err := ParseMaintenance("sun:25:00-mon:01:00"); return err }, "maintenance", ErrSyntax},
		{"maintenance empty", func() error { _, err := ParseMaintenance("sun:01:00-sun:01:00"); return err }, "maintenance", ErrInvalidDuration},
		{"rrule BYHOUR unsupported", func() error {
			_, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=DAILY;BYHOUR=3", time.Hour)
			return err
		}, "rrule.BYHOUR", ErrUnsupported},
		{"rrule HOURLY unsupported", func() error {
			_, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=HOURLY", time.Minute)
			return err
		}, "rrule.FREQ", ErrUnsupported},
		{"rrule RDATE unsupported", func() error {
			_, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=DAILY\nRDATE:20250105T000000Z", time.Minute)
			return err
		}, "rrule", ErrUnsupported},
		{"rrule February 30", func() error {
			_, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", time.Hour)
			return err
		}, "rrule.BYMONTHDAY", ErrImpossibleRule},
		{"rrule never after DTSTART", func() error {
			_, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30,31", time.Hour)
			return err
		}, "rrule.BYMONTHDAY", ErrImpossibleRule},
		{"rrule COUNT and UNTIL", func() error {
			_, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=DAILY;COUNT=2;UNTIL=20250301", time.Hour)
			return err
		}, "rrule.COUNT", ErrSyntax},
		{"rrule EXDATE removes every occurrence", func() error {
			_, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=DAILY;UNTIL=20250102T000000Z\nEXDATE:20250101T000000Z,20250102T000000Z", time.Hour)
			return err
		}, "rrule.EXDATE", ErrImpossibleRule},
		{"rrule ordinal with WEEKLY", func() error {
			_, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=WEEKLY;BYDAY=2WE", time.Hour)
			return err
		}, "rrule.BYDAY", ErrSyntax},
		{"rrule missing DTSTART", func() error { _, err := ParseRRule("RRULE:FREQ=DAILY", time.Hour); return err }, "rrule.DTSTART", ErrSyntax},
		{"rrule unknown TZID", func() error {
			_, err := ParseRRule("DTSTART;TZID=Nowhere/Land:20250101T000000\nRRULE:FREQ=DAILY", time.Hour)
			return err
		}, "rrule.DTSTART.TZID", ErrUnknownZone},
		{"rrule window longer than interval", func() error {
			_, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=DAILY;INTERVAL=2", 49*time.Hour)
			return err
		}, "rrule.duration", ErrWindowTooLong},
		{"zone unknown", func() error { _, err := LoadZone("Mars/Olympus"); return err }, "zone", ErrUnknownZone},
		{"zone offset out of range", func() error { _, err := LoadZone("+15:00"); return err }, "zone", ErrUnknownZone},
		{"duration garbage", func() error { _, err := ParseDuration("soon"); return err }, "duration", ErrInvalidDuration},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.parse()
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want *ParseError", err, err)
			}
			if pe.Field != tc.field || !errors.Is(err, tc.is) {
				t.Fatalf("err = %v (field %q), want field %q wrapping %v", err, pe.Field, tc.field, tc.is)
			}
			if !strings.HasPrefix(err.Error(), "schedule: ") {
				t.Fatalf("message %q lacks the package prefix", err)
			}
		})
	}
}

func TestParseForms(t *testing.T) {
	from := time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC) // a Monday
	to := from.Add(7 * 24 * time.Hour)
	tests := []struct {
		name  string
		parse func() (Recurrence, error)
		kind  Kind
		want  []string // UTC starts within the week
	}{
		{"weekly range of days", func() (Recurrence, error) { return ParseWeekly("Mon-Wed", "22:00", time.Hour) }, KindWeekly,
			[]string{"2025-05-05T22:00:00Z", "2025-05-06T22:00:00Z", "2025-05-07T22:00:00Z"}},
		{"weekly wrapping range", func() (Recurrence, error) { return ParseWeekly("sat-mon", "01:00", time.Hour) }, KindWeekly,
			[]string{"2025-05-05T01:00:00Z", "2025-05-10T01:00:00Z", "2025-05-11T01:00:00Z"}},
		{"weekly fixed offset", func() (Recurrence, error) {
			return ParseWeekly("tue", "05:30", time.Hour, In(mustZone(t, "+05:30")))
		}, KindWeekly, []string{"2025-05-06T00:00:00Z"}},
		{"cron with CRON_TZ", func() (Recurrence, error) { return ParseCron("CRON_TZ=Asia/Kolkata 30 5 * * 2", time.Hour) }, KindCron,
			[]string{"2025-05-06T00:00:00Z"}},
		{"cron names and steps", func() (Recurrence, error) { return ParseCron("0 0-23/12 * MAY mon,WED", time.Hour) }, KindCron,
			[]string{"2025-05-05T00:00:00Z", "2025-05-05T12:00:00Z", "2025-05-07T00:00:00Z", "2025-05-07T12:00:00Z"}},
		{"cron day fields OR", func() (Recurrence, error) { return ParseCron("0 3 6 * 1", time.Hour) }, KindCron,
			[]string{"2025-05-05T03:00:00Z", "2025-05-06T03:00:00Z"}},
		{"cron Sunday as 7", func() (Recurrence, error) { return ParseCron("0 3 * * 7", time.Hour) }, KindCron,
			[]string{"2025-05-11T03:00:00Z"}},
		{"cron macro", func() (Recurrence, error) { return ParseCron("@weekly", time.Hour) }, KindCron,
			[]string{"2025-05-11T00:00:00Z"}},
		{"maintenance wraps week end", func() (Recurrence, error) { return ParseMaintenance("sat:23:30-Mon:00:30") }, KindMaintenance,
			[]string{"2025-05-10T23:30:00Z"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.parse()
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind() != tc.kind {
				t.Errorf("Kind = %v", r.Kind())
			}
			var got []string
			for _, iv := range r.Between(from, to) {
				if !iv.Start.Before(from) {
					got = append(got, iv.Start.UTC().Format(time.RFC3339))
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("starts %v, want %v", got, tc.want)
			}
		})
	}
	m, _ := ParseMaintenance("sat:23:30-Mon:00:30")
	if m.Duration() != 25*time.Hour || m.Rule() != "sat:23:30-mon:00:30" || m.Location() != time.UTC {
		t.Errorf("maintenance = %s", m)
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"4h", 4 * time.Hour, "4h"},
		{"90m", 90 * time.Minute, "1h30m"},
		{"32d", 32 * 24 * time.Hour, "32d"},
		{"1w2d12h", 9*24*time.Hour + 12*time.Hour, "9d12h"},
		{"1.5s", 1500 * time.Millisecond, "1.5s"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDuration(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("ParseDuration(%q) = %v, %v", tc.in, got, err)
			}
			if s := FormatDuration(got); s != tc.out {
				t.Fatalf("FormatDuration = %q, want %q", s, tc.out)
			}
		})
	}
}

func TestEnumStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{GapPolicy(9).String(), "GapPolicy(9)"},
		{FoldSecond.String(), "second"},
		{Kind(42).String(), "Kind(42)"},
		{Change(77).String(), "Change(77)"},
		{ScopeOf(ChangeMinor, ChangeMajor).String(), "minor,major"},
		{ScopeAll.String(), "all"},
		{Reason(9).String(), "Reason(9)"},
		{PartyTeam.String(), "team"},
		{Severity(5).String(), "Severity(5)"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if (Recurrence{}).String() != "never" || (Recurrence{}).IsValid() {
		t.Error("zero Recurrence")
	}
}

func TestMust(t *testing.T) {
	if r := Must(ParseCron("0 2 * * *", time.Hour)); r.Kind() != KindCron {
		t.Fatal(r)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Must did not panic on an error")
		}
	}()
	Must(ParseCron("bad", time.Hour))
}

// TestCronMatchesBruteForce compares cron occurrences in UTC with a
// minute-by-minute evaluation of the parsed fields for random expressions.
func TestCronMatchesBruteForce(t *testing.T) {
	pick := func(r *rand.Rand, opts ...string) string { return opts[r.IntN(len(opts))] }
	r := rand.New(rand.NewPCG(3, 5))
	rounds := 40
	if testing.Short() {
		rounds = 10
	}
	for range rounds {
		expr := strings.Join([]string{
			pick(r, "0", "*/20", "5,35", "59"),
			pick(r, "*/6", "3", "0-2", "22,23"),
			pick(r, "*", "1", "13", "31", "1-7", "*/10", "29-31"),
			pick(r, "*", "2", "jan,feb", "*/4", "11-12"),
			pick(r, "*", "mon", "5", "0,6", "1-5", "7"),
		}, " ")
		t.Run(expr, func(t *testing.T) {
			rec, err := ParseCron(expr, time.Minute)
			if err != nil {
				if errors.Is(err, ErrImpossibleRule) {
					return
				}
				t.Fatal(err)
			}
			c := rec.r.gen.(*cron)
			from := time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)
			to := from.AddDate(0, 4, 0) // includes February of a leap year
			var want []time.Time
			for m := from; m.Before(to); m = m.Add(time.Minute) {
				dom := c.dom&(1<<m.Day()) != 0
				dow := c.dow&(1<<m.Weekday()) != 0
				day := dom && dow
				if !c.domStar && !c.dowStar {
					day = dom || dow
				}
				if c.minute&(1<<m.Minute()) != 0 && c.hour&(1<<m.Hour()) != 0 && c.month&(1<<m.Month()) != 0 && day {
					want = append(want, m)
				}
			}
			var got []time.Time
			for _, iv := range rec.Between(from, to) {
				if !iv.Start.Before(from) {
					got = append(got, iv.Start)
				}
			}
			if len(got) != len(want) {
				t.Fatalf("%d occurrences, brute force %d", len(got), len(want))
			}
			for i := range got {
				if !got[i].Equal(want[i]) {
					t.Fatalf("occurrence %d: %v, brute force %v", i, got[i], want[i])
				}
			}
		})
	}
}
