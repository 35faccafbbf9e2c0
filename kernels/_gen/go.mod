module github.com/govlm/govlm/kernels/_gen

go 1.26
