package telegramtest

// memberVariant maps getChatMember statuses to the spec's ChatMember types.
var memberVariant = map[string]string{
	"creator":       "ChatMemberOwner",
	"administrator": "ChatMemberAdministrator",
	"member":        "ChatMemberMember",
	"restricted":    "ChatMemberRestricted",
	"left":          "ChatMemberLeft",
	"kicked":        "ChatMemberBanned",
}

// SetMember sets what getChatMember reports for userID in chatID: one of
// "creator", "administrator", "member", "restricted", "left", "kicked".
// Everyone is a "member" until set otherwise.
func (s *Server) SetMember(chatID, userID int64, status string) {
	if _, ok := memberVariant[status]; !ok {
		s.t.Fatalf("telegramtest: SetMember: unknown status %q", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[[2]int64{chatID, userID}] = status
}

// Block makes every send or edit to chatID fail with 403 "Forbidden: bot
// was blocked by the user", as after a user blocks the bot.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

func (s *Server) isBlocked(chatID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.blocked[chatID]
}

func (s *Server) chatMember(chatID, userID int64) map[string]any {
	s.mu.Lock()
	status, ok := s.members[[2]int64{chatID, userID}]
	s.mu.Unlock()
	if !ok {
		status = "member"
	}
	member, _ := s.spec.minimal(memberVariant[status]).(map[string]any)
	member["user"] = map[string]any{"id": userID, "is_bot": false, "first_name": "Customer"}
	return member
}
