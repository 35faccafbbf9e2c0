package jinja

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func isDictMethod(name string) bool {
	switch name {
	case "items", "keys", "values", "get":
		return true
	}
	return false
}

func isStringMethod(name string) bool {
	switch name {
	case "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith",
		"upper", "lower", "title", "capitalize", "swapcase", "replace", "format", "join", "find", "rfind",
		"count", "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper",
		"removeprefix", "removesuffix", "zfill", "center", "ljust", "rjust", "index", "rindex",
		"partition", "rpartition":
		return true
	}
	return false
}

// callMethod runs a method bound by getAttr.
func (r *renderer) callMethod(m *boundMethod, a callArgs) (any, error) {
	if err := r.charge(m.recv); err != nil {
		return nil, err
	}
	if err := r.charge(a.pos...); err != nil {
		return nil, err
	}
	switch x := m.recv.(type) {
	case string:
		return r.stringMethod(x, m.name, a)
	case *OrderedMap:
		return dictMethod(x, m.name, a)
	case []any, Tuple:
		items, _ := asSeq(x)
		args, err := bindArgs(m.name, a, []string{"value"}, required)
		if err != nil {
			return nil, err
		}
		n := int64(0)
		for i, it := range items {
			if equal(it, args[0]) {
				if m.name == "index" {
					return int64(i), nil
				}
				n++
			}
		}
		if m.name == "index" {
			return nil, errorf("%s is not in list", pyRepr(args[0]))
		}
		return n, nil
	case *loopState:
		return loopMethod(x, m.name, a)
	}
	return nil, errorf("'%s' object has no method '%s'", typeName(m.recv), m.name)
}

func dictMethod(d *OrderedMap, name string, a callArgs) (any, error) {
	switch name {
	case "items", "keys", "values":
		if len(a.pos)+len(a.kwNames) > 0 {
			return nil, errorf("%s() takes no arguments", name)
		}
		out := make([]any, len(d.keys))
		for i, k := range d.keys {
			switch name {
			case "items":
				out[i] = Tuple{k, d.vals[k]}
			case "keys":
				out[i] = k
			default:
				out[i] = d.vals[k]
			}
		}
		return out, nil
	case "get":
		args, err := bindArgs("get", a, []string{"key", "default"}, required, nil)
		if err != nil {
			return nil, err
		}
		if k, ok := args[0].(string); ok {
			if v, ok := d.vals[k]; ok {
				return v, nil
			}
		}
		return args[1], nil
	}
	return nil, errorf("'dict' object has no method '%s'", name)
}

func loopMethod(l *loopState, name string, a callArgs) (any, error) {
	switch name {
	case "cycle":
		if len(a.pos) == 0 {
			return nil, errorf("no items for cycling given")
		}
		return a.pos[l.index0%len(a.pos)], nil
	case "changed":
		if l.hasLast && equalSeq(l.changed, a.pos) {
			return false, nil
		}
		l.changed, l.hasLast = append([]any(nil), a.pos...), true
		return true, nil
	}
	return nil, errorf("loop has no method '%s'", name)
}

// optChars reads the optional "chars" argument of strip and friends.
func optChars(name string, a callArgs) (string, bool, error) {
	args, err := bindArgs(name, a, []string{"chars"}, nil)
	if err != nil {
		return "", false, err
	}
	if args[0] == nil {
		return "", false, nil
	}
	s, ok := args[0].(string)
	if !ok {
		return "", false, errorf("%s arg must be None or str", name)
	}
	return s, true, nil
}

