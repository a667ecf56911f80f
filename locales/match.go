package locales

import "strings"

// Languages are the languages paydesk speaks, in the order the language
// picker shows them.
var Languages = []string{"ru", "cs", "en"}

// matchTable maps a primary language subtag to one of Languages. It is written
// by hand because x/text's matcher sends Slovak to English, while a Slovak
// reader understands Czech far better; speakers of the languages of the former
// Soviet Union usually read Russian.
var matchTable = map[string]string{
	"ru": "ru", "uk": "ru", "kk": "ru", "be": "ru", "ky": "ru", "uz": "ru",
	"cs": "cs", "sk": "cs",
}

// Match picks the language for a Telegram user's language_code ("ru-RU",
// "pt-br", "" and so on); anything unknown gets English.
func Match(telegramLanguageCode string) string {
	code := strings.ToLower(strings.TrimSpace(telegramLanguageCode))
	if i := strings.IndexAny(code, "-_"); i >= 0 {
		code = code[:i]
	}
	if lang, ok := matchTable[code]; ok {
		return lang
	}
	return "en"
}
