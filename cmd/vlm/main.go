// Command vlm runs vision-language models from Hugging Face checkpoints.
//
//	vlm generate [flags]     answer a prompt about images and videos (the default command)
//	vlm chat [flags]         an interactive session that keeps the KV cache between turns
//	vlm list                 known model configurations and supported architectures
//	vlm tokenize --model M   text on stdin → JSON token ids
//	vlm template --model M --messages FILE.json   render a chat template
//
// With no arguments, vlm generate describes a photograph embedded in the
// binary using HuggingFaceTB/SmolVLM-256M-Instruct, downloaded into the
// Hugging Face cache on first use.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	_ "github.com/govlm/govlm/models/all"
)

// DefaultModel is the model vlm uses when --model is not given.
const DefaultModel = "HuggingFaceTB/SmolVLM-256M-Instruct"

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer, stdin io.Reader) error
}

var commands = []command{
	{"generate", "answer a prompt about images and videos (default)", runGenerate},
	{"chat", "interactive chat that keeps the KV cache between turns", runChat},
	{"list", "known model configurations and supported architectures", runList},
	{"tokenize", "encode stdin with a model's tokenizer, print JSON ids", runTokenize},
	{"template", "render a model's chat template for a messages file", runTemplate},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Stdin))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer, stdin io.Reader) int {
	name := "generate"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		err := c.run(args, stdout, stderr, stdin)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintf(stderr, "vlm %s: %s\n", name, explain(err))
		return 1
	}
	fmt.Fprintf(stderr, "vlm: unknown command %q\n\n", name)
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: vlm <command> [flags]   (vlm <command> -h for its flags)")
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
}

// errUsage reports a command-line mistake already explained to the user.
var errUsage = errors.New("usage")

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("vlm "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args, mapping flag errors to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
