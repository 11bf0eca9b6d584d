package lens

import (
	"context"
	"fmt"
	"time"

	"github.com/vantage-news/vantage/internal/store"
)

// Load fills the index with the stored stories last seen at or after since
// (zero: all), newest first, 500 per query.
func (ix *Index) Load(ctx context.Context, s store.Store, since time.Time) (int, error) {
	q := store.StoryQuery{Since: since, Limit: 500}
	n := 0
	for {
		page, err := s.Stories(ctx, q)
		if err != nil {
			return n, fmt.Errorf("load story index: %w", err)
		}
		ix.Upsert(page.Stories...)
		n += len(page.Stories)
		if page.Next == "" {
			return n, nil
		}
		q.Cursor = page.Next
	}
}
