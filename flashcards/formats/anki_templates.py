"""Anki's card templates and cloze deletions, rendered into the front and back of one card.

Anki decides a card's look with a small Mustache-like language. We render it once, at import, into
the plain HTML our cards hold; what needs Anki's JavaScript (typing the answer, clickable hints)
becomes its closest static equivalent. Sounds stay where the template puts them, as Anki's
`[sound:name]` markers, for the review screen to play.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_CLOZE_TOKEN = re.compile(r"\{\{c([\d,]+)::|\}\}")
_ANSWER_RULE = re.compile(r"<hr[^>]*\bid\s*=\s*[\"']?answer\b[^>]*>", re.IGNORECASE)
_EDGE_NOISE = ("&nbsp;", "<br>", "<br/>", "<br />", "<BR>", "<div></div>")
_EMPTY_FIELD = re.compile(r"^(?:\s|&nbsp;|<br\s*/?>|</?div>)*$", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>")
_FURIGANA = re.compile(r" ?([^ >]+?)\[(.+?)\]")
HIDDEN = "[...]"
# Real templates and notes nest a few levels at most; deeper nesting is treated as plain text.
_MAX_DEPTH = 32


# -- template syntax -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Replacement:
    field: str
    filters: tuple[str, ...]


@dataclass
class _Section:
    field: str
    inverted: bool
    children: list = field(default_factory=list)


@lru_cache(maxsize=256)
def _parse_template(template: str) -> tuple:
    root: list = []
    stack: list[_Section] = []
    position = 0
    for start, end in _tags(template):
        _current(root, stack).append(template[position:start])
        position = end
        tag = template[start + 2:end - 2].strip()
        if tag[:1] in ("#", "^") and len(stack) < _MAX_DEPTH:
            section = _Section(tag[1:].strip(), inverted=tag[0] == "^")
            _current(root, stack).append(section)
            stack.append(section)
        elif tag[:1] == "/":
            # A stray closing tag is ignored rather than failing the whole card.
            if any(s.field == tag[1:].strip() for s in stack):
                while stack.pop().field != tag[1:].strip():
                    pass
        elif tag:
            *filters, name = tag.split(":")
            _current(root, stack).append(_Replacement(name.strip(),
                                                      tuple(f.strip() for f in filters)))
    _current(root, stack).append(template[position:])
    return tuple(root)


def _tags(template: str):
    """(start, end) of each {{...}}; found with str.find so a hostile template stays linear."""
    position = 0
    while (start := template.find("{{", position)) >= 0:
        close = template.find("}}", start + 2)
        if close < 0:
            return
        yield start, close + 2
        position = close + 2


def _current(root: list, stack: list[_Section]) -> list:
    return stack[-1].children if stack else root


# -- rendering ------------------------------------------------------------------------------------
# A replacement or section whose field name is resolved to the index of its value (None: always
# empty), once per note type, so rendering a card looks nothing up by name.
@dataclass(frozen=True)
class _Value:
    index: int | None
    filters: tuple[str, ...]


@dataclass(frozen=True)
class _If:
    index: int | None
    inverted: bool
    children: tuple


def render_card(front_template: str, back_template: str, fields: dict[str, str],
                card_number: int) -> tuple[str, str]:
    """(front, back) HTML for the card with this number (template ord + 1, or cloze number).

    Our cards show the back as the answer on its own, so the back drops Anki's repeat of the
    front: whatever comes before `<hr id=answer>`, or {{FrontSide}} when there is no such rule.
    """
    renderer = card_renderer(front_template, back_template, tuple(fields))
    return renderer(tuple(fields.values()), card_number)


@lru_cache(maxsize=256)
def card_renderer(front_template: str, back_template: str,
                  names: tuple[str, ...]) -> CardRenderer:
    """What render_card does, for fields given as values in the order of `names`.

    A name given twice means its last value, as in a dict built from the pairs.
    """
    answer = _answer_part(back_template)
    back = answer or _parse_template(back_template)
    return CardRenderer(_side(_parse_template(front_template), names),
                        _side(back, names), cut_rule=answer is None)


class CardRenderer:
    """Renders cards of one pair of templates; `width` is how many values it reads at most."""

    def __init__(self, front: _Flat | tuple, back: _Flat | tuple, cut_rule: bool) -> None:
        self._front, self._back, self._cut_rule = front, back, cut_rule
        # Most note types (Basic and its kin) render with one str.format call a side.
        self._front_pattern = front.pattern if isinstance(front, _Flat) else None
        self._back_pattern = back.pattern if isinstance(back, _Flat) else None
        self.width = max(_width(front), _width(back))

    def __call__(self, values: tuple[str, ...], card_number: int) -> tuple[str, str]:
        front = self._front_pattern.format(*values) if self._front_pattern is not None \
            else _render(self._front, values, card_number, False)
        back = self._back_pattern.format(*values) if self._back_pattern is not None \
            else _render(self._back, values, card_number, True)
        if self._cut_rule and (rule := _ANSWER_RULE.search(back)):
            # The rule came from a section or a field rather than the template's own text.
            back = back[rule.end():]
        return _tidy(front), _tidy(back)


@dataclass(frozen=True)
class _Flat:
    """A side with no sections and no filters: a format string over the values."""

    pattern: str
    width: int


def _side(nodes: tuple, names: tuple[str, ...]) -> _Flat | tuple:
    resolved = _resolve(nodes, _indexer(names))
    if not all(isinstance(n, str) or (isinstance(n, _Value) and not n.filters) for n in resolved):
        return resolved
    pattern = "".join(n.replace("{", "{{").replace("}", "}}") if isinstance(n, str)
                      else "" if n.index is None else f"{{{n.index}}}" for n in resolved)
    return _Flat(pattern, _width(resolved))


def _indexer(names: tuple[str, ...]):
    last = {name: index for index, name in enumerate(names)}

    def index_of(name: str) -> int | None:
        if name == "FrontSide":
            return None
        if name in last:
            return last[name]
        folded = name.casefold()
        return next((i for n, i in last.items() if n.casefold() == folded), None)
    return index_of


def _resolve(nodes, index_of) -> tuple:
    resolved = []
    for node in nodes:
        if isinstance(node, _Section):
            resolved.append(_If(index_of(node.field), node.inverted,
                                _resolve(node.children, index_of)))
        elif isinstance(node, _Replacement):
            resolved.append(_Value(index_of(node.field), node.filters))
        elif node:
            resolved.append(node)
    return tuple(resolved)


def _width(side) -> int:
    if isinstance(side, _Flat):
        return side.width
    widths = [0]
    for node in side:
        if isinstance(node, (_Value, _If)) and node.index is not None:
            widths.append(node.index + 1)
        if isinstance(node, _If):
            widths.append(_width(node.children))
    return max(widths)


@lru_cache(maxsize=256)
def _answer_part(template: str) -> tuple | None:
    """What follows the template's own `<hr id=answer>`, or None if its top level has none."""
    nodes = _parse_template(template)
    for index, node in enumerate(nodes):
        if isinstance(node, str) and (rule := _ANSWER_RULE.search(node)):
            return (node[rule.end():], *nodes[index + 1:])
    return None


