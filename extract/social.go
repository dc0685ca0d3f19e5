package extract

import (
	"net/url"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// socialHosts are the platforms whose pages are posts: a short report
// published as the news breaks.
var socialHosts = []string{"facebook.com", "fb.com", "fb.watch", "twitter.com", "x.com", "t.me", "telegram.me",
	"instagram.com", "youtube.com", "youtu.be", "tiktok.com", "threads.net"}

// SocialPost reports whether doc is a social-media post: its kind says so
// ("post", "social", "social_media", "tweet") or its URL is on a
// social-media platform.
func SocialPost(doc *vigil.Document) bool {
	switch strings.ToLower(doc.Kind) {
	case "post", "social", "social_media", "tweet":
		return true
	}
	u, err := url.Parse(strings.TrimSpace(doc.URL))
	if err != nil || u.Host == "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	for _, h := range socialHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

// postDate is the date vigil gives an event that a social-media post
// reports without dating it: the day of publication or the day before,
// as a two-day range (never a day), with no span. A recorder does the
// same: a post reports what has just happened.
func postDate(pub *vigil.FuzzyDate) (vigil.FuzzyDate, bool) {
	if pub == nil || pub.IsZero() || pub.Latest.Sub(pub.Earliest) >= 24*time.Hour {
		return vigil.FuzzyDate{}, false
	}
	y, m, d := pub.Earliest.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return vigil.FuzzyDate{Earliest: day.AddDate(0, 0, -1), Latest: day.Add(24*time.Hour - time.Second), Precision: vigil.PrecisionRange}, true
}

// datePosted dates the claims that a post, or an Arabic report, does not
// date: the day it was published or the day before, as a range
// (postDate). Arabic local media (media centres, agencies, monitors)
// report the day's strikes as they do on their pages; an English news
// article keeps no date.
func datePosted(doc *vigil.Document, arabic bool, claims []*vigil.Claim) {
	undated := false
	for _, c := range claims {
		undated = undated || c.Date.Value.IsZero()
	}
	if !undated {
		return
	}
	pd, ok := postDate(doc.Published)
	if !ok || !SocialPost(doc) && !arabic {
		return
	}
	for _, c := range claims {
		if c.Date.Value.IsZero() {
			c.Date = vigil.Valued[vigil.FuzzyDate]{Value: pd}
		}
	}
}
