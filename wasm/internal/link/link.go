// Package link holds what a playground link means, for the page and for a
// training engine started before the page's Go program has loaded: the
// page's own keys next to the config's and how the page takes them out of a
// fragment (SplitTour, SplitDebug), the config a link runs (Config), and the
// speed a run starts at (DefaultRate, and the speed control's scale
// of steps per second). It imports neither ebiten nor syscall/js, so its
// tests run natively and under Node.
package link

import (
	"fmt"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
)

// The page's own keys in a link, next to the config's (core's codec) and the
// UI keys (uikeys).
const (
	TourKey  = "tour"  // tour=N: show step N of the guided tour
	DebugKey = "debug" // debug=1 and the test hook's debug switches
	HideKey  = "hide"  // hide=: parts of the page to hide (package uikeys)
	LockKey  = "lock"  // lock=: parameters a learner cannot change (package uikeys)
)

// Config returns the config a page's link runs, read as the page reads
// it, for a training engine started before the page's Go program has loaded
// (the protocol's Link). The UI keys (hide=, lock=) are dropped, whatever
// their values, since they never change the run. A link with a tour step or
// a debug switch is refused: the tour's configs and the switches are the
// page's to read. A config the codec refuses is refused with its
// *core.FieldError. Then the engine waits for the page, which says what was
// wrong.
func Config(fragment string) (core.Config, error) {
	fragment = strings.TrimPrefix(fragment, "#")
	if len(fragment) > core.MaxFragmentLen {
		return core.ParseFragment(fragment) // which says how long is too long
	}
	parts := strings.Split(fragment, "&")
	keep := parts[:0]
	for _, p := range parts {
		switch k, _, _ := strings.Cut(p, "="); k {
		case TourKey, DebugKey:
			return core.DefaultConfig(), fmt.Errorf("the link's %s key is for the page to read", k)
		case HideKey, LockKey:
			// Dropped unread: their values never change the run. (Not
			// uikeys.Split, which checks them: it would bring net/url into
			// the engine, about 180 kB of the engine's wasm.)
		default:
			keep = append(keep, p)
		}
	}
	return core.ParseFragment(strings.Join(keep, "&"))
}
