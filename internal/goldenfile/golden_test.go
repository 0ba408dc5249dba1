package goldenfile

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of stopping.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
	r.fatal = true
}
func (r *recorder) Fatal(args ...any) {
	r.errors = append(r.errors, fmt.Sprint(args...))
	r.fatal = true
}

func TestCheck(t *testing.T) {
	t.Chdir(t.TempDir())

	// update writes the file, creating the folders.
	Check(t, true, "a/b.txt", []byte("hello\n"))
	got, err := os.ReadFile(filepath.Join("testdata", "a", "b.txt"))
	if err != nil || string(got) != "hello\n" {
		t.Fatalf("after update: %q, %v", got, err)
	}

	tests := []struct {
		name      string
		file      string
		got       string
		wantFail  bool
		wantFatal bool
	}{
		{name: "equal", file: "a/b.txt", got: "hello\n"},
		{name: "different", file: "a/b.txt", got: "hullo\n", wantFail: true},
		{name: "missing", file: "nope.txt", got: "x", wantFail: true, wantFatal: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Check(r, false, tc.file, []byte(tc.got))
			if failed := len(r.errors) > 0; failed != tc.wantFail || r.fatal != tc.wantFatal {
				t.Errorf("failed=%v fatal=%v, want %v %v: %q", failed, r.fatal, tc.wantFail, tc.wantFatal, r.errors)
			}
		})
	}
}
