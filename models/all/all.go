// Package all registers every architecture govlm supports. Import it for
// its side effects:
//
//	import _ "github.com/govlm/govlm/models/all"
package all

import (
	_ "github.com/govlm/govlm/models/gemma"
	_ "github.com/govlm/govlm/models/gemma3"
	_ "github.com/govlm/govlm/models/idefics3"
	_ "github.com/govlm/govlm/models/llama"
	_ "github.com/govlm/govlm/models/paligemma"
	_ "github.com/govlm/govlm/models/qwen2"
	_ "github.com/govlm/govlm/models/qwen2vl"
)
