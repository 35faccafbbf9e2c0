package hub

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeHub is a loopback stand-in for huggingface.co and its CDN, speaking the
// routes and headers huggingface_hub relies on: the model info API,
// resolve/<rev>/<file> answering regular files directly (ETag = git blob
// SHA-1) and LFS files with a 302 to a second server (X-Linked-Etag = SHA-256,
// X-Linked-Size), X-Repo-Commit, Range requests, X-Error-Code on errors. Its
// fault knobs cut, corrupt or fail answers to exercise the client.
type fakeHub struct {
	hub *httptest.Server
	cdn *httptest.Server

	mu       sync.Mutex
	repos    map[string]*fakeRepo
	token    string         // accepted for gated repositories
	requests int            // every request to either server
	log      []string       // "METHOD host-kind path range"
	cdnAuth  int            // CDN requests that carried Authorization
	hubAuth  int            // hub requests that carried the right token
	blobGets map[string]int // CDN GETs per blob

	// Fault knobs, all keyed by file name.
	cutOnce     map[string]int64         // cut the body after N bytes, once
	corrupt     map[string]bool          // flip a byte of the body
	extraBytes  map[string]bool          // send one byte more than announced
	ignoreRange bool                     // answer Range requests with 200
	stall       map[string]chan struct{} // send half the body, then wait for the client to go
	stalled     chan string              // told the file name when a stall begins
	apiFailures int                      // 503 answers the API gives before working
	apiStalls   int                      // API requests left unanswered before working
	expireOnce  map[string]bool          // the CDN refuses the first link it gets for the file
	badETag     string                   // ETag sent for every file, if set
	badCommit   string                   // commit sha the API reports, if set
	noLinkSize  bool                     // leave X-Linked-Size out of LFS answers
	renamed     map[string]string        // old repo id → new one, answered with a relative 307
}

type fakeRepo struct {
	commits map[string][]fakeFile // commit → files
	refs    map[string]string     // branch or tag → commit
	gated   bool
	extra   []string // sibling names listed but not served (malicious server)
}

type fakeFile struct {
	name string
	data []byte
	lfs  bool
	tag  string // etag, memoized by addRepo
}

func (f fakeFile) etag() string {
	if f.tag != "" {
		return f.tag
	}
	if f.lfs {
		s := sha256.Sum256(f.data)
		return hex.EncodeToString(s[:])
	}
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(f.data))
	h.Write(f.data)
	return hex.EncodeToString(h.Sum(nil))
}

func newFakeHub(t testing.TB) *fakeHub {
	t.Helper()
	f := &fakeHub{repos: map[string]*fakeRepo{}, blobGets: map[string]int{},
		cutOnce: map[string]int64{}, corrupt: map[string]bool{}, extraBytes: map[string]bool{},
		stall: map[string]chan struct{}{}, expireOnce: map[string]bool{}}
	f.hub = httptest.NewServer(http.HandlerFunc(f.serveHub))
	f.cdn = httptest.NewServer(http.HandlerFunc(f.serveCDN))
	t.Cleanup(f.cdn.Close)
	t.Cleanup(f.hub.Close)
	return f
}

// client returns a Client on a fresh cache pointed at the fake hub.
func (f *fakeHub) client(t testing.TB) *Client {
	return &Client{Endpoint: f.hub.URL, CacheDir: t.TempDir(), RetryBackoff: time.Millisecond, Concurrency: 3}
}

func (f *fakeHub) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func (f *fakeHub) record(kind string, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.log = append(f.log, strings.TrimSpace(fmt.Sprintf("%s %s %s %s", r.Method, kind, r.URL.EscapedPath(), r.Header.Get("Range"))))
	if kind == "cdn" && r.Header.Get("Authorization") != "" {
		f.cdnAuth++
	}
	if kind == "hub" && f.token != "" && r.Header.Get("Authorization") == "Bearer "+f.token {
		f.hubAuth++
	}
}

func (f *fakeHub) logged() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

// addRepo registers repo with one commit reachable from main.
func (f *fakeHub) addRepo(id, commit string, files []fakeFile) *fakeRepo {
	for i := range files {
		files[i].tag = files[i].etag()
	}
	r := &fakeRepo{commits: map[string][]fakeFile{commit: files}, refs: map[string]string{"main": commit}}
	f.mu.Lock()
	f.repos[id] = r
	f.mu.Unlock()
	return r
}

