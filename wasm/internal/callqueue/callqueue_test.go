package callqueue

import "testing"

func TestQueueDrainsInOrderIncludingNested(t *testing.T) {
	var q Queue
	var got []int
	q.Push(func() { got = append(got, 1); q.Push(func() { got = append(got, 3) }) })
	q.Push(func() { got = append(got, 2) })
	if n := q.Drain(); n != 3 || len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("drained %d: %v", n, got)
	}
}
