package locales

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct{ code, want string }{
		{"ru", "ru"}, {"ru-RU", "ru"}, {"RU", "ru"}, {"uk", "ru"}, {"kk", "ru"},
		{"be", "ru"}, {"ky", "ru"}, {"uz", "ru"}, {"uz-Cyrl", "ru"},
		{"cs", "cs"}, {"cs-CZ", "cs"}, {"sk", "cs"}, {"sk_SK", "cs"},
		{"en", "en"}, {"en-US", "en"}, {"pt-br", "en"}, {"de", "en"},
		{"", "en"}, {" ", "en"}, {"-", "en"}, {"rus", "en"},
	}
	for _, tt := range tests {
		if got := Match(tt.code); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}