func hubError(w http.ResponseWriter, status int, code, msg string) {
	if code != "" {
		w.Header().Set("X-Error-Code", code)
	}
	w.Header().Set("X-Error-Message", msg)
	http.Error(w, msg, status)
}

func (f *fakeHub) serveHub(w http.ResponseWriter, r *http.Request) {
	f.record("hub", r)
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
		segs[i] = u
	}
	for old, now := range f.renamed {
		if p := r.URL.EscapedPath(); strings.Contains(p, "/"+old+"/") {
			w.Header().Set("Location", strings.Replace(p, "/"+old+"/", "/"+now+"/", 1))
			w.WriteHeader(http.StatusTemporaryRedirect)
			return
		}
	}
	if len(segs) > 3 && segs[0] == "api" && segs[1] == "models" {
		f.serveInfo(w, r, segs[2:])
		return
	}
	for i := 1; i <= 2 && i+1 < len(segs); i++ {
		if segs[i] == "resolve" {
			f.serveResolve(w, r, strings.Join(segs[:i], "/"), segs[i+1], strings.Join(segs[i+2:], "/"))
			return
		}
	}
	http.NotFound(w, r)
}

// lookup finds repo and the commit a revision names.
func (f *fakeHub) lookup(w http.ResponseWriter, id, rev string) (*fakeRepo, string, bool) {
	f.mu.Lock()
	repo := f.repos[id]
	f.mu.Unlock()
	if repo == nil {
		hubError(w, http.StatusNotFound, "RepoNotFound", "Repository not found")
		return nil, "", false
	}
	commit, ok := repo.refs[rev]
	if !ok {
		if _, isCommit := repo.commits[rev]; !isCommit {
			hubError(w, http.StatusNotFound, "RevisionNotFound", "Invalid rev id: "+rev)
			return nil, "", false
		}
		commit = rev
	}
	return repo, commit, true
}

