// Package victims reads victim lists (CSV and XLSX with a column mapping)
// and links their records into persons with package linkage: the model of
// fields, blocking and training rules used for victims, the clerical review
// queue, reviewers' decisions and stable person ids.
package victims

import (
	"strconv"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/linkage"
	"github.com/vigil-rec/vigil/names"
)

// Fields are the compared fields of a victim record.
var Fields = []linkage.Field{
	{Name: "given", Kind: linkage.Name, TF: true},
	{Name: "father", Kind: linkage.Name, TF: true},
	{Name: "grandfather", Kind: linkage.Name, TF: true},
	{Name: "family", Kind: linkage.Name, TF: true},
	{Name: "full_name", Kind: linkage.TokenSet, Covers: []string{"given", "father", "grandfather", "family"}},
	{Name: "sex", Kind: linkage.Exact},
	{Name: "age", Kind: linkage.Number, Tol: 3},
	{Name: "birth", Kind: linkage.Date},
	{Name: "date", Kind: linkage.Date},
	{Name: "place", Kind: linkage.Name, TF: true},
}

// Settings returns the linkage settings for victim lists. Blocking is on
// transliteration keys so that Arabic and Latin spellings meet.
func Settings() linkage.Settings {
	return linkage.Settings{
		Fields: Fields,
		Blocking: []linkage.Rule{
			{"given~", "family~"}, {"given~", "father~"}, {"father~", "family~"},
			{"family~", "date"}, {"given~", "date"}, {"given~", "age"}, {"family~", "age"}, {"father~", "date"},
		},
		Training:      []linkage.Rule{{"given~", "family~"}, {"date"}, {"father~", "age"}},
		Deterministic: []linkage.Rule{{"given", "father", "family", "date"}, {"given", "father", "family", "age"}},
		Recall:        0.6,
		Seed:          1,
	}
}

// Values returns a record's values in the order of Fields. Missing name
// parts are taken from the full name (given, father, grandfather, family).
func Values(r *vigil.VictimRecord) []string {
	given, father, grand, family := r.GivenName, r.FatherName, r.GrandfatherName, r.FamilyName
	full := r.FullName
	if full == "" {
		full = r.DisplayName()
	} else if given == "" && father == "" && family == "" {
		given, father, grand, family = names.Parts(full)
	}
	age := ""
	if r.Age != nil {
		age = strconv.Itoa(*r.Age)
	}
	return []string{given, father, grand, family, full, string(r.Sex), age, r.BirthDate, r.Date, r.Place}
}

// ParseSex reads sex in English or Arabic.
func ParseSex(s string) (vigil.Sex, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return vigil.SexUnknown, true
	case "m", "male", "man", "boy", "ذكر", "ذ":
		return vigil.SexMale, true
	case "f", "female", "woman", "girl", "انثى", "أنثى", "ا", "أ":
		return vigil.SexFemale, true
	case "u", "unknown", "?":
		return vigil.SexUnknown, true
	}
	return "", false
}

// ParseStatus reads killed or injured in English or Arabic.
func ParseStatus(s string) (vigil.FigureKind, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "killed", "dead", "died", "k", "شهيد", "قتيل", "متوفى", "متوفي":
		return vigil.Killed, true
	case "injured", "wounded", "i", "w", "جريح", "مصاب":
		return vigil.Injured, true
	}
	return "", false
}
