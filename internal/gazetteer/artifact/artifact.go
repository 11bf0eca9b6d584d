// Package artifact owns the binary format of the embedded gazetteer file: the records the
// builder writes and the gazetteer package reads, and their deterministic encoding.
package artifact

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Magic starts every decompressed artifact; the digit is the format version.
const Magic = "VGAZ4"

// Place kinds as stored. The gazetteer package exposes them as its Kind type.
const (
	KindContinent uint8 = iota + 1
	KindRegion
	KindCountry
	KindAdmin1
	KindAdmin2
	KindCity
	KindWater
	KindLandform
	KindHotspot
)

// Place is one named feature.
type Place struct {
	ID             int64
	Kind           uint8
	Name, ASCII    string
	Alt            []string
	FeatureCode    string
	Country        string
	Admin1, Admin2 string
	Lat, Lon       int32 // 1e-5 degrees
	Population     int64
	Timezone       string
	Members        []string // ISO2 member countries of a region or hotspot
}

// Border is a land border with a neighbour; CentiKm is 0 when the length is unknown.
type Border struct {
	Country string
	CentiKm uint32
}

// Country is a country or territory with an ISO 3166-1 code.
type Country struct {
	ISO2, ISO3      string
	Numeric         uint16
	PlaceID         int64
	Name, Official  string
	Capital         int64
	AreaKm2         uint64 // hundredths of km²
	Population      int64
	Continent       string // GeoNames code: AF AS EU NA OC SA AN
	Region          string // UN M49 region name
	Subregion       string
	Intermediate    string
	RegionCode      uint16
	SubregionCode   uint16
	IntermediateCod uint16
	Neighbours      []Border
	Rings           [][]int32 // closed rings as lat,lon pairs in 1e-4 degrees
}

// Name is one index key with the indexes (into Data.Places) of the places it names.
type Name struct {
	Key    string
	Places []uint32
}

// Demonym maps an adjective or demonym key to places (countries first, by preference).
type Demonym struct {
	Key    string
	Form   string
	Places []uint32
}

// Label is a conventional label point of an area (Natural Earth's admin-1 label points):
// where maps and gazetteers put the area's name, as opposed to its seat.
type Label struct {
	ID       int64 // the place's id
	Lat, Lon int32 // 1e-5 degrees
}

// Data is the whole artifact.
type Data struct {
	Places    []Place
	Countries []Country
	Names     []Name    // sorted by Key, keys unique
	Demonyms  []Demonym // sorted by Key, keys unique
	Labels    []Label   // sorted by ID, ids unique
}