func (f *fakeHub) serveInfo(w http.ResponseWriter, r *http.Request, segs []string) {
	// segs: org, name, "revision", rev  (or name, "revision", rev)
	k := len(segs) - 2
	if k < 1 || segs[k] != "revision" {
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	fail := f.apiFailures > 0
	if fail {
		f.apiFailures--
	}
	stall := !fail && f.apiStalls > 0
	if stall {
		f.apiStalls--
	}
	f.mu.Unlock()
	if stall {
		<-r.Context().Done()
		return
	}
	if fail {
		hubError(w, http.StatusServiceUnavailable, "", "try later")
		return
	}
	repo, commit, ok := f.lookup(w, strings.Join(segs[:k], "/"), segs[k+1])
	if !ok {
		return
	}
	type sibling struct {
		RFilename string `json:"rfilename"`
	}
	info := struct {
		ID       string    `json:"id"`
		SHA      string    `json:"sha"`
		Siblings []sibling `json:"siblings"`
	}{ID: strings.Join(segs[:k], "/"), SHA: commit}
	if f.badCommit != "" {
		info.SHA = f.badCommit
	}
	for _, file := range repo.commits[commit] {
		info.Siblings = append(info.Siblings, sibling{file.name})
	}
	for _, name := range repo.extra {
		info.Siblings = append(info.Siblings, sibling{name})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(info)
}

func (f *fakeHub) serveResolve(w http.ResponseWriter, r *http.Request, id, rev, name string) {
	repo, commit, ok := f.lookup(w, id, rev)
	if !ok {
		return
	}
	if repo.gated && r.Header.Get("Authorization") != "Bearer "+f.token {
		hubError(w, http.StatusUnauthorized, "GatedRepo", "Access to model "+id+" is restricted. You must have access to it and be authenticated to access it.")
		return
	}
	var file *fakeFile
	for i := range repo.commits[commit] {
		if repo.commits[commit][i].name == name {
			file = &repo.commits[commit][i]
		}
	}
	if file == nil {
		hubError(w, http.StatusNotFound, "EntryNotFound", "Entry not found")
		return
	}
	etag := file.etag()
	if f.badETag != "" {
		etag = f.badETag
	}
	h := w.Header()
	h.Set("X-Repo-Commit", commit)
	if file.lfs {
		h.Set("ETag", `"`+etag+`"`)
		h.Set("X-Linked-Etag", `"`+etag+`"`)
		if !f.noLinkSize {
			h.Set("X-Linked-Size", strconv.Itoa(len(file.data)))
		}
		h.Set("Location", f.cdn.URL+"/blobs/"+file.etag()+"?file="+url.QueryEscape(name))
		w.WriteHeader(http.StatusFound)
		return
	}
	h.Set("ETag", `W/"`+etag+`"`)
	f.serveBody(w, r, file)
}

func (f *fakeHub) serveCDN(w http.ResponseWriter, r *http.Request) {
	f.record("cdn", r)
	sha := strings.TrimPrefix(r.URL.Path, "/blobs/")
	var file *fakeFile
	f.mu.Lock()
	for _, repo := range f.repos {
		for _, files := range repo.commits {
			for i := range files {
				if files[i].lfs && files[i].etag() == sha {
					file = &files[i]
				}
			}
		}
	}
	if r.Method == http.MethodGet {
		f.blobGets[sha]++
	}
	expired := file != nil && f.expireOnce[file.name]
	if expired {
		delete(f.expireOnce, file.name)
	}
	f.mu.Unlock()
	if file == nil {
		http.NotFound(w, r)
		return
	}
	if expired {
		http.Error(w, "Request has expired", http.StatusForbidden)
		return
	}
	f.serveBody(w, r, file)
}

// serveBody sends a file's content, honouring Range (206) and the fault knobs.
func (f *fakeHub) serveBody(w http.ResponseWriter, r *http.Request, file *fakeFile) {
	data := file.data
	f.mu.Lock()
	cut, doCut := f.cutOnce[file.name]
	if doCut && r.Method == http.MethodGet {
		delete(f.cutOnce, file.name)
	}
	corrupt, extra, ignoreRange := f.corrupt[file.name], f.extraBytes[file.name], f.ignoreRange
	stall := f.stall[file.name]
	f.mu.Unlock()
	if corrupt {
		data = bytes.Clone(data)
		data[len(data)/2] ^= 0xff
	}
	if extra && r.Method == http.MethodGet {
		data = append(bytes.Clone(data), 'x')
	}
	if ignoreRange {
		r.Header.Del("Range")
	}
	if r.Method == http.MethodGet && (doCut || stall != nil) && r.Header.Get("Range") == "" {
		n := int64(len(data) / 2)
		if doCut {
			n = cut
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:n])
		w.(http.Flusher).Flush()
		if stall != nil {
			if f.stalled != nil {
				f.stalled <- file.name
			}
			select {
			case <-r.Context().Done():
			case <-stall:
			}
		}
		panic(http.ErrAbortHandler) // drop the connection mid-body
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// tinyModel is a small generated model repository: regular files and LFS
// weights, one in a subfolder, plus files the default patterns leave out.
func tinyModel() []fakeFile {
	weights := make([]byte, 300_000)
	for i := range weights {
		weights[i] = byte(i*7 + i>>9)
	}
	shard := make([]byte, 70_001)
	for i := range shard {
		shard[i] = byte(i*13 + 5)
	}
	return []fakeFile{
		{name: ".gitattributes", data: []byte("*.safetensors filter=lfs diff=lfs merge=lfs -text\n")},
		{name: "README.md", data: []byte("# tiny\n")},
		{name: "config.json", data: []byte(`{"model_type":"tiny","hidden_size":8}`)},
		{name: "tokenizer.json", data: []byte(`{"version":"1.0","model":{"type":"BPE"}}`)},
		{name: "chat_template.jinja", data: []byte("{% for m in messages %}{{ m.content }}{% endfor %}")},
		{name: "model.safetensors", data: weights, lfs: true},
		{name: "extra/shard-00002.safetensors", data: shard, lfs: true},
		{name: "onnx/model.onnx", data: []byte("onnx bytes"), lfs: true},
	}
}

const (
	commitA = "0123456789abcdef0123456789abcdef01234567"
	commitB = "89abcdef0123456789abcdef0123456789abcdef"
)
