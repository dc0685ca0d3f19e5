package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fictional rows; line 3 has a bad age
const badCSV = "id,full_name,age\n1,Lina Example,9\n2,Samer Example,old\n3,Karim Example,40\n"

func TestVictimImportAllOrNothing(t *testing.T) {
	data := filepath.Join(t.TempDir(), "store")
	f := filepath.Join(t.TempDir(), "list.csv")
	os.WriteFile(f, []byte(badCSV), 0o644)
	code, out, errs := runCLI(t, data, "victims", "import", f, "--list", "ngo", "--all-or-nothing")
	if code != 1 || !strings.Contains(errs, "list.csv:3: age") || !strings.Contains(out, "nothing stored") {
		t.Fatalf("all-or-nothing: %d %q %q", code, out, errs)
	}
	if _, out, _ := runCLI(t, data, "victims", "lists"); strings.Contains(out, "ngo") {
		t.Fatalf("all-or-nothing stored a list: %q", out)
	}
	code, out, errs = runCLI(t, data, "victims", "import", f, "--list", "ngo")
	if code != 1 || !strings.Contains(out, "2 inserted") || !strings.Contains(errs, "list.csv:3: age") {
		t.Fatalf("default import: %d %q %q", code, out, errs)
	}
}

func TestVictimImportClaimsEmptyStore(t *testing.T) {
	data := filepath.Join(t.TempDir(), "store")
	code, out, errs := runCLI(t, data, "victims", "import-claims")
	if code != 0 || !strings.Contains(out, "no named victims") {
		t.Fatalf("import-claims: %d %q %q", code, out, errs)
	}
}
