package webtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Governorate is one of Syria's governorates with an indicative centre.
type Governorate struct {
	PCode, Name, NameAR string
	Lat, Lon            float64
}

// Governorates of Syria (OCHA p-codes; centres are indicative).
var Governorates = []Governorate{
	{"SY01", "Damascus", "دمشق", 33.51, 36.29}, {"SY02", "Aleppo", "حلب", 36.20, 37.15}, {"SY03", "Rural Damascus", "ريف دمشق", 33.57, 36.40},
	{"SY04", "Homs", "حمص", 34.73, 36.72}, {"SY05", "Hama", "حماة", 35.13, 36.75}, {"SY06", "Lattakia", "اللاذقية", 35.52, 35.78},
	{"SY07", "Idleb", "إدلب", 35.93, 36.63}, {"SY08", "Al-Hasakeh", "الحسكة", 36.50, 40.75}, {"SY09", "Deir-ez-Zor", "دير الزور", 35.33, 40.14},
	{"SY10", "Tartous", "طرطوس", 34.89, 35.89}, {"SY11", "Ar-Raqqa", "الرقة", 35.95, 39.01}, {"SY12", "Dar'a", "درعا", 32.62, 36.10},
	{"SY13", "As-Sweida", "السويداء", 32.71, 36.57}, {"SY14", "Quneitra", "القنيطرة", 33.13, 35.82},
}

var genActors = []string{"syrian_government", "russia", "coalition", "isis", "opposition", "nusra", "sdf", "turkey"}

// GenOptions configure Generate.
type GenOptions struct {
	N    int
	Seed uint64
}

// Generate stores n fictional incidents drawn from a seeded generator: the
// same seed gives the same incidents. Titles and places are invented;
// no person is named.
func Generate(tb testing.TB, store vigil.IncidentService, o GenOptions) {
	tb.Helper()
	if err := GenerateInto(context.Background(), store, o); err != nil {
		tb.Fatal(err)
	}
}

// GenerateInto is Generate without a testing.TB.
func GenerateInto(ctx context.Context, store vigil.IncidentService, o GenOptions) error {
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	types := []vigil.EventType{vigil.EventAirStrike, vigil.EventShelling, vigil.EventArmedClash, vigil.EventIED, vigil.EventAttackCivilians, vigil.EventExecution, vigil.EventSuicideBomb}
	states := []vigil.ReviewState{vigil.ReviewPublished, vigil.ReviewPublished, vigil.ReviewPublished, vigil.ReviewNew, vigil.ReviewInReview, vigil.ReviewVerified}
	grades := []vigil.Grade{vigil.GradeConfirmed, vigil.GradeFair, vigil.GradeWeak, vigil.GradeContested}
	precs := []vigil.PlacePrecision{vigil.PlaceExact, vigil.PlaceNeighbourhood, vigil.PlaceTown, vigil.PlaceTown, vigil.PlaceTown, vigil.PlaceDistrict, vigil.PlaceGovernorate}
	facs := []vigil.FacilityType{vigil.FacilityHealth, vigil.FacilityEducation, vigil.FacilityMarket, vigil.FacilityResidential, vigil.FacilityWorship}
	start := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < o.N; i++ {
		g := Governorates[r.IntN(len(Governorates))]
		d := start.AddDate(0, 0, r.IntN(9*365))
		date := vigil.Day(d.Year(), d.Month(), d.Day())
		switch r.IntN(20) {
		case 0:
			date = vigil.Month(d.Year(), d.Month())
		case 1:
			y, w := d.ISOWeek()
			date = vigil.ISOWeek(y, w)
		}
		prec := precs[r.IntN(len(precs))]
		spread := map[vigil.PlacePrecision]float64{vigil.PlaceGovernorate: 0, vigil.PlaceDistrict: 0.2}[prec]
		if spread == 0 && prec != vigil.PlaceGovernorate {
			spread = 0.5
		}
		lat, lon := g.Lat+(r.Float64()-0.5)*spread, g.Lon+(r.Float64()-0.5)*spread
		town := fmt.Sprintf("Fictional place %d", r.IntN(500))
		pl := &vigil.Place{Name: town, Precision: prec, Lat: &lat, Lon: &lon, PCode: fmt.Sprintf("%s%02d%02d", g.PCode, r.IntN(8), r.IntN(30)),
			Admin: []vigil.AdminUnit{{Level: 0, Name: "Syria", NameAR: "سوريا", PCode: "SY"}, {Level: 1, Name: g.Name, NameAR: g.NameAR, PCode: g.PCode}}}
		if prec == vigil.PlaceGovernorate {
			pl.Name, pl.NameAR, pl.PCode = g.Name, g.NameAR, g.PCode
		}
		et := types[r.IntN(len(types))]
		kmin := r.IntN(30)
		var kmax *int
		if r.IntN(6) > 0 {
			v := kmin + r.IntN(10)
			kmax = &v
		}
		imin := r.IntN(50)
		imax := imin + r.IntN(20)
		inc := &vigil.Incident{
			Title:     fmt.Sprintf("Fictional %s in %s no. %d", et, g.Name, i+1),
			EventType: et, Date: date, Place: pl,
			Figures: []vigil.FigureRange{
				{Kind: vigil.Killed, Category: vigil.CatTotal, Min: kmin, Max: kmax, MinSources: []string{"Example Wire"}, MaxSources: []string{"Example Monitor"}},
				{Kind: vigil.Injured, Category: vigil.CatTotal, Min: imin, Max: &imax, MinSources: []string{"Example Wire"}, MaxSources: []string{"Example Monitor"}},
			},
			Review:        states[r.IntN(len(states))],
			Grade:         grades[r.IntN(len(grades))],
			ProposedGrade: grades[r.IntN(len(grades))],
			Sources:       []vigil.Source{{Name: "Example Wire", Type: vigil.SourceMedia, Sensitivity: vigil.Public}, {Name: "Example Monitor", Type: vigil.SourceNGO, Sensitivity: vigil.Public}},
		}
		if r.IntN(5) == 0 {
			c := 1 + r.IntN(5)
			inc.Figures = append(inc.Figures, vigil.FigureRange{Kind: vigil.Killed, Category: vigil.CatChildren, Min: c, Max: &c})
		}
		if r.IntN(3) == 0 {
			c := 1 + r.IntN(kmin+1)
			inc.Figures = append(inc.Figures, vigil.FigureRange{Kind: vigil.Killed, Category: vigil.CatCivilians, Min: c, Max: &c})
		}
		if r.IntN(8) > 0 {
			n := 1 + r.IntN(2)
			for j := 0; j < n; j++ {
				inc.Attribution.Candidates = append(inc.Attribution.Candidates, vigil.PerpetratorCandidate{Actor: genActors[r.IntN(len(genActors))], Status: vigil.Alleged, AllegedBy: []string{"Example Wire"}})
			}
			inc.Attribution.DeriveStatus()
		} else {
			inc.Attribution.Unidentified = true
		}
		if r.IntN(6) == 0 {
			inc.Facilities = []vigil.Facility{{Type: facs[r.IntN(len(facs))], Role: "hit"}}
		}
		if r.IntN(40) == 0 && i > 0 {
			inc.PossibleDuplicates = []int64{int64(1 + r.IntN(i))}
		}
		if err := store.CreateIncident(ctx, inc, nil); err != nil {
			return err
		}
	}
	return nil
}
