package tokenizer

// BOS returns the beginning-of-sequence token id; ok is false when none is
// configured or it is not in the vocabulary.
func (t *Tokenizer) BOS() (id int32, ok bool) { return t.bos.id, t.bos.id >= 0 }

// EOS returns the end-of-sequence token id of tokenizer_config.json (or, if
// it names none, the first of generation_config.json).
func (t *Tokenizer) EOS() (id int32, ok bool) { return t.eos.id, t.eos.id >= 0 }

// PAD returns the padding token id.
func (t *Tokenizer) PAD() (id int32, ok bool) { return t.pad.id, t.pad.id >= 0 }

// UNK returns the unknown token id.
func (t *Tokenizer) UNK() (id int32, ok bool) { return t.unk.id, t.unk.id >= 0 }

// BOSToken returns the beginning-of-sequence token string, "" when none.
func (t *Tokenizer) BOSToken() string { return t.bos.tok }

// EOSToken returns the end-of-sequence token string, "" when none.
func (t *Tokenizer) EOSToken() string { return t.eos.tok }

// PADToken returns the padding token string, "" when none.
func (t *Tokenizer) PADToken() string { return t.pad.tok }

// UNKToken returns the unknown token string, "" when none.
func (t *Tokenizer) UNKToken() string { return t.unk.tok }

// EOSIDs returns every id that ends generation: the configured EOS token
// followed by generation_config.json's eos_token_id entries, without
// repeats. The slice must not be modified.
func (t *Tokenizer) EOSIDs() []int32 { return t.eosIDs }
