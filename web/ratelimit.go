package web

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Log-in attempts allowed per client address: a burst of LoginBurst, then
// one every LoginEvery. The per-account lockout (package auth: five
// failures, 15 minutes) stops guessing one account's password; this stops
// one address from trying many accounts.
const (
	LoginBurst = 10
	LoginEvery = 6 * time.Second
)

// RateLimiter is a token bucket per key (a client address).
type RateLimiter struct {
	Burst float64       // bucket size
	Every time.Duration // one token comes back every Every
	Now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the limiter's memory; past it, full buckets (addresses
// that have not tried for a while) are dropped.
const maxBuckets = 10000

// NewRateLimiter returns a limiter of burst requests, one more every every.
func NewRateLimiter(burst int, every time.Duration) *RateLimiter {
	return &RateLimiter{Burst: float64(burst), Every: every, buckets: map[string]*bucket{}}
}

func (l *RateLimiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Allow takes a token for key; when there is none it reports how long until
// the next one.
func (l *RateLimiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.Burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.Burst, b.tokens+float64(now.Sub(b.at))/float64(l.Every))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.Every))
}

func (l *RateLimiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.at))/float64(l.Every) >= l.Burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets { // every address is busy: start afresh rather than grow
		clear(l.buckets)
	}
}

// ClientKey is the address a request is limited by: the peer's IP (an
// IPv6 address by its /64, which one client typically holds whole).
// X-Forwarded-For is not read: anyone can set it. Behind a reverse proxy
// every client shares the proxy's address, so the proxy should limit.
func ClientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// limitLogin refuses log-in attempts over the per-address rate with 429
// and Retry-After, before any password is checked.
func (h *Handler) limitLogin(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.LoginLimit != nil {
			if ok, wait := h.LoginLimit.Allow(ClientKey(r)); !ok {
				secs := int(math.Ceil(wait.Seconds()))
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				p, _, err := h.newPage(w, r, "")
				if err != nil {
					h.fail(w, r, nil, err)
					return
				}
				h.Log.Warn("log-in rate limit", "client", ClientKey(r))
				h.showLogin(w, r, p, http.StatusTooManyRequests, "Too many log-in attempts from your address: try again in "+strconv.Itoa(secs)+" s.")
				return
			}
		}
		f(w, r)
	}
}
