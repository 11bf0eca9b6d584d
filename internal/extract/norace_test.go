//go:build !race

package extract

// raceEnabled reports whether the race detector is on; slow tests sample less under it.
const raceEnabled = false
