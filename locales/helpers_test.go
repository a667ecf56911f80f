package locales

import (
	"testing"
	"testing/fstest"
)

// bundle loads the real, embedded locale files.
func bundle(t *testing.T) *Bundle {
	t.Helper()
	b, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

// fakeBundle loads hand-written messages, one TOML text per language, on top
// of the real files (so money and dates still format). The fake text must end
// inside a table or at the top level: the real files start with a table.
func fakeBundle(t *testing.T, en, ru, cs string) *Bundle {
	t.Helper()
	b, err := newBundle(mapFS(en+"\n"+realFile(t, "en"), ru+"\n"+realFile(t, "ru"), cs+"\n"+realFile(t, "cs")))
	if err != nil {
		t.Fatalf("newBundle: %v", err)
	}
	return b
}

func mapFS(en, ru, cs string) fstest.MapFS {
	return fstest.MapFS{
		"active.en.toml": {Data: []byte(en)},
		"active.ru.toml": {Data: []byte(ru)},
		"active.cs.toml": {Data: []byte(cs)},
	}
}

func realFile(t *testing.T, lang string) string {
	t.Helper()
	buf, err := files.ReadFile("active." + lang + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(buf)
}

// wantInEach compares what f gives in each language with the text wanted in
// Russian, Czech and English; what names the call in the failure message.
func wantInEach(t *testing.T, b *Bundle, what string, ru, cs, en string, f func(*Localizer) string) {
	t.Helper()
	for lang, want := range map[string]string{"ru": ru, "cs": cs, "en": en} {
		if got := f(b.For(lang)); got != want {
			t.Errorf("%s %s = %q, want %q", lang, what, got, want)
		}
	}
}
