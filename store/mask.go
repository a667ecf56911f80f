package store

import (
	"strings"
	"unicode/utf8"
)

// MaskName shortens a full name to the first name and the initial of the last
// word: "Айгуль Сейткали" -> "Айгуль С.". A single word stays as it is.
func MaskName(full string) string {
	parts := strings.Fields(full)
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	last := parts[len(parts)-1]
	r, _ := utf8.DecodeRuneInString(last)
	return parts[0] + " " + string(r) + "."
}
