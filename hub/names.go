package hub

import (
	"path/filepath"
	"runtime"
	"strings"
)

// DefaultRevision is the branch used when the caller names none.
const DefaultRevision = "main"

const maxRepoPart = 96

// ParseRepoID splits "org/name" or "org/name@revision" into a repository id
// and a revision (empty when none is given); repository ids never hold '@',
// so the first one splits. A bare "name" is accepted too,
// as the hub still serves a few models without an organisation. The id
// follows the hub's rules: one or two parts of letters, digits, '_', '-' and
// '.', each starting and ending with a letter, digit or '_', no "--" or "..",
// and at most 96 characters a part.
func ParseRepoID(s string) (id, revision string, err error) {
	id = s
	if at := strings.IndexByte(s, '@'); at >= 0 {
		id, revision = s[:at], s[at+1:]
		if err := checkRevision(revision); err != nil {
			return "", "", err
		}
	}
	if err := checkRepoID(id); err != nil {
		return "", "", err
	}
	return id, revision, nil
}

// checkRepoID validates a repository id as the hub does.
func checkRepoID(id string) error {
	if id == "" {
		return &RepoIDError{ID: id, Reason: "empty"}
	}
	parts := strings.Split(id, "/")
	if len(parts) > 2 {
		return &RepoIDError{ID: id, Reason: "more than one '/'"}
	}
	if strings.Contains(id, "--") || strings.Contains(id, "..") {
		return &RepoIDError{ID: id, Reason: `"--" and ".." are not allowed`}
	}
	if strings.HasSuffix(id, ".git") {
		return &RepoIDError{ID: id, Reason: `must not end with ".git"`}
	}
	for _, p := range parts {
		if p == "" {
			return &RepoIDError{ID: id, Reason: "empty part"}
		}
		if len(p) > maxRepoPart {
			return &RepoIDError{ID: id, Reason: "a part is longer than 96 characters"}
		}
		for i := 0; i < len(p); i++ {
			c := p[i]
			word := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
			if !word && c != '-' && c != '.' {
				return &RepoIDError{ID: id, Reason: "only letters, digits, '_', '-' and '.' are allowed"}
			}
			if !word && (i == 0 || i == len(p)-1) {
				return &RepoIDError{ID: id, Reason: "a part must start and end with a letter, digit or '_'"}
			}
		}
	}
	return nil
}

// checkRevision validates a branch, tag or commit name. A revision becomes a
// path under refs/, so it must be a clean relative path.
func checkRevision(rev string) error {
	if rev == "" {
		return &RevisionError{Revision: rev, Reason: "empty"}
	}
	if len(rev) > 255 {
		return &RevisionError{Revision: rev, Reason: "longer than 255 bytes"}
	}
	if reason := relPathProblem(rev); reason != "" {
		return &RevisionError{Revision: rev, Reason: reason}
	}
	return nil
}

// isCommitHash reports whether s is a full 40-hex-digit commit hash, the only
// form huggingface_hub treats as a commit rather than a branch or tag.
func isCommitHash(s string) bool {
	return len(s) == 40 && isLowerHex(s)
}

// isSHA256 reports whether s is a 64-hex-digit SHA-256, the ETag of LFS files.
func isSHA256(s string) bool {
	return len(s) == 64 && isLowerHex(s)
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// checkFileName validates a file name sent by the server before it becomes a
// path below snapshots/<commit>/.
func checkFileName(repo, name string) error {
	if reason := relPathProblem(name); reason != "" {
		return &UnsafePathError{Repo: repo, Name: name, What: "file name", Reason: reason}
	}
	return nil
}

// checkETag validates an ETag before it becomes a blob file name: the hub's
// are hex digests; anything beyond letters, digits, '-' and '_' is refused,
// so that no ETag can name a path, a ".incomplete" file or a hidden file.
func checkETag(repo, etag string) error {
	if etag == "" || len(etag) > 128 {
		return &UnsafePathError{Repo: repo, Name: etag, What: "etag", Reason: "empty or longer than 128 bytes"}
	}
	for i := 0; i < len(etag); i++ {
		c := etag[i]
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return &UnsafePathError{Repo: repo, Name: etag, What: "etag", Reason: "only letters, digits, '-' and '_' are allowed"}
		}
	}
	return nil
}

// checkCommit validates a commit hash from the server before it becomes a
// snapshot folder name.
func checkCommit(repo, commit string) error {
	if !isCommitHash(commit) {
		return &UnsafePathError{Repo: repo, Name: commit, What: "commit", Reason: "not a 40-digit lowercase hex hash"}
	}
	return nil
}

// relPathProblem says why a slash-separated name is not a safe relative path
// on this system, or returns "" when it is. Backslashes are refused on every
// system: on Windows they separate paths, and a cache may be shared.
func relPathProblem(name string) string {
	switch {
	case name == "":
		return "empty"
	case strings.HasPrefix(name, "/"):
		return "absolute path"
	case strings.ContainsRune(name, '\\'):
		return "backslash in name"
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] == 0x7f {
			return "control character in name"
		}
	}
	for _, part := range strings.Split(name, "/") {
		switch part {
		case "":
			return "empty path element"
		case ".", "..":
			return "'.' or '..' path element"
		}
	}
	if runtime.GOOS == "windows" && strings.ContainsRune(name, ':') {
		return "':' in name (drive letter or stream)"
	}
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return "not a local path on this system"
	}
	return ""
}
