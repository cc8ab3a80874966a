"""A markdown-it plugin that puts markup at character offsets of the source: quote spans and sidenotes.

The caller passes the marks (render.Mark: an offset into the text markdown-it
reads, a role and its HTML) in `env[MARKS]`. Three rules do the work:

1. a core rule after `block` finds where each mark falls in the inline tokens'
   content (a Markdown block quote or list item drops its markers, a heading
   its hashes: each content line is found in its source line);
2. an inline rule, tried first at every position, emits a `sitegen_mark`
   token for the marks at that position before any other rule reads it, and
   the text rule is made to stop at marks, so a mark inside a run of text is
   reached. Marks inside what another rule consumes whole (an image's alt text,
   a link's target or title, a code span) are never reached;
3. a core rule after `inline` drops a wrap whose open or close was not
   reached, and closes and reopens tags that cross (emphasis that starts inside
   a quote and ends after it), so spans never cross tags.

The mark tokens carry no nesting (markdown-it opens a new scope for emphasis at
every nesting token), so emphasis is found exactly as without them.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from markdown_it import MarkdownIt
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

MARKS = "sitegen_marks"          # env key: the marks, offsets in the source text
LEFT_OVER = "sitegen_left_over"  # env key: HTML of points that fell in no inline content (a code block)
_PLACED = "sitegen_placed"       # env key: id(inline content) -> (offset -> marks, sorted offsets, done)


def marks_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "sitegen_place_marks", _place)
    md.core.ruler.after("inline", "sitegen_balance_marks", _balance)
    md.inline.ruler.before("text", "sitegen_marks", _emit)
    plain_text = md.inline.ruler.__rules__[md.inline.ruler.__find__("text")].fn
    md.inline.ruler.at("text", _text_until_mark(plain_text))
    md.add_render_rule("sitegen_mark", lambda self, tokens, idx, options, env: tokens[idx].content)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def content_offsets(source: str, starts: list[int], first_line: int, content: str) -> list[tuple[int, int, int]]:
    """For each line of an inline token's content that is found in its source line: (its offset in the
    source, its offset in the content, its length). A content line is its source line without the
    block's markers and indentation (a heading's hashes too)."""
    found, at = [], 0
    for k, line in enumerate(content.split("\n")):
        n = first_line + k
        if n >= len(starts):
            break
        src_line = source[starts[n]:starts[n + 1] - 1 if n + 1 < len(starts) else len(source)]
        where = len(src_line.rstrip()) - len(line.rstrip())
        if where < 0 or src_line[where:where + len(line)] != line:
            where = src_line.find(line)
        if where >= 0:
            found.append((starts[n] + where, at, len(line)))
        at += len(line) + 1
    return found


def _place(state: StateCore) -> None:
    marks = state.env.get(MARKS)
    if not marks:
        return
    left = list(marks)
    placed = {}
    if state.inlineMode:                   # plain text: the one inline token's content is the text
        token = state.tokens[0]
        placed[id(token.content)] = _positions(token.content, [(m.at, m) for m in left])
        left = []
    else:
        starts = _line_starts(state.src)
        for token in state.tokens:
            if token.type != "inline" or token.map is None or not left:
                continue
            here, rest = [], []
            lines = content_offsets(state.src, starts, token.map[0], token.content)
            for m in left:
                at = next((c + m.at - s for s, c, n in lines if s <= m.at <= s + n), None)
                if at is None:
                    rest.append(m)
                else:
                    here.append((at, m))
            left = rest
            placed[id(token.content)] = _positions(token.content, here)
    state.env[_PLACED] = placed
    state.env[LEFT_OVER] = "".join(m.html for m in left if m.role == "point")     # never lose a note


def _positions(content: str, placed: list) -> tuple[dict, list[int], set, str]:
    """The marks of one inline token by offset in its content, the offsets in order, the offsets already
    emitted, and the content (kept alive, as its id is the key the inline rules look it up by)."""
    by_offset: dict[int, list] = {}
    for at, m in placed:
        by_offset.setdefault(at, []).append(m)
    return by_offset, sorted(by_offset), set(), content


def _here(state: StateInline):
    placed = state.env.get(_PLACED)
    return placed.get(id(state.src)) if placed else None


def _emit(state: StateInline, silent: bool) -> bool:
    """At a position with marks: emit them, then let the other rules read the position as they would."""
    if silent:
        return False
    here = _here(state)
    if here is None or here[3] is not state.src:
        return False
    by_offset, _, done, _ = here
    pos = state.pos
    if pos not in by_offset or pos in done:
        return False
    done.add(pos)
    for m in by_offset[pos]:
        token = state.push("sitegen_mark", "", 0)
        token.content, token.meta = m.html, {"role": m.role, "pair": m.pair}
    for rule in state.md.inline.ruler.getRules(""):
        if rule is not _emit and rule(state, False):
            return True
    append_pending(state, state.src[pos])
    state.pos += 1
    return True


def _text_until_mark(plain_text):
    """markdown-it's text rule, stopping at the next mark too (it reads a run of text up to the next
    character another rule may want)."""
    def text(state: StateInline, silent: bool) -> bool:
        here = _here(state)
        if here is None or here[3] is not state.src:
            return plain_text(state, silent)
        start = state.pos
        if not plain_text(state, True):
            return False
        offsets = here[1]
        k = bisect_right(offsets, start)
        end = min(state.pos, offsets[k]) if k < len(offsets) else state.pos
        state.pos = end
        if not silent:
            append_pending(state, state.src[start:end])
        return True
    return text


def append_pending(state: StateInline, text: str) -> None:
    """Text added to the inline state's pending run (markdown-it-py 3 and 4)."""
    if hasattr(state, "append_pending"):          # markdown-it-py 4
        state.append_pending(text)
    else:
        state.pending += text