func (r *renderer) stringMethod(s, name string, a callArgs) (any, error) {
	switch name {
	case "strip", "lstrip", "rstrip":
		chars, has, err := optChars(name, a)
		if err != nil {
			return nil, err
		}
		return pyStrip(s, name, chars, has), nil
	case "split", "rsplit":
		args, err := bindArgs(name, a, []string{"sep", "maxsplit"}, nil, int64(-1))
		if err != nil {
			return nil, err
		}
		maxsplit, ok := args[1].(int64)
		if !ok {
			return nil, errorf("%s: maxsplit must be an integer", name)
		}
		if err := checkListLen(countFields(s, args[0])); err != nil {
			return nil, err
		}
		var parts []string
		if args[0] == nil {
			parts = splitWhitespace(s, int(maxsplit), name == "rsplit")
		} else {
			sep, ok := args[0].(string)
			if !ok || sep == "" {
				return nil, errorf("%s: separator must be a non-empty string", name)
			}
			switch {
			case maxsplit < 0:
				parts = strings.Split(s, sep)
			case name == "split":
				parts = strings.SplitN(s, sep, int(maxsplit)+1)
			default:
				parts = rsplitN(s, sep, int(maxsplit))
			}
		}
		return stringsToList(parts), nil
	case "splitlines":
		args, err := bindArgs(name, a, []string{"keepends"}, false)
		if err != nil {
			return nil, err
		}
		return stringsToList(splitLines(s, truthy(args[0]))), nil
	case "startswith", "endswith":
		args, err := bindArgs(name, a, []string{"prefix", "start", "end"}, required, nil, nil)
		if err != nil {
			return nil, err
		}
		sub, err := slice(s, args[1], args[2], nil)
		if err != nil {
			return nil, err
		}
		target := sub.(string)
		var options []any
		switch p := args[0].(type) {
		case string:
			options = []any{p}
		case Tuple:
			options = p
		default:
			return nil, errorf("%s first arg must be str or a tuple of str, not %s", name, typeName(args[0]))
		}
		for _, o := range options {
			p, ok := o.(string)
			if !ok {
				return nil, errorf("%s: tuple items must be str", name)
			}
			if name == "startswith" && strings.HasPrefix(target, p) || name == "endswith" && strings.HasSuffix(target, p) {
				return true, nil
			}
		}
		return false, nil
	case "upper", "lower", "title", "capitalize", "swapcase", "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper":
		if len(a.pos)+len(a.kwNames) > 0 {
			return nil, errorf("%s() takes no arguments", name)
		}
		return stringNoArg(s, name), nil
	case "replace":
		args, err := bindArgs(name, a, []string{"old", "new", "count"}, required, required, int64(-1))
		if err != nil {
			return nil, err
		}
		old, ok1 := args[0].(string)
		nw, ok2 := args[1].(string)
		n, ok3 := args[2].(int64)
		if !ok1 || !ok2 || !ok3 {
			return nil, errorf("replace() expects (str, str[, int])")
		}
		if err := r.checkReplaceSize(s, old, nw); err != nil {
			return nil, err
		}
		return strings.Replace(s, old, nw, int(n)), nil
	case "removeprefix", "removesuffix":
		args, err := bindArgs(name, a, []string{"fix"}, required)
		if err != nil {
			return nil, err
		}
		fix, ok := args[0].(string)
		if !ok {
			return nil, errorf("%s() argument must be str", name)
		}
		if name == "removeprefix" {
			return strings.TrimPrefix(s, fix), nil
		}
		return strings.TrimSuffix(s, fix), nil
	case "format":
		return pyFormat(s, a, r.opts.MaxOutputBytes)
	case "zfill", "center", "ljust", "rjust":
		return r.padMethod(s, name, a)
	case "partition", "rpartition":
		args, err := bindArgs(name, a, []string{"sep"}, required)
		if err != nil {
			return nil, err
		}
		sep, ok := args[0].(string)
		if !ok || sep == "" {
			return nil, errorf("%s: separator must be a non-empty string", name)
		}
		i := strings.Index(s, sep)
		if name == "rpartition" {
			i = strings.LastIndex(s, sep)
		}
		if i < 0 {
			if name == "rpartition" {
				return Tuple{"", "", s}, nil
			}
			return Tuple{s, "", ""}, nil
		}
		return Tuple{s[:i], sep, s[i+len(sep):]}, nil
	case "join":
		args, err := bindArgs(name, a, []string{"iterable"}, required)
		if err != nil {
			return nil, err
		}
		items, err := iterate(args[0])
		if err != nil {
			return nil, err
		}
		parts := make([]string, len(items))
		size := len(s) * len(items)
		for i, it := range items {
			str, ok := it.(string)
			if !ok {
				return nil, errorf("sequence item %d: expected str instance, %s found", i, typeName(it))
			}
			parts[i] = str
			size += len(str)
		}
		if err := r.checkSize(size); err != nil {
			return nil, err
		}
		return strings.Join(parts, s), nil
	case "index", "rindex":
		found, err := r.stringMethod(s, map[string]string{"index": "find", "rindex": "rfind"}[name], a)
		if err != nil {
			return nil, err
		}
		if found == int64(-1) {
			return nil, errorf("substring not found")
		}
		return found, nil
	case "find", "rfind", "count":
		args, err := bindArgs(name, a, []string{"sub", "start", "end"}, required, nil, nil)
		if err != nil {
			return nil, err
		}
		sub, ok := args[0].(string)
		if !ok {
			return nil, errorf("%s() argument must be str", name)
		}
		window, err := slice(s, args[1], args[2], nil)
		if err != nil {
			return nil, err
		}
		w := window.(string)
		offset := 0
		if args[1] != nil {
			offset = runeOffset(s, args[1])
		}
		switch name {
		case "count":
			if sub == "" {
				return int64(len([]rune(w)) + 1), nil
			}
			return int64(strings.Count(w, sub)), nil
		case "find":
			i := strings.Index(w, sub)
			if i < 0 {
				return int64(-1), nil
			}
			return int64(offset + len([]rune(w[:i]))), nil
		default:
			i := strings.LastIndex(w, sub)
			if i < 0 {
				return int64(-1), nil
			}
			return int64(offset + len([]rune(w[:i]))), nil
		}
	}
	return nil, errorf("'str' object has no method '%s'", name)
}

