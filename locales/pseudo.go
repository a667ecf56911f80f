package locales

import (
	"strings"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// Pseudo is the language code of the pseudo-locale: English with every
// letter accented, about 40 % longer, each message in brackets. Locale
// testers switch to it to see at a glance which text on a screen is not
// localized (it stays plain), which is cut (the closing bracket is gone) and
// which layout breaks when a translation runs long. It is generated from the
// English file when the bundle loads, so it never goes stale.
const Pseudo = "en-XA"

// pseudoLetters maps each ASCII letter to an accented one that neither
// Russian nor Czech uses, so a test can tell pseudo-localized text from
// anything else (see IsPseudo).
var pseudoLetters = func() map[rune]rune {
	const from = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	const to = "ȧƀċḋȩḟġḣɨĵķŀṁṅȯṗʠṙṡṫʉṿẇẋẏżȦƁĊḊȨḞĠḢİĴĶĿṀṄȮṖɊṘṠṪɄṼẆẊẎŻ"
	m := make(map[rune]rune, len(from))
	t := []rune(to)
	for i, r := range from {
		m[r] = t[i]
	}
	return m
}()

// pseudoRunes is the set of the accented letters.
var pseudoRunes = func() map[rune]bool {
	s := make(map[rune]bool, len(pseudoLetters))
	for _, r := range pseudoLetters {
		s[r] = true
	}
	return s
}()

// IsPseudo reports whether r is one of the pseudo-locale's letters.
func IsPseudo(r rune) bool { return pseudoRunes[r] }

// pseudoPad is what lengthens a pseudo message: words, so that the text
// still wraps as a sentence would.
const pseudoPad = "ȯṅȩ ṫẇȯ ṫḣṙȩȩ ḟȯʉṙ ḟɨṿȩ ṡɨẋ ṡȩṿȩṅ ȩɨġḣṫ ṅɨṅȩ ṫȩṅ ȩŀȩṿȩṅ ṫẇȩŀṿȩ "

// pseudoMessage makes the pseudo-locale's version of an English message:
// every plural form is kept and transformed.
func pseudoMessage(m *i18n.Message) *i18n.Message {
	p := *m
	tr := pseudoText
	switch {
	case strings.HasPrefix(m.ID, "format.") || strings.HasPrefix(m.ID, "currency."):
		tr = func(s, _, _ string) string { return s } // formatter patterns and symbols: no brackets inside numbers
	case strings.HasPrefix(m.ID, "month."):
		tr = accentOnly
	}
	for _, f := range []*string{&p.Zero, &p.One, &p.Two, &p.Few, &p.Many, &p.Other} {
		if *f != "" {
			*f = tr(*f, m.LeftDelim, m.RightDelim)
		}
	}
	return &p
}

// pseudoText accents the letters of a template's text, leaving template
// actions, HTML tags and entities as they are, then lengthens it by about
// 40 % and puts it in brackets.
func pseudoText(text, left, right string) string {
	accented, letters := accent(text, left, right)
	pad := []rune(pseudoPad)
	n := (letters*4 + 9) / 10
	var b strings.Builder
	b.WriteString("[")
	b.WriteString(accented)
	if n > 0 {
		b.WriteString(" ")
		for i := 0; i < n; i++ {
			b.WriteRune(pad[i%len(pad)])
		}
	}
	b.WriteString("]")
	return b.String()
}

// commandLen is the length of the /command at the start of s, 0 if none.
func commandLen(s string) int {
	n := 1
	for n < len(s) && (s[n] >= 'a' && s[n] <= 'z' || s[n] == '_') {
		n++
	}
	if n == 1 {
		return 0
	}
	return n
}

func accentOnly(text, left, right string) string {
	s, _ := accent(text, left, right)
	return s
}

// accent maps the letters outside {{actions}}, <tags> and &entities; it
// also returns how many visible characters the text has.
func accent(text, left, right string) (string, int) {
	if left == "" {
		left = "{{"
	}
	if right == "" {
		right = "}}"
	}
	var b strings.Builder
	visible := 0
	for i := 0; i < len(text); {
		rest := text[i:]
		var skip int
		switch {
		case strings.HasPrefix(rest, left):
			if end := strings.Index(rest, right); end >= 0 {
				skip = end + len(right)
			}
		case rest[0] == '<':
			if end := strings.IndexByte(rest, '>'); end >= 0 {
				skip = end + 1
			}
		case rest[0] == '&':
			if end := strings.IndexByte(rest, ';'); end > 0 && end <= 12 {
				skip = end + 1
				visible++
			}
		case rest[0] == '/' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\n' || text[i-1] == '>' || text[i-1] == '('):
			skip = commandLen(rest) // a command the reader types: /menu stays /menu
			visible += skip
		}
		if skip > 0 {
			b.WriteString(rest[:skip])
			i += skip
			continue
		}
		r, size := utf8.DecodeRuneInString(rest)
		if p, ok := pseudoLetters[r]; ok {
			r = p
		}
		if r != '\n' && r != ' ' {
			visible++
		}
		b.WriteRune(r)
		i += size
	}
	return b.String(), visible
}
