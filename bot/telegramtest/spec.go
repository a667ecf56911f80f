package telegramtest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sync"
)

// specEnv names the environment variable that points at another api.json
// (a newer Bot API, say); by default the embedded copy is used.
const specEnv = "PAYDESK_BOT_API_SPEC"

// embeddedSpec is the Bot API 10.1 description (botapi/, MIT licence), part
// of the repository so that a bare clone runs its own tests.
//
//go:embed botapi/api.json
var embeddedSpec []byte

// spec is the part of the Bot API description the fake checks against.
type spec struct {
	Version string                 `json:"version"`
	Methods map[string]*specMethod `json:"methods"`
	Types   map[string]*specType   `json:"types"`
}

type specMethod struct {
	Name    string       `json:"name"`
	Returns []string     `json:"returns"`
	Fields  []*specField `json:"fields"`
}

type specType struct {
	Name     string       `json:"name"`
	Fields   []*specField `json:"fields"`
	Subtypes []string     `json:"subtypes"`
	// fieldsByName is filled after loading for quick lookups.
	fieldsByName map[string]*specField
}

type specField struct {
	Name        string   `json:"name"`
	Types       []string `json:"types"`
	Required    bool     `json:"required"`
	Description string   `json:"description"`
	// constant is the only value a discriminator field ("type", "status",
	// "source") may take, e.g. "member" for ChatMemberMember.status; it
	// lets union types pick the right variant.
	constant string
}

var (
	specOnce   sync.Once
	loadedSpec *spec
	specErr    error
)

// apiSpec parses api.json once per test binary; every fake server shares it.
func apiSpec() (*spec, error) {
	specOnce.Do(func() { loadedSpec, specErr = loadSpec() })
	return loadedSpec, specErr
}

func loadSpec() (*spec, error) {
	data, source := embeddedSpec, "embedded botapi/api.json"
	if p := os.Getenv(specEnv); p != "" {
		var err error
		if data, err = os.ReadFile(p); err != nil {
			return nil, fmt.Errorf("telegramtest: read Bot API spec from %s: %w", specEnv, err)
		}
		source = p
	}
	var s spec
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("telegramtest: parse Bot API spec %s: %w", source, err)
	}
	if len(s.Methods) == 0 || len(s.Types) == 0 {
		return nil, fmt.Errorf("telegramtest: Bot API spec %s has no methods or types", source)
	}
	s.index()
	return &s, nil
}

// constantRe finds the fixed value in descriptions like
// `The member's status in the chat, always "creator"` or `Scope type, must be chat`.
var constantRe = regexp.MustCompile(`(?:always|must be) "?([a-z_]+)"?`)

func (s *spec) index() {
	for _, t := range s.Types {
		t.fieldsByName = make(map[string]*specField, len(t.Fields))
		for _, f := range t.Fields {
			t.fieldsByName[f.Name] = f
			if f.Required && isDiscriminator(f.Name) && len(f.Types) == 1 && f.Types[0] == "String" {
				if m := constantRe.FindStringSubmatch(f.Description); m != nil {
					f.constant = m[1]
				}
			}
		}
	}
}

func isDiscriminator(name string) bool {
	return name == "type" || name == "status" || name == "source"
}

func (m *specMethod) field(name string) *specField {
	for _, f := range m.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}
