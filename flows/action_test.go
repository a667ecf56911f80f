package flows

import (
	"errors"
	"strings"
	"testing"
)

func TestActionSignVerify(t *testing.T) {
	s := newSigner([]byte("0123456789abcdef0123456789abcdef"))
	data := s.sign(42, "tr", 12345, 7)
	if len(data) > MaxCallbackData {
		t.Fatalf("callback data %q is %d bytes", data, len(data))
	}
	a, err := s.verify(42, data)
	if err != nil {
		t.Fatalf("verify own button: %v", err)
	}
	if a.Name != "tr" || a.Arg(0) != 12345 || a.Arg(1) != 7 || a.Arg(2) != 0 {
		t.Fatalf("decoded %+v", a)
	}

	other := newSigner([]byte("another key, another deployment!"))
	refused := map[string]struct {
		chat int64
		data string
		s    signer
	}{
		"other chat":      {43, data, s},
		"other key":       {42, data, other},
		"changed id":      {42, strings.Replace(data, "9ix", "9iy", 1), s},
		"changed action":  {42, "wd" + data[2:], s},
		"no mac":          {42, "tr|9ix", s},
		"empty":           {42, "", s},
		"only separators": {42, "|||", s},
		"too long":        {42, strings.Repeat("a", 65), s},
	}
	for name, tc := range refused {
		t.Run(name, func(t *testing.T) {
			if _, err := tc.s.verify(tc.chat, tc.data); !errors.Is(err, ErrForgedAction) {
				t.Fatalf("verify(%d, %q) = %v, want ErrForgedAction", tc.chat, tc.data, err)
			}
		})
	}
}

func TestActionLongestFitsCallbackData(t *testing.T) {
	s := newSigner([]byte("k"))
	// Three int64 maxima with a 6-letter name fit; four do not.
	const max = int64(^uint64(0) >> 1)
	data := s.sign(-1001234567890, "abcdef", max, max, max)
	if len(data) > MaxCallbackData {
		t.Fatalf("%d bytes: %q", len(data), data)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("signing data over 64 bytes did not panic")
		}
	}()
	s.sign(1, "abcdef", max, max, max, max)
}
