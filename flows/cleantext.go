package flows

import (
	"strings"
	"unicode"
)

// CleanText is free text as the bot keeps and shows it: without control
// characters (NUL, ESC, ...; tabs become spaces, line breaks stay), bidi
// overrides and isolates, zero-width spaces and other invisible format
// characters. Such characters are never part of what a customer means to
// say; stored, they would reorder or hide the text around them wherever it
// is shown again (the dispute's summary and card, the case card). The zero
// width joiner stays where it joins an emoji sequence (👩‍💻); line and
// paragraph separators become line breaks. A text of nothing but such
// characters cleans to "".
func CleanText(s string) string {
	if !strings.ContainsFunc(s, dirty) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	for _, r := range s {
		switch {
		case r == '\n':
		case r == '\t':
			r = ' '
		case r == '\u2028' || r == '\u2029':
			r = '\n'
		case r == '\r' || unicode.Is(unicode.Cc, r):
			continue
		case r == '\u200d' && joinsEmoji(prev):
		case unicode.Is(unicode.Cf, r):
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// dirty reports a rune CleanText changes.
func dirty(r rune) bool {
	return (r != '\n' && unicode.Is(unicode.Cc, r)) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// joinsEmoji: a zero width joiner after an emoji (or its variation
// selector or skin tone) builds one pictogram; anywhere else it is noise.
func joinsEmoji(prev rune) bool {
	return unicode.Is(unicode.So, prev) || unicode.Is(unicode.Sk, prev) || prev == '\ufe0f'
}
