package compat

// Spec is a compatibility matrix as written by people: in Go, or decoded
// from YAML or JSON with [DecodeSpec]. Ranges are strings in [Range]
// syntax. [Compile] validates a Spec into a [Matrix].
//
// In YAML, quote versions and ranges: an unquoted 1.10 is the number 1.1.
type Spec struct {
	// Name identifies the matrix in reports and published tables.
	Name string `json:"name,omitempty"`
	// Description is free text shown in published tables.
	Description string `json:"description,omitempty"`
	// Prerelease is the prerelease policy for every range in the matrix.
	Prerelease PrereleasePolicy `json:"prerelease,omitempty"`
	// VendorPrereleases lists prerelease tags of vendor builds that count
	// as the release they are based on, for example "eks" so that
	// 1.29.3-eks-1234 counts as 1.29.3 (see [StripVendorPrerelease]).
	VendorPrereleases []string `json:"vendorPrereleases,omitempty"`
	// Components are the things that have versions.
	Components []ComponentSpec `json:"components"`
	// Rules relate component versions to each other.
	Rules []RuleSpec `json:"rules,omitempty"`
	// Schemas are data schemas that component versions read and write.
	Schemas []SchemaSpec `json:"schemas,omitempty"`
	// Features are capabilities provided by component versions.
	Features []FeatureSpec `json:"features,omitempty"`
}

// ComponentSpec declares a component.
type ComponentSpec struct {
	// Name is the component's unique name.
	Name string `json:"name"`
	// Owner is the team or person to contact; violations of rules without
	// an owner name the owner of the component.
	Owner string `json:"owner,omitempty"`
	// Description is free text.
	Description string `json:"description,omitempty"`
	// Versions is the catalog of released versions: the rows of published
	// tables and the default catalog for [Matrix.Plan].
	Versions []string `json:"versions,omitempty"`
}

// RuleSpec is one rule. Exactly one of Requires, Conflicts, Skew,
// InstanceSkew and Support must be set.
type RuleSpec struct {
	// ID is unique among rules, schemas and features.
	ID string `json:"id"`
	// Description says, for people, why the rule exists.
	Description string `json:"description,omitempty"`
	// Owner overrides the owner of the rule's first component.
	Owner string `json:"owner,omitempty"`
	// Level is the verdict when the rule is broken (or, for Support rules,
	// the level of the matching versions). The zero value is Unsupported.
	Level Level `json:"level,omitempty"`

	Requires     *RequiresSpec     `json:"requires,omitempty"`
	Conflicts    *ConflictsSpec    `json:"conflicts,omitempty"`
	Skew         *SkewSpec         `json:"skew,omitempty"`
	InstanceSkew *InstanceSkewSpec `json:"instanceSkew,omitempty"`
	Support      *Selector         `json:"support,omitempty"`
}

// Selector names a component and a range of its versions.
type Selector struct {
	Component string `json:"component"`
	// Versions is a range; empty means every version ("*").
	Versions string `json:"versions,omitempty"`
}

// RequiresSpec: when the When component runs a version in its range, the
// Need component must be deployed and all its instances must be in the
// Need range.
type RequiresSpec struct {
	When Selector `json:"when"`
	Need Selector `json:"need"`
}

// ConflictsSpec: a When instance in its range must not run beside a With
// instance in its range.
type ConflictsSpec struct {
	When Selector `json:"when"`
	With Selector `json:"with"`
}

// SkewSpec bounds the version distance of Component from RelativeTo,
// counted in Unit. Behind is how far Component may be below RelativeTo and
// Ahead how far above; nil means unbounded. Distances are counted within
// the coarser segment: with Unit Minor, 1.30 is infinitely far behind 2.0
// (so only an unbounded Behind allows it), and with Unit Patch, 1.2.9 is
// infinitely far behind 1.3.0. For example a kubelet that may
// be up to 3 minors older than the API server and never newer is
// {Component: "kubelet", RelativeTo: "apiserver", Unit: Minor, Behind:
// Limit(3), Ahead: Limit(0), SameMajor: true}.
type SkewSpec struct {
	Component  string `json:"component"`
	RelativeTo string `json:"relativeTo"`
	Unit       Unit   `json:"unit,omitempty"`
	Behind     *int   `json:"behind,omitempty"`
	Ahead      *int   `json:"ahead,omitempty"`
	// SameMajor additionally requires equal major versions.
	SameMajor bool `json:"sameMajor,omitempty"`
	// Overrides replace Behind and/or Ahead while Component runs a version
	// in the override's range; the first matching override wins. A bound
	// an override leaves nil keeps the rule's value (it is not unbounded).
	Overrides []SkewOverride `json:"overrides,omitempty"`
}

// SkewOverride gives different skew bounds for some versions of the
// bounded component, for example a narrower window below 1.28. Behind and
// Ahead, when nil, keep the bounds of the enclosing [SkewSpec]; at least
// one must be set.
type SkewOverride struct {
	Versions string `json:"versions"`
	Behind   *int   `json:"behind,omitempty"`
	Ahead    *int   `json:"ahead,omitempty"`
}

// InstanceSkewSpec bounds how far apart the instances of one component may
// be, counted in Unit: the newest minus the oldest is at most Max. As for
// [SkewSpec], instances in different majors (Unit Minor) or different
// major.minors (Unit Patch) are always too far apart.
type InstanceSkewSpec struct {
	Component string `json:"component"`
	Unit      Unit   `json:"unit,omitempty"`
	Max       int    `json:"max"`
}

// SchemaSpec is a data schema (a database schema, a message format) and
// which schema versions each component version reads and writes. Every
// schema version written by a running instance must be readable by every
// running instance that reads the schema.
type SchemaSpec struct {
	// ID is unique among rules, schemas and features.
	ID          string         `json:"id"`
	Description string         `json:"description,omitempty"`
	Owner       string         `json:"owner,omitempty"`
	Level       Level          `json:"level,omitempty"`
	Access      []SchemaAccess `json:"access"`
}

// SchemaAccess says which schema versions the component versions in
// Versions read and write. Reads and Writes are ranges over schema
// versions; an empty one means none. Entries of one component must not
// overlap.
type SchemaAccess struct {
	Component string `json:"component"`
	Versions  string `json:"versions,omitempty"`
	Reads     string `json:"reads,omitempty"`
	Writes    string `json:"writes,omitempty"`
}

// FeatureSpec is a capability that is usable only when every provider
// component is deployed with all its instances in the provider's range,
// and every feature in Requires is usable too.
type FeatureSpec struct {
	// ID is unique among rules, schemas and features.
	ID          string     `json:"id"`
	Description string     `json:"description,omitempty"`
	Owner       string     `json:"owner,omitempty"`
	Level       Level      `json:"level,omitempty"`
	Providers   []Selector `json:"providers"`
	// Requires lists features this one builds on; cycles are rejected.
	Requires []string `json:"requires,omitempty"`
}

// Limit returns a pointer to n, for the optional bounds of [SkewSpec].
func Limit(n int) *int { return &n }
