package telegramtest

// Unblock undoes Block, as when the user starts the bot again.
func (s *Server) Unblock(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}
