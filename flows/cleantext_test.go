package flows

import "testing"

func TestCleanText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Левый наушник не заряжается", "Левый наушник не заряжается"},
		{"line breaks and tabs", "one\ntwo\tthree\r\n", "one\ntwo three\n"},
		{"NUL and ESC", "bro\x00ken\x1b[31m red", "broken[31m red"},
		{"C1 control", "a\u0085b", "ab"},
		{"bidi override", "refund \u202egnp.exe\u202c now", "refund gnp.exe now"},
		{"bidi isolates and marks", "\u2066x\u2069 \u200fy\u200e \u061cz", "x y z"},
		{"zero width space, word joiner, BOM", "a\u200bb\u2060c\ufeffd", "abcd"},
		{"only zero-width marks", "\u200b\u200c\u200d\u2060\ufeff", ""},
		{"soft hyphen", "re\u00adturn", "return"},
		{"separators", "a\u2028b\u2029c", "a\nb\nc"},
		{"emoji with joiner kept", "👩\u200d💻 and 👍🏽", "👩\u200d💻 and 👍🏽"},
		{"joiner between letters dropped", "a\u200db", "ab"},
	} {
		if got := CleanText(tc.in); got != tc.want {
			t.Errorf("%s: CleanText(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}
