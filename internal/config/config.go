// Package config gathers the settings of every command from, in rising order of
// precedence, built-in defaults, an optional TOML file, VANTAGE_* environment
// variables and command-line flags. Unknown keys in the file are an error.
package config

import (
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is every setting a command may use.
type Config struct {
	DB               string        // SQLite file path
	Addr             string        // HTTP listen address
	Token            string        // bearer token for write endpoints ("" = open)
	AllowPrivate     bool          // allow fetching private/loopback addresses (tests, intranets)
	LogLevel         string        // debug, info, warn, error
	FetchTimeout     time.Duration // per HTTP request
	MaxBodyBytes     int64         // per fetched document
	FetchConcurrency int           // parallel fetches in all
	PerHostInterval  time.Duration // minimum gap between requests to one host
	PollInterval     time.Duration // how often a healthy feed is fetched
	UserAgent        string
	StoryWindow      time.Duration // how long a story stays open to new reports after its last one
	AlertRetention   time.Duration // how long finished alert deliveries and their log are kept
	NearbyKm         float64       // the lens's "nearby" distance
	LLMURL           string        // OpenAI-compatible endpoint that may polish lens prose ("" = off)
	LLMModel         string
	LLMKey           string
	CORSOrigins      string // comma-separated origins allowed to call the API from browsers ("*" for any)
	DefaultPlace     string // the web briefing's place when the reader names none ("" = show only the form)
}

// Default returns the built-in defaults.
func Default() Config {
	return Config{
		DB:               "vantage.db",
		Addr:             "127.0.0.1:8080",
		LogLevel:         "info",
		FetchTimeout:     20 * time.Second,
		MaxBodyBytes:     8 << 20,
		FetchConcurrency: 8,
		PerHostInterval:  time.Second,
		PollInterval:     15 * time.Minute,
		UserAgent:        "Vantage/0.1 (+https://github.com/vantage-news/vantage)",
		StoryWindow:      7 * 24 * time.Hour,
		AlertRetention:   30 * 24 * time.Hour,
		NearbyKm:         500,
		LLMModel:         "llama3.2",
	}
}

type setting struct {
	key, usage string
	set        func(string) error
	get        func() string
}

func (c *Config) settings() []setting {
	str := func(key, usage string, p *string) setting {
		return setting{key, usage, func(v string) error { *p = v; return nil }, func() string { return *p }}
	}
	dur := func(key, usage string, p *time.Duration) setting {
		return setting{key, usage, func(v string) error {
			d, err := time.ParseDuration(v)
			if err != nil {
				return err
			}
			if d <= 0 {
				return fmt.Errorf("must be positive")
			}
			*p = d
			return nil
		}, func() string { return p.String() }}
	}
	integer := func(key, usage string, p *int64) setting {
		return setting{key, usage, func(v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return err
			}
			if n <= 0 {
				return fmt.Errorf("must be positive")
			}
			*p = n
			return nil
		}, func() string { return strconv.FormatInt(*p, 10) }}
	}
	return []setting{
		str("db", "SQLite database file", &c.DB),
		str("addr", "HTTP listen address", &c.Addr),
		str("token", "bearer token required by write endpoints", &c.Token),
		{"allow_private", "allow fetching loopback and private network addresses", func(v string) error {
			b, err := strconv.ParseBool(v)
			c.AllowPrivate = b
			return err
		}, func() string { return strconv.FormatBool(c.AllowPrivate) }},
		{"log_level", "log level: debug, info, warn, error", func(v string) error {
			switch v {
			case "debug", "info", "warn", "error":
				c.LogLevel = v
				return nil
			}
			return fmt.Errorf("want debug, info, warn or error")
		}, func() string { return c.LogLevel }},
		dur("fetch_timeout", "timeout of one HTTP fetch", &c.FetchTimeout),
		integer("max_body_bytes", "largest fetched document in bytes", &c.MaxBodyBytes),
		{"fetch_concurrency", "parallel fetches", func(v string) error {
			n, err := strconv.Atoi(v)
			if err == nil && n <= 0 {
				err = fmt.Errorf("must be positive")
			}
			c.FetchConcurrency = n
			return err
		}, func() string { return strconv.Itoa(c.FetchConcurrency) }},
		dur("per_host_interval", "minimum time between requests to one host", &c.PerHostInterval),
		dur("poll_interval", "time between fetches of a healthy feed", &c.PollInterval),
		str("user_agent", "User-Agent of fetches", &c.UserAgent),
		dur("story_window", "how long a story stays open to new reports after its last one", &c.StoryWindow),
		dur("alert_retention", "how long finished alert deliveries and their attempt log are kept", &c.AlertRetention),
		{"nearby_km", "distance within which a story's focus counts as nearby for the lens", func(v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil && f <= 0 {
				err = fmt.Errorf("must be positive")
			}
			c.NearbyKm = f
			return err
		}, func() string { return strconv.FormatFloat(c.NearbyKm, 'f', -1, 64) }},
		str("llm_url", "OpenAI-compatible base URL (e.g. http://127.0.0.1:11434/v1) that polishes lens prose; empty: off", &c.LLMURL),
		str("llm_model", "model name for llm_url", &c.LLMModel),
		str("llm_key", "bearer key for llm_url, if it needs one", &c.LLMKey),
		str("cors_origins", "comma-separated origins allowed to call the API from a browser (\"*\" for any)", &c.CORSOrigins),
		str("default_place", "place of the web briefing when the reader names none and none is remembered (e.g. \"Istanbul\"); empty: show only the form", &c.DefaultPlace),
	}
}

