"""Markdown: prose from paragraphs, headings, lists, tables, block quotes, link text and image
alt text, plus front-matter copy fields; code, inline code, URLs and HTML comments are skipped.

markdown-it-py gives block positions (lines) but not inline ones, so each inline token's text is
aligned, in order, against its own lines of the source: syntax characters are stepped over,
escapes and entities map to the characters they stand for. Every prose character keeps the exact
source span it came from.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from claimlint.sources.base import Block, BlockBuilder, LineIndex, Source
from claimlint.suppress import DirectiveCollector, line_markers

FRONT_MATTER_FIELDS = ("title", "description", "summary")

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Characters Markdown syntax is made of: stepped over when the prose does not contain them there.
_SYNTAX = set("*_`~#>|!-+=:[]()<> \t\r\n0123456789.")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_FRONT = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n(.*?\r?\n)?\1[ \t]*(\r?\n|\Z)", re.DOTALL)
_SCOPES = {"heading_open": "heading", "th_open": "table", "td_open": "table", "blockquote_open": "quote"}


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def parse(path: str, text: str, front_matter_fields: Sequence[str] = FRONT_MATTER_FIELDS) -> Source:
    source = Source(path, text)
    lines = source.lines
    directives = DirectiveCollector()
    blocks: list[Block] = []
    body_start = 0
    front = _FRONT.match(text)
    if front:
        body_start = front.end()
        lo, hi = (front.start(2), front.end(2)) if front.group(2) else (front.end(), front.end())
        blocks.extend(_front_matter(text, lo, hi, front_matter_fields, source))
    # Parse the body with the front matter blanked (same line count, so token lines stay true).
    body = "\n" * text.count("\n", 0, body_start) + text[body_start:]
    tokens = _parser().parse(body)
    scope_stack: list[str] = []
    cursor = 0
    for token in tokens:
        if token.type in _SCOPES:
            scope_stack.append(_SCOPES[token.type])
        elif token.type.endswith("_close") and token.type.replace("_close", "_open") in _SCOPES and scope_stack:
            scope_stack.pop()
        if token.type == "inline" and token.map:
            lo = lines.line_start(token.map[0] + 1)
            hi = lines.line_start(token.map[1] + 1) if token.map[1] < len(lines) else len(text)
            cursor = max(cursor, lo)
            scope = scope_stack[-1] if scope_stack else "body"
            cursor = _inline(token.children or [], text, cursor, hi, scope, blocks, directives, lines)
        elif token.type == "html_block" and token.map:
            lo = lines.line_start(token.map[0] + 1)
            hi = lines.line_start(token.map[1] + 1) if token.map[1] < len(lines) else len(text)
            _html_block(text, lo, hi, blocks, directives, lines)
    source.blocks = blocks
    source.suppressions = directives.resolve(len(lines)) + line_markers(text)
    return source


def _inline(
    children: list[Any], src: str, cur: int, hi: int, scope: str, blocks: list[Block],
    directives: DirectiveCollector, lines: LineIndex,
) -> int:  # fmt: skip
    builder = BlockBuilder()
    skip_text = False
    for child in children:
        kind = child.type
        if kind == "text":
            if not skip_text:
                cur = _align(child.content, src, cur, hi, builder)
        elif kind in ("softbreak", "hardbreak"):
            nl = src.find("\n", cur, hi)
            if nl != -1:
                builder.copy(src, nl, nl + 1)
                cur = nl + 1
        elif kind == "code_inline":
            start = src.find(child.markup, cur, hi)
            if start != -1:
                end = src.find(child.markup, start + len(child.markup) + len(child.content) - 1, hi)
                cur = end + len(child.markup) if end != -1 else cur
        elif kind == "link_open":
            if child.markup == "autolink" or child.info == "auto":
                skip_text = True  # the visible text is the URL itself
        elif kind == "link_close":
            if skip_text:
                end = src.find(">", cur, hi)
                cur = end + 1 if end != -1 else cur
                skip_text = False
            else:
                cur = _skip_destination(src, cur, hi)
        elif kind == "image":
            bang = src.find("![", cur, hi)
            if bang != -1:
                alt = BlockBuilder()
                cur = _align(child.content, src, bang + 2, hi, alt)
                block = alt.take("alt")
                if block is not None:
                    blocks.append(block)
                cur = _skip_destination(src, cur, hi)
        elif kind == "html_inline":
            start = src.find(child.content, cur, hi)
            if start != -1:
                comment = _COMMENT.fullmatch(child.content)
                if comment:
                    line = lines.position(start)[0]
                    directives.comment(comment.group(1), line, lines.position(start + len(child.content))[0])
                cur = start + len(child.content)
    block = builder.take(scope)
    if block is not None:
        blocks.append(block)
    return cur


def _align(content: str, src: str, cur: int, hi: int, builder: BlockBuilder) -> int:
    """Map ``content`` onto ``src[cur:hi]`` in order; return the cursor after it."""
    i, j, n = 0, cur, len(content)
    while i < n and j < hi:
        c, s = content[i], src[j]
        if s == c:
            run = _same_run(content, i, src, j, hi)
            builder.copy(src, j, j + run)
            i += run
            j += run
            continue
        if s == "\\" and j + 1 < hi and src[j + 1] == c:
            builder.put(c, j, j + 2)
            i += 1
            j += 2
            continue
        if s == "&":
            m = _ENTITY.match(src, j)
            if m:
                decoded = html.unescape(m.group())
                if content.startswith(decoded, i):
                    builder.put(decoded, j, m.end())
                    i += len(decoded)
                    j = m.end()
                    continue
        if s in _SYNTAX:
            j += 1
            continue
        # Out of step (rare): find the rest of the text further on in the same lines.
        found = src.find(content[i:], j, hi)
        if found == -1:
            return j
        j = found
    return j


def _same_run(content: str, i: int, src: str, j: int, hi: int) -> int:
    """How many characters ``content[i:]`` and ``src[j:hi]`` have in common from the start.

    Compared by ``str.startswith`` (in C), the whole rest first: a text node is usually copied
    from the source as it stands, and a loop over its characters was a third of parsing a page."""
    longest = min(len(content) - i, hi - j)
    if src.startswith(content[i : i + longest], j):
        return longest
    same, differs = 0, longest  # the first ``same`` characters agree; the first ``differs`` do not
    while differs - same > 1:
        mid = (same + differs) // 2
        if src.startswith(content[i : i + mid], j):
            same = mid
        else:
            differs = mid
    return same


def _skip_destination(src: str, cur: int, hi: int) -> int:
    """Step over ``](url "title")`` or ``][ref]`` after a link's text."""
    if cur < hi and src[cur] == "]":
        cur += 1
    if cur < hi and src[cur] == "(":
        depth = 0
        while cur < hi:
            if src[cur] == "(":
                depth += 1
            elif src[cur] == ")":
                depth -= 1
                if depth == 0:
                    return cur + 1
            cur += 1
    elif cur < hi and src[cur] == "[":
        end = src.find("]", cur, hi)
        return end + 1 if end != -1 else cur
    return cur


