package hub_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/govlm/govlm/hub"
)

// A command-line tool downloads what a model needs, drawing a progress bar on
// stderr (pass term.IsTerminal(int(os.Stderr.Fd())) from golang.org/x/term as
// the second argument of NewProgressBar).
func ExampleClient_Snapshot() {
	id, rev, err := hub.ParseRepoID("HuggingFaceTB/SmolVLM-256M-Instruct@main")
	if err != nil {
		log.Fatal(err)
	}
	c := hub.NewClient() // HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE
	bar := hub.NewProgressBar(os.Stderr, false)
	dir, err := c.Snapshot(context.Background(), id, rev, hub.DefaultPatterns, bar.Update)
	bar.Done()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("model files in", dir)
}

func ExampleParseRepoID() {
	id, rev, err := hub.ParseRepoID("Qwen/Qwen2-VL-2B-Instruct@refs/pr/12")
	fmt.Println(id, rev, err)
	_, _, err = hub.ParseRepoID("Qwen/../etc")
	fmt.Println(err)
	// Output:
	// Qwen/Qwen2-VL-2B-Instruct refs/pr/12 <nil>
	// hub: invalid repository id "Qwen/../etc": more than one '/' (want "org/name" or "name")
}
