package schedule

import (
	"strings"
	"testing"
	"time"
)

// TestCronSemantics pins the 5-field cron semantics deploy tools' sync
// windows use, each checked by the UTC starts it yields in a range.
func TestCronSemantics(t *testing.T) {
	tests := []struct {
		name, expr string
		from, to   string
		want       string // space-separated UTC starts "01-02T15:04"
	}{
		{"both day fields restricted are OR'ed", "0 0 13 * 5", "2025-06-01", "2025-07-01",
			"06-06T00:00 06-13T00:00 06-20T00:00 06-27T00:00"},
		{"day-of-month star: weekday only", "0 0 * * 5", "2025-06-01", "2025-06-15", "06-06T00:00 06-13T00:00"},
		{"step minutes", "*/15 9 2 6 *", "2025-06-01", "2025-07-01", "06-02T09:00 06-02T09:15 06-02T09:30 06-02T09:45"},
		{"range with step", "0 1-5/2 2 6 *", "2025-06-01", "2025-07-01", "06-02T01:00 06-02T03:00 06-02T05:00"},
		{"names", "0 3 * JUN MON-WED", "2025-06-01", "2025-06-08", "06-02T03:00 06-03T03:00 06-04T03:00"},
		{"7 is Sunday", "0 4 * * 7", "2025-06-01", "2025-06-15", "06-01T04:00 06-08T04:00"},
		{"range ending in 7", "0 4 * * 6-7", "2025-06-01", "2025-06-09", "06-01T04:00 06-07T04:00 06-08T04:00"},
		{"31st skips short months", "0 0 31 * *", "2025-01-01", "2025-06-01", "01-31T00:00 03-31T00:00 05-31T00:00"},
		{"February 29 waits for a leap year", "0 0 29 2 *", "2025-01-01", "2029-01-01", "02-29T00:00"},
		{"CRON_TZ prefix", "CRON_TZ=Asia/Kolkata 30 5 2 6 *", "2025-06-01", "2025-07-01", "06-02T00:00"},
		{"question mark", "0 0 ? * SUN", "2025-06-01", "2025-06-09", "06-01T00:00 06-08T00:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseCron(tc.expr, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			from, _ := time.Parse(time.DateOnly, tc.from)
			to, _ := time.Parse(time.DateOnly, tc.to)
			var got []string
			for _, iv := range r.Between(from, to) {
				got = append(got, iv.Start.UTC().Format("01-02T15:04"))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Fatalf("got  %s\nwant %s", g, tc.want)
			}
		})
	}
}
