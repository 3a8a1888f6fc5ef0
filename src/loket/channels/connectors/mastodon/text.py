"""Mastodon's HTML to plain text, and the length Mastodon counts for a status. Pure."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Elements after which the text continues on a new paragraph.
_PARAGRAPHS = frozenset(
    {"p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_HIDDEN = frozenset({"script", "style", "template"})
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_TAG = re.compile(r"<[^>]*>?")

# Mastodon counts every link as 23 characters and a mention only by its username part
# (StatusLengthValidator), whatever their real length.
URL_LENGTH = 23
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_REMOTE_MENTION = re.compile(r"(?<![\w/])@(\w+(?:[\w.-]*\w)?)@[\w.-]+\w", re.UNICODE)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._preformatted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in ("br", "li"):
            self.parts.append("\n")
        elif tag in _PARAGRAPHS:
            self.parts.append("\n\n")
            if tag == "pre":
                self._preformatted += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _PARAGRAPHS:
            self.parts.append("\n\n")
            if tag == "pre":
                self._preformatted = max(0, self._preformatted - 1)

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        # Line breaks in HTML source are spaces; Mastodon marks real ones with <br> and <p>.
        self.parts.append(data if self._preformatted else _SPACES.sub(" ", data))


def html_to_text(content: str) -> str:
    """The text a reader sees: tags gone, entities decoded, <br> and paragraphs kept as
    line breaks. Never raises: markup the parser cannot follow is stripped bluntly."""
    extractor = _TextExtractor()
    try:
        extractor.feed(content)
        extractor.close()
        text = "".join(extractor.parts)
    except (AssertionError, ValueError):  # the stdlib parser gives up on some declarations
        text = html.unescape(_TAG.sub(" ", content))
    return _tidy(text)


def _tidy(text: str) -> str:
    lines = [line.strip(" \t") for line in text.replace("\r", "").split("\n")]
    tidy = "\n".join(lines)
    tidy = re.sub(r"\n{3,}", "\n\n", tidy)
    return tidy.strip()


def mastodon_length(text: str) -> int:
    """How many characters Mastodon counts for this status text (at least; it counts
    grapheme clusters, which are never more than code points)."""
    countable = _URL.sub("x" * URL_LENGTH, text)
    countable = _REMOTE_MENTION.sub(lambda match: "@" + match.group(1), countable)
    return len(countable)
