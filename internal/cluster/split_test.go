package cluster

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// fights are two heavyweight title defences by one champion against
// different challengers (testdata/fights.json): the same topic words,
// different names. Each rotation of a pool's sentences is a report.
func fights(t *testing.T) (rahman, thompson []string) {
	t.Helper()
	raw, err := os.ReadFile("testdata/fights.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Rahman, Thompson []string }
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f.Rahman, f.Thompson
}

// reportSets pick four of a pool's eight sentences per report; any two
// share at most two, so no report is a near-duplicate of another.
var reportSets = [][]int{{0, 1, 2, 3}, {4, 5, 6, 7}, {0, 1, 4, 5}, {2, 3, 6, 7}, {0, 2, 4, 6}, {1, 3, 5, 7}}

func fightReport(id string, pool []string, set int) Doc {
	var b strings.Builder
	for _, i := range reportSets[set%len(reportSets)] {
		b.WriteString(pool[i])
		b.WriteByte(' ')
	}
	return Doc{ID: id, Title: "Klitschko defends heavyweight titles", Text: b.String()}
}

func TestSplitPoints(t *testing.T) {
	var got []int
	for n := range 60 {
		if splitPoint(n, 6, 48) {
			got = append(got, n)
		}
	}
	want := []int{6, 8, 10, 13, 17, 22, 28, 35, 44}
	if !slices.Equal(got, want) {
		t.Errorf("split points %v, want %v", got, want)
	}
}

// TestSplitTwoEvents builds a story that mixed two fights (as when the
// first report of the second fight was close enough to join) and checks
// that the next report (the sixth, a split point) splits it: the first fight keeps the story ID, the
// second moves to a story named after its first report, the two are not
// merged again, and StoryOf follows the move. A story of one fight told in
// different words is not split.
func TestSplitTwoEvents(t *testing.T) {
	rahmanFight, thompsonFight := fights(t)
	tests := []struct {
		name      string
		docs      []Doc // forced into the first doc's story
		next      Doc   // added normally
		wantMoved []string
	}{
		{
			name: "two fights",
			docs: []Doc{fightReport("r1", rahmanFight, 0), fightReport("r2", rahmanFight, 1), fightReport("r3", rahmanFight, 2),
				fightReport("t1", thompsonFight, 0), fightReport("t2", thompsonFight, 1)},
			next:      fightReport("t3", thompsonFight, 2),
			wantMoved: []string{"t1", "t2"},
		},
		{
			name: "one fight, different words",
			docs: []Doc{fightReport("r1", rahmanFight, 0), fightReport("r2", rahmanFight, 1), fightReport("r3", rahmanFight, 2),
				fightReport("r4", rahmanFight, 3), fightReport("r5", rahmanFight, 4)},
			next: fightReport("r6", rahmanFight, 5),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(Options{})
			first := e.add(tc.docs[0], "")
			for _, d := range tc.docs[1:] {
				if a := e.add(d, first.Story); a.Story != first.Story {
					t.Fatalf("forced %s into %s, got %s", d.ID, first.Story, a.Story)
				}
			}
			a := e.Add(tc.next)
			var moved []string
			for _, mv := range a.Moved {
				moved = append(moved, mv.ArticleID)
				if mv.From != first.Story || mv.To != StoryID("t1") {
					t.Errorf("move %+v: want from %s to %s", mv, first.Story, StoryID("t1"))
				}
			}
			if !slices.Equal(moved, tc.wantMoved) {
				t.Fatalf("moved %v, want %v (similarity %.3f, story %s)", moved, tc.wantMoved, a.Similarity, a.Story)
			}
			if len(tc.wantMoved) == 0 {
				if a.Story != first.Story {
					t.Errorf("joined %s, want %s", a.Story, first.Story)
				}
				return
			}
			if a.Story != StoryID("t1") || e.StoryOf("t1", first.Story) != StoryID("t1") || e.StoryOf("r1", first.Story) != first.Story {
				t.Errorf("after the split: t3 in %s, t1 in %s, r1 in %s", a.Story, e.StoryOf("t1", first.Story), e.StoryOf("r1", first.Story))
			}
			old, _ := e.Story(first.Story)
			split, _ := e.Story(StoryID("t1"))
			if old.ArticleCount != 3 || split.ArticleCount != 3 {
				t.Errorf("article counts %d and %d, want 3 and 3", old.ArticleCount, split.ArticleCount)
			}
			if split.SplitFrom != first.Story || !slices.Equal(old.SplitOff, []string{split.ID}) {
				t.Errorf("split links: %s from %q, %s split off %v", split.ID, split.SplitFrom, old.ID, old.SplitOff)
			}
			if !strings.Contains(split.Summary, "Thompson") || strings.Contains(split.Summary, "Rahman") {
				t.Errorf("summary of the split story: %q", split.Summary)
			}
			// Reports of both fights keep going to their own story and
			// never merge the two again.
			for k := range 6 {
				r := e.Add(fightReport(fmt.Sprint("r-late", k), rahmanFight, k+3))
				th := e.Add(fightReport(fmt.Sprint("t-late", k), thompsonFight, k+3))
				if r.Story != first.Story || th.Story != StoryID("t1") || len(r.Merged)+len(th.Merged) > 0 {
					t.Errorf("late reports %d: Rahman → %s, Thompson → %s, merged %v %v", k, r.Story, th.Story, r.Merged, th.Merged)
				}
			}
		})
	}
}

// TestSplitVectorsFreed: past SplitMax a story is never split, so its
// articles drop the vectors they kept for a split; title-only reports
// never keep them.
func TestSplitVectorsFreed(t *testing.T) {
	rahman, _ := fights(t)
	e := New(Options{SplitMax: 6})
	first := e.Add(fightReport("r0", rahman, 0))
	for i := 1; i < 6; i++ {
		e.add(fightReport(fmt.Sprint("r", i), rahman, i), first.Story)
	}
	kept := func() (n int) {
		for _, m := range e.stories[first.Story].members {
			if len(m.vec) > 0 {
				n++
			}
		}
		return n
	}
	if n := kept(); n != 6 {
		t.Fatalf("%d of 6 articles keep a vector at SplitMax, want 6", n)
	}
	e.add(Doc{ID: "r6", Title: "Klitschko defends heavyweight titles", Text: rahman[7] + " " + rahman[6] + " " + rahman[0] + " " + rahman[3]}, first.Story)
	if n := kept(); n != 0 {
		t.Errorf("%d articles keep a vector past SplitMax, want 0", n)
	}
	short := e.Add(Doc{ID: "title", Title: "Klitschko stops Rahman in Mannheim"})
	if m := e.docs["title"]; m == nil || len(m.vec) > 0 {
		t.Errorf("title-only report %s keeps a vector", short.ID)
	}
}
