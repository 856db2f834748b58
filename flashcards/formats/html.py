"""Card HTML from outside is sanitised on the way in: no scripts, no handlers, nothing remote.
And card HTML is shown as one line of plain text where a listing needs it.

A card plays a sound where its HTML says `[sound:name.mp3]`, as in Anki: the marker is text, and
the name is HTML text too (`&amp;` means "&"). It names a file in the collection's media folder.
"""

from __future__ import annotations

import html
import re

import nh3

_TAGS = {
    "a", "b", "i", "u", "em", "strong", "s", "sub", "sup", "br", "p", "div", "span", "ul", "ol",
    "li", "img", "code", "pre", "blockquote", "hr", "table", "thead", "tbody", "tr", "th", "td",
    "h1", "h2", "h3", "h4", "font", "small", "big", "ruby", "rt", "rp",
}
_ATTRIBUTES = {
    "img": {"src", "alt", "title", "width", "height"},
    "a": {"href", "title"},
    "span": {"style"}, "div": {"style"}, "p": {"style"}, "font": {"color"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"},
}


# Classes are allowed one by one: "cloze" marks a hidden word (as Anki's cloze export does) and
# the card style sheet colours it; any other class is dropped, so no card restyles the screen.
_CLASSES = {"span": {"cloze"}}

# Built once: configuring a cleaner costs far more than cleaning one card with it.
_CLEANER = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=set(),
                       allowed_classes=_CLASSES, link_rel="noopener noreferrer")


# Text with none of these is plain text that the sanitiser hands back unchanged (checked against
# every code point, and by a property test); skipping it saves most of an import's cleaning time.
_NOT_PLAIN = re.compile("[<>&\r\x00\xa0\ufeff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Anki's own pattern: any name up to the first "]" on the same line.
SOUND = re.compile(r"\[sound:([^\]\r\n]+)\]")
# A character in a sound's name that the sanitiser would read as markup.
_MARKUP_IN_NAME = re.compile("[<>&]")


def is_plain_text(text: str) -> bool:
    """Whether clean_html would give `text` back as it is, without asking the sanitiser."""
    return not _NOT_PLAIN.search(text)


def clean_html(text: str) -> str:
    """Keep formatting and local images; drop scripts, event handlers and remote resources.

    Only relative URLs survive (images from the collection's media folder), so showing a card
    never fetches anything from the network.
    """
    if not _NOT_PLAIN.search(text):
        return text
    # A lone surrogate (JSON can spell one as "\\ud800") is not text; it would stop the sanitiser.
    # Checking whether text is ASCII costs nothing, and ASCII text holds none.
    if not text.isascii():
        text = _SURROGATE.sub("\ufffd", text)
    if "[sound:" in text:
        text = SOUND.sub(_escape_sound_name, text)
    return _CLEANER.clean(text)


def _escape_sound_name(match: re.Match) -> str:
    """The marker with its name as HTML text, so that no "<" in it is taken for a tag."""
    name = match.group(1)
    if not _MARKUP_IN_NAME.search(name):
        return match.group(0)
    return f"[sound:{html.escape(html.unescape(name), quote=False)}]"


def sound_names(fragment: str) -> list[str]:
    """The file names of the sounds card HTML plays, in order, as they are on disk."""
    if "[sound:" not in fragment:
        return []
    return [html.unescape(name) for name in SOUND.findall(fragment)]


def text_to_html(text: str) -> str:
    """Plain text as a safe HTML fragment, line breaks kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return html.escape(text, quote=False).replace("\n", "<br>")


# Tags that start a new line or cell when shown: they become a space, the others nothing.
_BREAK = re.compile(r"</?(?:br|p|div|li|ul|ol|tr|td|th|table|thead|tbody|h[1-6]|hr|blockquote|pre)"
                    r"\b[^>]*>", re.IGNORECASE)
_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>""",
                    re.IGNORECASE)
_MARKUP = re.compile(r"<!--.*?-->|<(style|script)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def text_line(fragment: str) -> str:
    """Card HTML as one line of plain text, for a listing: tags removed (an image or a sound shows
    as its file name), entities decoded, and every run of whitespace, line breaks included, one
    space."""
    text = _IMAGE.sub(lambda m: f" {m.group(1) or m.group(2) or m.group(3) or ''} ", fragment)
    text = SOUND.sub(lambda m: f" {m.group(1)} ", text)
    text = _MARKUP.sub("", _BREAK.sub(" ", text))
    return " ".join(html.unescape(text).split())
