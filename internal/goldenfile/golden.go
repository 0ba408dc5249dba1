// Package goldenfile compares test output with golden files under testdata/ and
// rewrites them when asked to.
//
// Each test package declares its own -update flag and passes its value in,
// so this package registers no flags and keeps no state:
//
//	var update = flag.Bool("update", false, "rewrite golden files under testdata/")
//
//	func TestRender(t *testing.T) {
//		goldenfile.Check(t, *update, "render.md", got)
//	}
package goldenfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Check compares got with the file testdata/name (name may contain slashes).
// With update set it writes got to that file instead, creating folders as
// needed. A difference is reported with t.Errorf as a -want +got diff.
func Check(t testing.TB, update bool, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name))
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
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
		t.Errorf("%s differs from the golden file (-want +got); run go test -update if the change is intended:\n%s", path, diff)
	}
}
