package tokenizer

import (
	"encoding/json"
	"fmt"
)

// postProcessor adds the special tokens around an encoded sequence.
type postProcessor interface {
	process(ids []int32) []int32
}

// templateProc is TemplateProcessing's single-sequence template: a list of
// fixed id runs with the sequence ($A) at one place.
type templateProc struct {
	before, after []int32
}

func (t templateProc) process(ids []int32) []int32 {
	out := make([]int32, 0, len(t.before)+len(ids)+len(t.after))
	out = append(out, t.before...)
	out = append(out, ids...)
	return append(out, t.after...)
}

// passProc adds nothing (ByteLevel's post-processing only trims offsets).
type passProc struct{}

func (passProc) process(ids []int32) []int32 { return ids }

type sequenceProc []postProcessor

func (s sequenceProc) process(ids []int32) []int32 {
	for _, p := range s {
		ids = p.process(ids)
	}
	return ids
}

type templatePieceJSON struct {
	SpecialToken *struct {
		ID string `json:"id"`
	} `json:"SpecialToken"`
	Sequence *struct {
		ID string `json:"id"`
	} `json:"Sequence"`
}

type postProcessorJSON struct {
	Type          string              `json:"type"`
	Single        []templatePieceJSON `json:"single"`
	SpecialTokens map[string]struct {
		IDs []int32 `json:"ids"`
	} `json:"special_tokens"`
	Processors []json.RawMessage `json:"processors"`
	Sep        []json.RawMessage `json:"sep"`
	Cls        []json.RawMessage `json:"cls"`
}

// parsePostProcessor builds a post-processor; JSON null gives nil.
func parsePostProcessor(raw json.RawMessage) (postProcessor, error) {
	if isNull(raw) {
		return nil, nil
	}
	var j postProcessorJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	switch j.Type {
	case "ByteLevel":
		return passProc{}, nil
	case "TemplateProcessing":
		var t templateProc
		seen := false
		for i, p := range j.Single {
			switch {
			case p.Sequence != nil:
				seen = true
			case p.SpecialToken != nil:
				st, ok := j.SpecialTokens[p.SpecialToken.ID]
				if !ok {
					return nil, atField(fmt.Sprintf("single[%d]", i), fmt.Errorf("special token %q missing from special_tokens", p.SpecialToken.ID))
				}
				if seen {
					t.after = append(t.after, st.IDs...)
				} else {
					t.before = append(t.before, st.IDs...)
				}
			}
		}
		return t, nil
	case "BertProcessing", "RobertaProcessing":
		cls, err := tokenIDPair(j.Cls)
		if err != nil {
			return nil, atField("cls", err)
		}
		sep, err := tokenIDPair(j.Sep)
		if err != nil {
			return nil, atField("sep", err)
		}
		return templateProc{before: []int32{cls}, after: []int32{sep}}, nil
	case "Sequence":
		seq := make(sequenceProc, 0, len(j.Processors))
		for i, r := range j.Processors {
			p, err := parsePostProcessor(r)
			if err != nil {
				return nil, atField(fmt.Sprintf("processors[%d]", i), err)
			}
			if p != nil {
				seq = append(seq, p)
			}
		}
		return seq, nil
	}
	return nil, &UnsupportedError{Kind: "post_processor", Type: j.Type}
}

// tokenIDPair reads a ["token", id] pair and returns the id.
func tokenIDPair(raw []json.RawMessage) (int32, error) {
	if len(raw) != 2 {
		return 0, fmt.Errorf("want [token, id], got %d values", len(raw))
	}
	var id int32
	if err := json.Unmarshal(raw[1], &id); err != nil {
		return 0, err
	}
	return id, nil
}
