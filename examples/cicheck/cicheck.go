package cicheck

import (
	"os"

	"github.com/glidepath/glidepath/compat"
	"github.com/glidepath/glidepath/compat/compattest"
)

// LoadDeployment reads a deployment file in compat's format, or fails t.
func LoadDeployment(t compattest.T, path string) compat.Deployment {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("cicheck: %v", err)
		return compat.Deployment{}
	}
	d, err := compat.DecodeDeployment(data, path)
	if err != nil {
		t.Fatalf("cicheck: %v", err)
	}
	return d
}

// Apply returns prod after the bump: every instance of each component the
// bump names runs the bump's version (its first instance's), and keeps its
// name. Components the bump does not name stay as they are; a component
// new to prod gets one instance.
func Apply(prod, bump compat.Deployment) compat.Deployment {
	next := prod
	for name, inst := range bump.Components {
		if len(inst) == 0 {
			continue
		}
		old := prod.Components[name]
		moved := make([]compat.Instance, max(len(old), 1))
		for i := range moved {
			if i < len(old) {
				moved[i].Name = old[i].Name
			}
			moved[i].Version = inst[0].Version
		}
		next = next.With(name, moved...)
	}
	return next
}
