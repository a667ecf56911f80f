//go:build race

package main

// raceEnabled: the test binary was built with -race, so a binary the tests
// build reuses the same compiled packages.
const raceEnabled = true
