package tokenizer_test

import (
	"fmt"
	"os"

	"github.com/govlm/govlm/tokenizer"
)

// A byte-level BPE tokenizer (GPT-2 layout) whose post-processor appends
// <|endoftext|>.
func ExampleFromJSON() {
	data, err := os.ReadFile("testdata/bpe_bytelevel.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	tk, err := tokenizer.FromJSON(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	ids := tk.Encode("Hello world", true)
	fmt.Println(ids)
	fmt.Printf("%q\n", tk.Decode(ids, false))
	fmt.Printf("%q\n", tk.Decode(ids, true))
	// Output:
	// [278 265 279]
	// "Hello world<|endoftext|>"
	// "Hello world"
}

// Streaming decode: text comes out only when it is complete.
func ExampleTokenizer_NewStreamDecoder() {
	data, err := os.ReadFile("testdata/bpe_bytelevel.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	tk, err := tokenizer.FromJSON(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := tk.NewStreamDecoder(true)
	for _, id := range tk.Encode("日本", false) { // six byte tokens
		fmt.Printf("%q ", d.Add(id))
	}
	fmt.Printf("%q\n", d.Flush())
	// Output:
	// "" "" "日" "" "" "本" ""
}
