package main

import (
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	const secret = "0123456789abcdef0123"
	for _, tc := range []struct {
		name    string
		env     map[string]string
		check   func(Config) bool
		wantErr string
	}{
		{name: "defaults: polling", env: nil, check: func(c Config) bool {
			return c.WebhookURL == "" && c.WebhookListen == "" && c.Tick == time.Minute && c.Workers == 16 && c.WebhookConns == 40
		}},
		{name: "webhook listens on loopback by default", env: map[string]string{
			"PAYDESK_WEBHOOK_URL": "https://bot.example.com/tg", "PAYDESK_WEBHOOK_SECRET": secret,
		}, check: func(c Config) bool { return c.WebhookListen == "127.0.0.1:8443" && c.WebhookPath() == "/tg" }},
		{name: "webhook without a path", env: map[string]string{
			"PAYDESK_WEBHOOK_URL": "https://bot.example.com", "PAYDESK_WEBHOOK_SECRET": secret,
		}, check: func(c Config) bool { return c.WebhookPath() == "/" }},
		{name: "health checks and metrics on the internal listener by default", env: nil,
			check: func(c Config) bool {
				return c.HTTPListen == "127.0.0.1:9090" && c.LogFormat == "text" && c.LogLevel == "info"
			}},
		{name: "a webhook listener while polling is ignored, with a warning", env: map[string]string{"PAYDESK_WEBHOOK_LISTEN": "127.0.0.1:9000"},
			check: func(c Config) bool {
				return c.WebhookURL == "" && c.WebhookListen == "" && len(c.Warnings) == 1 && strings.Contains(c.Warnings[0], "PAYDESK_HTTP_LISTEN")
			}},
		{name: "json logs at debug", env: map[string]string{"PAYDESK_LOG_FORMAT": "json", "PAYDESK_LOG_LEVEL": "DEBUG"},
			check: func(c Config) bool { return c.LogFormat == "json" && c.LogLevel == "debug" }},
		{name: "unknown log format", env: map[string]string{"PAYDESK_LOG_FORMAT": "xml"}, wantErr: "PAYDESK_LOG_FORMAT"},
		{name: "unknown log level", env: map[string]string{"PAYDESK_LOG_LEVEL": "loud"}, wantErr: "PAYDESK_LOG_LEVEL"},
		{name: "bad http listen address", env: map[string]string{"PAYDESK_HTTP_LISTEN": "9090"}, wantErr: "PAYDESK_HTTP_LISTEN"},
		{name: "metrics never on the webhook's listener", env: map[string]string{
			"PAYDESK_WEBHOOK_URL": "https://bot.example.com/tg", "PAYDESK_WEBHOOK_SECRET": secret,
			"PAYDESK_WEBHOOK_LISTEN": "127.0.0.1:9090"}, wantErr: "PAYDESK_HTTP_LISTEN"},
		{name: "tick off", env: map[string]string{"PAYDESK_TICK": "0"}, check: func(c Config) bool { return c.Tick == 0 }},
		{name: "tick and workers", env: map[string]string{"PAYDESK_TICK": "30s", "PAYDESK_WORKERS": "4"},
			check: func(c Config) bool { return c.Tick == 30*time.Second && c.Workers == 4 }},
		{name: "webhook over http", env: map[string]string{"PAYDESK_WEBHOOK_URL": "http://bot.example.com/tg", "PAYDESK_WEBHOOK_SECRET": secret},
			wantErr: "PAYDESK_WEBHOOK_URL"},
		{name: "webhook without a secret", env: map[string]string{"PAYDESK_WEBHOOK_URL": "https://bot.example.com/tg"},
			wantErr: "PAYDESK_WEBHOOK_SECRET"},
		{name: "webhook secret with characters Telegram refuses", env: map[string]string{
			"PAYDESK_WEBHOOK_URL": "https://bot.example.com/tg", "PAYDESK_WEBHOOK_SECRET": "secret with spaces 0123"},
			wantErr: "PAYDESK_WEBHOOK_SECRET"},
		{name: "bad listen address", env: map[string]string{"PAYDESK_WEBHOOK_LISTEN": "8443"}, wantErr: "PAYDESK_WEBHOOK_LISTEN"},
		{name: "negative tick", env: map[string]string{"PAYDESK_TICK": "-1m"}, wantErr: "PAYDESK_TICK"},
		{name: "zero workers", env: map[string]string{"PAYDESK_WORKERS": "0"}, wantErr: "PAYDESK_WORKERS"},
		{name: "too many connections", env: map[string]string{"PAYDESK_WEBHOOK_MAX_CONNECTIONS": "101"}, wantErr: "PAYDESK_WEBHOOK_MAX_CONNECTIONS"},
		{name: "locale testers", env: map[string]string{"PAYDESK_LOCALE_TESTERS": "12345, 678,"},
			check: func(c Config) bool {
				return len(c.LocaleTesters) == 2 && c.LocaleTesters[0] == 12345 && c.LocaleTesters[1] == 678
			}},
		{name: "a locale tester that is no user id", env: map[string]string{"PAYDESK_LOCALE_TESTERS": "12345,@maria"}, wantErr: "PAYDESK_LOCALE_TESTERS"},
		{name: "zero session ttl", env: map[string]string{"PAYDESK_SESSION_TTL": "0s"}, wantErr: "PAYDESK_SESSION_TTL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadConfig(func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Errorf("config %+v", c)
			}
		})
	}
}

// TestServeTunesTheGCUnlessGOGCIsSet: serve runs the collector at
// serveGCPercent, but an operator's GOGC wins.
func TestServeTunesTheGCUnlessGOGCIsSet(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	tuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("GC percent without GOGC: %d, want %d", got, serveGCPercent)
	}
	tuneGC(func(k string) string { return map[string]string{"GOGC": "150"}[k] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent with GOGC set: %d, want it left alone (100)", got)
	}
}
