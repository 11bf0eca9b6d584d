package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestClusterFinal runs `vantage cluster` on two fights reported in turn,
// with a malformed line between, streaming and with --final: one line per
// input in input order, the two fights in two stories, the repeated report
// marked as a duplicate, the bad line as an error.
func TestClusterFinal(t *testing.T) {
	var f struct{ Rahman, Thompson []string }
	if err := json.Unmarshal(mustRead(t, "../cluster/testdata/fights.json"), &f); err != nil {
		t.Fatal(err)
	}
	report := func(id string, pool []string, k int) string {
		var parts []string
		for i := range 4 {
			parts = append(parts, pool[(k+i)%len(pool)])
		}
		b, _ := json.Marshal(map[string]string{"id": id, "title": "Klitschko defends heavyweight titles", "text": strings.Join(parts, " ")})
		return string(b)
	}
	in := strings.Join([]string{report("r1", f.Rahman, 0), report("t1", f.Thompson, 0), "{broken", report("r2", f.Rahman, 2),
		report("t2", f.Thompson, 3), report("t3", f.Thompson, 1)}, "\n") + "\n"
	for _, args := range [][]string{{"cluster", "-"}, {"cluster", "--final", "-"}} {
		code, out, stderr := run(t, nil, in, args...)
		if code != 0 {
			t.Fatalf("%v: code %d, %s", args, code, stderr)
		}
		type line struct{ ID, Story, Duplicate_of, Error string }
		var got []line
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			var x line
			if err := json.Unmarshal([]byte(l), &x); err != nil {
				t.Fatalf("%v: bad output line %q", args, l)
			}
			got = append(got, x)
		}
		if len(got) != 6 {
			t.Fatalf("%v: %d lines, want 6:\n%s", args, len(got), out)
		}
		ids := []string{got[0].ID, got[1].ID, got[3].ID, got[4].ID, got[5].ID}
		if strings.Join(ids, ",") != "r1,t1,r2,t2,t3" || got[2].Error == "" {
			t.Errorf("%v: order %v, line 3 %+v", args, ids, got[2])
		}
		r, th := got[0].Story, got[1].Story
		if r == th || got[3].Story != r || got[4].Story != th || got[5].Story != th || got[5].Duplicate_of != "t1" {
			t.Errorf("%v: stories %+v", args, got)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
