//go:build js && wasm

// Package views draws the playground's canvas with ebiten: the network
// (NetView), and around it the explaining views (Explainer): the activation
// walk-through, the hidden space and the charts, with the pointer gestures
// that drive them. It talks to nothing but ebiten: the page (syscall/js) and
// the training engine are package main's, which hands the views the run
// (play.App) and a queue for edits. The logic the views need that draws
// nothing lives in wasm/internal/play and wasm/internal/explain, tested
// natively.
package views
