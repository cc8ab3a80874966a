"""Rendering a paragraph: emphasis, escaping, and spans placed by offset."""
from sitegen.render.colours import DARK_BACKGROUND, LIGHT_BACKGROUND, assign_colours, contrast
from sitegen.render.markdown import Insert, balance, render_paragraph


def test_plain_text_gets_emphasis_and_nothing_else():
    out = render_paragraph("*Hi* _there_ [link](http://x) # not a heading", 0, [])
    assert out == "<em>Hi</em> <em>there</em> [link](http://x) # not a heading"


def test_raw_html_is_escaped():
    assert render_paragraph("<b>bold</b> & <script>", 0, []) == "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;"


def test_markdown_flavour_renders_links_but_not_html():
    out = render_paragraph("[a](https://example.org) <i>x</i>", 0, [], flavour="md")
    assert '<a href="https://example.org">a</a>' in out and "&lt;i&gt;" in out


def test_wrap_and_replace_by_offset():
    text = 'He said "hi" (an aside) ok'
    offset = 100
    q = text.index('"')
    n = text.index(" (")
    out = render_paragraph(text, offset, [Insert(offset + q, offset + q + 4, "<span>", "</span>"),
                                          Insert(offset + n, offset + text.index(")") + 1, "<sup>1</sup>", replace=True)])
    assert out == 'He said <span>&quot;hi&quot;</span><sup>1</sup> ok'


def test_hidden_span_is_dropped():
    text = '"Hi,"{=bo} she said'
    out = render_paragraph(text, 0, [Insert(5, 10, replace=True)])
    assert out == "&quot;Hi,&quot; she said"


def test_crossing_tags_are_balanced():
    assert balance("<em>a<span>b</em>c</span>") == "<em>a<span>b</span></em><span>c</span>"
    assert balance("a</em>b") == "ab"
    assert balance("<em>open") == "<em>open</em>"


def test_character_colours_pass_aa_in_light_and_dark():
    colours = assign_colours([(f"c{i}", None) for i in range(14)] + [("pale", "#ffff66"), ("dark", "#000033")])
    for light, dark in colours.values():
        assert contrast(light, LIGHT_BACKGROUND) >= 4.5
        assert contrast(dark, DARK_BACKGROUND) >= 4.5
    lights = [c[0] for c in colours.values()]
    assert len(set(lights[:12])) == 12


def test_plain_txt_fast_path_equals_markdown_it():
    """_markup() skips markdown-it for .txt prose it would only escape: the two must agree on any such text."""
    import random
    from sitegen.render.markdown import _PLAIN_TXT, _markup, markdown
    alphabet = list("ab \n\t&<>\"'`~[]()!#-+=:;.,?%$@^{}|/0\u00a0\u2019\u201c\ue000\ue001") + ["&amp;", "&#65;", "http://x.y"]
    rng = random.Random(14)
    samples = ["", "  lead\n  indent  ", 'a & b <i> "x"', "&copy; &#x41;", "~~s~~ `c` [l](u) ![i](p)", "a\n\nb  \nc"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    for text in samples:
        assert _PLAIN_TXT.fullmatch(text)
        assert _markup(text, "txt") == markdown("txt").renderInline(text).strip(), repr(text)
    assert _markup("*x*", "txt") == "<em>x</em>"
