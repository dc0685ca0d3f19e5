package web

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestRateLimiterTokenBucket(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewRateLimiter(LoginBurst, LoginEvery)
	l.Now = func() time.Time { return now }
	for i := 0; i < LoginBurst; i++ {
		if ok, _ := l.Allow("192.0.2.1"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("192.0.2.1")
	if ok || wait <= 0 || wait > LoginEvery {
		t.Fatalf("attempt past the burst: allowed %v, wait %v", ok, wait)
	}
	if ok, _ := l.Allow("192.0.2.2"); !ok {
		t.Fatal("another address was refused")
	}
	now = now.Add(LoginEvery)
	if ok, _ := l.Allow("192.0.2.1"); !ok {
		t.Fatal("refused after a token came back")
	}
	if ok, _ := l.Allow("192.0.2.1"); ok {
		t.Fatal("only one token came back, two were taken")
	}
	now = now.Add(time.Hour)
	for i := 0; i < LoginBurst; i++ {
		if ok, _ := l.Allow("192.0.2.1"); !ok {
			t.Fatalf("after an hour attempt %d refused: the bucket should be full", i+1)
		}
	}
	if ok, _ := l.Allow("192.0.2.1"); ok {
		t.Fatal("the bucket holds more than the burst")
	}
}

func TestRateLimiterBoundedMemory(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewRateLimiter(2, time.Second)
	l.Now = func() time.Time { return now }
	for i := 0; i < 3*maxBuckets; i++ {
		l.Allow(string(rune(i)))
		if i%maxBuckets == 0 {
			now = now.Add(time.Minute)
		}
	}
	if n := len(l.buckets); n > maxBuckets {
		t.Fatalf("%d buckets, at most %d", n, maxBuckets)
	}
}

func TestClientKey(t *testing.T) {
	for addr, want := range map[string]string{
		"192.0.2.7:5555":                 "192.0.2.7",
		"[2001:db8:1:2:3:4:5:6]:443":     "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff:4:5:6]:1234": "2001:db8:1:2::/64",
	} {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = addr
		r.Header.Set("X-Forwarded-For", "203.0.113.9")
		if got := ClientKey(r); got != want {
			t.Errorf("ClientKey(%s) = %s, want %s", addr, got, want)
		}
	}
}