// runeOffset resolves a Python start index against s, in characters.
func runeOffset(s string, start any) int {
	n := len([]rune(s))
	i, _ := toIndex(start)
	if i < 0 {
		i += n
	}
	return max(0, min(i, n))
}

func (r *renderer) checkReplaceSize(s, old, nw string) error {
	if len(nw) <= len(old) {
		return nil
	}
	count := strings.Count(s, old)
	if old == "" {
		count = len([]rune(s)) + 1
	}
	return r.checkSize(len(s) + count*(len(nw)-len(old)))
}

func stringsToList(parts []string) []any {
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}

func pyStrip(s, mode, chars string, has bool) string {
	cut := pyIsSpace
	if has {
		cut = func(r rune) bool { return strings.ContainsRune(chars, r) }
	}
	switch mode {
	case "lstrip":
		return strings.TrimLeftFunc(s, cut)
	case "rstrip":
		return strings.TrimRightFunc(s, cut)
	}
	return strings.TrimFunc(s, cut)
}

// splitWhitespace is str.split() / str.rsplit() without a separator.
func splitWhitespace(s string, maxsplit int, fromRight bool) []string {
	if maxsplit < 0 {
		return strings.FieldsFunc(s, pyIsSpace)
	}
	fields := strings.FieldsFunc(s, pyIsSpace)
	if len(fields) <= maxsplit+1 {
		return fields
	}
	if fromRight {
		trimmed := strings.TrimRightFunc(s, pyIsSpace)
		out := make([]string, 0, maxsplit+1)
		for range maxsplit {
			i := strings.LastIndexFunc(trimmed, pyIsSpace)
			out = append([]string{trimmed[i+1:]}, out...)
			trimmed = strings.TrimRightFunc(trimmed[:i], pyIsSpace)
		}
		return append([]string{trimmed}, out...)
	}
	rest := strings.TrimLeftFunc(s, pyIsSpace)
	out := make([]string, 0, maxsplit+1)
	for range maxsplit {
		i := strings.IndexFunc(rest, pyIsSpace)
		out = append(out, rest[:i])
		rest = strings.TrimLeftFunc(rest[i:], pyIsSpace)
	}
	return append(out, rest)
}

func rsplitN(s, sep string, maxsplit int) []string {
	var out []string
	for range maxsplit {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		out = append([]string{s[i+len(sep):]}, out...)
		s = s[:i]
	}
	return append([]string{s}, out...)
}

