package hub

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// clearHFEnv unsets every variable NewClient reads, for the test's duration.
func clearHFEnv(t *testing.T) {
	for _, k := range []string{"HF_ENDPOINT", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME",
		"XDG_CACHE_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HUB_OFFLINE", "HF_HUB_DOWNLOAD_TIMEOUT"} {
		t.Setenv(k, "")
	}
}

func TestNewClientFromEnvironment(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	hfHome := filepath.Join(home, "hf")
	must(t, os.MkdirAll(hfHome, 0o755))
	must(t, os.WriteFile(filepath.Join(hfHome, "token"), []byte("hf_fromfile\n"), 0o600))
	tokenPath := filepath.Join(home, "elsewhere-token")
	must(t, os.WriteFile(tokenPath, []byte(" hf_frompath "), 0o600))

	cases := []struct {
		name string
		env  map[string]string
		want Client
	}{
		{name: "defaults", env: nil,
			want: Client{Endpoint: DefaultEndpoint, CacheDir: filepath.Join(home, ".cache", "huggingface", "hub")}},
		{name: "xdg", env: map[string]string{"XDG_CACHE_HOME": filepath.Join(home, "xdg")},
			want: Client{Endpoint: DefaultEndpoint, CacheDir: filepath.Join(home, "xdg", "huggingface", "hub")}},
		{name: "hf home and its token file", env: map[string]string{"HF_HOME": hfHome},
			want: Client{Endpoint: DefaultEndpoint, Token: "hf_fromfile", CacheDir: filepath.Join(hfHome, "hub")}},
		{name: "token path", env: map[string]string{"HF_HOME": hfHome, "HF_TOKEN_PATH": tokenPath},
			want: Client{Endpoint: DefaultEndpoint, Token: "hf_frompath", CacheDir: filepath.Join(hfHome, "hub")}},
		{name: "env token wins", env: map[string]string{"HF_HOME": hfHome, "HF_TOKEN": "hf_env"},
			want: Client{Endpoint: DefaultEndpoint, Token: "hf_env", CacheDir: filepath.Join(hfHome, "hub")}},
		{name: "legacy token", env: map[string]string{"HUGGING_FACE_HUB_TOKEN": "hf_old"},
			want: Client{Endpoint: DefaultEndpoint, Token: "hf_old", CacheDir: filepath.Join(home, ".cache", "huggingface", "hub")}},
		{name: "hub cache wins", env: map[string]string{"HF_HOME": hfHome, "HF_HUB_CACHE": "/data/hub", "HUGGINGFACE_HUB_CACHE": "/old"},
			want: Client{Endpoint: DefaultEndpoint, Token: "hf_fromfile", CacheDir: "/data/hub"}},
		{name: "legacy hub cache", env: map[string]string{"HUGGINGFACE_HUB_CACHE": "/old"},
			want: Client{Endpoint: DefaultEndpoint, CacheDir: "/old"}},
		{name: "tilde", env: map[string]string{"HF_HUB_CACHE": "~/models"},
			want: Client{Endpoint: DefaultEndpoint, CacheDir: filepath.Join(home, "models")}},
		{name: "endpoint, offline, timeout", env: map[string]string{"HF_ENDPOINT": "https://hf-mirror.com/", "HF_HUB_OFFLINE": "1", "HF_HUB_DOWNLOAD_TIMEOUT": "2.5"},
			want: Client{Endpoint: "https://hf-mirror.com", CacheDir: filepath.Join(home, ".cache", "huggingface", "hub"), Offline: true, Timeout: 2500 * time.Millisecond}},
		{name: "bad timeout", env: map[string]string{"HF_HUB_DOWNLOAD_TIMEOUT": "soon"},
			want: Client{Endpoint: DefaultEndpoint, CacheDir: filepath.Join(home, ".cache", "huggingface", "hub")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearHFEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			got := NewClient()
			if got.Endpoint != tc.want.Endpoint || got.Token != tc.want.Token || got.CacheDir != tc.want.CacheDir ||
				got.Offline != tc.want.Offline || got.Timeout != tc.want.Timeout {
				t.Errorf("NewClient() = {%q %q %q %v %v}, want {%q %q %q %v %v}", got.Endpoint, got.Token, got.CacheDir, got.Offline, got.Timeout,
					tc.want.Endpoint, tc.want.Token, tc.want.CacheDir, tc.want.Offline, tc.want.Timeout)
			}
		})
	}
}

func TestOfflineValues(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "ON": true, "yes": true, "True": true, "0": false, "": false, "off": false, "2": false} {
		t.Setenv("HF_HUB_OFFLINE", v)
		if got := envTrue("HF_HUB_OFFLINE"); got != want {
			t.Errorf("HF_HUB_OFFLINE=%q: offline %v, want %v", v, got, want)
		}
	}
}

func TestSettingsDefaults(t *testing.T) {
	clearHFEnv(t)
	s := (&Client{Endpoint: "http://x/", MaxRetries: -1}).settings()
	if s.endpoint != "http://x" || s.concurrency != 4 || s.maxRetries != 0 || s.backoff != 500*time.Millisecond || s.userAgent == "" {
		t.Errorf("settings = %+v", s)
	}
	if s.httpClient.CheckRedirect == nil || defaultHTTPClient.CheckRedirect != nil {
		t.Error("redirects must be followed by hand without changing the shared client")
	}
	waits := []time.Duration{s.retryWait(1), s.retryWait(2), s.retryWait(3), s.retryWait(40)}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 15 * time.Second}
	for i := range waits {
		if waits[i] != want[i] {
			t.Errorf("retryWait(%d) = %v, want %v", []int{1, 2, 3, 40}[i], waits[i], want[i])
		}
	}
}
