package rollout

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
)

// Exposure is who sees the new version during a stage: a percentage of traffic,
// a named cohort ("internal", "beta"), or a set of regions. Exactly one form is
// used; a zero Exposure is 0 %.
//
// In YAML and JSON a percentage is written "25%" (or the number 25), a cohort as
// {cohort: beta} and regions as {regions: [eu-west-1, us-east-1]}.
type Exposure struct {
	Percent float64  // share of traffic in [0, 100]; used when Cohort and Regions are empty
	Cohort  string   // a named cohort of users or hosts
	Regions []string // regions that run the new version
}

// Percent returns an exposure of p percent.
func Percent(p float64) Exposure { return Exposure{Percent: p} }

// Cohort returns an exposure to a named cohort.
func Cohort(name string) Exposure { return Exposure{Cohort: name} }

// Regions returns an exposure to a set of regions.
func Regions(names ...string) Exposure {
	return Exposure{Regions: append([]string(nil), names...)}
}

// IsPercent reports whether e is a share of traffic.
func (e Exposure) IsPercent() bool { return e.Cohort == "" && len(e.Regions) == 0 }

// String returns "25%", "cohort beta" or "regions eu-west-1, us-east-1".
func (e Exposure) String() string {
	switch {
	case e.Cohort != "":
		return "cohort " + e.Cohort
	case len(e.Regions) > 0:
		return "regions " + strings.Join(e.Regions, ", ")
	default:
		return formatPercent(e.Percent)
	}
}

func formatPercent(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
}

type exposureObject struct {
	Percent *float64 `json:"percent,omitempty"`
	Cohort  string   `json:"cohort,omitempty"`
	Regions []string `json:"regions,omitempty"`
}

// MarshalJSON writes a percentage as "25%" and the other forms as objects.
func (e Exposure) MarshalJSON() ([]byte, error) {
	if e.IsPercent() {
		if math.IsNaN(e.Percent) || math.IsInf(e.Percent, 0) {
			return nil, errors.New("rollout: exposure percent is not finite")
		}
		return json.Marshal(formatPercent(e.Percent))
	}
	return json.Marshal(exposureObject{Cohort: e.Cohort, Regions: e.Regions})
}

// UnmarshalJSON accepts "25%", 25, {percent: 25}, {cohort: ...} or {regions: [...]}.
func (e *Exposure) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("rollout: empty exposure")
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		p, err := parsePercent(s)
		if err != nil {
			return err
		}
		*e = Exposure{Percent: p}
		return nil
	case '{':
		var o exposureObject
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		if err := d.Decode(&o); err != nil {
			return errors.New("rollout: exposure must have one of percent, cohort or regions: " +
				strings.TrimPrefix(err.Error(), "json: "))
		}
		n := 0
		if o.Percent != nil {
			n++
		}
		if o.Cohort != "" {
			n++
		}
		if len(o.Regions) > 0 {
			n++
		}
		if n != 1 {
			return errors.New("rollout: exposure must have exactly one of percent, cohort or regions")
		}
		*e = Exposure{Cohort: o.Cohort, Regions: o.Regions}
		if o.Percent != nil {
			e.Percent = *o.Percent
		}
		return nil
	case 'n':
		return errors.New("rollout: exposure is null")
	default:
		var p float64
		if err := json.Unmarshal(b, &p); err != nil {
			return errors.New("rollout: invalid exposure " + string(b))
		}
		*e = Exposure{Percent: p}
		return nil
	}
}

func parsePercent(s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(t, "%")
	p, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || math.IsNaN(p) || math.IsInf(p, 0) {
		return 0, errors.New("rollout: invalid exposure " + quote(s) + " (want a percentage like \"25%\")")
	}
	return p, nil
}

func quote(s string) string { return strconv.Quote(s) }
