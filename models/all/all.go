// Package all registers every architecture govlm supports. Import it for
// its side effects:
//
//	import _ "github.com/govlm/govlm/models/all"
package all
