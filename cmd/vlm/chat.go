package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"golang.org/x/term"

	"github.com/govlm/govlm/vlm"
)

const chatHelp = `Type a message and press Enter. Commands:
  /image PATH|URL   attach an image to your next message
  /video PATH|URL   attach a video to your next message
  /reset            forget the conversation (and the KV cache)
  /stats            statistics of the last answer
  /help             this text
  /quit             leave (also Ctrl-D)`

// lineReader reads the user's lines: with editing and history on a
// terminal, plainly from a pipe.
type lineReader interface {
	ReadLine() (string, error)
}

type plainReader struct{ s *bufio.Scanner }

func (r plainReader) ReadLine() (string, error) {
	if r.s.Scan() {
		return r.s.Text(), nil
	}
	if err := r.s.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

// newLineReader returns a terminal line editor when stdin and stdout are a
// terminal, and a plain line scanner otherwise. restore undoes raw mode.
func newLineReader(stdin io.Reader, stdout io.Writer) (r lineReader, out io.Writer, restore func()) {
	in, ok1 := stdin.(*os.File)
	o, ok2 := stdout.(*os.File)
	if ok1 && ok2 && term.IsTerminal(int(in.Fd())) && term.IsTerminal(int(o.Fd())) {
		if state, err := term.MakeRaw(int(in.Fd())); err == nil {
			t := term.NewTerminal(struct {
				io.Reader
				io.Writer
			}{in, o}, "> ")
			return t, t, func() { term.Restore(int(in.Fd()), state) }
		}
	}
	s := bufio.NewScanner(stdin)
	s.Buffer(make([]byte, 64*1024), 16<<20)
	return plainReader{s}, stdout, func() {}
}

func runChat(args []string, stdout, stderr io.Writer, stdin io.Reader) error {
	fs := newFlagSet("chat", stderr)
	var (
		mf     modelFlags
		sf     sampleFlags
		media  mediaFlags
		system = fs.String("system", "", "system message")
	)
	mf.register(fs)
	sf.register(fs)
	media.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	processing, err := media.processing()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	mc, err := mf.load(ctx, stderr)
	if err != nil {
		return err
	}
	defer mc.Close()

	session := vlm.NewSession(mc, sf.parameters())
	session.Processing = processing
	reader, out, restore := newLineReader(stdin, stdout)
	defer restore()
	// Line endings for a terminal in raw mode.
	nl := "\n"
	if _, raw := reader.(*term.Terminal); raw {
		nl = "\r\n"
	}
	say := func(format string, a ...any) {
		fmt.Fprint(out, strings.ReplaceAll(fmt.Sprintf(format, a...), "\n", nl))
	}
	say("%s — /help for commands\n", mc.Configuration.Name())

	var pending []vlm.Part
	var last *vlm.CompletionInfo
	for {
		line, err := reader.ReadLine()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "/") {
			cmd, arg, _ := strings.Cut(line, " ")
			arg = strings.TrimSpace(arg)
			switch cmd {
			case "/quit", "/exit":
				return nil
			case "/help":
				say("%s\n", chatHelp)
			case "/reset":
				session.Reset()
				pending = nil
				say("(conversation reset)\n")
			case "/stats":
				if last == nil {
					say("(no answer yet)\n")
					break
				}
				say("prompt %d tokens (%d from the cache), %.1f tokens/s; generation %d tokens, %.1f tokens/s; first token after %s; peak memory %.2f GB\n",
					last.PromptTokens, session.ReusedTokens(), last.PromptTPS, last.GenerationTokens, last.GenerationTPS,
					last.TimeToFirstToken.Round(1e6), float64(last.PeakMemory)/1e9)
			case "/image", "/video":
				if arg == "" {
					say("usage: %s PATH|URL\n", cmd)
					break
				}
				if cmd == "/image" {
					src := imageSource(arg)
					pending = append(pending, vlm.Part{Image: &src})
				} else {
					src := videoSource(arg)
					pending = append(pending, vlm.Part{Video: &src})
				}
				say("(%s attached to your next message)\n", arg)
			default:
				say("unknown command %s (/help lists them)\n", cmd)
			}
			continue
		}

		var turn []vlm.Message
		if *system != "" && len(session.Messages()) == 0 {
			turn = append(turn, vlm.Text(vlm.RoleSystem, *system))
		}
		turn = append(turn, vlm.Message{Role: vlm.RoleUser, Content: append(pending, vlm.Part{Text: line})})
		pending = nil
		for chunk, err := range session.Respond(ctx, turn...) {
			if err != nil {
				say("\nerror: %s\n", explain(err))
				break
			}
			say("%s", chunk.Text)
			if chunk.Info != nil {
				last = chunk.Info
			}
		}
		say("\n")
		if ctx.Err() != nil {
			return nil
		}
	}
}