def _render(nodes: tuple, values: tuple[str, ...], card_number: int, is_answer: bool) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
            continue
        value = "" if node.index is None else values[node.index]
        if isinstance(node, _If):
            if _is_filled(value) != node.inverted:
                parts.append(_render(node.children, values, card_number, is_answer))
        else:
            parts.append(_replace(value, node.filters, card_number, is_answer))
    return "".join(parts)


def _is_filled(value: str) -> bool:
    return not _EMPTY_FIELD.match(value)


def _replace(value: str, filters: tuple[str, ...], card_number: int, is_answer: bool) -> str:
    if "type" in filters:
        # No typing box here: the question just asks, and the answer shows what was expected.
        if not is_answer:
            return ""
        return ", ".join(cloze_answers(value, card_number)) if "cloze" in filters else value
    for name in reversed(filters):
        value = _apply_filter(name, value, card_number, is_answer)
    return value


def _apply_filter(name: str, value: str, card_number: int, is_answer: bool) -> str:
    if name == "cloze":
        return render_cloze(value, card_number, is_answer)
    if name == "cloze-only":
        return ", ".join(cloze_answers(value, card_number))
    if name == "text":
        return _HTML_TAG.sub("", value)
    if name == "furigana":
        return _FURIGANA.sub(_ruby, value)
    if name == "kana":
        return _FURIGANA.sub(lambda m: m.group(0) if _is_sound(m) else m.group(2), value)
    if name == "kanji":
        return _FURIGANA.sub(lambda m: m.group(0) if _is_sound(m) else m.group(1), value)
    if name.startswith("tts"):
        return _HTML_TAG.sub("", value)
    # hint: and filters from add-ons: show the field as it is.
    return value


