package loadtest

import (
	"context"
	"net"
	"net/http"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// EchoBot is the baseline: a bare go-telegram/bot bot that echoes every
// message, behind the library's own webhook handler.
type EchoBot struct {
	srv    *http.Server
	ln     net.Listener
	cancel context.CancelFunc
}

// StartEcho serves the echo bot's webhook on a loopback port; it calls the
// fake Bot API at apiURL.
func StartEcho(apiURL, token, secret string) (*EchoBot, error) {
	b, err := tg.New(token, tg.WithServerURL(apiURL), tg.WithSkipGetMe(), tg.WithWebhookSecretToken(secret),
		tg.WithDefaultHandler(func(ctx context.Context, b *tg.Bot, u *models.Update) {
			if u.Message != nil {
				b.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: u.Message.Text})
			}
		}))
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	go b.StartWebhook(ctx)
	e := &EchoBot{ln: ln, cancel: cancel, srv: &http.Server{Handler: b.WebhookHandler(), ReadHeaderTimeout: 10 * time.Second}}
	go e.srv.Serve(ln)
	return e, nil
}

// Hook is the URL to post updates to.
func (e *EchoBot) Hook() string { return "http://" + e.ln.Addr().String() + "/" }

// Close stops the bot.
func (e *EchoBot) Close() error {
	e.cancel()
	return e.srv.Close()
}
