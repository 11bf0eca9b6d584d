package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	l := Bind(fs)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return l.Load(func(k string) string { return env[k] })
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "v.toml")
	if err := os.WriteFile(file, []byte("db = \"file.db\"\naddr = \"127.0.0.1:1\"\nfetch_timeout = \"5s\"\nallow_private = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantDB   string
		wantAddr string
	}{
		{"defaults", nil, nil, "vantage.db", "127.0.0.1:8080"},
		{"file", []string{"--config", file}, nil, "file.db", "127.0.0.1:1"},
		{"env over file", []string{"--config", file}, map[string]string{"VANTAGE_DB": "env.db"}, "env.db", "127.0.0.1:1"},
		{"flag over env", []string{"--config", file, "--db", "flag.db"}, map[string]string{"VANTAGE_DB": "env.db"}, "flag.db", "127.0.0.1:1"},
		{"config from env", nil, map[string]string{"VANTAGE_CONFIG": file}, "file.db", "127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(t, tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if c.DB != tt.wantDB || c.Addr != tt.wantAddr {
				t.Errorf("db=%q addr=%q, want %q %q", c.DB, c.Addr, tt.wantDB, tt.wantAddr)
			}
		})
	}
	c, err := load(t, []string{"--config", file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.FetchTimeout != 5*time.Second || !c.AllowPrivate {
		t.Errorf("typed values from file: %+v", c)
	}
	if c.AlertRetention != 30*24*time.Hour {
		t.Errorf("default alert_retention %s, want 720h", c.AlertRetention)
	}
	if c, err := load(t, nil, map[string]string{"VANTAGE_ALERT_RETENTION": "72h"}); err != nil || c.AlertRetention != 72*time.Hour {
		t.Errorf("VANTAGE_ALERT_RETENTION=72h: %v, %v", c.AlertRetention, err)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	unknown := filepath.Join(dir, "u.toml")
	os.WriteFile(unknown, []byte("db = \"x\"\ndatabase_url = \"y\"\n"), 0o600)
	badType := filepath.Join(dir, "b.toml")
	os.WriteFile(badType, []byte("fetch_timeout = \"soon\"\n"), 0o600)
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown key", []string{"--config", unknown}, nil, `unknown key "database_url"`},
		{"bad duration", []string{"--config", badType}, nil, "fetch_timeout"},
		{"bad env", nil, map[string]string{"VANTAGE_FETCH_CONCURRENCY": "-2"}, "VANTAGE_FETCH_CONCURRENCY"},
		{"bad flag", []string{"--log-level", "loud"}, nil, "--log-level"},
		{"missing file", []string{"--config", filepath.Join(dir, "none.toml")}, nil, "none.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.args, tt.env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}
