package tghtml

import (
	"strings"
	"testing"
)

func TestParseHTMLAccepts(t *testing.T) {
	tests := []struct{ in, visible string }{
		{"plain", "plain"},
		{"<b>bold</b> <strong>s</strong> <i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>", "bold s ieunskd"},
		{"&lt;tag&gt; &amp; &quot;q&quot; &#8381; &#x20AC;", `<tag> & "q" ₽ €`},
		{`<a href="https://x.example/?a=1&amp;b=2">link</a>`, "link"},
		{`<a href='tg://user?id=1'>u</a>`, "u"},
		{`<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>`, "st"},
		{`<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍"},
		{`<tg-time unix="1647531900" format="wDT">tomorrow</tg-time>`, "tomorrow"},
		{`<pre><code class="language-go">a &lt; b</code></pre>`, "a < b"},
		{`<pre>x</pre><code>y</code>`, "xy"},
		{`<blockquote expandable>q</blockquote><blockquote>r</blockquote>`, "qr"},
		{"<b><i><u>deep</u></i></b>", "deep"},
		{"<B>case</B>", "case"},
	}
	for _, tt := range tests {
		got, err := parseHTML(tt.in)
		if err != nil || got != tt.visible {
			t.Errorf("parseHTML(%q) = %q, %v; want %q", tt.in, got, err, tt.visible)
		}
	}
}

func TestParseHTMLRejects(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<b>open", "can't find end tag"},
		{"close</b>", "unexpected end tag"},
		{"a < b", "raw '<'"},
		{"a > b", "raw '>'"},
		{"Q&A", "raw '&'"},
		{"&nbsp;", "unsupported HTML entity"},
		{"<br/>", "unsupported start tag"},
		{`<a>no href</a>`, `needs attribute "href"`},
		{`<a href="">empty</a>`, "empty href"},
		{`<span>x</span>`, `needs attribute "class"`},
		{`<span class="red">x</span>`, "tg-spoiler"},
		{`<b class="x">x</b>`, "unsupported attribute"},
		{`<code class="language-go">x</code>`, `only directly inside "pre"`},
		{`<code><b>x</b></code>`, `cannot be inside "code"`},
		{`<pre><b>x</b></pre>`, `cannot be inside "pre"`},
		{`<blockquote><blockquote>x</blockquote></blockquote>`, "nested in itself"},
		{`<a href="x"><a href="y">x</a></a>`, "nested in itself"},
		{`<a href="x>y</a>`, "unclosed quote"},
		{`<tg-time unix="soon">x</tg-time>`, "numeric unix"},
		{`<tg-emoji>x</tg-emoji>`, `needs attribute "emoji-id"`},
	}
	for _, tt := range tests {
		_, err := parseHTML(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseHTML(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}