def _html_block(
    src: str, lo: int, hi: int, blocks: list[Block], directives: DirectiveCollector, lines: LineIndex
) -> None:
    from claimlint.sources import html as html_source

    blocks.extend(html_source.extract(src, lo, hi, directives, lines))


def _front_matter(text: str, lo: int, hi: int, fields: Sequence[str], source: Source) -> list[Block]:
    """Copy fields of YAML front matter (``title: …``), single-line or folded (``>``/``|``)."""
    blocks: list[Block] = []
    wanted = "|".join(re.escape(f) for f in fields)
    pattern = re.compile(rf"(?m)^(?P<key>{wanted})[ \t]*:[ \t]*(?P<value>.*?)[ \t]*\r?$")
    for m in pattern.finditer(text, lo, hi):
        value, vstart = m.group("value"), m.start("value")
        builder = BlockBuilder()
        if value in (">", "|", ">-", "|-", ">+", "|+"):
            pos = m.end() + 1
            while pos < hi:
                nl = text.find("\n", pos, hi)
                end = nl if nl != -1 else hi
                line = text[pos:end]
                if line.strip() and not line[:1].isspace():
                    break
                stripped = len(line) - len(line.lstrip())
                builder.copy(text, pos + stripped, end)
                builder.put(" " if value.startswith(">") else "\n", end, end)
                pos = end + 1
        elif value[:1] in ("'", '"') and value[-1:] == value[:1] and len(value) >= 2:
            builder.copy(text, vstart + 1, vstart + len(value) - 1)
        elif value:
            builder.copy(text, vstart, vstart + len(value))
        block = builder.take("meta")
        if block is not None:
            blocks.append(block)
    type_match = re.search(r"(?m)^product[_-]type[ \t]*:[ \t]*['\"]?(cosmetic|supplement)['\"]?[ \t]*\r?$", text[lo:hi])
    if type_match:
        source.product_type = type_match.group(1)
    return blocks
