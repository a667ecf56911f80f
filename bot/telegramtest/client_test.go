package telegramtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// The real library, used the way paydesk uses it, must pass the checks
// untouched (including its empty copy_text on every inline button) and
// decode every answer.
func TestRealClientAccepted(t *testing.T) {
	s, rec := newRecorded(t)
	b, err := tg.New(Token, tg.WithServerURL(s.URL())) // real getMe
	if err != nil {
		t.Fatalf("tg.New with getMe: %v", err)
	}
	ctx := context.Background()
	const chat = int64(4242)

	sent, err := b.SendMessage(ctx, &tg.SendMessageParams{
		ChatID:    chat,
		Text:      `<b>Cancel</b> transfer &lt;#42&gt; of 1 000 Kč? <a href="https://pay.example/t?a=1&amp;b=2">details</a> <tg-spoiler>x</tg-spoiler> <blockquote expandable>q</blockquote> <pre><code class="language-go">x := 1</code></pre>`,
		ParseMode: models.ParseModeHTML,
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
			{{Text: "Yes", CallbackData: "cx:42:a1b2c3"}, {Text: "No", CallbackData: "menu"}},
			{{Text: "Open app", URL: "https://pay.example/app"}},
		}},
	})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	if sent.ID != 1 || sent.Chat.ID != chat || !strings.HasPrefix(sent.Text, "Cancel transfer <#42>") {
		t.Errorf("sent message = id %d chat %d text %q", sent.ID, sent.Chat.ID, sent.Text)
	}
	if sent.ReplyMarkup == nil || sent.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "cx:42:a1b2c3" {
		t.Errorf("reply markup not echoed: %+v", sent.ReplyMarkup)
	}

	second, err := b.SendMessage(ctx, &tg.SendMessageParams{
		ChatID: chat,
		Text:   "Share your phone number",
		ReplyMarkup: &models.ReplyKeyboardMarkup{
			Keyboard:       [][]models.KeyboardButton{{{Text: "📱 Share", RequestContact: true}}},
			ResizeKeyboard: true, OneTimeKeyboard: true,
		},
	})
	if err != nil {
		t.Fatalf("SendMessage with reply keyboard: %v", err)
	}
	if second.ID != 2 {
		t.Errorf("second message id = %d, want 2 (per-chat sequence)", second.ID)
	}

	edited, err := b.EditMessageText(ctx, &tg.EditMessageTextParams{
		ChatID: chat, MessageID: sent.ID, Text: "Done", ParseMode: models.ParseModeHTML,
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Menu", CallbackData: "menu"}}}},
	})
	if err != nil || edited.ID != sent.ID || edited.Text != "Done" {
		t.Errorf("EditMessageText = %+v, %v", edited, err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &tg.EditMessageReplyMarkupParams{ChatID: chat, MessageID: sent.ID}); err != nil {
		t.Errorf("EditMessageReplyMarkup: %v", err)
	}
	if ok, err := b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: "77", Text: "Sent"}); err != nil || !ok {
		t.Errorf("AnswerCallbackQuery = %v, %v", ok, err)
	}

	const group = int64(-1001234567890)
	topic, err := b.CreateForumTopic(ctx, &tg.CreateForumTopicParams{ChatID: group, Name: "Jana Nováková · #1042"})
	if err != nil || topic.MessageThreadID == 0 || topic.Name != "Jana Nováková · #1042" {
		t.Fatalf("CreateForumTopic = %+v, %v", topic, err)
	}
	copied, err := b.CopyMessage(ctx, &tg.CopyMessageParams{ChatID: group, MessageThreadID: topic.MessageThreadID, FromChatID: chat, MessageID: second.ID})
	if err != nil || copied.ID != 1 {
		t.Errorf("CopyMessage = %+v, %v", copied, err)
	}
	inTopic, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: group, MessageThreadID: topic.MessageThreadID, Text: "Customer linked"})
	if err != nil || inTopic.MessageThreadID != topic.MessageThreadID {
		t.Errorf("SendMessage to topic = %+v, %v", inTopic, err)
	}
	for _, call := range []func() (bool, error){
		func() (bool, error) {
			return b.EditForumTopic(ctx, &tg.EditForumTopicParams{ChatID: group, MessageThreadID: topic.MessageThreadID, Name: "✅ Jana"})
		},
		func() (bool, error) {
			return b.CloseForumTopic(ctx, &tg.CloseForumTopicParams{ChatID: group, MessageThreadID: topic.MessageThreadID})
		},
		func() (bool, error) {
			return b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: chat, MessageID: second.ID})
		},
		func() (bool, error) {
			return b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "start", Description: "Menu"}}, LanguageCode: "cs"})
		},
		func() (bool, error) { return b.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}) },
	} {
		if ok, err := call(); err != nil || !ok {
			t.Errorf("call returned %v, %v", ok, err)
		}
	}

	photo, err := b.SendPhoto(ctx, &tg.SendPhotoParams{
		ChatID: chat, Caption: "<i>Receipt</i>", ParseMode: models.ParseModeHTML,
		Photo: &models.InputFileUpload{Filename: "receipt.png", Data: strings.NewReader("png bytes")},
	})
	if err != nil || len(photo.Photo) == 0 || photo.Caption != "Receipt" {
		t.Errorf("SendPhoto = %+v, %v", photo, err)
	}
	if up, ok := s.CallsTo("sendPhoto")[0].Params["photo"].(Upload); !ok || up.Filename != "receipt.png" {
		t.Errorf("photo param = %#v, want the Upload", s.CallsTo("sendPhoto")[0].Params["photo"])
	}

	wantClean(t, rec)
	if got := len(s.SentTo(chat)); got != 5 {
		t.Errorf("SentTo(chat) has %d calls, want 5 (2 sends, 2 edits, photo): %s", got, describe(s.SentTo(chat)))
	}
	if got := len(s.SendTimes(chat)); got != 3 {
		t.Errorf("SendTimes(chat) has %d, want 3 (edits do not count)", got)
	}
	if got := len(s.SendTimes(group)); got != 2 {
		t.Errorf("SendTimes(group) has %d, want 2 (copy and send)", got)
	}
}

