package vlm

import "strings"

// TemplateMessages converts the input into the message list chat templates
// expect. With textOnly, each content is a plain string (the form text-model
// templates iterate over); otherwise it is a list of parts in the Hugging
// Face processor form: {"type": "text", "text": …}, {"type": "image"},
// {"type": "video"}. A plain Prompt becomes one user message with its images
// and videos placed before the text.
func (u *UserInput) TemplateMessages(textOnly bool) []map[string]any {
	msgs := u.Messages
	if len(msgs) == 0 {
		m := Message{Role: RoleUser}
		for i := range u.Images {
			m.Content = append(m.Content, Part{Image: &u.Images[i]})
		}
		for i := range u.Videos {
			m.Content = append(m.Content, Part{Video: &u.Videos[i]})
		}
		m.Content = append(m.Content, Part{Text: u.Prompt})
		msgs = []Message{m}
	}
	out := make([]map[string]any, 0, len(msgs))
	for _, m := range msgs {
		if textOnly {
			var b strings.Builder
			for _, p := range m.Content {
				b.WriteString(p.Text)
			}
			out = append(out, map[string]any{"role": m.Role, "content": b.String()})
			continue
		}
		parts := make([]any, 0, len(m.Content))
		for _, p := range m.Content {
			switch p.Kind() {
			case "image":
				parts = append(parts, map[string]any{"type": "image"})
			case "video":
				parts = append(parts, map[string]any{"type": "video"})
			default:
				parts = append(parts, map[string]any{"type": "text", "text": p.Text})
			}
		}
		out = append(out, map[string]any{"role": m.Role, "content": parts})
	}
	return out
}
