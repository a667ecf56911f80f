package locales

import (
	"html"
	"regexp"
)

var tagPattern = regexp.MustCompile(`<[^>]*>`)

// PlainText turns rendered Telegram HTML into plain text: for button labels
// (which show no markup) and for the terminal.
func PlainText(s string) string {
	return html.UnescapeString(tagPattern.ReplaceAllString(s, ""))
}
