package serve

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

var timeNow = time.Now

func marshalJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return b.Bytes()
}

func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// respCache keeps rendered responses keyed by request and the version of the
// data they were made from; a new version makes every entry stale.
type respCache struct {
	mu    sync.Mutex
	max   int
	ll    *list.List
	items map[string]*list.Element
}

type cacheEntry struct {
	key     string
	version uint64
	body    []byte
}

func newRespCache(max int) *respCache {
	return &respCache{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *respCache) get(key string, version uint64) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if e.version != version {
		c.ll.Remove(el)
		delete(c.items, key)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return e.body, true
}

func (c *respCache) put(key string, version uint64, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value = &cacheEntry{key, version, body}
		c.ll.MoveToFront(el)
		return
	}
	c.items[key] = c.ll.PushFront(&cacheEntry{key, version, body})
	for c.ll.Len() > c.max {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).key)
	}
}

// bufferedWriter holds a response so it can be tagged and compressed.
type bufferedWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.buf.Write(p)
}

// conditional adds a strong ETag to successful GET responses, answers
// If-None-Match with 304, and gzips bodies over 1 KiB for clients that
// accept it, keeping the compressed form of recent bodies by ETag.
func conditional(h http.Handler) http.Handler {
	gzipped := newRespCache(512)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		bw := &bufferedWriter{header: http.Header{}}
		h.ServeHTTP(bw, r)
		for k, v := range bw.header {
			w.Header()[k] = v
		}
		if bw.status == 0 {
			bw.status = http.StatusOK
		}
		body := bw.buf.Bytes()
		w.Header().Add("Vary", "Accept-Encoding")
		etag := ""
		if bw.status == http.StatusOK {
			sum := sha256.Sum256(body)
			etag = `"` + hex.EncodeToString(sum[:12]) + `"`
			w.Header().Set("ETag", etag)
			if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		if len(body) > 1024 && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && w.Header().Get("Content-Encoding") == "" {
			gz, ok := gzipped.get(etag, 0)
			if !ok || etag == "" {
				var b bytes.Buffer
				zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
				zw.Write(body)
				zw.Close()
				gz = b.Bytes()
				if etag != "" {
					gzipped.put(etag, 0, gz)
				}
			}
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Del("Content-Length")
			w.WriteHeader(bw.status)
			if r.Method != http.MethodHead {
				w.Write(gz)
			}
			return
		}
		w.WriteHeader(bw.status)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
	})
}

func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(part), "W/"))
		if part == etag || part == "*" {
			return true
		}
	}
	return false
}

// cors answers preflight requests and adds the CORS headers for the
// configured origins ("*" allows any).
func (s *Server) cors(h http.Handler) http.Handler {
	if len(s.CORSOrigins) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		allowed := ""
		for _, o := range s.CORSOrigins {
			if o == "*" || o == origin {
				allowed = o
				break
			}
		}
		if origin != "" && allowed != "" {
			w.Header().Set("Access-Control-Allow-Origin", allowed)
			w.Header().Add("Vary", "Origin")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				w.Header().Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
				w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match")
				w.Header().Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}