// Encode writes d gzip-compressed. The output depends only on d.
func Encode(w io.Writer, d *Data) error {
	var e encoder
	e.syms = map[string]uint64{}
	// Symbols: the low-cardinality strings, sorted so the table is deterministic.
	var syms []string
	add := func(s string) { syms = append(syms, s) }
	for i := range d.Places {
		p := &d.Places[i]
		add(p.FeatureCode)
		add(p.Country)
		add(p.Admin1)
		add(p.Timezone)
		for _, m := range p.Members {
			add(m)
		}
	}
	for i := range d.Countries {
		c := &d.Countries[i]
		add(c.Continent)
		add(c.Region)
		add(c.Subregion)
		add(c.Intermediate)
		for _, b := range c.Neighbours {
			add(b.Country)
		}
	}
	slices.Sort(syms)
	syms = slices.Compact(syms)
	e.buf = append(e.buf, Magic...)
	e.uint(uint64(len(syms)))
	for i, s := range syms {
		e.str(s)
		e.syms[s] = uint64(i)
	}

	e.uint(uint64(len(d.Places)))
	for i := range d.Places {
		p := &d.Places[i]
		e.int(p.ID)
		e.buf = append(e.buf, p.Kind)
		e.str(p.Name)
		if p.ASCII == p.Name {
			e.str("")
		} else {
			e.str(p.ASCII)
		}
		e.uint(uint64(len(p.Alt)))
		for _, a := range p.Alt {
			e.str(a)
		}
		e.sym(p.FeatureCode)
		e.sym(p.Country)
		e.sym(p.Admin1)
		e.str(p.Admin2)
		e.int(int64(p.Lat))
		e.int(int64(p.Lon))
		e.int(p.Population)
		e.sym(p.Timezone)
		e.uint(uint64(len(p.Members)))
		for _, m := range p.Members {
			e.sym(m)
		}
	}

	e.uint(uint64(len(d.Countries)))
	for i := range d.Countries {
		c := &d.Countries[i]
		e.str(c.ISO2)
		e.str(c.ISO3)
		e.uint(uint64(c.Numeric))
		e.int(c.PlaceID)
		e.str(c.Name)
		e.str(c.Official)
		e.int(c.Capital)
		e.uint(c.AreaKm2)
		e.int(c.Population)
		e.sym(c.Continent)
		e.sym(c.Region)
		e.sym(c.Subregion)
		e.sym(c.Intermediate)
		e.uint(uint64(c.RegionCode))
		e.uint(uint64(c.SubregionCode))
		e.uint(uint64(c.IntermediateCod))
		e.uint(uint64(len(c.Neighbours)))
		for _, b := range c.Neighbours {
			e.sym(b.Country)
			e.uint(uint64(b.CentiKm))
		}
		e.uint(uint64(len(c.Rings)))
		for _, r := range c.Rings {
			e.uint(uint64(len(r)))
			var prev [2]int32
			for j, v := range r {
				e.int(int64(v - prev[j%2]))
				prev[j%2] = v
			}
		}
	}

	e.uint(uint64(len(d.Names)))
	prev := ""
	for _, n := range d.Names {
		e.frontCoded(prev, n.Key)
		prev = n.Key
		e.postings(n.Places)
	}
	e.uint(uint64(len(d.Demonyms)))
	prev = ""
	for _, n := range d.Demonyms {
		e.frontCoded(prev, n.Key)
		prev = n.Key
		e.str(n.Form)
		e.postings(n.Places)
	}
	e.uint(uint64(len(d.Labels)))
	var prevID int64
	for _, l := range d.Labels {
		e.int(l.ID - prevID) // ids ascend: small deltas
		prevID = l.ID
		e.int(int64(l.Lat))
		e.int(int64(l.Lon))
	}

	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(e.buf); err != nil {
		return err
	}
	return zw.Close()
}

type encoder struct {
	buf  []byte
	syms map[string]uint64
}

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) int(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }
func (e *encoder) str(s string)  { e.uint(uint64(len(s))); e.buf = append(e.buf, s...) }
func (e *encoder) sym(s string)  { e.uint(e.syms[s]) }

func (e *encoder) frontCoded(prev, key string) {
	n := 0
	for n < len(prev) && n < len(key) && prev[n] == key[n] {
		n++
	}
	e.uint(uint64(n))
	e.str(key[n:])
}

func (e *encoder) postings(ps []uint32) {
	e.uint(uint64(len(ps)))
	for _, p := range ps {
		e.uint(uint64(p))
	}
}

// Decode reads an artifact written by Encode. Strings in the result point into the one
// decompressed buffer, so decoding allocates little.
func Decode(gz []byte) (*Data, error) { return DecodeFunc(gz, nil) }

// DecodeFunc is Decode, but when place is not nil it hands every place to place instead
// of keeping it in Data.Places: i is the place's index, n the number of places, and p is
// reused between calls (copy the struct; its strings and slices stay valid).
//
// Decompression runs in its own goroutine and the records are decoded as the bytes
// arrive, so the two overlap.
func DecodeFunc(gz []byte, place func(i, n int, p *Place)) (*Data, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("artifact: %w", err)
	}
	// The gzip trailer holds the decompressed size (mod 2^32; Deflate expands at most
	// about 1032 times): size the buffer once.
	size := int(binary.LittleEndian.Uint32(gz[len(gz)-4:]))
	if size > 1032*len(gz)+1024 {
		return nil, errors.New("artifact: implausible decompressed size")
	}
	src := &source{buf: make([]byte, size)}
	src.cond.L = &src.mu
	go src.fill(zr)
	d := decoder{b: src.buf, src: src, place: place}
	out, err := d.data()
	src.stop.Store(true)
	if err == nil {
		// Wait for the end of the stream: its checksum and length.
		d.wait(len(d.b) + 1)
		if src.err != nil {
			err = src.err
		}
	}
	if err != nil {
		if src.err != nil {
			return nil, fmt.Errorf("artifact: %w", src.err)
		}
		return nil, fmt.Errorf("artifact: at byte %d: %w", d.off, err)
	}
	return out, nil
}

// source is the decompressed artifact as it arrives: buf[:avail] is final.
type source struct {
	buf   []byte
	mu    sync.Mutex
	cond  sync.Cond
	avail int
	done  bool
	err   error
	stop  atomic.Bool
}

