package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/govlm/govlm/vlm"
)

func runList(args []string, stdout, stderr io.Writer, _ io.Reader) error {
	fs := newFlagSet("list", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Supported architectures (config.json model_type):")
	for _, t := range vlm.ModelTypes() {
		fmt.Fprintf(stdout, "  %s\n", t)
	}
	fmt.Fprintln(stdout, "\nProcessor classes:")
	for _, p := range vlm.ProcessorClasses() {
		fmt.Fprintf(stdout, "  %s\n", p)
	}
	fmt.Fprintln(stdout, "\nKnown configurations:")
	for _, c := range vlm.Configurations() {
		line := "  " + c.Name()
		if c.Name() == DefaultModel {
			line += "  (default)"
		}
		if c.DefaultPrompt != "" {
			line += fmt.Sprintf("  prompt: %q", c.DefaultPrompt)
		}
		if len(c.ExtraEOSTokens) > 0 {
			line += "  extra EOS: " + strings.Join(c.ExtraEOSTokens, " ")
		}
		fmt.Fprintln(stdout, line)
	}
	return nil
}
