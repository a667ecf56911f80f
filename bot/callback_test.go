package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
	"paydesk/flows"
	"paydesk/locales"
)

const (
	presser = int64(8101) // a Russian-speaking customer pressing a button
	other   = int64(8102) // the Czech-speaking chat the press notifies
)

// callbackRig is a bot whose test routes reproduce what confirming a
// transfer cancellation does: the press first queues a message to another
// chat in that chat's language, then answers the presser with a notice.
func callbackRig(t *testing.T) *rig {
	return newRig(t, rigConfig{opts: []bot.Option{bot.WithFlows(flows.WithRoutes(func(r *flows.Router) {
		r.Command("notify", func(c *flows.Conv) error {
			c.Show(flows.Screen{
				Body:   []locales.Msg{locales.M("menu.title")},
				Inline: [][]flows.Button{{c.Button(locales.M("transfer.request_button"), "test.notify")}},
			})
			return nil
		})
		r.Action("test.notify", func(c *flows.Conv, a flows.Action) error {
			c.Send(other, "cs", flows.Text("menu.title"))
			c.Show(flows.Text("menu.title"))
			c.Toast(locales.M("transfer.requested_toast"))
			return nil
		})
	}))}})
}

// handle runs one update through the bot to the end, replies sent.
func (r *rig) handle(t *testing.T, u models.Update) {
	t.Helper()
	r.api.PushUpdate(u)
	if err := r.bot.HandleUpdate(context.Background(), &u); err != nil {
		t.Fatalf("handle update: %v", err)
	}
	r.bot.WaitSent()
}

// answers are the texts of the callback answers sent so far.
func (r *rig) answers() []string {
	var out []string
	for _, c := range r.api.CallsTo("answerCallbackQuery") {
		s, _ := c.Params["text"].(string)
		out = append(out, s)
	}
	return out
}

func TestCallbackNoticeIsInThePressersLanguage(t *testing.T) {
	r := callbackRig(t)
	r.handle(t, withID(telegramtest.CommandUpdate(presser, presser, "ru", "/notify"), 1))
	data := buttonData(t, r.api.SentTo(presser)[0], "Запросить отмену")
	u := telegramtest.CallbackUpdate(presser, presser, 1, data)
	u.CallbackQuery.From.LanguageCode = "ru"
	r.handle(t, withID(u, 2))
	want := locales.PlainText(mustBundle(t).For("ru").Text(locales.M("transfer.requested_toast")))
	if got := r.answers(); len(got) != 1 || got[0] != want {
		t.Fatalf("callback answers %q, want the Russian notice %q", got, want)
	}
}

func mustBundle(t *testing.T) *locales.Bundle {
	t.Helper()
	b, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEveryPressIsAnswered: a press under a message Telegram no longer
// gives the bot (date 0), with no message at all, or in a group is
// answered, never left spinning; the first two are handled, their screen
// sent as a new message.
func TestEveryPressIsAnswered(t *testing.T) {
	r := newRig(t, rigConfig{})
	const chat = int64(8201)
	r.handle(t, withID(telegramtest.CommandUpdate(chat, chat, "en", "/start"), 1))
	help := buttonData(t, r.api.SentTo(chat)[0], "Help")

	gone := telegramtest.CallbackUpdate(chat, chat, 1, help)
	gone.CallbackQuery.Message = models.MaybeInaccessibleMessage{
		Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
		InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}, MessageID: 1},
	}
	r.handle(t, withID(gone, 2))

	none := telegramtest.CallbackUpdate(chat, chat, 1, help)
	none.CallbackQuery.Message = models.MaybeInaccessibleMessage{}
	none.ID = 3
	if err := r.bot.HandleUpdate(context.Background(), &none); err != nil { // no message: not pushed, the fake would encode it as null
		t.Fatal(err)
	}
	r.bot.WaitSent()

	group := telegramtest.CallbackUpdate(-1001234567890, chat, 1, help)
	r.handle(t, withID(group, 4))

	if n := len(r.api.CallsTo("answerCallbackQuery")); n != 3 {
		t.Errorf("%d of 3 presses answered", n)
	}
	if n := len(r.api.CallsTo("editMessageText")); n != 0 {
		t.Errorf("%d edits of a message the bot cannot see", n)
	}
	sent := r.sent(chat)
	if len(sent) != 3 || !strings.Contains(sent[1], "What I can do") || !strings.Contains(sent[2], "What I can do") {
		t.Errorf("the chat got %q, want the menu and help twice as new messages", sent)
	}
}