def _is_sound(match: re.Match) -> bool:
    return match.group(2).startswith("sound:")


def _ruby(match: re.Match) -> str:
    if _is_sound(match):
        return match.group(0)
    return f"<ruby>{match.group(1)}<rt>{match.group(2)}</rt></ruby>"


def _tidy(html: str) -> str:
    """Without the blank lines templates leave around empty fields; `[sound:...]` markers stay."""
    html = html.strip()
    if not html.startswith(_EDGE_NOISE) and not html.endswith(_EDGE_NOISE):
        return html
    start, end = 0, len(html)
    trimmed = True
    while trimmed and start < end:
        trimmed = False
        while start < end and html[start].isspace():
            start += 1
        while end > start and html[end - 1].isspace():
            end -= 1
        if not html.startswith(_EDGE_NOISE, start, end) and \
                not html.endswith(_EDGE_NOISE, start, end):
            break
        for token in _EDGE_NOISE:
            if html.startswith(token, start, end):
                start, trimmed = start + len(token), True
            if html.endswith(token, start, end):
                end, trimmed = end - len(token), True
    return html[start:end]


# -- cloze ----------------------------------------------------------------------------------------
@dataclass
class _Cloze:
    numbers: frozenset[int]
    children: list = field(default_factory=list)
    hint: str | None = None


# A note's text is looked at once per deletion number: parse it once.
@lru_cache(maxsize=1024)
def _parse_cloze(text: str) -> tuple:
    # Openings never closed, or nested too deep, are shown as the text that was typed.
    literal = _literal_openings(text)
    root: list = []
    stack: list[_Cloze] = []
    position = 0
    for match in _CLOZE_TOKEN.finditer(text):
        container = stack[-1].children if stack else root
        container.append(text[position:match.start()])
        position = match.end()
        if match.group(1) is not None and match.start() not in literal:
            numbers = frozenset(int(n) for n in match.group(1).split(",") if n)
            stack.append(_Cloze(numbers))
        elif match.group(1) is None and stack:
            _close(stack.pop(), stack[-1].children if stack else root)
        else:
            container.append(match.group(0))
    root.append(text[position:])
    return tuple(root)


def _literal_openings(text: str) -> set[int]:
    """Where deletions open that will not be treated as deletions."""
    literal: set[int] = set()
    stack: list[int] = []
    for match in _CLOZE_TOKEN.finditer(text):
        if match.group(1) is None:
            if stack:
                stack.pop()
        elif len(stack) >= _MAX_DEPTH:
            literal.add(match.start())
        else:
            stack.append(match.start())
    return literal | set(stack)


def _close(cloze: _Cloze, container: list) -> None:
    last = cloze.children[-1] if cloze.children else ""
    if isinstance(last, str) and "::" in last:
        cloze.children[-1], cloze.hint = last.split("::", 1)
    container.append(cloze)


def cloze_numbers(text: str) -> set[int]:
    """The deletion numbers in a field: {1, 2} for "{{c1::a}} and {{c2::b}}"."""
    return set(_cloze_numbers(text))


# Asked once for each card of a note.
@lru_cache(maxsize=1024)
def _cloze_numbers(text: str) -> frozenset[int]:
    numbers: set[int] = set()
    pending = list(_parse_cloze(text))
    while pending:
        node = pending.pop()
        if isinstance(node, _Cloze):
            numbers |= node.numbers
            pending.extend(node.children)
    return frozenset(numbers)


def render_cloze(text: str, number: int, reveal: bool) -> str:
    """The field with deletion `number` hidden as [...] or [hint], or revealed in bold."""
    return _render_cloze_nodes(_parse_cloze(text), number, reveal)


def _render_cloze_nodes(nodes: list, number: int, reveal: bool) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif number not in node.numbers:
            parts.append(_render_cloze_nodes(node.children, number, reveal))
        elif reveal:
            parts.append(f"<b>{_render_cloze_nodes(node.children, number, True)}</b>")
        else:
            parts.append(f"<b>[{node.hint}]</b>" if node.hint else f"<b>{HIDDEN}</b>")
    return "".join(parts)


def cloze_answers(text: str, number: int) -> list[str]:
    """The revealed text of each deletion with this number, in order."""
    answers = []
    pending = list(reversed(_parse_cloze(text)))
    while pending:
        node = pending.pop()
        if isinstance(node, _Cloze):
            if number in node.numbers:
                answers.append(_render_cloze_nodes(node.children, number, True))
            else:
                pending.extend(reversed(node.children))
    return answers
