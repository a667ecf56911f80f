package bot

import (
	"context"
	"fmt"
	"slices"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/locales"
)

// profileAPI is the part of the Bot API that sets the bot's profile: the
// command menu and the descriptions shown before a chat starts.
type profileAPI interface {
	GetMyCommands(ctx context.Context, p *tg.GetMyCommandsParams) ([]models.BotCommand, error)
	SetMyCommands(ctx context.Context, p *tg.SetMyCommandsParams) (bool, error)
	GetMyDescription(ctx context.Context, p *tg.GetMyDescriptionParams) (models.BotDescription, error)
	SetMyDescription(ctx context.Context, p *tg.SetMyDescriptionParams) (bool, error)
	GetMyShortDescription(ctx context.Context, p *tg.GetMyShortDescriptionParams) (models.BotShortDescription, error)
	SetMyShortDescription(ctx context.Context, p *tg.SetMyShortDescriptionParams) (bool, error)
}

// menuCommands are the commands of the bot's menu, in its order; each is
// described by the message profile.command_<name>.
var menuCommands = []string{"start", "menu", "language", "support", "cancel", "help"}

// Profile is the bot's profile in one language.
type Profile struct {
	Lang             string // a Telegram language_code; "" is the default for every other language
	Commands         []models.BotCommand
	Description      string // shown in an empty chat, up to 512 characters
	ShortDescription string // on the bot's profile page and in shares, up to 120 characters
}

// Profiles are the bot's profile in every language from the locale files,
// and English as the default for the languages paydesk does not speak.
func Profiles(bundle *locales.Bundle) []Profile {
	var list []Profile
	for _, lang := range append([]string{""}, locales.Languages...) {
		loc := bundle.For(lang)
		p := Profile{
			Lang:             lang,
			Description:      locales.PlainText(loc.Text(locales.M("profile.about"))),
			ShortDescription: locales.PlainText(loc.Text(locales.M("profile.about_short"))),
		}
		for _, name := range menuCommands {
			p.Commands = append(p.Commands, models.BotCommand{Command: name,
				Description: locales.PlainText(loc.Text(locales.M("profile.command_" + name)))})
		}
		list = append(list, p)
	}
	return list
}

// SyncProfile sets the bot's command menu, description and short
// description in every language, each only where Telegram has something
// else, so a restart costs a few reads and no writes. It returns how many
// set calls it made.
func (b *Bot) SyncProfile(ctx context.Context) (sets int, err error) {
	for _, p := range Profiles(b.locales) {
		n, err := syncProfile(ctx, b.api, p)
		sets += n
		if err != nil {
			return sets, fmt.Errorf("bot profile (language %q): %w", p.Lang, err)
		}
	}
	return sets, nil
}

func syncProfile(ctx context.Context, api profileAPI, p Profile) (sets int, err error) {
	parts := []struct {
		name string
		same func() (bool, error) // Telegram has p's value already
		set  func() error
	}{
		{"commands", func() (bool, error) {
			have, err := api.GetMyCommands(ctx, &tg.GetMyCommandsParams{LanguageCode: p.Lang})
			return slices.Equal(have, p.Commands), err
		}, func() error {
			_, err := api.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: p.Commands, LanguageCode: p.Lang})
			return err
		}},
		{"description", func() (bool, error) {
			have, err := api.GetMyDescription(ctx, &tg.GetMyDescriptionParams{LanguageCode: p.Lang})
			return have.Description == p.Description, err
		}, func() error {
			_, err := api.SetMyDescription(ctx, &tg.SetMyDescriptionParams{Description: p.Description, LanguageCode: p.Lang})
			return err
		}},
		{"short description", func() (bool, error) {
			have, err := api.GetMyShortDescription(ctx, &tg.GetMyShortDescriptionParams{LanguageCode: p.Lang})
			return have.ShortDescription == p.ShortDescription, err
		}, func() error {
			_, err := api.SetMyShortDescription(ctx, &tg.SetMyShortDescriptionParams{ShortDescription: p.ShortDescription, LanguageCode: p.Lang})
			return err
		}},
	}
	for _, part := range parts {
		same, err := part.same()
		if err != nil {
			return sets, fmt.Errorf("read the %s: %w", part.name, err)
		}
		if same {
			continue
		}
		if err := part.set(); err != nil {
			return sets, fmt.Errorf("set the %s: %w", part.name, err)
		}
		sets++
	}
	return sets, nil
}
