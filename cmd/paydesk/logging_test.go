package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The redactor blanks a secret out of the message and of string, error
// and other values, in both formats, whatever a library puts in an error.
func TestLoggerRedactsSecrets(t *testing.T) {
	const token = "123456:AAE-secret-token-part"
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		log := newLogger(&buf, format, "debug", []string{token, "short"})
		err := fmt.Errorf("post https://api.telegram.org/bot%s/sendMessage: %w", token, errors.New("EOF"))
		log.Debug("calling bot"+token, "url", "https://api.telegram.org/bot"+token, "err", err, "n", 3, "words", "short words stay")
		out := buf.String()
		if strings.Contains(out, "AAE-secret") || strings.Count(out, "[redacted]") != 3 || !strings.Contains(out, "short words stay") {
			t.Errorf("%s: %s", format, out)
		}
	}
	var buf bytes.Buffer
	newLogger(&buf, "text", "warn", nil).Info("hidden")
	if buf.Len() != 0 {
		t.Errorf("info logged at PAYDESK_LOG_LEVEL=warn: %s", buf.String())
	}
}
