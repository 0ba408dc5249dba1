package compat

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Deployment is what runs: for each component, the versions of all its
// instances. During a rolling upgrade a component lists instances of two
// versions at once, and every rule must hold for every instance.
//
// A Deployment decodes from YAML or JSON with the same field names
// ([LoadDeployment], [DecodeDeployment]). Treat it as an immutable value:
// [Deployment.With], [Deployment.Upgrade], [Deployment.UpgradeTo] and
// [Deployment.Apply] return new deployments that share the instance
// slices of the components they do not change, so modify a slice in place
// only in a deployment you built yourself and have not derived others from.
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
// instance, naming instances component[0], component[1], ... A malformed
// version is reported as a [*FieldError] with the field path
// (components.web[1].version) and the value.
func NewDeployment(versions map[string][]string) (Deployment, error) {
	d := Deployment{Components: make(map[string][]Instance, len(versions))}
	for _, name := range slices.Sorted(maps.Keys(versions)) {
		vs := versions[name]
		insts := make([]Instance, len(vs))
		for i, s := range vs {
			v, err := ParseVersion(s)
			if err != nil {
				reason := err.Error()
				var pe *ParseError
				if errors.As(err, &pe) {
					reason = pe.Reason
				}
				return Deployment{}, &FieldError{Path: fmt.Sprintf("components.%s[%d].version", name, i), Value: s, Reason: reason, Err: err}
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
	out := d.clone()
	out.Components[component] = slices.Clone(instances)
	return out
}

func instanceName(component string, i int, inst Instance) string {
	if inst.Name != "" {
		return inst.Name
	}
	return fmt.Sprintf("%s[%d]", component, i)
}

// Upgrade returns a copy of d in which every instance of component runs v,
// keeping the instance names. A component d does not run gets one
// unnamed instance (reports call it component[0]). d is not modified.
func (d Deployment) Upgrade(component string, v Version) Deployment {
	out := d.clone()
	out.Components[component] = upgraded(d.Components[component], v)
	return out
}

// UpgradeTo returns d after moving it to target: every component target
// names runs target's version for it (that of its first instance) on
// every instance, as [Deployment.Upgrade] does; components target does
// not name stay as they are. It is the end state of [Matrix.Plan] for the
// same pair, and the one-liner for "production after this bump":
//
//	report := m.Check(prod.UpgradeTo(bump))
//
// d and target are not modified.
func (d Deployment) UpgradeTo(target Deployment) Deployment {
	out := d.clone()
	for _, name := range slices.Sorted(maps.Keys(target.Components)) {
		if insts := target.Components[name]; len(insts) > 0 {
			out.Components[name] = upgraded(d.Components[name], insts[0].Version)
		}
	}
	return out
}

// Apply returns d after the given steps, in order. A whole-component step
// moves every instance of its component to Step.To, as
// [Deployment.Upgrade] does; an instance step moves only the instance it
// names, by Instance.Name or, for an unnamed instance, by the name
// reports give it (component[i]); a step naming an instance that d does
// not run changes nothing.
// Step.From is not checked, so the steps of a [Plan] can be applied to
// the deployment they were planned from or to a later one. d is not
// modified.
func (d Deployment) Apply(steps ...Step) Deployment {
	out := d.clone()
	for _, s := range steps {
		out.Components[s.Component] = s.applyTo(out.Components[s.Component])
	}
	return out
}

// applyTo returns insts after s, as a new slice.
func (s Step) applyTo(insts []Instance) []Instance {
	if s.Instance == "" {
		return upgraded(insts, s.To)
	}
	moved := slices.Clone(insts)
	for i := range moved {
		if instanceName(s.Component, i, moved[i]) == s.Instance {
			moved[i].Version = s.To
		}
	}
	return moved
}

// upgraded returns old with every instance at v, or one unnamed instance
// if old is empty.
func upgraded(old []Instance, v Version) []Instance {
	moved := make([]Instance, max(len(old), 1))
	for i := range moved {
		if i < len(old) {
			moved[i].Name = old[i].Name
		}
		moved[i].Version = v
	}
	return moved
}

// clone copies d's map and feature list; instance slices are shared and
// must be replaced, not modified.
func (d Deployment) clone() Deployment {
	out := Deployment{Components: maps.Clone(d.Components), Features: slices.Clone(d.Features)}
	if out.Components == nil {
		out.Components = map[string][]Instance{}
	}
	return out
}
