package extract

import (
	"context"
	"slices"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// TestArabicNamedVictims: named victims in an Arabic post (fictional names
// and events), with sex and minority from the title, age from the text, a
// minor restricted, and a school named after a dead man not read as a
// victim.
func TestArabicNamedVictims(t *testing.T) {
	text := "استشهد الطفل سامر خالد الصالح (7 أعوام) وأصيبت والدته بجروح، جراء قصف مدفعي لقوات النظام على بلدة كفرنبل جنوبي إدلب، صباح اليوم.\n" +
		"كما أصيب الشاب يوسف نبيل الحمدان البالغ من العمر 23 عاماً بشظايا القذائف، ونقل إلى مشفى البلدة.\n" +
		"وكانت مدرسة الشهيد نادر العلي في البلدة قد تعرضت للقصف الأسبوع الماضي دون إصابات.\n"
	pub := vigil.Day(2020, 2, 11)
	doc := &vigil.Document{ID: 1, Text: text, Published: &pub}
	claims, err := New(gazetteer.Builtin()).Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	var victims []vigil.Victim
	for _, c := range claims {
		victims = append(victims, c.Victims...)
	}
	if len(victims) != 2 {
		t.Fatalf("%d victims, want 2: %+v", len(victims), victims)
	}
	byName := map[string]vigil.Victim{}
	for _, v := range victims {
		byName[v.Name] = v
	}
	boy, ok := byName["سامر خالد الصالح"]
	if !ok || boy.Status != vigil.Killed || boy.Sex != vigil.SexMale || !boy.Minor || boy.Age == nil || *boy.Age != 7 ||
		boy.Sensitivity != vigil.Restricted || boy.AgeGroup != "child" {
		t.Errorf("child victim %+v", boy)
	}
	if got := spanTexts(t, doc, "victim", boy.Spans); !slices.Contains(got, "الطفل سامر خالد الصالح") || !slices.Contains(got, "7 أعوام") {
		t.Errorf("child victim spans %q", got)
	}
	man, ok := byName["يوسف نبيل الحمدان"]
	if !ok || man.Status != vigil.Injured || man.Sex != vigil.SexMale || man.Minor || man.Age == nil || *man.Age != 23 ||
		man.Sensitivity != vigil.Public || man.AgeGroup != "adult" {
		t.Errorf("adult victim %+v", man)
	}
	if got := spanTexts(t, doc, "victim", man.Spans); !slices.Contains(got, "23 عاماً") {
		t.Errorf("adult victim spans %q", got)
	}
}

// TestArabicFacilityNames: the name after an Arabic facility noun (a word
// with the article, a place and its adjective), none for a generic word or
// a place that says where the facility is (fictional text).
func TestArabicFacilityNames(t *testing.T) {
	text := "استهدفت غارة جوية مشفى الأمل في بلدة كفرنبل، وسقطت قذيفة قرب مدرسة البلدة، ما أدى لإصابة ثلاثة مدنيين نقلوا إلى مشفى معرة النعمان الوطني، كما تضرر مسجد بريف إدلب.\n"
	pub := vigil.Day(2020, 2, 11)
	doc := &vigil.Document{ID: 1, Text: text, Published: &pub}
	claims, err := New(gazetteer.Builtin()).Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) != 1 {
		t.Fatalf("%d claims, want 1", len(claims))
	}
	got := map[vigil.FacilityType][]string{}
	for _, f := range claims[0].Facilities {
		got[f.Type] = append(got[f.Type], f.Name)
	}
	if !slices.Contains(got[vigil.FacilityHealth], "الأمل") || !slices.Contains(got[vigil.FacilityHealth], "معرة النعمان الوطني") {
		t.Errorf("hospital names %q", got[vigil.FacilityHealth])
	}
	if len(got[vigil.FacilityEducation]) != 1 || got[vigil.FacilityEducation][0] != "" {
		t.Errorf("school %q: a generic word is no name", got[vigil.FacilityEducation])
	}
	if len(got[vigil.FacilityWorship]) != 1 || got[vigil.FacilityWorship][0] != "" {
		t.Errorf("mosque %q: a place after a proclitic is where it is, not its name", got[vigil.FacilityWorship])
	}
}