// fill decompresses into buf, publishing progress chunk by chunk.
func (s *source) fill(r io.Reader) {
	const chunk = 256 << 10
	n := 0
	var err error
	for !s.stop.Load() {
		if n == len(s.buf) {
			// The stream must end here: read one more byte to check it (and its trailer).
			var one [1]byte
			var k int
			k, err = io.ReadFull(r, one[:])
			if k > 0 {
				err = errors.New("decompressed size differs from the gzip trailer")
			} else if err == io.EOF {
				err = nil
			}
			break
		}
		var k int
		k, err = io.ReadFull(r, s.buf[n:min(n+chunk, len(s.buf))])
		n += k
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = errors.New("decompressed size differs from the gzip trailer")
		}
		s.mu.Lock()
		s.avail = n
		s.mu.Unlock()
		s.cond.Broadcast()
		if err != nil {
			break
		}
	}
	s.mu.Lock()
	s.avail, s.done, s.err = n, true, err
	s.mu.Unlock()
	s.cond.Broadcast()
}

var errCorrupt = errors.New("corrupt artifact")

type decoder struct {
	b     []byte // the whole decompressed artifact; b[:lim] has arrived
	lim   int
	src   *source
	off   int
	err   error
	syms  []string
	place func(i, n int, p *Place)
}

// wait blocks until b[:end] has arrived or the stream has ended; it reports whether
// b[:end] is there.
func (d *decoder) wait(end int) bool {
	if end <= d.lim {
		return true
	}
	s := d.src
	s.mu.Lock()
	for s.avail < end && !s.done {
		s.cond.Wait()
	}
	d.lim = s.avail
	s.mu.Unlock()
	return end <= d.lim
}

func (d *decoder) uint() uint64 {
	if d.off+binary.MaxVarintLen64 > d.lim {
		d.wait(min(d.off+binary.MaxVarintLen64, len(d.b)))
	}
	var v uint64
	var shift uint
	for {
		if d.off >= d.lim {
			d.err = errCorrupt
			return 0
		}
		c := d.b[d.off]
		d.off++
		if c < 0x80 {
			return v | uint64(c)<<shift
		}
		v |= uint64(c&0x7f) << shift
		shift += 7
		if shift > 63 {
			d.err = errCorrupt
			return 0
		}
	}
}

func (d *decoder) byte() byte {
	if !d.wait(d.off + 1) {
		d.err = errCorrupt
		return 0
	}
	d.off++
	return d.b[d.off-1]
}

func (d *decoder) int() int64 {
	u := d.uint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return 0
	}
	return int(n)
}

// str returns the next string. Its bytes are final once they have arrived, so the string
// can share the buffer.
func (d *decoder) str() string {
	n := d.count()
	if n == 0 {
		return ""
	}
	if d.off+n > len(d.b) || !d.wait(d.off+n) {
		d.err = errCorrupt
		return ""
	}
	s := unsafe.String(&d.b[d.off], n)
	d.off += n
	return s
}

func (d *decoder) sym() string {
	i := d.uint()
	if i >= uint64(len(d.syms)) {
		d.err = errCorrupt
		return ""
	}
	return d.syms[i]
}

