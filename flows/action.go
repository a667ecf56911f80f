package flows

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"sync"
)

// MaxCallbackData is Telegram's limit on callback_data, in bytes.
const MaxCallbackData = 64

// macBytes is how much of the HMAC-SHA256 a button keeps: 9 bytes (72 bits)
// encode to 12 characters, leaving room for the action and its ids.
const macBytes = 9

// ErrForgedAction: callback data that this bot did not sign for this chat.
var ErrForgedAction = errors.New("forged or foreign button")

// Action is a decoded button press: the action name and the object ids it
// carries. Buttons are self-contained so that a press days later, after a
// restart or on another replica works without any server-side state.
type Action struct {
	Name string
	Args []int64
}

// Arg returns the i-th id, or 0 when the button carries fewer.
func (a Action) Arg(i int) int64 {
	if i < len(a.Args) {
		return a.Args[i]
	}
	return 0
}

// signer makes and checks callback data: "name|id|id|mac", ids in base 36,
// the MAC over the chat id too, so a button is valid only in the chat it was
// sent to.
type signer struct {
	// macs keeps keyed HMACs to Reset and reuse: every button of every
	// screen is signed, and keying a new HMAC costs two SHA-256 states.
	macs *sync.Pool
}

func newSigner(key []byte) signer {
	return signer{macs: &sync.Pool{New: func() any { return hmac.New(sha256.New, key) }}}
}

func (s signer) mac(chatID int64, payload string) string {
	h := s.macs.Get().(hash.Hash)
	defer s.macs.Put(h)
	h.Reset()
	var buf [24]byte
	h.Write(strconv.AppendInt(buf[:0], chatID, 10))
	h.Write([]byte{'|'})
	io.WriteString(h, payload)
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:macBytes])
}

// sign encodes an action for a chat. It panics when the result would not fit
// in callback_data: that is a programming error every flow test would hit.
func (s signer) sign(chatID int64, name string, args ...int64) string {
	payload := Action{Name: name, Args: args}.encode()
	data := payload + "|" + s.mac(chatID, payload)
	if len(data) > MaxCallbackData {
		panic(fmt.Sprintf("flows: callback data for %q is %d bytes, over %d", name, len(data), MaxCallbackData))
	}
	return data
}

// verify decodes callback data pressed in chatID, refusing anything this bot
// did not sign for that chat.
func (s signer) verify(chatID int64, data string) (Action, error) {
	i := strings.LastIndexByte(data, '|')
	if i <= 0 || len(data) > MaxCallbackData {
		return Action{}, ErrForgedAction
	}
	payload, mac := data[:i], data[i+1:]
	if !hmac.Equal([]byte(mac), []byte(s.mac(chatID, payload))) {
		return Action{}, ErrForgedAction
	}
	a, ok := decodeAction(payload)
	if !ok {
		return Action{}, ErrForgedAction
	}
	return a, nil
}

// encode writes an action without a MAC: "name|id|id", ids in base 36.
func (a Action) encode() string {
	var b strings.Builder
	b.WriteString(a.Name)
	for _, id := range a.Args {
		b.WriteByte('|')
		b.WriteString(strconv.FormatInt(id, 36))
	}
	return b.String()
}

// decodeAction reads what encode wrote.
func decodeAction(s string) (Action, bool) {
	parts := strings.Split(s, "|")
	if parts[0] == "" {
		return Action{}, false
	}
	a := Action{Name: parts[0]}
	for _, p := range parts[1:] {
		n, err := strconv.ParseInt(p, 36, 64)
		if err != nil {
			return Action{}, false
		}
		a.Args = append(a.Args, n)
	}
	return a, true
}
