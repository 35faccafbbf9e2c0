// Command armword checks the WORD-encoded NEON instructions in govlm's arm64
// assembly. Go's assembler lacks vector FADD, FMUL, FMLA-by-element, SDOT
// and a few more, so kernels/*_arm64.s writes them as
//
//	WORD $0x4f801000 // FMLA V0.S4, V0.S4, V0.S[0]
//
// This program re-encodes the instruction in each such comment and reports
// any WORD whose value disagrees, so the comment is the source of truth
// when editing. It lives in its own module so the main module's users never
// build it.
//
// Usage (from the repository root):
//
//	(cd kernels/_gen && go run ./armword ../*_arm64.s)
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

func main() {
	bad, err := check(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "armword:", err)
		os.Exit(2)
	}
	if bad > 0 {
		os.Exit(1)
	}
}

var wordLine = regexp.MustCompile(`WORD \$0x([0-9a-fA-F]{8})\s*//\s*(.+)$`)

// check verifies every WORD line of the files and returns how many
// disagree with their comment (printing each).
func check(files []string) (int, error) {
	bad := 0
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return bad, err
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			m := wordLine.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			want, _ := strconv.ParseUint(m[1], 16, 32)
			got, err := encode(m[2])
			if err != nil {
				fmt.Printf("%s:%d: %v\n", name, line, err)
				bad++
				continue
			}
			if got != uint32(want) {
				fmt.Printf("%s:%d: %s encodes as %#08x, file has %#08x\n", name, line, m[2], got, want)
				bad++
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return bad, fmt.Errorf("reading %s: %w", name, err)
		}
	}
	return bad, nil
}

// three-register vector forms, .4S: base | Rm<<16 | Rn<<5 | Rd.
var vec3 = map[string]uint32{
	"FADD": 0x4E20D400, "FSUB": 0x4EA0D400, "FMUL": 0x6E20DC00, "FDIV": 0x6E20FC00,
	"FMAX": 0x4E20F400, "FMIN": 0x4EA0F400, "FADDP": 0x6E20D400, "CMHI": 0x6EA03400,
	"FCMGT": 0x6EA0E400, "BIC": 0x4E601C00, // BIC takes .B16 operands
}

// two-register vector forms, .4S: base | Rn<<5 | Rd.
var vec2 = map[string]uint32{
	"UCVTF": 0x6E21D800, "SCVTF": 0x4E21D800, "FRINTN": 0x4E218800, "FCVTZS": 0x4EA1B800,
	"FNEG": 0x6EA0F800, "FCVTL": 0x0E217800, "FCVTL2": 0x4E217800,
}

var (
	vreg  = regexp.MustCompile(`^V(\d+)\.(S4|S2|H4|H8|B16)$`)
	sreg  = regexp.MustCompile(`^S(\d+)$`)
	vlane = regexp.MustCompile(`^V(\d+)\.S\[(\d)\]$`)
)

func reg(s string, re *regexp.Regexp) (uint32, error) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("bad operand %q", s)
	}
	n, _ := strconv.Atoi(m[1])
	if n > 31 {
		return 0, fmt.Errorf("register %q out of range", s)
	}
	return uint32(n), nil
}

// encode returns the machine word of one instruction as written in the
// comments ("FMLA V8.S4, V2.S4, V0.S[1]").
func encode(text string) (uint32, error) {
	op, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	var ops []string
	for _, o := range strings.Split(rest, ",") {
		ops = append(ops, strings.TrimSpace(o))
	}
	switch {
	case op == "FMLA" && len(ops) == 3 && strings.Contains(ops[2], "["):
		d, err1 := reg(ops[0], vreg)
		n, err2 := reg(ops[1], vreg)
		m := vlane.FindStringSubmatch(ops[2])
		if err1 != nil || err2 != nil || m == nil {
			return 0, fmt.Errorf("bad operands in %q", text)
		}
		mr, _ := strconv.Atoi(m[1])
		idx, _ := strconv.Atoi(m[2])
		l, h := uint32(idx&1), uint32(idx>>1&1)
		return 0x4F801000 | l<<21 | uint32(mr)>>4<<20 | uint32(mr)&15<<16 | h<<11 | n<<5 | d, nil
	case op == "SDOT" && len(ops) == 3:
		d, err1 := reg(ops[0], vreg)
		n, err2 := reg(ops[1], vreg)
		m, err3 := reg(ops[2], vreg)
		if err1 != nil || err2 != nil || err3 != nil {
			return 0, fmt.Errorf("bad operands in %q", text)
		}
		return 0x4E809400 | m<<16 | n<<5 | d, nil
	case op == "FADDP" && len(ops) == 2: // scalar pairwise: FADDP Sd, Vn.S2
		d, err1 := reg(ops[0], sreg)
		n, err2 := reg(ops[1], vreg)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("bad operands in %q", text)
		}
		return 0x7E30D800 | n<<5 | d, nil
	case op == "FMAXV" && len(ops) == 2:
		d, err1 := reg(ops[0], sreg)
		n, err2 := reg(ops[1], vreg)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("bad operands in %q", text)
		}
		return 0x6E30F800 | n<<5 | d, nil
	case vec3[op] != 0 && len(ops) == 3:
		d, err1 := reg(ops[0], vreg)
		n, err2 := reg(ops[1], vreg)
		m, err3 := reg(ops[2], vreg)
		if err1 != nil || err2 != nil || err3 != nil {
			return 0, fmt.Errorf("bad operands in %q", text)
		}
		return vec3[op] | m<<16 | n<<5 | d, nil
	case vec2[op] != 0 && len(ops) == 2:
		d, err1 := reg(ops[0], vreg)
		n, err2 := reg(ops[1], vreg)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("bad operands in %q", text)
		}
		return vec2[op] | n<<5 | d, nil
	}
	return 0, fmt.Errorf("unknown instruction %q", text)
}
