"""The readable text of an e-mail: HTML turned into plain text, quoted history cut off.

Deliberately simple rules (see the README): the agent sees the conversation in Loket, so the
copy of it that mail programs quote below a reply is noise. When the rules would leave nothing,
the whole text is kept: nothing a citizen wrote may disappear.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

# "On Fri, 28 Nov 2026 at 10:15, Jan <jan@example.org> wrote:" (Gmail, Thunderbird),
# "Op vr 28 nov 2026 om 10:15 schreef Jan <…>:" (Gmail in Dutch),
# "Op 28 nov. 2026 om 10:15 heeft Jan <…> het volgende geschreven:" (Apple Mail in Dutch),
# "Le 28 nov. 2026 à 10:15, Jan <…> a écrit :" (French).
ATTRIBUTION = re.compile(
    r"^\s*(?:on\s.+\swrote|op\s.+\s(?:schreef|geschreven)[^:]*|le\s.+\sa\s+écrit)\s*:\s*$",
    re.IGNORECASE,
)
# Outlook's separator, in English, Dutch and French.
SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:original message|oorspronkelijk bericht|message d'origine)\s*-{2,}\s*$",
    re.IGNORECASE,
)
# Outlook's header block above the quoted message: "Van: …" followed by "Verzonden: …".
BLOCK_FROM = re.compile(r"^\s*\*?(?:from|van|de)\s*:", re.IGNORECASE)
BLOCK_SENT = re.compile(r"^\s*\*?(?:sent|verzonden|envoyé|date|datum)\s*:", re.IGNORECASE)
# A forwarded message is the content itself, not history: it is not trimmed.
FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|doorst|tr)\s*:", re.IGNORECASE)

BLOCK_TAGS = {
    "address", "article", "blockquote", "br", "div", "dl", "dt", "dd", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "tr",
    "ul",
}  # fmt: skip
INVISIBLE_TAGS = {"head", "script", "style", "template", "title"}
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr"}


class _TextOfHtml(HTMLParser):
    """Collects the visible text; blockquotes (quoted history in HTML mail) apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.quoted_parts: list[str] = []
        self._invisible = 0
        self._quoted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            if tag in BLOCK_TAGS:
                self._write("\n")
            return
        if tag in INVISIBLE_TAGS:
            self._invisible += 1
        elif tag == "blockquote":
            self._quoted += 1
        if tag in BLOCK_TAGS:
            self._write("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if tag in BLOCK_TAGS:
            self._write("\n")
        if tag in INVISIBLE_TAGS:
            self._invisible = max(0, self._invisible - 1)
        elif tag == "blockquote":
            self._quoted = max(0, self._quoted - 1)

    def handle_data(self, data: str) -> None:
        if not self._invisible:
            self._write(re.sub(r"\s+", " ", data))

    def _write(self, text: str) -> None:
        (self.quoted_parts if self._quoted else self.parts).append(text)


def html_to_text(html: str) -> str:
    """Visible text of an HTML body, one line per block; blockquoted history left out."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    text = _tidy("".join(parser.parts))
    if not text:  # everything was quoted: keep it rather than lose it
        text = _tidy("".join(parser.quoted_parts))
    return text


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def without_quoted_history(text: str, *, subject: str = "") -> str:
    """The text above the quoted history of a reply."""
    if FORWARD_SUBJECT.match(subject):
        return text.strip()
    lines = text.splitlines()
    kept: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _history_starts(line, following, lines[index + 1 : index + 4]):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    trimmed = "\n".join(kept).strip()
    return trimmed or text.strip()


def _history_starts(line: str, following: str, next_lines: list[str]) -> bool:
    if _is_attribution(line) or SEPARATOR.match(line):
        return True
    # Gmail wraps a long attribution line over two lines.
    if (
        following
        and line.strip().lower().startswith(("on ", "op ", "le "))
        and not _is_attribution(following)
        and _is_attribution(f"{line} {following}")
    ):
        return True
    return bool(BLOCK_FROM.match(line)) and any(BLOCK_SENT.match(n) for n in next_lines)


def _is_attribution(line: str) -> bool:
    # Mail programs put the date in it; "Op uw website schreef u:" in a citizen's own words
    # has none, and is not cut.
    return bool(ATTRIBUTION.match(line)) and any(char.isdigit() for char in line)


def clean(value: str, *, multiline: bool = False) -> str:
    """Text safe to store: no lone surrogates (from undecodable bytes), no control characters
    (PostgreSQL refuses NUL), and for header values no line breaks."""
    value = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    allowed = {"\n", "\t"} if multiline else set()
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    else:
        value = " ".join(value.split())
    return "".join(
        char for char in value if char in allowed or unicodedata.category(char) != "Cc"
    ).strip()
