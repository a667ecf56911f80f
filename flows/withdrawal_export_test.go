package flows

// SignButton signs callback data the way the engine signs its own buttons,
// so tests can press buttons the flows never showed this chat: another
// customer's withdrawal, one that is not stuck, one that does not exist.
func (e *Engine) SignButton(chatID int64, action string, args ...int64) string {
	return e.signer.sign(chatID, action, args...)
}