// splitLines is str.splitlines.
func splitLines(s string, keepEnds bool) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch r {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		default:
			continue
		}
		end := i + 1
		if r == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
			end++
		}
		if keepEnds {
			out = append(out, string(rs[start:end]))
		} else {
			out = append(out, string(rs[start:i]))
		}
		start = end
		i = end - 1
	}
	if start < len(rs) {
		out = append(out, string(rs[start:]))
	}
	return out
}

func isCased(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) }

func stringNoArg(s, name string) any {
	switch name {
	case "upper":
		return pyUpper(s)
	case "lower":
		return pyLower(s)
	case "swapcase":
		var b strings.Builder
		for _, r := range s {
			switch {
			case unicode.IsUpper(r):
				b.WriteString(pyLower(string(r)))
			case unicode.IsLower(r):
				b.WriteString(pyUpper(string(r)))
			default:
				b.WriteRune(r)
			}
		}
		return b.String()
	case "title":
		var b strings.Builder
		prev := false
		for _, r := range s {
			if prev {
				b.WriteString(pyLower(string(r)))
			} else {
				b.WriteString(pyTitleRune(r))
			}
			prev = isCased(r)
		}
		return b.String()
	case "capitalize":
		return capitalize(s)
	}
	// predicates: non-empty and every character matches
	if s == "" {
		return false
	}
	var pred func(rune) bool
	switch name {
	case "isdigit":
		pred = unicode.IsDigit
	case "isalpha":
		pred = unicode.IsLetter
	case "isalnum":
		pred = func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) }
	case "isspace":
		pred = pyIsSpace
	case "islower", "isupper":
		hasCased := false
		for _, r := range s {
			if name == "islower" && (unicode.IsUpper(r) || unicode.IsTitle(r)) || name == "isupper" && (unicode.IsLower(r) || unicode.IsTitle(r)) {
				return false
			}
			hasCased = hasCased || isCased(r)
		}
		return hasCased
	}
	for _, r := range s {
		if !pred(r) {
			return false
		}
	}
	return true
}

// capitalize is str.capitalize: the first character in title case, the
// rest lower case.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return pyTitleRune(r) + pyLower(s[n:])
}

// padMethod implements zfill, center, ljust and rjust.
func (r *renderer) padMethod(s, name string, a callArgs) (any, error) {
	names, defaults := []string{"width", "fillchar"}, []any{required, " "}
	if name == "zfill" {
		names, defaults = names[:1], defaults[:1]
	}
	args, err := bindArgs(name, a, names, defaults...)
	if err != nil {
		return nil, err
	}
	width, ok := args[0].(int64)
	if !ok {
		return nil, errorf("%s: width must be an integer", name)
	}
	fill := "0"
	if name != "zfill" {
		f, ok := args[1].(string)
		if !ok || len([]rune(f)) != 1 {
			return nil, errorf("%s: the fill character must be exactly one character long", name)
		}
		fill = f
	}
	n := int64(len([]rune(s)))
	if width <= n {
		return s, nil
	}
	if err := r.checkSize(int(min(width, int64(r.opts.MaxOutputBytes)+1)) * len(fill)); err != nil {
		return nil, err
	}
	marg := width - n
	switch name {
	case "ljust":
		return s + strings.Repeat(fill, int(marg)), nil
	case "rjust":
		return strings.Repeat(fill, int(marg)) + s, nil
	case "zfill":
		if s != "" && (s[0] == '+' || s[0] == '-') {
			return s[:1] + strings.Repeat("0", int(marg)) + s[1:], nil
		}
		return strings.Repeat("0", int(marg)) + s, nil
	}
	left := marg/2 + (marg & width & 1)
	return strings.Repeat(fill, int(left)) + s + strings.Repeat(fill, int(marg-left)), nil
}

// countFields is an upper bound on the parts str.split(sep) can return,
// computed without allocating them.
func countFields(s string, sep any) int {
	if sep, ok := sep.(string); ok && sep != "" {
		return strings.Count(s, sep) + 1
	}
	n := 0
	in := false
	for _, r := range s {
		sp := pyIsSpace(r)
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}
