"""HTML: visible text, ``alt`` and ``title`` attributes, meta and Open Graph descriptions, and
schema.org Product JSON-LD ``name``/``description``; ``script``, ``style``, ``code``, ``pre``,
``template`` and hidden elements are skipped. Entities are decoded, and every character keeps the
span of source it came from (an ``&amp;`` maps to its five characters).
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from claimlint.sources.base import Block, BlockBuilder, LineIndex, Source
from claimlint.suppress import DirectiveCollector, line_markers

SKIP = frozenset({"script", "style", "code", "pre", "template", "noscript", "svg", "math", "textarea"})
BLOCK = frozenset(
    """address article aside blockquote body br button caption dd details dialog div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hr html label legend li main nav ol option p section summary
    table tbody td tfoot th thead title tr ul""".split()
)
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
META_NAMES = frozenset({"description", "og:description", "og:title", "twitter:description", "twitter:title"})
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_JSON_FIELD = re.compile(r'"(?P<key>description|name)"\s*:\s*"(?P<value>(?:[^"\\]|\\.)*)"', re.DOTALL)
_JSON_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|["\\/bfnrt])')


def parse(path: str, text: str) -> Source:
    source = Source(path, text)
    directives = DirectiveCollector()
    source.blocks = extract(text, 0, len(text), directives, source.lines)
    source.suppressions = directives.resolve(len(source.lines)) + line_markers(text)
    return source


def extract(src: str, lo: int, hi: int, directives: DirectiveCollector, lines: LineIndex) -> list[Block]:
    """Prose blocks of the HTML in ``src[lo:hi]`` (a whole page, or an HTML block in Markdown)."""
    parser = _Extractor(src, lo, directives, lines)
    parser.feed(src[lo:hi])
    parser.close()
    parser.flush()
    return parser.blocks


class _Extractor(HTMLParser):
    def __init__(self, src: str, base: int, directives: DirectiveCollector, lines: LineIndex) -> None:
        super().__init__(convert_charrefs=False)
        self.src = src
        self.base = base
        self.directives = directives
        self.lines = lines
        # HTMLParser reports (line, column) within what it was fed; map those to offsets.
        fed = src[base:]
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", fed)]
        self.blocks: list[Block] = []
        self.builder = BlockBuilder()
        self.scope = "body"
        self.skip: list[str] = []
        self.hidden: list[str] = []
        self.json_ld: tuple[int, list[str]] | None = None

    # --- positions ---------------------------------------------------------------------
    def _offset(self) -> int:
        line, col = self.getpos()
        return self.base + self._line_starts[line - 1] + col

    # --- events ------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        values = {k: v or "" for k, v in attrs}
        if tag in BLOCK:
            self.flush()
        if tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self.json_ld = (start + len(raw), [])
        if tag in SKIP and tag not in VOID:
            self.skip.append(tag)
        hidden = (
            "hidden" in values
            or values.get("aria-hidden") == "true"
            or re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", values.get("style", ""))
        )
        if hidden and tag not in VOID:
            self.hidden.append(tag)
        if self.skip or self.hidden:
            return
        if tag == "meta":
            name = (values.get("name") or values.get("property") or "").lower()
            if name in META_NAMES:
                self._attribute(raw, start, "content", "meta")
            return
        if tag in ("img", "area", "input") and "alt" in values:
            self._attribute(raw, start, "alt", "alt")
        if "title" in values:
            self._attribute(raw, start, "title", "title")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.scope = "heading"
        elif tag == "title":
            self.scope = "title"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.json_ld is not None and tag == "script":
            self._json_ld(*self.json_ld)
            self.json_ld = None
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()
            return
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()
            return
        if tag in BLOCK:
            self.flush()

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if self.json_ld is not None:
            self.json_ld[1].append(data)
            return
        if self.skip or self.hidden:
            return
        pos = 0
        for m in _TEMPLATE.finditer(data):  # {{ variables }} and {% tags %} of page templates
            self.builder.copy(self.src, start + pos, start + m.start())
            self.builder.put(" ", start + m.start(), start + m.end())
            pos = m.end()
        self.builder.copy(self.src, start + pos, start + len(data))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")

    def _reference(self, raw: str) -> None:
        start = self._offset()
        end = start + len(raw)
        if end < len(self.src) and self.src[end] == ";":
            end += 1
        if self.json_ld is not None:
            self.json_ld[1].append(self.src[start:end])
            return
        if self.skip or self.hidden:
            return
        self.builder.put(html.unescape(self.src[start:end]), start, end)

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        line = self.lines.position(start)[0]
        end_line = self.lines.position(start + len(data) + 7)[0]
        self.directives.comment(data, line, end_line)

    # --- helpers -----------------------------------------------------------------------
    def flush(self) -> None:
        block = self.builder.take(self.scope)
        if block is not None:
            self.blocks.append(block)
        self.scope = "body"

    def _attribute(self, raw: str, tag_start: int, name: str, scope: str) -> None:
        m = re.search(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", raw, re.IGNORECASE)
        if not m:
            return
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        lo = tag_start + m.start(group)
        builder = BlockBuilder()
        _decode_into(builder, self.src, lo, tag_start + m.end(group), _ENTITY_RE)
        block = builder.take(scope)
        if block is not None:
            self.blocks.append(block)

    def _json_ld(self, start: int, parts: list[str]) -> None:
        body = "".join(parts)
        try:
            data = json.loads(body)
        except ValueError:
            return
        if not _has_product(data):
            return
        for m in _JSON_FIELD.finditer(body):
            builder = BlockBuilder()
            _decode_into(builder, self.src, start + m.start("value"), start + m.end("value"), _JSON_ESCAPE_OR_ENTITY)
            block = builder.take("meta")
            if block is not None:
                self.blocks.append(block)


_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_JSON_ESCAPE_OR_ENTITY = re.compile(
    r'\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])|&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)'
)


def _decode_into(builder: BlockBuilder, src: str, lo: int, hi: int, pattern: re.Pattern[str]) -> None:
    """Copy ``src[lo:hi]`` decoding entities (and JSON escapes) onto the spans they came from."""
    pos = lo
    for m in pattern.finditer(src, lo, hi):
        builder.copy(src, pos, m.start())
        raw = m.group()
        if raw.startswith("\\"):
            decoded = json.loads(f'"{raw}"')
        else:
            decoded = html.unescape(raw)
        builder.put(decoded, m.start(), m.end())
        pos = m.end()
    builder.copy(src, pos, hi)


def _has_product(data: object) -> bool:
    if isinstance(data, dict):
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "Product" in kinds or "ProductGroup" in kinds:
            return True
        return any(_has_product(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_product(v) for v in data)
    return False
