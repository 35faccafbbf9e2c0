package main

import (
	"path/filepath"
	"testing"
)

// Expected words from llvm-mc -triple=aarch64 -mattr=+dotprod
// -show-encoding.
func TestEncode(t *testing.T) {
	for _, tc := range []struct {
		text string
		want uint32
	}{
		{"FMLA V0.S4, V1.S4, V2.S[0]", 0x4f821020},
		{"FMLA V8.S4, V2.S4, V1.S[3]", 0x4fa11848},
		{"FMLA V24.S4, V16.S4, V20.S[0]", 0x4f941218},
		{"FADD V0.S4, V1.S4, V2.S4", 0x4e22d420},
		{"FMUL V0.S4, V1.S4, V2.S4", 0x6e22dc20},
		{"FADDP S0, V0.S2", 0x7e30d800},
		{"SDOT V0.S4, V1.B16, V2.B16", 0x4e829420},
		{"FCVTL V0.S4, V1.H4", 0x0e217820},
		{"UCVTF V0.S4, V1.S4", 0x6e21d820},
		{"FCVTL2 V17.S4, V4.H8", 0x4e217891},
		{"CMHI V4.S4, V3.S4, V25.S4", 0x6eb93464},
		{"FMAXV S0, V0.S4", 0x6e30f800},
		{"FRINTN V2.S4, V2.S4", 0x4e218842},
		{"FCVTZS V2.S4, V2.S4", 0x4ea1b842},
		{"FNEG V0.S4, V8.S4", 0x6ea0f900},
		{"SCVTF V7.S4, V7.S4", 0x4e21d8e7},
		{"FDIV V0.S4, V8.S4, V0.S4", 0x6e20fd00},
		{"FMIN V0.S4, V0.S4, V16.S4", 0x4eb0f400},
		{"FMAX V0.S4, V0.S4, V17.S4", 0x4e31f400},
		{"FSUB V0.S4, V0.S4, V15.S4", 0x4eafd400},
		{"FADDP V0.S4, V24.S4, V24.S4", 0x6e38d700},
	} {
		got, err := encode(tc.text)
		if err != nil || got != tc.want {
			t.Errorf("encode(%q) = %#08x, %v; want %#08x", tc.text, got, err, tc.want)
		}
	}
}

// TestKernelFiles checks every WORD in the kernels' arm64 assembly.
func TestKernelFiles(t *testing.T) {
	files, err := filepath.Glob("../../*_arm64.s")
	if err != nil || len(files) == 0 {
		t.Fatalf("no arm64 assembly found: %v", err)
	}
	bad, err := check(files)
	if err != nil || bad != 0 {
		t.Fatalf("%d WORDs disagree with their comments (%v)", bad, err)
	}
}
