package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
)

func (m *Main) runStats(ctx context.Context, args []string) error {
	fs, l := m.flags("stats", "")
	cfg, err := m.parseNoArgs(fs, l, args)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.Stats(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(st)
}

func (m *Main) runVersion(ctx context.Context, args []string) error {
	fs, l := m.flags("version", "")
	if _, _, err := m.parse(fs, l, args); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "vantage", m.version())
	return nil
}

func (m *Main) version() string {
	if m.Version != "" {
		return m.Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		return v
	}
	return "dev"
}
