package vigil

import "fmt"

// PlacePrecision is a rung on the ordered ladder of how precisely a place is
// known, from an exact point (finest) to the country (coarsest).
type PlacePrecision int

const (
	PlaceUnknown PlacePrecision = iota
	PlaceExact
	PlaceStreet
	PlaceNeighbourhood
	PlaceTown
	PlaceDistrict
	PlaceGovernorate
	PlaceCountry
)

var placePrecisionNames = map[PlacePrecision]string{
	PlaceUnknown:       "unknown",
	PlaceExact:         "exact",
	PlaceStreet:        "street",
	PlaceNeighbourhood: "neighbourhood",
	PlaceTown:          "town",
	PlaceDistrict:      "district",
	PlaceGovernorate:   "governorate",
	PlaceCountry:       "country",
}

func (p PlacePrecision) String() string {
	if s, ok := placePrecisionNames[p]; ok {
		return s
	}
	return fmt.Sprintf("PlacePrecision(%d)", int(p))
}

// ParsePlacePrecision parses a precision name such as "neighbourhood".
func ParsePlacePrecision(s string) (PlacePrecision, error) {
	for p, n := range placePrecisionNames {
		if n == s {
			return p, nil
		}
	}
	return 0, Errorf(EINVALID, "unknown place precision %q", s)
}

// FinerThan reports whether p is strictly more precise than o.
func (p PlacePrecision) FinerThan(o PlacePrecision) bool {
	if p == PlaceUnknown {
		return false
	}
	if o == PlaceUnknown {
		return true
	}
	return p < o
}

func (p PlacePrecision) MarshalText() ([]byte, error) { return []byte(p.String()), nil }
func (p *PlacePrecision) UnmarshalText(b []byte) error {
	v, err := ParsePlacePrecision(string(b))
	*p = v
	return err
}

// AdminUnit is one level of a place's administrative hierarchy.
type AdminUnit struct {
	Level  int    `json:"level"` // 0 country, 1 governorate, 2 district, 3 sub-district or region, 4 town, 5 neighbourhood
	PCode  string `json:"pcode,omitempty"`
	Name   string `json:"name"`
	NameAR string `json:"name_ar,omitempty"`
}

// Place is a named location with its administrative hierarchy.
type Place struct {
	ID        string         `json:"id,omitempty"` // gazetteer id, usually the p-code
	Name      string         `json:"name"`
	NameAR    string         `json:"name_ar,omitempty"`
	Variants  []string       `json:"variants,omitempty"` // other spellings, any script
	PCode     string         `json:"pcode,omitempty"`
	Admin     []AdminUnit    `json:"admin,omitempty"` // country first, most specific last
	Lat       *float64       `json:"lat,omitempty"`
	Lon       *float64       `json:"lon,omitempty"`
	Precision PlacePrecision `json:"precision"`
}

// HasPoint reports whether the place has coordinates.
func (p *Place) HasPoint() bool { return p != nil && p.Lat != nil && p.Lon != nil }

// Governorate returns the level-1 unit, if known.
func (p *Place) Governorate() *AdminUnit {
	if p == nil {
		return nil
	}
	for i := range p.Admin {
		if p.Admin[i].Level == 1 {
			return &p.Admin[i]
		}
	}
	return nil
}
