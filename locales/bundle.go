package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed active.*.toml
var files embed.FS

// Bundle holds the messages of every language and one Localizer per language.
// It is read-only after New, so Localizers may be used from many goroutines.
type Bundle struct {
	i18n     *i18n.Bundle
	messages map[string][]*i18n.Message // lang -> messages as written, for Check
	locs     map[string]*Localizer
}

// New loads the embedded locale files.
func New() (*Bundle, error) {
	return newBundle(files)
}

// newBundle loads active.<lang>.toml for every language from fsys; tests give
// it small hand-made files.
func newBundle(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{
		i18n:     i18n.NewBundle(language.English),
		messages: make(map[string][]*i18n.Message, len(Languages)),
		locs:     make(map[string]*Localizer, len(Languages)),
	}
	b.i18n.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, lang := range Languages {
		name := "active." + lang + ".toml"
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read locale file: %w", err)
		}
		mf, err := b.i18n.ParseMessageFileBytes(buf, name)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		b.messages[lang] = mf.Messages
	}
	pseudo := make([]*i18n.Message, 0, len(b.messages["en"]))
	for _, m := range b.messages["en"] {
		pseudo = append(pseudo, pseudoMessage(m))
	}
	if err := b.i18n.AddMessages(language.Make(Pseudo), pseudo...); err != nil {
		return nil, fmt.Errorf("generate the pseudo-locale: %w", err)
	}
	for _, lang := range append(slices.Clone(Languages), Pseudo) {
		b.locs[lang] = newLocalizer(b, lang)
	}
	for _, l := range b.locs {
		l.en = b.locs["en"]
	}
	return b, nil
}

// Plural reports whether the message id has plural forms (in English, the
// source of every language's set of IDs).
func (b *Bundle) Plural(id string) bool {
	for _, m := range b.messages["en"] {
		if m.ID == id {
			return m.Zero+m.One+m.Two+m.Few+m.Many != ""
		}
	}
	return false
}

// For returns the Localizer of lang (one of Languages, or Pseudo); an
// unknown language gets English.
func (b *Bundle) For(lang string) *Localizer {
	if l, ok := b.locs[lang]; ok {
		return l
	}
	return b.locs["en"]
}
