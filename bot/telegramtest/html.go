package telegramtest

import "paydesk/locales/tghtml"

// parseHTML checks text as Telegram's HTML parse mode does and returns the
// visible text (see tghtml).
func parseHTML(text string) (string, error) { return tghtml.Parse(text) }
