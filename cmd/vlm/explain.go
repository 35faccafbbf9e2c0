package main

import (
	"errors"
	"io/fs"
	"net"
	"strings"

	"github.com/govlm/govlm/hub"
	"github.com/govlm/govlm/vlm"
)

// explain turns an error into the one line vlm prints: the error's own
// message, plus what to do for the failures a new user meets first (no
// network, offline mode, a gated model).
func explain(err error) string {
	msg := oneLine(err.Error())
	var (
		notCached *hub.NotCachedError
		auth      *hub.AuthError
		netErr    net.Error
		dnsErr    *net.DNSError
		opErr     *net.OpError
		pathErr   *fs.PathError
		vlmErr    *vlm.Error
	)
	switch {
	case errors.As(err, &notCached):
		if notCached.Offline {
			return msg // the hub package already says how to leave offline mode
		}
		return msg + " (download the model once online, or pass --model with a local folder)"
	case errors.As(err, &auth):
		return msg + " (the model is gated or private: accept its licence on huggingface.co and set HF_TOKEN)"
	case errors.As(err, &vlmErr) && (vlmErr.Kind == vlm.KindImageProcessing || vlmErr.Kind == vlm.KindVideoProcessing):
		return msg // a media file or URL, not the hub
	case errors.As(err, &pathErr):
		return msg // a local file; its errno would pass for a net.Error below
	case errors.As(err, &dnsErr), errors.As(err, &opErr), errors.As(err, &netErr):
		return "cannot reach the Hugging Face hub: " + msg + " (check the network or HF_ENDPOINT, or pass --model with a local model folder)"
	}
	return msg
}

// oneLine folds a multi-line message onto one line.
func oneLine(s string) string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	return strings.Join(fields, "; ")
}
