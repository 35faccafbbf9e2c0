// Package hub downloads model snapshots from the Hugging Face Hub into the
// standard Hugging Face cache, the same layout Python's huggingface_hub uses,
// so a cache filled by either one is reused by the other.
//
// # Cache layout
//
// The cache root is $HF_HUB_CACHE, else $HF_HOME/hub, else
// $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. A model
// repository "org/name" lives in models--org--name:
//
//	models--org--name/
//	  blobs/<etag>                       file contents, named by ETag (git SHA-1, or SHA-256 for LFS files)
//	  blobs/<etag>.incomplete            a download in progress, resumed with a Range request
//	  refs/<revision>                    the commit hash a branch or tag pointed to (no newline)
//	  snapshots/<commit>/<file>          relative symlink to ../../blobs/<etag>
//	  .govlm/listings/<commit>.json      govlm only: the file list of that commit
//	.locks/models--org--name/<etag>.lock one lock file per blob, shared with Python
//
// Where the file system refuses symlinks, the snapshot entry becomes a hard
// link to the blob, or a copy where hard links fail too.
//
// The listing file is the one addition to huggingface_hub's layout: a commit's
// file list never changes, so keeping it lets a second [Client.Snapshot] of a
// complete snapshot finish without touching the network. huggingface_hub
// ignores the extra folder.
//
// # Network
//
// [Client.Snapshot] lists a revision's files through the model info API
// (GET /api/models/{repo}/revision/{rev}), keeps those matching the caller's
// glob patterns, reads each file's metadata with a HEAD request on
// {endpoint}/{repo}/resolve/{commit}/{file}, then downloads the missing blobs a
// few at a time. Redirects to another host (the CDN serving LFS files) never
// carry the Authorization header. Transient failures (connection errors, 5xx,
// 429, a transfer silent for longer than Client.Timeout) are retried with
// exponential backoff or the server's Retry-After, an interrupted transfer
// resumes where it stopped with a Range request, and a CDN link that expired
// is asked for again. Every blob is checked against its expected size, and
// against its SHA-256 when its ETag is one, before it is renamed into place.
// When the hub cannot be reached at all, a snapshot the cache holds in full
// is returned, as huggingface_hub does.
//
// Failures callers may act on are typed: [*AuthError], [*NotFoundError],
// [*NotCachedError], [*IntegrityError], [*UnsafePathError], [*RepoIDError],
// [*RevisionError], [*PatternError], [*HTTPError] and [*ResponseError]; use
// errors.As. Context cancellation comes back wrapped: errors.Is(err,
// context.Canceled) holds, and the partial download stays for the next call.
package hub
