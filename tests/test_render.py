"""Rendering a paragraph: emphasis, escaping, and spans placed by offset."""
from sitegen.render.colours import DARK_BACKGROUND, LIGHT_BACKGROUND, assign_colours, contrast
from sitegen.render.markdown import Insert, render_paragraph


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


Q = ("<span>", "</span>")


def test_crossing_tags_are_balanced():
    """Emphasis that starts inside a quote and ends after it (or the other way) is closed and reopened."""
    assert render_paragraph('*a "b* c"', 0, [Insert(3, 9, *Q)]) == "<em>a <span>&quot;b</span></em><span> c&quot;</span>"
    assert render_paragraph('"a *b" c* d', 0, [Insert(0, 6, *Q)]) == \
        "<span>&quot;a <em>b&quot;</em></span><em> c</em> d"
    assert render_paragraph('_"Hi"_ there', 0, [Insert(1, 5, *Q)]) == "<em><span>&quot;Hi&quot;</span></em> there"


def test_quotes_in_markdown_attributes_get_no_span_and_links_keep_their_title():
    text = 'See [a link](https://example.com "The Title") and ![a "pic"](x.png) "yes".'
    title, pic, yes = text.index('"The'), text.index('"pic'), text.index('"yes')
    out = render_paragraph(text, 0, [Insert(title, title + 11, *Q), Insert(pic, pic + 5, *Q), Insert(yes, yes + 5, *Q)],
                           flavour="md")
    assert out == ('See <a href="https://example.com" title="The Title">a link</a> and '
                   '<img src="x.png" alt="a &quot;pic&quot;" /> <span>&quot;yes&quot;</span>.')
    assert render_paragraph("[x](javascript:alert(1))", 0, [], flavour="md") == "[x](javascript:alert(1))"


def test_spans_inside_markdown_blocks_find_their_words():
    text = '> "Quoted" in a block\n> and more "x"'
    assert render_paragraph(text, 0, [Insert(2, 10, *Q), Insert(33, 36, *Q)], flavour="md") == (
        '<blockquote>\n<p><span>&quot;Quoted&quot;</span> in a block\nand more <span>&quot;x&quot;</span></p>\n</blockquote>')
    text = '- item "one"\n- item "two"'
    assert render_paragraph(text, 0, [Insert(7, 12, *Q), Insert(20, 25, *Q)], flavour="md").count("<span>") == 2
    assert render_paragraph('# A "title"', 0, [Insert(4, 11, *Q)], flavour="md") == \
        "<h1>A <span>&quot;title&quot;</span></h1>"


def test_a_note_in_a_code_block_is_kept():
    text = "    code (a note)\n    more"
    out = render_paragraph(text, 0, [Insert(9, 17, "<NOTE>", replace=True)], flavour="md")
    assert "<NOTE>" in out and "(a note)" not in out


def test_private_use_characters_in_a_story_are_just_text():
    text = 'Text \ue000 with \ue0010\ue001 "q" *e*'
    q = text.index('"')
    out = render_paragraph(text, 0, [Insert(q, q + 3, *Q)])
    assert out == 'Text \ue000 with \ue0010\ue001 <span>&quot;q&quot;</span> <em>e</em>'
    import pathlib
    import sitegen
    for path in pathlib.Path(sitegen.__file__).parent.rglob("*.py"):
        assert "\\ue000" not in path.read_text(encoding="utf-8"), f"{path} still carries a sentinel"


def test_marks_in_plain_text_equal_marks_through_markdown_it():
    """Plain prose with marks skips markdown-it: the same marks through the plugin give the same HTML."""
    import random
    from sitegen.render.markdown import _markup, shown_text
    rng = random.Random(10)
    for _ in range(500):
        text = "".join(rng.choice("ab \"'.,&<>") for _ in range(rng.randint(1, 30)))
        inserts = []
        for _ in range(rng.randint(1, 3)):
            s = rng.randrange(len(text))
            e = rng.randint(s, len(text))
            wrap = rng.random() < .7
            if wrap and any(i.start < s < i.end < e or s < i.start < e < i.end for i in inserts if not i.replace):
                continue                    # quotes nest or follow one another; they never cross
            inserts.append(Insert(s, e, "<b>", "</b>") if wrap else Insert(s, e, "<N>", replace=True))
        inserts.sort(key=lambda i: i.start)
        shown, marks = shown_text(text, tuple(inserts))
        assert render_paragraph(text, 0, inserts) == _markup(shown, "txt", marks), (text, inserts)


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
