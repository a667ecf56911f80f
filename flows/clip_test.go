package flows

import (
	"testing"
	"unicode/utf8"
)

// TestClip: list buttons keep whole words where they can, never pass the
// limit, and short names stay as they are.
func TestClip(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"Boty Nike Air Max 90", 32, "Boty Nike Air Max 90"},
		{"Беспроводные наушники JBL Tune 510BT", 32, "Беспроводные наушники JBL Tune…"},
		{"Беспроводные наушники JBL Tune 510BT", 24, "Беспроводные наушники…"},
		{"  two\n lines  ", 32, "two lines"},
		{"Rychlovarná konvice, Xiaomi Mi Kettle", 21, "Rychlovarná konvice…"}, // no comma before the ellipsis
		{"Супердлинноеназваниебезпробелов", 10, "Супердлин…"},                 // no word to keep: cut inside it
	} {
		got := clip(tt.in, tt.max)
		if got != tt.want || utf8.RuneCountInString(got) > tt.max {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}
