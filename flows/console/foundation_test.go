package console_test

import "testing"

// TestGoldenStartLinkMenu pins the first minutes of every customer: the
// greeting, linking by phone, the menu, help and the language picker, in
// each language.
func TestGoldenStartLinkMenu(t *testing.T) {
	for _, tc := range []struct{ lang, phone string }{
		{"ru", "+77010000001"},
		{"cs", "+420601000001"},
		{"en", "+447700900001"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			s := NewSession(t)
			got := s.Run(Script{Lang: tc.lang, Lines: []string{
				"/start",
				"2",            // a money entry asks to link first
				"hello",        // typed text instead of the button
				"+10000000000", // a number no customer has
				"/start",
				"2",
				tc.phone, // shares their own number: linked, then the entry opens
				"/help",
				"/language",
				"/whatever",
			}})
			Golden(t, "start-link-menu."+tc.lang, got)
		})
	}
}
