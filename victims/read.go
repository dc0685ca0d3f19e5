package victims

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	vigil "github.com/vigil-rec/vigil"
)

// Targets are the record fields a column can be mapped to.
var Targets = []string{"record_id", "full_name", "given_name", "father_name", "grandfather_name", "family_name",
	"sex", "age", "birth_date", "date", "place", "perpetrator", "status", "minor"}

// aliases map common header spellings to targets.
var aliases = map[string]string{
	"id": "record_id", "record": "record_id", "recordid": "record_id", "record_id": "record_id", "no": "record_id", "number": "record_id",
	"name": "full_name", "full_name": "full_name", "fullname": "full_name", "الاسم": "full_name", "الاسم الكامل": "full_name",
	"given_name": "given_name", "first_name": "given_name", "given": "given_name", "firstname": "given_name", "الاسم الاول": "given_name",
	"father_name": "father_name", "father": "father_name", "اسم الاب": "father_name",
	"grandfather_name": "grandfather_name", "grandfather": "grandfather_name", "اسم الجد": "grandfather_name",
	"family_name": "family_name", "family": "family_name", "surname": "family_name", "last_name": "family_name", "الكنية": "family_name", "العائلة": "family_name",
	"sex": "sex", "gender": "sex", "الجنس": "sex",
	"age": "age", "العمر": "age",
	"birth_date": "birth_date", "dob": "birth_date", "date_of_birth": "birth_date", "born": "birth_date", "تاريخ الميلاد": "birth_date",
	"date": "date", "date_of_death": "date", "death_date": "date", "dod": "date", "تاريخ الوفاة": "date", "تاريخ الاستشهاد": "date",
	"place": "place", "place_of_death": "place", "location": "place", "governorate": "place", "المكان": "place", "المحافظة": "place",
	"perpetrator": "perpetrator", "actor": "perpetrator", "killed_by": "perpetrator", "responsible": "perpetrator", "responsible_party": "perpetrator",
	"الجهة": "perpetrator", "الجهة المسؤولة": "perpetrator", "الفاعل": "perpetrator", "الجاني": "perpetrator",
	"status": "status", "الحالة": "status",
	"minor": "minor",
}

// Mapping maps column headers to record fields.
type Mapping map[string]string // header → target

// ParseMapping reads "col=field,col2=field2".
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for _, part := range strings.Split(s, ",") {
		col, field, ok := strings.Cut(part, "=")
		col, field = strings.TrimSpace(col), strings.TrimSpace(field)
		if !ok || col == "" || field == "" {
			return nil, fmt.Errorf("--map: want col=field, got %q", part)
		}
		if !validTarget(field) {
			return nil, fmt.Errorf("--map: unknown field %q (fields: %s)", field, strings.Join(Targets, ", "))
		}
		m[col] = field
	}
	return m, nil
}

func validTarget(f string) bool {
	for _, t := range Targets {
		if t == f {
			return true
		}
	}
	return false
}

// Table is a read spreadsheet: a header and rows with their line numbers
// (CSV line, or XLSX row number).
type Table struct {
	Header []string
	Rows   [][]string
	Lines  []int
}

// ReadFile reads a CSV (UTF-8, optional BOM; comma, semicolon or tab
// separated) or XLSX file (first sheet).
func ReadFile(path string) (*Table, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return readXLSX(path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ReadCSV(path, b)
}

// ReadCSV reads CSV bytes; name is used in errors.
func ReadCSV(name string, b []byte) (*Table, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "not UTF-8 text")
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(b))
	switch {
	case bytes.Count(first, []byte("\t")) > bytes.Count(first, []byte(",")):
		r.Comma = '\t'
	case bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")):
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	t := &Table{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if ok := asParseError(err, &pe); ok {
				return nil, vigil.FieldErrorf(vigil.EINVALID, fmt.Sprintf("%s:%d", name, pe.Line), "malformed CSV: %v", pe.Err)
			}
			return nil, vigil.FieldErrorf(vigil.EINVALID, name, "malformed CSV: %v", err)
		}
		line, _ := r.FieldPos(0)
		if t.Header == nil {
			t.Header = trimAll(rec)
			continue
		}
		if allEmpty(rec) {
			continue
		}
		t.Rows = append(t.Rows, rec)
		t.Lines = append(t.Lines, line)
	}
	if t.Header == nil {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "empty file: no header row")
	}
	return t, nil
}

func asParseError(err error, pe **csv.ParseError) bool {
	e, ok := err.(*csv.ParseError)
	if ok {
		*pe = e
	}
	return ok
}

// XLSX limits: a workbook is a zip archive, so a small file can unpack to
// gigabytes (a zip bomb). Beyond these sizes it is refused.
const (
	MaxXLSXUnzipped    = 256 << 20 // all parts together, unpacked
	MaxXLSXSheetMemory = 64 << 20  // a worksheet unpacked in memory; larger go to a temporary file
)

func readXLSX(path string) (*Table, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return ReadXLSX(path, fh)
}

// ReadXLSX reads the first sheet of an XLSX workbook; name is used in
// errors. Workbooks that unpack to more than MaxXLSXUnzipped are refused.
func ReadXLSX(name string, r io.Reader) (*Table, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: MaxXLSXUnzipped, UnzipXMLSizeLimit: MaxXLSXSheetMemory})
	if err != nil {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "not a readable XLSX file: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "no sheets")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "reading sheet %q: %v", sheets[0], err)
	}
	t := &Table{}
	for i, row := range rows {
		if t.Header == nil {
			if allEmpty(row) {
				continue
			}
			t.Header = trimAll(row)
			continue
		}
		if allEmpty(row) {
			continue
		}
		t.Rows = append(t.Rows, row)
		t.Lines = append(t.Lines, i+1)
	}
	if t.Header == nil {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "empty sheet: no header row")
	}
	return t, nil
}

func trimAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = strings.TrimSpace(x)
	}
	return out
}

func allEmpty(s []string) bool {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return false
		}
	}
	return true
}

// Records turns a table into victim records with the mapping (headers not
// in it are matched by their common names). Rows that cannot be read are
// rejected with their line and field; the others are returned. A row
// without a record id gets "row-" and a hash of its cells, so re-importing
// the same file is idempotent.
func (t *Table) Records(m Mapping, now time.Time) ([]*vigil.VictimRecord, []vigil.RejectedRow, error) {
	col := map[string]int{}
	for i, h := range t.Header {
		target := m[h]
		if target == "" {
			target = aliases[strings.ToLower(h)]
		}
		if target == "" {
			continue
		}
		if _, dup := col[target]; dup {
			return nil, nil, vigil.FieldErrorf(vigil.EINVALID, h, "two columns map to %s", target)
		}
		col[target] = i
	}
	for h := range m {
		found := false
		for _, x := range t.Header {
			if x == h {
				found = true
			}
		}
		if !found {
			return nil, nil, vigil.FieldErrorf(vigil.EINVALID, "--map", "no column %q in the header (%s)", h, strings.Join(t.Header, ", "))
		}
	}
	_, hasFull := col["full_name"]
	_, hasGiven := col["given_name"]
	if !hasFull && !hasGiven {
		return nil, nil, vigil.FieldErrorf(vigil.EINVALID, "--map", "no name column: map one to full_name or given_name (header: %s)", strings.Join(t.Header, ", "))
	}
	get := func(row []string, f string) string {
		i, ok := col[f]
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var out []*vigil.VictimRecord
	rejected := []vigil.RejectedRow{}
	seen := map[string]int{}
	for k, row := range t.Rows {
		line := t.Lines[k]
		rec := &vigil.VictimRecord{Line: line, RecordID: get(row, "record_id"), FullName: get(row, "full_name"),
			GivenName: get(row, "given_name"), FatherName: get(row, "father_name"), GrandfatherName: get(row, "grandfather_name"),
			FamilyName: get(row, "family_name"), Place: get(row, "place"), Perpetrator: get(row, "perpetrator"), Sensitivity: vigil.Restricted}
		reject := func(field, format string, args ...any) {
			rejected = append(rejected, vigil.RejectedRow{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
		}
		if rec.DisplayName() == "" {
			reject("full_name", "no name")
			continue
		}
		var ok bool
		if rec.Sex, ok = ParseSex(get(row, "sex")); !ok {
			reject("sex", "unknown sex %q (want male, female or empty)", clip(get(row, "sex")))
			continue
		}
		if rec.Status, ok = ParseStatus(get(row, "status")); !ok {
			reject("status", "unknown status %q (want killed or injured)", clip(get(row, "status")))
			continue
		}
		if a := get(row, "age"); a != "" {
			n, err := strconv.Atoi(strings.TrimSpace(arabicDigits(a)))
			if err != nil || n < 0 || n > 130 {
				reject("age", "age %q is not a number from 0 to 130", clip(a))
				continue
			}
			rec.Age = &n
			rec.Minor = n < 18
		}
		var err error
		if rec.BirthDate, err = checkDate(get(row, "birth_date"), now); err != nil {
			reject("birth_date", "%v", err)
			continue
		}
		if rec.Date, err = checkDate(get(row, "date"), now); err != nil {
			reject("date", "%v", err)
			continue
		}
		if mi := strings.ToLower(get(row, "minor")); mi == "yes" || mi == "true" || mi == "1" || mi == "y" {
			rec.Minor = true
		}
		if rec.RecordID == "" {
			h := sha256.Sum256([]byte(strings.Join(row, "\x1f")))
			rec.RecordID = "row-" + hex.EncodeToString(h[:8])
		}
		if first, dup := seen[rec.RecordID]; dup {
			reject("record_id", "record id %q already on line %d", clip(rec.RecordID), first)
			continue
		}
		seen[rec.RecordID] = line
		out = append(out, rec)
	}
	return out, rejected, nil
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 30 {
		return string([]rune(s)[:30]) + "..."
	}
	return s
}

func arabicDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '٠' && r <= '٩' {
			return '0' + r - '٠'
		}
		return r
	}, s)
}

// checkDate accepts YYYY, YYYY-MM, YYYY-MM-DD (also with / or .) and
// DD/MM/YYYY, returning ISO form; dates in the future are rejected.
func checkDate(s string, now time.Time) (string, error) {
	s = strings.TrimSpace(arabicDigits(s))
	if s == "" {
		return "", nil
	}
	norm := strings.NewReplacer("/", "-", ".", "-").Replace(s)
	for _, layout := range []string{"2006-01-02", "2006-1-2", "02-01-2006", "2-1-2006", "2006-01", "2006"} {
		t, err := time.Parse(layout, norm)
		if err != nil {
			continue
		}
		if t.After(now) {
			return "", fmt.Errorf("date %s is in the future", s)
		}
		switch layout {
		case "2006-01":
			return t.Format("2006-01"), nil
		case "2006":
			return t.Format("2006"), nil
		}
		return t.Format("2006-01-02"), nil
	}
	return "", fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY", clip(s))
}