// EnvName is the environment variable of a setting key ("db" → VANTAGE_DB).
func EnvName(key string) string { return "VANTAGE_" + strings.ToUpper(key) }

func flagName(key string) string { return strings.ReplaceAll(key, "_", "-") }

// Loader binds settings to a command's flag set and resolves them after parsing.
type Loader struct {
	pending map[string]string
	order   []string
	file    string
}

// Bind registers --config and the flags of the given setting keys (all when none
// are named) on fs.
func Bind(fs *flag.FlagSet, keys ...string) *Loader {
	l := &Loader{pending: map[string]string{}}
	defaults := Default()
	all := defaults.settings()
	byKey := map[string]setting{}
	for _, s := range all {
		byKey[s.key] = s
	}
	if len(keys) == 0 {
		for _, s := range all {
			keys = append(keys, s.key)
		}
	}
	fs.StringVar(&l.file, "config", "", "TOML config file (env VANTAGE_CONFIG)")
	for _, k := range keys {
		s, ok := byKey[k]
		if !ok {
			panic("config: unknown setting " + k) // programming error
		}
		usage := fmt.Sprintf("%s (env %s, default %q)", s.usage, EnvName(k), s.get())
		fs.Func(flagName(k), usage, func(v string) error {
			if _, seen := l.pending[k]; !seen {
				l.order = append(l.order, k)
			}
			l.pending[k] = v
			return nil
		})
	}
	return l
}

// Load resolves the configuration after fs.Parse: defaults, then the TOML file,
// then the environment (getenv, usually os.Getenv), then flags.
func (l *Loader) Load(getenv func(string) string) (Config, error) {
	cfg := Default()
	byKey := map[string]setting{}
	for _, s := range cfg.settings() {
		byKey[s.key] = s
	}
	file := l.file
	if file == "" {
		file = getenv("VANTAGE_CONFIG")
	}
	if file != "" {
		var raw map[string]any
		if _, err := toml.DecodeFile(file, &raw); err != nil {
			return cfg, fmt.Errorf("config file %s: %w", file, err)
		}
		keys := make([]string, 0, len(raw))
		for k := range raw {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s, ok := byKey[k]
			if !ok {
				return cfg, fmt.Errorf("config file %s: unknown key %q (known: %s)", file, k, strings.Join(Keys(), ", "))
			}
			if err := s.set(fmt.Sprint(raw[k])); err != nil {
				return cfg, fmt.Errorf("config file %s: %s: %w", file, k, err)
			}
		}
	}
	for _, s := range cfg.settings() {
		if v := getenv(EnvName(s.key)); v != "" {
			if err := byKey[s.key].set(v); err != nil {
				return cfg, fmt.Errorf("env %s: %w", EnvName(s.key), err)
			}
		}
	}
	for _, k := range l.order {
		if err := byKey[k].set(l.pending[k]); err != nil {
			return cfg, fmt.Errorf("flag --%s: %w", flagName(k), err)
		}
	}
	return cfg, nil
}

// Keys lists every setting key.
func Keys() []string {
	c := Default()
	var out []string
	for _, s := range c.settings() {
		out = append(out, s.key)
	}
	return out
}
