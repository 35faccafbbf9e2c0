package hub

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// envSeconds reads a positive number of seconds, or 0 when unset or invalid.
func envSeconds(key string) time.Duration {
	v, err := strconv.ParseFloat(strings.TrimSpace(os.Getenv(key)), 64)
	if err != nil || v <= 0 || v > 1e6 {
		return 0
	}
	return time.Duration(v * float64(time.Second))
}

func envEndpoint() string {
	if e := strings.TrimSpace(os.Getenv("HF_ENDPOINT")); e != "" {
		return strings.TrimRight(e, "/")
	}
	return DefaultEndpoint
}

// hfHome is $HF_HOME, else $XDG_CACHE_HOME/huggingface, else
// ~/.cache/huggingface.
func hfHome() string {
	if h := os.Getenv("HF_HOME"); h != "" {
		return expandHome(h)
	}
	if x := os.Getenv("XDG_CACHE_HOME"); x != "" {
		return filepath.Join(expandHome(x), "huggingface")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, ".cache", "huggingface")
}

func envCacheDir() string {
	for _, k := range []string{"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"} {
		if d := os.Getenv(k); d != "" {
			return expandHome(d)
		}
	}
	return filepath.Join(hfHome(), "hub")
}

func envToken() string {
	for _, k := range []string{"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"} {
		if t := strings.TrimSpace(os.Getenv(k)); t != "" {
			return t
		}
	}
	path := os.Getenv("HF_TOKEN_PATH")
	if path == "" {
		path = filepath.Join(hfHome(), "token")
	}
	b, err := os.ReadFile(expandHome(path))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func envTrue(key string) bool {
	switch strings.ToUpper(strings.TrimSpace(os.Getenv(key))) {
	case "1", "ON", "YES", "TRUE":
		return true
	}
	return false
}

// expandHome replaces a leading "~" with the user's home folder.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}
