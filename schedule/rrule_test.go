package schedule

import (
	"strings"
	"testing"
	"time"
)

// TestRRuleExamples uses the examples of RFC 5545 §3.8.5.3 (and a few edge
// cases), evaluated in America/New_York at 09:00 local time.
func TestRRuleExamples(t *testing.T) {
	tests := []struct {
		name    string
		dtstart string
		rule    string
		extra   string // further lines, e.g. EXDATE
		until   string // evaluate up to this date (exclusive)
		want    string // local dates, space separated
	}{
		{"daily count", "19970902", "FREQ=DAILY;COUNT=10", "", "19980101",
			"1997-09-02 1997-09-03 1997-09-04 1997-09-05 1997-09-06 1997-09-07 1997-09-08 1997-09-09 1997-09-10 1997-09-11"},
		{"every other day", "19970902", "FREQ=DAILY;INTERVAL=2;COUNT=5", "", "19980101",
			"1997-09-02 1997-09-04 1997-09-06 1997-09-08 1997-09-10"},
		{"first Friday", "19970905", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "", "19990101",
			"1997-09-05 1997-10-03 1997-11-07 1997-12-05 1998-01-02 1998-02-06 1998-03-06 1998-04-03 1998-05-01 1998-06-05"},
		{"first and last Sunday every other month", "19970907", "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "", "19990101",
			"1997-09-07 1997-09-28 1997-11-02 1997-11-30 1998-01-04 1998-01-25 1998-03-01 1998-03-29 1998-05-03 1998-05-31"},
		{"third-to-last day", "19970928", "FREQ=MONTHLY;BYMONTHDAY=-3", "", "19980301",
			"1997-09-28 1997-10-29 1997-11-28 1997-12-29 1998-01-29 1998-02-26"},
		{"last workday", "19970930", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "", "19980401",
			"1997-09-30 1997-10-31 1997-11-28 1997-12-31 1998-01-30 1998-02-27 1998-03-31"},
		{"Friday 13th", "19980213", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "", "20010101",
			"1998-02-13 1998-03-13 1998-11-13 1999-08-13 2000-10-13"},
		{"June and July", "19970610", "FREQ=YEARLY;COUNT=6;BYMONTH=6,7", "", "20100101",
			"1997-06-10 1997-07-10 1998-06-10 1998-07-10 1999-06-10 1999-07-10"},
		{"20th Monday", "19970519", "FREQ=YEARLY;BYDAY=20MO", "", "20000101",
			"1997-05-19 1998-05-18 1999-05-17"},
		{"Thursdays in March", "19970313", "FREQ=YEARLY;BYDAY=TH;BYMONTH=3", "", "19990101",
			"1997-03-13 1997-03-20 1997-03-27 1998-03-05 1998-03-12 1998-03-19 1998-03-26"},
		{"weekly until", "19970902", "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH", "", "19980101",
			"1997-09-02 1997-09-04 1997-09-09 1997-09-11 1997-09-16 1997-09-18 1997-09-23 1997-09-25 1997-09-30 1997-10-02"},
		{"every other week MO WE FR", "19970901", "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR", "", "19980101",
			"1997-09-01 1997-09-03 1997-09-05 1997-09-15 1997-09-17 1997-09-19 1997-09-29 1997-10-01 1997-10-03 1997-10-13 1997-10-15 1997-10-17 1997-10-27 1997-10-29 1997-10-31 1997-11-10 1997-11-12 1997-11-14 1997-11-24 1997-11-26 1997-11-28 1997-12-08 1997-12-10 1997-12-12 1997-12-22"},
		{"WKST=MO", "19970805", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", "", "19980101",
			"1997-08-05 1997-08-10 1997-08-19 1997-08-24"},
		{"WKST=SU", "19970805", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "", "19980101",
			"1997-08-05 1997-08-17 1997-08-19 1997-08-31"},
		{"third TU WE or TH", "19970904", "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", "", "19980101",
			"1997-09-04 1997-10-07 1997-11-06"},
		{"Feb 29 yearly skips common years", "20240229", "FREQ=YEARLY", "", "20330101",
			"2024-02-29 2028-02-29 2032-02-29"},
		{"31st skips short months", "20250131", "FREQ=MONTHLY;COUNT=4", "", "20260101",
			"2025-01-31 2025-03-31 2025-05-31 2025-07-31"},
		{"second Tuesday (patch Tuesday)", "20250114", "FREQ=MONTHLY;BYDAY=2TU", "", "20250501",
			"2025-01-14 2025-02-11 2025-03-11 2025-04-08"},
		{"last Friday", "20250131", "FREQ=MONTHLY;BYDAY=-1FR", "", "20250501",
			"2025-01-31 2025-02-28 2025-03-28 2025-04-25"},
		{"EXDATE removes one", "20250301", "FREQ=DAILY;COUNT=4", "EXDATE;TZID=America/New_York:20250302T090000", "20260101",
			"2025-03-01 2025-03-03 2025-03-04"},
		{"EXDATE by date without COUNT", "20250301", "FREQ=DAILY;UNTIL=20250304", "EXDATE;VALUE=DATE:20250303", "20260101",
			"2025-03-01 2025-03-02 2025-03-04"},
		{"2nd and 15th", "19970902", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", "", "19990101",
			"1997-09-02 1997-09-15 1997-10-02 1997-10-15 1997-11-02 1997-11-15 1997-12-02 1997-12-15 1998-01-02 1998-01-15"},
		{"first and last day", "19970930", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1", "", "19990101",
			"1997-09-30 1997-10-01 1997-10-31 1997-11-01 1997-11-30 1997-12-01 1997-12-31 1998-01-01 1998-01-31 1998-02-01"},
		{"every 18 months 10th to 15th", "19970910", "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15", "", "20000101",
			"1997-09-10 1997-09-11 1997-09-12 1997-09-13 1997-09-14 1997-09-15 1999-03-10 1999-03-11 1999-03-12 1999-03-13"},
		{"Tuesdays every other month", "19970902", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", "", "19980401",
			"1997-09-02 1997-09-09 1997-09-16 1997-09-23 1997-09-30 1997-11-04 1997-11-11 1997-11-18 1997-11-25 1998-01-06 1998-01-13 1998-01-20 1998-01-27 1998-03-03 1998-03-10 1998-03-17 1998-03-24 1998-03-31"},
		{"US presidential election day", "19961105", "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", "", "20050101",
			"1996-11-05 2000-11-07 2004-11-02"},
		{"second-to-last Monday", "19970922", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "", "19990101",
			"1997-09-22 1997-10-20 1997-11-17 1997-12-22 1998-01-19 1998-02-16"},
		{"first Saturday after first Sunday", "19970913", "FREQ=MONTHLY;COUNT=10;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", "", "19990101",
			"1997-09-13 1997-10-11 1997-11-08 1997-12-13 1998-01-10 1998-02-07 1998-03-07 1998-04-11 1998-05-09 1998-06-13"},
		{"last day of February", "20240229", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "", "20270101",
			"2024-02-29 2025-02-28 2026-02-28"},
		{"every other year, last Friday of the year", "20231229", "FREQ=YEARLY;INTERVAL=2;BYDAY=-1FR", "", "20300101",
			"2023-12-29 2025-12-26 2027-12-31 2029-12-28"},
		{"BYMONTHDAY in YEARLY without BYMONTH", "20250115", "FREQ=YEARLY;BYMONTHDAY=15;COUNT=3", "", "20260101",
			"2025-01-15 2025-02-15 2025-03-15"},
	}
	ny := mustZone(t, "America/New_York")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := "DTSTART;TZID=America/New_York:" + tc.dtstart + "T090000\nRRULE:" + tc.rule
			if tc.extra != "" {
				text += "\n" + tc.extra
			}
			r, err := ParseRRule(text, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			from, _ := time.ParseInLocation("20060102", tc.dtstart, ny)
			to, _ := time.ParseInLocation("20060102", tc.until, ny)
			var got []string
			for _, iv := range r.Between(from, to) {
				l := iv.Start.In(ny)
				if l.Hour() != 9 || l.Minute() != 0 {
					t.Errorf("occurrence %s is not at 09:00 local", l)
				}
				got = append(got, l.Format(time.DateOnly))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Fatalf("got  %s\nwant %s", g, tc.want)
			}
			// Round trip through the canonical text.
			r2, err := ParseRRule(r.Rule(), time.Hour)
			if err != nil {
				t.Fatalf("canonical text %q does not parse: %v", r.Rule(), err)
			}
			if a, b := r.Between(from, to), r2.Between(from, to); len(a) != len(b) {
				t.Fatalf("round trip changed occurrences: %d vs %d", len(a), len(b))
			}
		})
	}
}

func TestRRuleNextAndActive(t *testing.T) {
	r, err := ParseRRule("DTSTART;TZID=Europe/Berlin:20250114T020000\nRRULE:FREQ=MONTHLY;BYDAY=2TU", 3*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	next, ok := r.Next(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	if !ok || next.Start.UTC().Format(time.RFC3339) != "2025-03-11T01:00:00Z" {
		t.Fatalf("Next = %v, %v", next, ok)
	}
	// April is in summer time: 02:00 CEST is 00:00 UTC.
	next, ok = r.Next(next.End)
	if !ok || next.Start.UTC().Format(time.RFC3339) != "2025-04-08T00:00:00Z" {
		t.Fatalf("Next = %v, %v", next, ok)
	}
	if iv, ok := r.Active(time.Date(2025, 4, 8, 2, 59, 0, 0, time.UTC)); !ok || !iv.Start.Equal(next.Start) {
		t.Fatalf("Active = %v, %v", iv, ok)
	}
	ended, err := ParseRRule("DTSTART:20250101T000000Z\nRRULE:FREQ=DAILY;COUNT=2", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ended.Next(time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)); ok {
		t.Fatal("Next after COUNT is exhausted must report false")
	}
}
