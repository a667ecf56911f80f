package bot

import (
	"testing"

	"paydesk/flows"
	"paydesk/locales"
)

// BenchmarkRenderScreen renders the menu as an edit of the pressed
// message: its text in Russian and its inline keyboard as reply_markup.
func BenchmarkRenderScreen(b *testing.B) {
	bundle, err := locales.New()
	if err != nil {
		b.Fatal(err)
	}
	bt := &Bot{locales: bundle}
	btn := func(id, data string) flows.Button {
		return flows.Button{Label: locales.M(id), Data: data + "|AbCdEfGhIjKl"}
	}
	screen := flows.Screen{
		Body: []locales.Msg{locales.M("menu.greeting_linked", "Name", "Айгерим"), locales.M("menu.title")},
		Inline: [][]flows.Button{
			{btn("menu.transfers", "tr")}, {btn("menu.withdrawals", "wd")}, {btn("menu.returns", "rr")},
			{btn("menu.support", "sup")}, {btn("menu.language", "lang"), btn("menu.help", "help")},
		},
		Replace: true,
	}
	ev := flows.Event{Kind: flows.EventAction, ChatID: 7, MessageID: 3}
	out := flows.Outcome{Replies: []flows.Reply{{ChatID: 7, Lang: "ru", Screen: screen}}}
	b.ReportAllocs()
	for b.Loop() {
		if d := bt.render(ev, out); len(d) != 1 || d[0].Text == "" {
			b.Fatal("nothing rendered")
		}
	}
}