func (d *decoder) data() (*Data, error) {
	if !d.wait(len(Magic)) || string(d.b[:len(Magic)]) != Magic {
		return nil, errors.New("bad magic (artifact from another format version?)")
	}
	d.off = len(Magic)
	d.syms = make([]string, d.count())
	for i := range d.syms {
		d.syms[i] = d.str()
	}
	out := &Data{}

	nPlaces := d.count()
	var one Place
	if d.place == nil {
		out.Places = make([]Place, nPlaces)
	}
	var strs []string // one backing array for every Alt and Members slice
	for i := range nPlaces {
		if d.err != nil {
			return nil, d.err
		}
		p := &one
		if d.place == nil {
			p = &out.Places[i]
		} else {
			one = Place{}
		}
		p.ID = d.int()
		p.Kind = d.byte()
		p.Name = d.str()
		p.ASCII = d.str()
		if p.ASCII == "" {
			p.ASCII = p.Name
		}
		if n := d.count(); n > 0 {
			strs = grow(strs, n)
			start := len(strs)
			for range n {
				strs = append(strs, d.str())
			}
			p.Alt = strs[start:len(strs):len(strs)]
		}
		p.FeatureCode = d.sym()
		p.Country = d.sym()
		p.Admin1 = d.sym()
		p.Admin2 = d.str()
		p.Lat = int32(d.int())
		p.Lon = int32(d.int())
		p.Population = d.int()
		p.Timezone = d.sym()
		if n := d.count(); n > 0 {
			strs = grow(strs, n)
			start := len(strs)
			for range n {
				strs = append(strs, d.sym())
			}
			p.Members = strs[start:len(strs):len(strs)]
		}
		if d.place != nil && d.err == nil {
			d.place(i, nPlaces, p)
		}
	}

	out.Countries = make([]Country, d.count())
	for i := range out.Countries {
		if d.err != nil {
			return nil, d.err
		}
		c := &out.Countries[i]
		c.ISO2 = d.str()
		c.ISO3 = d.str()
		c.Numeric = uint16(d.uint())
		c.PlaceID = d.int()
		c.Name = d.str()
		c.Official = d.str()
		c.Capital = d.int()
		c.AreaKm2 = d.uint()
		c.Population = d.int()
		c.Continent = d.sym()
		c.Region = d.sym()
		c.Subregion = d.sym()
		c.Intermediate = d.sym()
		c.RegionCode = uint16(d.uint())
		c.SubregionCode = uint16(d.uint())
		c.IntermediateCod = uint16(d.uint())
		c.Neighbours = make([]Border, d.count())
		for j := range c.Neighbours {
			c.Neighbours[j] = Border{Country: d.sym(), CentiKm: uint32(d.uint())}
		}
		c.Rings = make([][]int32, d.count())
		for j := range c.Rings {
			r := make([]int32, d.count())
			var prev [2]int32
			for k := range r {
				prev[k%2] += int32(d.int())
				r[k] = prev[k%2]
			}
			c.Rings[j] = r
		}
	}

	var postings []uint32
	readPostings := func() []uint32 {
		n := d.count()
		if cap(postings)-len(postings) < n {
			postings = make([]uint32, 0, max(n, 1<<16))
		}
		start := len(postings)
		for range n {
			postings = append(postings, uint32(d.uint()))
		}
		return postings[start:len(postings):len(postings)]
	}
	out.Names = make([]Name, d.count())
	keys := d.keys(len(out.Names), func(i int) { out.Names[i].Places = readPostings() })
	for i, k := range keys {
		out.Names[i].Key = k
	}
	out.Demonyms = make([]Demonym, d.count())
	keys = d.keys(len(out.Demonyms), func(i int) {
		out.Demonyms[i].Form = d.str()
		out.Demonyms[i].Places = readPostings()
	})
	for i, k := range keys {
		out.Demonyms[i].Key = k
	}
	out.Labels = make([]Label, d.count())
	var prevID int64
	for i := range out.Labels {
		prevID += d.int()
		out.Labels[i] = Label{ID: prevID, Lat: int32(d.int()), Lon: int32(d.int())}
	}
	if d.err != nil {
		return nil, d.err
	}
	if d.off != len(d.b) {
		return nil, errors.New("trailing bytes")
	}
	return out, nil
}

// grow returns s, or a fresh chunk when s has no room for n more strings; slices already
// cut from the old chunk keep it alive.
func grow(s []string, n int) []string {
	if cap(s)-len(s) >= n {
		return s
	}
	return make([]string, 0, max(n, 1<<16))
}

// keys reads n front-coded keys, calling rest(i) after key i to read its other fields. The
// keys are rebuilt into one buffer and returned as slices of a single string.
func (d *decoder) keys(n int, rest func(i int)) []string {
	buf := make([]byte, 0, 12*n)
	ends := make([]int, n)
	prevStart := 0
	for i := range n {
		shared := d.count()
		suffix := d.str()
		if d.err != nil || shared > len(buf)-prevStart {
			d.err = errCorrupt
			return nil
		}
		start := len(buf)
		buf = append(buf, buf[prevStart:prevStart+shared]...)
		buf = append(buf, suffix...)
		prevStart = start
		ends[i] = len(buf)
		rest(i)
	}
	if len(buf) == 0 {
		return make([]string, n)
	}
	// buf is not written again: the keys can share it.
	all := unsafe.String(&buf[0], len(buf))
	out := make([]string, n)
	start := 0
	for i, end := range ends {
		out[i] = all[start:end]
		start = end
	}
	return out
}
