package telegramtest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// specEnv names the environment variable that points at api.json, for runs
// where the repository does not sit beside the shared/ directory.
const specEnv = "PAYDESK_BOT_API_SPEC"

// specRel is where api.json lives relative to some ancestor of the working
// directory: the worktree layout has shared/ beside the repo, and tests run
// in package directories below it.
const specRel = "shared/telegram-bot-api/api.json"

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
	path, looked := findSpec()
	if path == "" {
		return nil, fmt.Errorf("telegramtest: Bot API spec not found; set %s or put the repo beside shared/ (looked at: %s)",
			specEnv, strings.Join(looked, ", "))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("telegramtest: read Bot API spec: %w", err)
	}
	var s spec
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("telegramtest: parse Bot API spec %s: %w", path, err)
	}
	if len(s.Methods) == 0 || len(s.Types) == 0 {
		return nil, fmt.Errorf("telegramtest: Bot API spec %s has no methods or types", path)
	}
	s.index()
	return &s, nil
}

// findSpec returns the spec path and, when it finds none, every place it tried.
func findSpec() (string, []string) {
	var looked []string
	if p := os.Getenv(specEnv); p != "" {
		if fileExists(p) {
			return p, nil
		}
		looked = append(looked, specEnv+"="+p)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", append(looked, "working directory: "+err.Error())
	}
	for {
		// Walking up also covers CI, where shared/ sits beside the repo root.
		candidate := filepath.Join(dir, specRel)
		if fileExists(candidate) {
			return candidate, nil
		}
		looked = append(looked, candidate)
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", looked
		}
		dir = parent
	}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
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
