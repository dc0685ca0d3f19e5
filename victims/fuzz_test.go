package victims

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	vigil "github.com/vigil-rec/vigil"
)

var fuzzNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// checkImport runs the whole reading path on a table: any table either
// gives records and rejected rows (each with a line) or an invalid error.
func checkImport(t *testing.T, tb *Table, mapping string) {
	m, err := ParseMapping(mapping)
	if err != nil {
		// The CLI reports a bad --map as bad usage (exit 2).
		if !strings.HasPrefix(err.Error(), "--map: ") {
			t.Fatalf("mapping %q: %v", mapping, err)
		}
		m = Mapping{}
	}
	recs, rejected, err := tb.Records(m, fuzzNow)
	if err != nil {
		if vigil.ErrorKind(err) != vigil.EINVALID {
			t.Fatalf("records: error kind %q: %v", vigil.ErrorKind(err), err)
		}
		return
	}
	if len(recs)+len(rejected) > len(tb.Rows) {
		t.Fatalf("%d records and %d rejected rows from %d rows", len(recs), len(rejected), len(tb.Rows))
	}
	ids := map[string]bool{}
	for _, r := range recs {
		if r.RecordID == "" || r.DisplayName() == "" {
			t.Fatalf("record without id or name: %+v", r)
		}
		if ids[r.RecordID] {
			t.Fatalf("record id %q twice", r.RecordID)
		}
		ids[r.RecordID] = true
		if r.Age != nil && (*r.Age < 0 || *r.Age > 130) {
			t.Fatalf("age %d", *r.Age)
		}
	}
	for _, r := range rejected {
		if r.Line <= 0 || r.Field == "" || r.Message == "" {
			t.Fatalf("rejected row without line, field or message: %+v", r)
		}
	}
}

// FuzzReadCSV: CSV victim lists (any separator, BOM, quotes, Arabic digits).
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("id,name,sex,age,date,place\n1,Adamo Testani,male,34,2016-08-17,Testfield\n2,Basila Exampli,female,٧,2016-08,Exampleville\n"), "")
	f.Add([]byte("\xef\xbb\xbfNo;الاسم;الجنس\n1;سامر اختباري;ذكر\n"), "")
	f.Add([]byte("a\tb\n\"x\ty\"\tz\n"), "a=record_id,b=full_name")
	f.Add([]byte("id,given_name,family_name,age,birth_date\n,,,,\nx,\"q\"\"q\",r,999,2031-01-01\n"), "")
	f.Add([]byte("id,name\n1,<script>alert(1)</script>\n1,'; DROP TABLE victim_records; --\n"), "")
	f.Add([]byte("\"unterminated\n"), "")
	f.Add([]byte{0xff, 0xfe, 0}, "=")
	f.Fuzz(func(t *testing.T, data []byte, mapping string) {
		tb, err := ReadCSV("list.csv", data)
		if err != nil {
			if vigil.ErrorKind(err) != vigil.EINVALID || !strings.HasPrefix(vigil.ErrorField(err), "list.csv") {
				t.Fatalf("error without kind or file: %v", err)
			}
			return
		}
		for _, h := range tb.Header {
			if !utf8.ValidString(h) {
				t.Fatalf("header %q not UTF-8", h)
			}
		}
		checkImport(t, tb, mapping)
	})
}

// xlsxOf builds a workbook whose first sheet holds rows.
func xlsxOf(tb testing.TB, rows [][]any) []byte {
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			tb.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// zipOf builds a zip archive of the named parts.
func zipOf(tb testing.TB, parts map[string]string) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for name, body := range parts {
		fw, err := w.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write([]byte(body))
	}
	w.Close()
	return b.Bytes()
}

// FuzzReadXLSX: XLSX victim lists. Any bytes either give a table or an
// invalid error naming the file; never a panic.
func FuzzReadXLSX(f *testing.F) {
	f.Add(xlsxOf(f, [][]any{{"id", "name", "sex", "age"}, {1, "Adamo Testani", "male", 34}, {2, "سامر اختباري", "ذكر", "٧"}}))
	f.Add(xlsxOf(f, [][]any{{"", ""}, {"name"}, {"<script>x</script>"}, {nil, 1e300}}))
	f.Add(zipOf(f, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook><sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"}))
	f.Add(zipOf(f, map[string]string{"xl/worksheets/sheet1.xml": "<worksheet><sheetData><row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData></worksheet>"}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("id,name\n1,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadXLSX("list.xlsx", bytes.NewReader(data))
		if err != nil {
			if vigil.ErrorKind(err) != vigil.EINVALID || vigil.ErrorField(err) != "list.xlsx" {
				t.Fatalf("error without kind or file: %v", err)
			}
			return
		}
		checkImport(t, tb, "")
	})
}

// TestXLSXZipBomb: a workbook whose worksheet unpacks to more than
// MaxXLSXUnzipped is refused without unpacking it.
func TestXLSXZipBomb(t *testing.T) {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	} {
		fw, _ := w.Create(p.name)
		fw.Write([]byte(p.body))
	}
	fw, err := w.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
	zeros := make([]byte, 1<<20)
	for i := 0; i < (MaxXLSXUnzipped>>20)+16; i++ {
		fw.Write(zeros)
	}
	fw.Write([]byte(`</sheetData></worksheet>`))
	w.Close()
	if b.Len() > 2<<20 {
		t.Fatalf("bomb is %d bytes packed", b.Len())
	}
	_, err = ReadXLSX("bomb.xlsx", bytes.NewReader(b.Bytes()))
	if err == nil || vigil.ErrorKind(err) != vigil.EINVALID || vigil.ErrorField(err) != "bomb.xlsx" {
		t.Fatalf("zip bomb (%d bytes packed): %v", b.Len(), err)
	}
	t.Logf("%d bytes packed: %v", b.Len(), err)
}