def _balance(state: StateCore) -> None:
    placed = state.env.get(_PLACED)
    if not placed:
        return
    for token in state.tokens:
        if token.type != "inline" or id(token.content) not in placed:
            continue
        by_offset, _, done, _ = placed[id(token.content)]
        end = len(token.content)
        if end in by_offset and end not in done:          # marks after the last character
            done.add(end)
            for m in by_offset[end]:
                token.children.append(_mark_token(m))
        token.children = balanced(token.children)


def _mark_token(m) -> Token:
    token = Token("sitegen_mark", "", 0)
    token.content, token.meta = m.html, {"role": m.role, "pair": m.pair}
    return token


def _key(t: Token):
    return "sitegen_mark" if t.type == "sitegen_mark" else t.tag      # a close ends the innermost open wrap


def _opens(t: Token) -> bool:
    return t.nesting == 1 or (t.type == "sitegen_mark" and t.meta["role"] == "open")


def _closes(t: Token) -> bool:
    return t.nesting == -1 or (t.type == "sitegen_mark" and t.meta["role"] == "close")


def _closing(t: Token, partner: dict) -> Token:
    """The closing token for an open one."""
    if t.type == "sitegen_mark":
        return partner[t.meta["pair"]]
    close = Token(t.type.replace("_open", "_close"), t.tag, -1)
    close.markup = t.markup
    return close


def balanced(children: list[Token]) -> list[Token]:
    """The tokens with wraps that were only half reached dropped, and crossing tags closed and reopened
    (`*a "b* c"` → <em>a <q>b</q></em><q> c</q>, the quote reopened after the emphasis closes)."""
    roles: dict[int, set] = {}
    for t in children:
        if t.type == "sitegen_mark" and t.meta["role"] != "point":
            roles.setdefault(t.meta["pair"], set()).add(t.meta["role"])
    if not roles and not any(t.nesting for t in children):
        return children
    partner = {t.meta["pair"]: t for t in children if t.type == "sitegen_mark" and t.meta["role"] == "close"}
    stack: list[Token] = []
    out: list[Token] = []
    for t in children:
        if t.type == "sitegen_mark" and t.meta["role"] != "point" and len(roles[t.meta["pair"]]) < 2:
            continue
        if _opens(t):
            stack.append(t)
            out.append(t)
        elif _closes(t):
            key = _key(t)
            if not any(_key(o) == key for o in stack):
                continue                                 # a stray closing tag: drop it
            reopen = []
            while _key(stack[-1]) != key:
                o = stack.pop()
                out.append(_closing(o, partner))
                reopen.append(o)
            stack.pop()
            out.append(t)
            for o in reversed(reopen):
                stack.append(o)
                out.append(o)
        else:
            out.append(t)
    out.extend(_closing(o, partner) for o in reversed(stack))
    return out
