// Package resolve turns claims into incidents: it matches each new claim
// against the incidents already known (with candidate blocking, never all
// pairs), explains every decision feature by feature, reconciles an
// incident's figures, date, place and attribution from its claims, and
// proposes a grade with its rationale.
package resolve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	vigil "github.com/vigil-rec/vigil"
)

// Weights are the weights of the match features. The score of a candidate is
// the weighted sum of the feature scores (each in -1..1) divided by the sum
// of the weights, so it lies in -1..1.
type Weights struct {
	Date        float64 `json:"date"`
	Place       float64 `json:"place"`
	EventType   float64 `json:"event_type"`
	Perpetrator float64 `json:"perpetrator"`
	Text        float64 `json:"text"`
}

// GradeConfig holds the grading scale and the thresholds of the proposal.
type GradeConfig struct {
	// Scale lists the grades, strongest first. The proposal only uses the
	// five default grades; a custom scale is checked to contain them.
	Scale []vigil.Grade `json:"scale"`
	// FairSources is how many independent sources (distinct publishers)
	// a fair grade needs.
	FairSources int `json:"fair_sources"`
	// AgreementRatio is how far apart (max/min of the killed figures) the
	// sources may be and still agree.
	AgreementRatio float64 `json:"agreement_ratio"`
}

// Config is the resolver's configuration. Zero fields take the defaults of
// DefaultConfig when loaded with LoadConfig or passed through Normalize.
type Config struct {
	// JoinThreshold is the score at or above which a claim joins its best
	// candidate (default 0.55).
	JoinThreshold float64 `json:"join_threshold"`
	// LinkThreshold is the score at or above which a claim that does not
	// join starts a new incident linked to the candidate as a possible
	// duplicate for review (default 0.25).
	LinkThreshold float64 `json:"link_threshold"`
	// Weights of the features.
	Weights Weights `json:"weights"`
	// DateSlackDays widens a claim's date window on both sides when looking
	// for candidates and lets dates that miss by up to this many days still
	// count as near (default 1: "yesterday" against a publication date
	// across midnight or time zones).
	DateSlackDays int `json:"date_slack_days"`
	// MaxWindowDays caps the days a claim's or incident's date spans in the
	// blocking index; a vaguer date (a month, a year) is looked up in month
	// buckets instead (default 14).
	MaxWindowDays int `json:"max_window_days"`
	// OngoingDays: reports of one place and kind of attack whose days are
	// further apart than the slack but at most this many days are possibly
	// one ongoing event (a siege, a campaign): linked for review, never
	// joined (default 7; negative: off).
	OngoingDays int `json:"ongoing_days"`
	// NearKm is the distance under which two differently named places can
	// still be the same site (default 2 km); FarKm the distance beyond which
	// they conflict outright (default 15 km).
	NearKm float64 `json:"near_km"`
	FarKm  float64 `json:"far_km"`
	// MaxIndexed bounds how many incidents the in-memory index holds when it
	// can reload evicted ones from the store (default 200000).
	MaxIndexed int `json:"max_indexed"`
	// PageSize is how many unresolved claims Run reads at a time (default 500).
	PageSize int `json:"page_size"`
	// Actor is the name recorded in audit entries and decisions
	// (default "vigil resolve").
	Actor string `json:"actor"`
	// Grading configures the grade proposal.
	Grading GradeConfig `json:"grading"`
}

// DefaultConfig returns the documented defaults (docs/resolution.md).
func DefaultConfig() Config {
	return Config{
		JoinThreshold: 0.55,
		LinkThreshold: 0.25,
		Weights:       Weights{Date: 0.30, Place: 0.30, EventType: 0.10, Perpetrator: 0.15, Text: 0.15},
		DateSlackDays: 1,
		MaxWindowDays: 14,
		OngoingDays:   7,
		NearKm:        2,
		FarKm:         15,
		MaxIndexed:    200000,
		PageSize:      500,
		Actor:         "vigil resolve",
		Grading: GradeConfig{
			Scale:          []vigil.Grade{vigil.GradeConfirmed, vigil.GradeFair, vigil.GradeWeak, vigil.GradeContested, vigil.GradeDiscounted},
			FairSources:    2,
			AgreementRatio: 2,
		},
	}
}

