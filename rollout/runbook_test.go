package rollout

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Fatalf("%s differs (-want +got):\n%s", name, diff)
	}
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
