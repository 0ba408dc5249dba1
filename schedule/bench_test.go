package schedule

import (
	"fmt"
	"testing"
	"time"
)

var benchZones = []string{
	"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
	"Europe/London", "Europe/Berlin", "Europe/Helsinki", "Africa/Johannesburg", "Asia/Dubai",
	"Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Australia/Lord_Howe",
	"Pacific/Auckland", "UTC", "+05:45", "America/Halifax", "Europe/Dublin",
}

var benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// benchCalendar builds 20 parties in 20 zones. Each has one weekly window
// that covers Saturday 10:00-14:00 UTC at any time of year (6 hours starting
// at local 08:00 UTC-equivalent minus 1h) and three freezes; the freezes are
// staggered so that together they block every Saturday until early July.
func benchCalendar(b testing.TB) (*Calendar, []string) {
	var parties []Party
	var names []string
	for i, zn := range benchZones {
		loc := mustZone(b, zn)
		// The local time of Saturday 09:00 UTC in January; DST moves it by
		// an hour at most, which the 6h window absorbs.
		l := time.Date(2025, 1, 4, 9, 0, 0, 0, time.UTC).In(loc)
		p := Party{
			Name: fmt.Sprintf("party-%02d", i),
			Zone: zn,
			Windows: []Window{{
				Name:     "weekly",
				Weekly:   &WeeklySpec{Days: []string{l.Weekday().String()}, Start: l.Format("15:04")},
				Duration: Duration(6 * time.Hour),
			}},
		}
		fs := benchStart.AddDate(0, 0, i*9)
		p.Freezes = []Freeze{
			{Name: "staggered", Start: fs, End: fs.AddDate(0, 0, 12)},
			{Name: "launch", From: fs.AddDate(0, 4, 0).Format(time.DateOnly), Until: fs.AddDate(0, 4, 1).Format(time.DateOnly), Scope: ScopeOf(ChangeMajor)},
			{Name: "audit", Start: fs.AddDate(0, 8, 0), End: fs.AddDate(0, 8, 0).Add(36 * time.Hour)},
		}
		parties = append(parties, p)
		names = append(names, p.Name)
	}
	cal, err := New(Config{Parties: parties})
	if err != nil {
		b.Fatal(err)
	}
	return cal, names
}

func TestBenchCalendarSlot(t *testing.T) {
	cal, names := benchCalendar(t)
	slot, err := cal.NextSlot(benchStart, 2*time.Hour, names...)
	if err != nil {
		t.Fatal(err)
	}
	want, ok := scanSlot(cal, benchStart, 2*time.Hour, cal.Horizon(), names...)
	if !ok || !slot.Start.Equal(want) {
		t.Fatalf("NextSlot %v, scan %v", slot, want)
	}
	if slot.Start.Before(benchStart.AddDate(0, 6, 0)) {
		t.Fatalf("slot %v is earlier than the staggered freezes allow", slot)
	}
}

// BenchmarkNextSlot20Parties is the target: 20 parties, each with a
// weekly window and a few freezes, one-year horizon. The earliest common slot
// is six months out. It also reports the speed-up over a minute-by-minute
// scan of State measured in the same run.
func BenchmarkNextSlot20Parties(b *testing.B) {
	cal, names := benchCalendar(b)
	start := time.Now()
	want, ok := scanSlot(cal, benchStart, 2*time.Hour, cal.Horizon(), names...)
	scan := time.Since(start)
	if !ok {
		b.Fatal("scan found no slot")
	}
	b.ReportAllocs()
	b.ResetTimer()
	var got Interval
	for b.Loop() {
		got, _ = cal.NextSlot(benchStart, 2*time.Hour, names...)
	}
	if !got.Start.Equal(want) {
		b.Fatalf("NextSlot %v, scan %v", got.Start, want)
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(scan.Nanoseconds()), "scan-ns")
	b.ReportMetric(float64(scan)/float64(perOp), "x-faster-than-scan")
}

// BenchmarkNextSlot20PartiesNoSlot asks for more than any common block
// offers, so the whole one-year horizon is computed for all 20 parties.
func BenchmarkNextSlot20PartiesNoSlot(b *testing.B) {
	cal, names := benchCalendar(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cal.NextSlot(benchStart, 7*time.Hour, names...); err == nil {
			b.Fatal("expected no slot")
		}
	}
}

// BenchmarkState is State(at) for one party with a weekly window in a DST
// zone and three freezes.
func BenchmarkState(b *testing.B) {
	cal, _ := benchCalendar(b)
	at := time.Date(2025, 7, 12, 11, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		st, _ := cal.State("party-06", at)
		if !st.Open {
			b.Fatal(st)
		}
	}
}

func BenchmarkRecurrenceBetweenMonth(b *testing.B) {
	r, err := ParseRRule("DTSTART;TZID=Europe/Berlin:20250106T020000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR", 2*time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Between(benchStart, benchStart.AddDate(0, 1, 0))
	}
}

func BenchmarkParseRRule(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseRRule("DTSTART;TZID=Europe/Berlin:20250114T020000\nRRULE:FREQ=MONTHLY;BYDAY=2TU", 4*time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	cal, _ := benchCalendar(b)
	p := Policy{MinWindow: time.Hour, MinOpen: 48 * time.Hour, Period: 32 * 24 * time.Hour, MinBlock: 4 * time.Hour}
	b.ReportAllocs()
	for b.Loop() {
		_ = cal.Validate(p, benchStart)
	}
}

// BenchmarkExplainSlot20Parties explains the slot of the NextSlot benchmark:
// it looks at every party over the six months before the slot.
func BenchmarkExplainSlot20Parties(b *testing.B) {
	cal, names := benchCalendar(b)
	b.ReportAllocs()
	for b.Loop() {
		ex, err := cal.ExplainSlot(benchStart, 2*time.Hour, names...)
		if err != nil || len(ex.Blocked) == 0 {
			b.Fatal(err)
		}
	}
}