// Normalize fills zero fields with defaults and checks the rest.
func (c *Config) Normalize() error {
	d := DefaultConfig()
	if c.JoinThreshold == 0 {
		c.JoinThreshold = d.JoinThreshold
	}
	if c.LinkThreshold == 0 {
		c.LinkThreshold = d.LinkThreshold
	}
	if c.Weights == (Weights{}) {
		c.Weights = d.Weights
	}
	if c.DateSlackDays == 0 {
		c.DateSlackDays = d.DateSlackDays
	}
	if c.MaxWindowDays == 0 {
		c.MaxWindowDays = d.MaxWindowDays
	}
	if c.OngoingDays == 0 {
		c.OngoingDays = d.OngoingDays
	}
	if c.NearKm == 0 {
		c.NearKm = d.NearKm
	}
	if c.FarKm == 0 {
		c.FarKm = d.FarKm
	}
	if c.MaxIndexed == 0 {
		c.MaxIndexed = d.MaxIndexed
	}
	if c.PageSize == 0 {
		c.PageSize = d.PageSize
	}
	if c.Actor == "" {
		c.Actor = d.Actor
	}
	if len(c.Grading.Scale) == 0 {
		c.Grading.Scale = d.Grading.Scale
	}
	if c.Grading.FairSources == 0 {
		c.Grading.FairSources = d.Grading.FairSources
	}
	if c.Grading.AgreementRatio == 0 {
		c.Grading.AgreementRatio = d.Grading.AgreementRatio
	}
	w := c.Weights
	switch {
	case w.Date < 0 || w.Place < 0 || w.EventType < 0 || w.Perpetrator < 0 || w.Text < 0:
		return vigil.FieldErrorf(vigil.EINVALID, "weights", "weights must not be negative")
	case w.Date+w.Place+w.EventType+w.Perpetrator+w.Text <= 0:
		return vigil.FieldErrorf(vigil.EINVALID, "weights", "at least one weight must be positive")
	case c.JoinThreshold > 1 || c.JoinThreshold < -1:
		return vigil.FieldErrorf(vigil.EINVALID, "join_threshold", "%g is outside -1..1", c.JoinThreshold)
	case c.LinkThreshold > c.JoinThreshold:
		return vigil.FieldErrorf(vigil.EINVALID, "link_threshold", "%g is above join_threshold %g", c.LinkThreshold, c.JoinThreshold)
	case c.DateSlackDays < 0:
		return vigil.FieldErrorf(vigil.EINVALID, "date_slack_days", "negative")
	case c.MaxWindowDays < 1:
		return vigil.FieldErrorf(vigil.EINVALID, "max_window_days", "must be at least 1")
	case c.NearKm < 0 || c.FarKm < c.NearKm:
		return vigil.FieldErrorf(vigil.EINVALID, "far_km", "far_km %g must be at least near_km %g", c.FarKm, c.NearKm)
	case c.PageSize < 1:
		return vigil.FieldErrorf(vigil.EINVALID, "page_size", "must be at least 1")
	}
	have := map[vigil.Grade]bool{}
	for _, g := range c.Grading.Scale {
		if g == vigil.GradeUngraded {
			return vigil.FieldErrorf(vigil.EINVALID, "grading.scale", "empty grade name")
		}
		have[g] = true
	}
	for _, g := range DefaultConfig().Grading.Scale {
		if !have[g] {
			return vigil.FieldErrorf(vigil.EINVALID, "grading.scale", "the scale lacks %q, which the proposal uses", g)
		}
	}
	return nil
}

// ParseConfig reads a JSON configuration; missing fields take the defaults
// and unknown fields are an error naming the file.
func ParseConfig(name string, data []byte) (Config, error) {
	var c Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, vigil.FieldErrorf(vigil.EINVALID, name, "malformed configuration: %v", err)
	}
	if err := c.Normalize(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

// LoadConfig reads a JSON configuration file.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	return ParseConfig(path, data)
}
