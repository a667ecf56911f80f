package locales

import (
	"fmt"
	"regexp"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// telegramTag matches an opening or closing tag that Telegram's HTML parse
// mode knows (with attributes, e.g. <a href="..."> or <pre><code class="...">).
var telegramTag = regexp.MustCompile(`^</?(b|i|u|s|code|pre|a|blockquote|tg-spoiler)(\s[^<>]*)?>`)

// telegramEntity matches the entities Telegram accepts: every numeric one and
// the named &lt; &gt; &amp; &quot;.
var telegramEntity = regexp.MustCompile(`^&(#[0-9]+|#[xX][0-9a-fA-F]+|lt|gt|amp|quot);`)

// htmlProblem describes the first place in text where Telegram would refuse
// the HTML ("can't parse entities"), or returns "". Template actions are
// replaced by a neutral letter first: their values are escaped when rendered,
// and an action may sit inside a tag (<a href="{{.URL}}">).
func htmlProblem(m *i18n.Message, text string) string {
	left, right := m.LeftDelim, m.RightDelim
	if left == "" {
		left = "{{"
	}
	if right == "" {
		right = "}}"
	}
	actions := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(left) + `.*?` + regexp.QuoteMeta(right))
	s := actions.ReplaceAllString(text, "X")
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			tag := telegramTag.FindString(s[i:])
			if tag == "" {
				return fmt.Sprintf("raw %q is not a Telegram tag (write &lt;)", snippet(s[i:]))
			}
			i += len(tag) - 1
		case '&':
			if telegramEntity.FindString(s[i:]) == "" {
				return fmt.Sprintf("raw %q is not an HTML entity Telegram knows (write &amp;)", snippet(s[i:]))
			}
		case '>':
			return fmt.Sprintf("raw %q outside a tag (write &gt;)", snippet(s[i:]))
		}
	}
	return ""
}

// snippet is the start of s, short enough for a report line.
func snippet(s string) string {
	if r := []rune(s); len(r) > 12 {
		return string(r[:12]) + "…"
	}
	return s
}
