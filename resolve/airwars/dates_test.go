package airwars

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"23 نوفمبر 2025", "2025-11-23"},
		{"2 مارس 2026", "2026-03-02"},
		{"٢٣ تشرين الثاني ٢٠٢٥", "2025-11-23"},
		{"1 كانون الثاني 2024", "2024-01-01"},
		{"5 اذار، 2023", "2023-03-05"},
		{"9 إبريل 2022", "2022-04-09"},
		{"12 تشرين ثاني 2021", "2021-11-12"},
		{"23 November 2025", "2025-11-23"},
		{"November 23, 2025", "2025-11-23"},
		{"Sept. 3, 2024", "2024-09-03"},
		{"3rd Feb 2022", "2022-02-03"},
		{"2025-06-15T19:05:36.000Z", "2025-06-15"},
		{"2025-07-12T17:45:35+00:00 2025-07-12T18:45:35+01:00", "2025-07-12"},
		{"2025-06-15", "2025-06-15"},
		{"31 فبراير 2025", ""}, // no such day
		{"23 Brumaire 2025", ""},
		{"yesterday", ""},
		{"", ""},
		{"2025-13-01", ""},
	} {
		got, ok := ParseDate(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestArabicMonth(t *testing.T) {
	for in, want := range map[string]time.Month{
		"يناير": 1, "كانون الثاني": 1, "جانفي": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5,
		"حزيران": 6, "تموز": 7, "آب": 8, "اب": 8, "أغسطس": 8, "اغسطس": 8, "أيلول": 9, "تشرين الأول": 10, "اكتوبر": 10,
		"تشرين  الثاني": 11, "تشرين ثاني": 11, "كانون الأول": 12, "ديسمبر": 12, "يونيه": 6,
	} {
		if got, ok := ArabicMonth(in); !ok || got != want {
			t.Errorf("ArabicMonth(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "تشرين", "كانون", "سوريا"} {
		if m, ok := ArabicMonth(in); ok {
			t.Errorf("ArabicMonth(%q) = %v, want none", in, m)
		}
	}
}

func TestURLDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://www.nytimes.com/2022/01/23/world/middleeast/syria-prison-isis.html", "2022-01-23"},
		{"https://www.aljazeera.com/news/2023/3/25/pro-iranian-forces", "2023-03-25"},
		{"https://www.france24.com/en/live-news/20220202-turkey-strikes-kurd-targets", "2022-02-02"},
		{"https://www.reuters.com/world/middle-east/turkish-syria-offensive-2022-06-02/", "2022-06-02"},
		{"https://syria.liveuamap.com/en/2021/24-november-three-members", "2021-11-24"},
		{"https://sdf-press.com/en/2022/05/potential-massacre/", "2022-05"},
		// A Snowflake id encodes the post's creation time (2021-10-27T21:27:37Z).
		{"https://twitter.com/DeirEzzor24/status/1453477215518212096", "2021-10-27"},
		{"https://x.com/CENTCOM/status/1753535280923967851?s=20", "2024-02-02"},
		{"https://twitter.com/MazloumAbdi?ref_src=twsrc%5Etfw", ""},
		{"https://www.syriahr.com/en/224253/?fbclid=IwAR0L", ""},
		{"https://www.google.com/url?q=https://news.sn4hr.org/2021/08/08/x", ""},
		{"https://example.org/2022/02/30/not-a-day", ""},
		{"not a url", ""},
	} {
		if got := URLDate(tc.in); got != tc.want {
			t.Errorf("URLDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPageDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Example Page\nSome NetworkDecember 6, 2024 · Shared with Public", "2024-12-06"},
		{"شبكة مثال\nنشر في 23 نوفمبر,2025 مشاركة", "2025-11-23"},
		{"قصف على قرية مثال اليوم الخميس 6/ تشرين الأول/ 2022، بقصف", "2022-10-06"},
		{"مثال - ١ من أيلول ٢٠٢٣ (مصدر)", "2023-09-01"},
		{"في 22 أكتوبر/تشرين الأول 2019.", "2019-10-22"},
		{"قتل 3 مدنيين في 2019", ""},
		{"31 شباط 2020", ""},
	} {
		if got := pageDate(tc.in); got != tc.want {
			t.Errorf("pageDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