func TestGetChatMember(t *testing.T) {
	s, rec := newRecorded(t)
	b := newClient(t, s)
	const group, stranger, customer = int64(-1009), int64(7), int64(8)
	s.SetMember(group, stranger, "left")
	for user, want := range map[int64]models.ChatMemberType{stranger: models.ChatMemberTypeLeft, customer: models.ChatMemberTypeMember} {
		m, err := b.GetChatMember(context.Background(), &tg.GetChatMemberParams{ChatID: group, UserID: user})
		if err != nil || m.Type != want {
			t.Errorf("GetChatMember(%d) = %+v, %v; want %s", user, m, err, want)
		}
	}
	wantClean(t, rec)
}

func TestBlockedChatIsForbidden(t *testing.T) {
	s, rec := newRecorded(t)
	b := newClient(t, s)
	s.Block(5)
	_, err := b.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: 5, Text: "hi"})
	if !errors.Is(err, tg.ErrorForbidden) {
		t.Errorf("SendMessage to blocked chat: %v, want ErrorForbidden", err)
	}
	if len(s.SentTo(5)) != 0 || len(s.SendTimes(5)) != 0 {
		t.Errorf("a refused send counted as sent")
	}
	wantClean(t, rec)
}

// Every method of the spec, called with its required parameters only,
// gets an answer that matches its return type (the fake checks its own
// answers and complains otherwise).
func TestEveryMethodAnswers(t *testing.T) {
	s, rec := newRecorded(t)
	for name, m := range s.spec.Methods {
		fields := map[string]string{}
		skip := false
		for _, f := range m.Fields {
			if !f.Required {
				continue
			}
			if f.Types[0] == "InputFile" && len(f.Types) == 1 {
				skip = true // needs an upload; covered by SendPhoto above
				break
			}
			fields[f.Name] = minimalParam(s.spec, f)
		}
		if skip || name == "getUpdates" {
			continue
		}
		if status, answer := post(t, s.URL(), Token, name, fields); status != 200 || !answer.OK {
			t.Errorf("%s(%v) = %d %+v", name, fields, status, answer)
		}
	}
	wantClean(t, rec)
}

func minimalParam(sp *spec, f *specField) string {
	switch f.Types[0] {
	case "Integer":
		return "1"
	case "String", "InputFile":
		return "x"
	case "Boolean":
		return "true"
	case "Float":
		return "1.5"
	}
	data, _ := jsonMarshal(sp.minimal(f.Types[0]))
	return string(data)
}

func TestLongPollDeliversAndConfirms(t *testing.T) {
	s, rec := newRecorded(t)
	got := make(chan *models.Update, 10)
	b := newClient(t, s, tg.WithDefaultHandler(func(_ context.Context, _ *tg.Bot, u *models.Update) { got <- u }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	// Wait until the bot is parked in a long poll, so the push has to wake it.
	waitParked(t, s)
	first := s.PushUpdate(CommandUpdate(42, 42, "cs", "/start link-abc"))
	u := receive(t, got)
	if u.ID != first || u.Message.Text != "/start link-abc" || u.Message.From.LanguageCode != "cs" {
		t.Errorf("got update %+v", u)
	}
	second := s.PushUpdate(CallbackUpdate(42, 42, 1, "menu"))
	if u := receive(t, got); u.ID != second || u.CallbackQuery.Data != "menu" {
		t.Errorf("got update %+v", u)
	}
	// The second update could only be fetched with offset first+1.
	if c := s.Confirmed(); c < first+1 {
		t.Errorf("Confirmed() = %d, want >= %d", c, first+1)
	}
	wantClean(t, rec)
}

func receive(t *testing.T, ch chan *models.Update) *models.Update {
	t.Helper()
	select {
	case u := <-ch:
		return u
	case <-time.After(10 * time.Second):
		t.Fatalf("no update delivered within 10s")
		return nil
	}
}
