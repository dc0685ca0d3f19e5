package eval

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-rec/vigil/extract"
	"github.com/vigil-rec/vigil/gazetteer"
)

// TestReadCrowdUnseen: rows whose text is a dev article are left out, as
// are repeated texts; the rest are kept with their marked location. The
// texts are written for the test.
func TestReadCrowdUnseen(t *testing.T) {
	body := "Fictional shells fell on a fictional market in the town on Monday and a monitor counted the dead among the traders there, a fictional source said."
	other := "A fictional car bomb went off near a fictional checkpoint on Tuesday and a fictional official said the wounded were taken to the hospital nearby."
	dev := []Article{{Title: "Shells hit market", Text: body}}
	csv := "Content-Title,Location,Civilians,Actor,Cause-Of-Death\n" +
		"\"Mon 1 Jan 2018 - Shells hit market - " + body + "\",Douma,five people,,shells\n" +
		"\"Tue 2 Jan 2018 - Car bomb at checkpoint - " + other + "\",Hama,two civilians,,car bomb\n" +
		"\"Tue 2 Jan 2018 - Car bomb at checkpoint - " + other + "\",Hama,two civilians,,car bomb\n"
	p := filepath.Join(t.TempDir(), "crowd.csv")
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	arts, err := ReadCrowdUnseen(p, dev)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].Location != "Hama" || arts[0].Civilians != "two civilians" || arts[0].Cause != "car bomb" || arts[0].Line != 3 || !strings.Contains(arts[0].Text, "car bomb") {
		t.Errorf("unseen = %+v, want the car bomb row (line 3) once", arts)
	}
	if _, err := ReadCrowdUnseen(filepath.Join(t.TempDir(), "none.csv"), dev); err == nil {
		t.Error("a missing file is no error")
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("Title,Place\nx,y\n"), 0o644)
	if _, err := ReadCrowdUnseen(bad, dev); err == nil || !strings.Contains(err.Error(), "Content-Title") {
		t.Errorf("a file without Content-Title: %v", err)
	}
}

// TestCrowdUnseen scores the location of the crowd-annotated FA-KES
// articles the dev set lacks (no rule was written from them).
func TestCrowdUnseen(t *testing.T) {
	devPath := fakesPath(t)
	crowd := filepath.Join(filepath.Dir(devPath), "fakes_crowd_dev.csv")
	if _, err := os.Stat(crowd); err != nil {
		t.Skipf("FA-KES crowd annotations not found at %s (set VIGIL_SHARED): %v", crowd, err)
	}
	f, err := os.Open(devPath)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := ReadFakes(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	arts, err := ReadCrowdUnseen(crowd, dev)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) == 0 || len(arts) >= len(dev) {
		t.Fatalf("%d unseen crowd articles for %d dev articles", len(arts), len(dev))
	}
	g := gazetteer.Builtin()
	rep, err := EvalCrowdLocation(context.Background(), arts, extract.New(g), g)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rep)
	t.Logf("crowd-annotated articles not in the dev set: %s", b)
	if rep.Scored == 0 {
		t.Fatal("no unseen article scored")
	}
}

func TestMarkedNumber(t *testing.T) {
	for mark, want := range map[string]int{"22 civilians": 22, "four people ": 4, "1,300 people": 1300, "Two": 2, "Scores": 0, "": 0, "65 Civilians": 65} {
		got, ok := markedNumber(mark)
		if got != want || ok != (want > 0) {
			t.Errorf("markedNumber(%q) = %d, %v; want %d", mark, got, ok, want)
		}
	}
}
