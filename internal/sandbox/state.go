package sandbox

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
)

// loadState restores the Entropy Data state saved by an earlier run of the
// standalone sandbox. The Power BI tenant always starts from its fixture.
func (sb *Sandbox) loadState() error {
	if sb.stateFile == "" {
		return nil
	}
	b, err := os.ReadFile(sb.stateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read sandbox state: %w", err)
	}
	if err := sb.API.Restore(b); err != nil {
		return fmt.Errorf("restore sandbox state from %s: %w", sb.stateFile, err)
	}
	return nil
}

func (sb *Sandbox) saveState() error {
	if sb.stateFile == "" {
		return nil
	}
	b, err := sb.API.Snapshot()
	if err != nil {
		return err
	}
	tmp := sb.stateFile + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write sandbox state: %w", err)
	}
	return os.Rename(tmp, sb.stateFile)
}

// quietLog drops the servers' own error log: TLS handshakes aborted by
// clients that do not trust the sandbox would otherwise clutter test output.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
