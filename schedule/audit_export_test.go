package schedule

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"
)

// xmlWellFormed parses every token of the document with encoding/xml.
func xmlWellFormed(t *testing.T, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, doc)
		}
	}
}

// TestSVGWellFormedWithHostileNames draws parties, windows, freezes and
// marks whose names need escaping or cannot appear in XML at all.
func TestSVGWellFormedWithHostileNames(t *testing.T) {
	names := []struct{ name, party string }{
		{"markup", `<b>"eu" & 'us'</b>`},
		{"control characters", "ops\x01\x08\x0b\x1fteam"},
		{"invalid UTF-8", "bad\xff\xfeutf8"},
		{"CDATA end and comment", "]]> <!-- x -->"},
		{"unicode", "Zürich 東京 🙂"},
	}
	for _, tc := range names {
		t.Run(tc.name, func(t *testing.T) {
			cal, err := New(Config{
				Parties: []Party{{
					Name:    tc.party,
					Windows: []Window{{Name: tc.party + " window", Weekly: &WeeklySpec{Days: []string{"mon", "wed"}, Start: "02:00"}, Duration: Duration(3 * time.Hour)}},
					Freezes: []Freeze{{Name: tc.party + " freeze", Reason: tc.party, From: "2025-03-05", Until: "2025-03-05"}},
				}},
			})
			if err != nil {
				t.Fatal(err)
			}
			from := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			to := from.Add(14 * 24 * time.Hour)
			slot := Interval{Start: from.Add(50 * time.Hour), End: from.Add(52 * time.Hour)}
			var buf bytes.Buffer
			err = cal.WriteSVG(&buf, SVGOptions{From: from, To: to, Slot: &slot, Title: tc.party,
				Marks: []Mark{{Label: tc.party, Interval: slot, Party: tc.party}}})
			if err != nil {
				t.Fatal(err)
			}
			xmlWellFormed(t, buf.Bytes())
			var ics bytes.Buffer
			if err := cal.WriteICS(&ics, ICSOptions{From: from, To: to}); err != nil {
				t.Fatal(err)
			}
			for i, ln := range strings.Split(strings.TrimSuffix(ics.String(), "\r\n"), "\r\n") {
				if strings.ContainsAny(ln, "\r\n\x00\x01\x08\x0b\x1f") {
					t.Fatalf("ICS line %d holds a control character: %q", i, ln)
				}
			}
		})
	}
}
