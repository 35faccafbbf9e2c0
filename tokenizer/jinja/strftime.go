package jinja

import (
	"fmt"
	"strings"
	"time"
)

// StrftimeNow returns a Func for the strftime_now global that chat
// templates (e.g. Llama 3.x) call to print the date: it formats now() with
// Python strftime directives (%d %m %Y %y %b %B %a %A %H %I %M %S %p %j %e
// %%). Pass it in Render's vars as "strftime_now".
func StrftimeNow(now func() time.Time) Func {
	return func(args []any, kwargs map[string]any) (any, error) {
		if len(args) != 1 || len(kwargs) > 0 {
			return nil, fmt.Errorf("strftime_now expects one format string")
		}
		f, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("strftime_now format must be a string, got %s", typeName(args[0]))
		}
		return strftime(now(), f), nil
	}
}

// strftime formats t with Python/C strftime directives; unknown directives
// are copied through.
func strftime(t time.Time, f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 >= len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'Y':
			fmt.Fprintf(&b, "%d", t.Year())
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'b':
			b.WriteString(t.Month().String()[:3])
		case 'B':
			b.WriteString(t.Month().String())
		case 'a':
			b.WriteString(t.Weekday().String()[:3])
		case 'A':
			b.WriteString(t.Weekday().String())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'I':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			fmt.Fprintf(&b, "%02d", h)
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}
