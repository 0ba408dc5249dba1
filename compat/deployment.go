package compat

import (
	"fmt"
	"maps"
	"slices"
)

// Deployment is what runs: for each component, the versions of all its
// instances. During a rolling upgrade a component lists instances of two
// versions at once, and every rule must hold for every instance.
//
// A Deployment decodes from YAML or JSON with the same field names.
type Deployment struct {
	// Components maps component names to their running instances.
	Components map[string][]Instance `json:"components"`
	// Features lists features the deployment turns on; [Matrix.Check]
	// reports an enabled feature that the running versions do not provide.
	Features []string `json:"features,omitempty"`
}

// Instance is one running copy of a component.
type Instance struct {
	// Name identifies the instance (a pod, a host, a region); when empty,
	// reports call it component[i].
	Name string `json:"name,omitempty"`
	// Version is the version the instance runs; it must be valid (the
	// zero Version would compare as 0).
	Version Version `json:"version"`
}

// NewDeployment builds a Deployment from version strings, one per
// instance, naming instances component[0], component[1], ...
func NewDeployment(versions map[string][]string) (Deployment, error) {
	d := Deployment{Components: make(map[string][]Instance, len(versions))}
	for _, name := range slices.Sorted(maps.Keys(versions)) {
		vs := versions[name]
		insts := make([]Instance, len(vs))
		for i, s := range vs {
			v, err := ParseVersion(s)
			if err != nil {
				return Deployment{}, fmt.Errorf("compat: deployment %s[%d]: %w", name, i, err)
			}
			insts[i] = Instance{Name: fmt.Sprintf("%s[%d]", name, i), Version: v}
		}
		d.Components[name] = insts
	}
	return d, nil
}

// MustDeployment is like [NewDeployment] but panics on error; for tests
// and examples.
func MustDeployment(versions map[string][]string) Deployment {
	d, err := NewDeployment(versions)
	if err != nil {
		panic(err)
	}
	return d
}

// With returns a copy of d in which component runs the given instances.
// d is not modified.
func (d Deployment) With(component string, instances ...Instance) Deployment {
	out := Deployment{Components: maps.Clone(d.Components), Features: slices.Clone(d.Features)}
	if out.Components == nil {
		out.Components = map[string][]Instance{}
	}
	out.Components[component] = slices.Clone(instances)
	return out
}

func instanceName(component string, i int, inst Instance) string {
	if inst.Name != "" {
		return inst.Name
	}
	return fmt.Sprintf("%s[%d]", component, i)
}
