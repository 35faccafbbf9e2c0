//go:build unix || windows

package hub

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const lockHelperEnv = "GOVLM_HUB_LOCK_HELPER"

// TestMain lets the test binary act as a second process holding a lock.
func TestMain(m *testing.M) {
	if p := os.Getenv(lockHelperEnv); p != "" {
		l, err := acquireLock(context.Background(), p)
		if err != nil {
			os.Exit(2)
		}
		os.Stdout.WriteString("locked\n")
		bufio.NewReader(os.Stdin).ReadString('\n') // hold until the parent closes stdin
		l.release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestLockAcrossProcesses: a blob lock held by another process keeps this
// one waiting until it is released.
func TestLockAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no executable path:", err)
	}
	p := filepath.Join(t.TempDir(), "blob.lock")
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+p)
	stdin, err := cmd.StdinPipe()
	must(t, err)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	defer cmd.Wait()
	defer stdin.Close()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "locked\n" {
		t.Fatalf("helper: %q, %v", line, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*lockPollInterval)
	defer cancel()
	if _, err := acquireLock(ctx, p); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lock held by another process: %v, want DeadlineExceeded", err)
	}
	stdin.Close()
	l, err := acquireLock(context.Background(), p)
	if err != nil {
		t.Fatalf("after the other process let go: %v", err)
	}
	must(t, l.release())
}

// TestLockMatchesFlockTool: a lock taken with flock(2) by another program,
// as Python's filelock takes it on Unix, is honoured.
func TestLockMatchesFlockTool(t *testing.T) {
	tool, err := exec.LookPath("flock")
	if err != nil || testing.Short() {
		t.Skip("flock(1) not installed or -short")
	}
	p := filepath.Join(t.TempDir(), "blob.lock")
	cmd := exec.Command(tool, p, "sh", "-c", "echo locked; read x")
	stdin, err := cmd.StdinPipe()
	must(t, err)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	defer cmd.Wait()
	defer stdin.Close()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "locked\n" {
		t.Fatalf("flock: %q, %v", line, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*lockPollInterval)
	defer cancel()
	if _, err := acquireLock(ctx, p); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lock held by flock(1): %v, want DeadlineExceeded", err)
	}
	stdin.Close()
	cmd.Wait()
	l, err := acquireLock(context.Background(), p)
	if err != nil {
		t.Fatalf("after flock(1) let go: %v", err)
	}
	must(t, l.release())
}
