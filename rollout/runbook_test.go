package rollout

import (
	"bytes"
	"flag"
	"testing"

	"github.com/glidepath/glidepath/internal/goldenfile"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, *update, name, got)
}

func TestRunbookGolden(t *testing.T) {
	for _, name := range []string{"canary", "bluegreen", "full"} {
		t.Run(name, func(t *testing.T) {
			p := loadPlan(t, name+".yaml")
			var buf bytes.Buffer
			if err := RenderRunbook(&buf, p); err != nil {
				t.Fatal(err)
			}
			golden(t, name+".runbook.md", buf.Bytes())
		})
	}
}
