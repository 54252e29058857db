"""Render stage: Jinja templates + Markdown to HTML (screen pages and the print variant).

Templates hold presentation only. Autoescape is on; content reaches templates as data or as
HTML that `policybrief.markup` has already sanitised. The loader records every template file
a render reads (includes and parents too), so the build cache knows what a page depends on.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .citations import CITATION_RE
from .theme import Theme
from .urls import allowed

_CITE_TOKEN = "\x00cite:{}\x00"
_CITE_TOKEN_RE = re.compile("\x00cite:([^\x00]+)\x00")
_NOTES_TOKEN = "\x00endnotes\x00"


class RecordingLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that remembers each template file it reads, with its hash. Its
    search path is the theme's folders in order (the project's templates/, then the default
    theme): Jinja takes each template from the first folder that has it."""

    def __init__(self, theme: Theme) -> None:
        super().__init__([str(f) for f in theme.folders])
        self.read: dict[str, str] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        self.read[template] = hashlib.sha256(source.encode()).hexdigest()
        return source, filename, uptodate


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of this process, keyed by template
    and checked against the source's hash (Jinja's own bucket checksum): each product still
    gets a fresh environment, and its loader still reads, and so records, every template it
    uses; only the compiling is done once per process."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


def environment(
    theme: Theme, text_language: str = "en", name_languages: Sequence[str] = ()
) -> jinja2.Environment:
    """`text_language`: the BCP 47 tag of the pages' language; `name_languages`: the further
    languages names are shown in, in order (policybrief.toml: languages)."""
    env = jinja2.Environment(
        loader=RecordingLoader(theme),
        bytecode_cache=_BYTECODE,
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["breakable"] = breakable
    env.filters["keep_end"] = keep_end
    # Globals, not context: macros imported by partials see them too.
    env.globals["text_language"] = text_language
    env.globals["name_languages"] = list(name_languages)
    # Content URLs are refused at load unless allowed; templates check again (test on links).
    env.tests["allowed_url"] = allowed
    return env


# After a run of "/", "." or "_", unless the string ends there.
_BREAK_AFTER_RE = re.compile(r"(?<=[/._])(?![/._]|$)")


def breakable(text: str) -> Markup:
    """A URL, file name or code that may break only after "/", "." or "_", and is never
    hyphenated: pieces that do not wrap (a hyphen in "gd-fao" is no place to break: the
    reader would take it for a hyphenation, or the other way round), with <wbr> between.
    The stylesheets set `.breakable { hyphens: manual }` and keep its pieces whole; the
    text a reader copies is the string itself."""
    pieces = _BREAK_AFTER_RE.split(str(text))
    inner = Markup("<wbr>").join(Markup("<span>{}</span>").format(p) for p in pieces)
    return Markup('<span class="breakable">{}</span>').format(inner)


#: The longest ending keep_end holds together, in characters: about the narrowest column's
#: width at table size (the who-does-what table's 13% column holds some 18 characters).
KEEP_MAX_CHARS = 18


def keep_end(text: str, count: int = 2) -> Markup:
    """The text with its last `count` words held together (`<span class="keep">`, set
    white-space: nowrap in print.css), so that a narrow table cell on paper never ends on a
    line of one word ("2" above "batches"). Spaces stay spaces: the words read and copy as
    written. (On screen the widths vary and the span does nothing.)"""
    words = str(text).split(" ")
    kept = " ".join(words[-count:])
    # Only a short ending: one wider than a narrow column ("Service-oriented manufacturing",
    # "Coordination mechanism") would run out of its cell into the next, which is worse
    # than a line of one word.
    if len(words) < 2 or any(not w for w in words[-count:]) or len(kept) > KEEP_MAX_CHARS:
        return Markup(escape(text))
    head = " ".join(words[:-count])
    return Markup('{}<span class="keep">{}</span>').format(Markup(escape(head) + " ") if head else "", kept)


@dataclass
class Endnote:
    number: int
    target: str  # the cited id
    text: Markup


@dataclass
class Citations:
    """Numbered endnotes for one brief, numbered in reading order.

    Templates and Markdown emit placeholder tokens; `resolve` numbers them in the order they
    appear in the finished page, so numbering follows the reader whatever order the
    template computed things in.
    """

    describe: Callable[[str], Markup]
    notes: list[Endnote] = field(default_factory=list)

    def token(self, ident: str) -> Markup:
        return Markup(_CITE_TOKEN.format(html.escape(ident)))

    def tokens_in_markdown_html(self, fragment: str) -> str:
        def replace(match: re.Match[str]) -> str:
            idents = [part.strip().lstrip("@") for part in match.group(1).split(";")]
            return "".join(self.token(i) for i in idents)

        # A citation hugs the word before it: "50 factories[1]", not "50 factories [1]".
        return CITATION_RE.sub(replace, re.sub(r"\s+(?=\[@)", "", fragment))

    def resolve(self, page: str) -> str:
        numbers: dict[str, int] = {}
        by_text: dict[str, int] = {}

        def number(ident: str) -> int:
            if ident not in numbers:
                text = self.describe(ident)
                # Two citations that say the same (the same source, the same phrase) are one
                # note: a reader must not find notes 1 and 2 word for word alike.
                if str(text) in by_text:
                    numbers[ident] = by_text[str(text)]
                else:
                    numbers[ident] = by_text[str(text)] = len(self.notes) + 1
                    self.notes.append(Endnote(numbers[ident], ident, text))
            return numbers[ident]

        def replace(match: re.Match[str]) -> str:
            n = number(html.unescape(match.group(1)))
            return f'<a class="cite" href="#note-{n}" role="doc-noteref" aria-label="note {n}">{n}</a>'

        page = _CITE_TOKEN_RE.sub(replace, page)
        page = _CELL_RE.sub(lambda m: _once_per_cell(m.group(0)), page)
        # The same note twice in a row is shown once ("10", not "10,10").
        page = _REPEAT_RE.sub(r"\1", page)
        # Adjacent citations read as "1, 2" rather than "12".
        page = re.sub(r'(</a>)(<a class="cite")', r'\1<span class="cite-sep">,</span>\2', page)
        return page


_CITE_RE = re.compile(r'<a class="cite" href="#note-(\d+)"[^>]*>\d+</a>')
_REPEAT_RE = re.compile(
    r'(<a class="cite" href="#note-(\d+)"[^>]*>\d+</a>)(?:<a class="cite" href="#note-\2"[^>]*>\d+</a>)+'
)
# A table cell (cells hold no tables of their own).
_CELL_RE = re.compile(r"<(td|th)\b[^>]*>.*?</\1>", re.S)


def _once_per_cell(cell: str) -> str:
    """A table cell shows each note number once: at its last place, so that a note ending a
    cell's list ("Shandong; Shanghai¹⁰") reads as the note of every item before it, rather
    than of the first one only."""
    last: dict[str, int] = {}
    for match in _CITE_RE.finditer(cell):
        last[match.group(1)] = match.start()

    def keep_last(match: re.Match[str]) -> str:
        return match.group(0) if last[match.group(1)] == match.start() else ""

    return _CITE_RE.sub(keep_last, cell)


def render_page(
    env: jinja2.Environment,
    template: str,
    context: dict[str, Any],
    citations: Citations | None = None,
    notes_template: str | None = None,
) -> str:
    page = env.get_template(template).render(**context)
    if citations is not None:
        page = citations.resolve(page)
        if notes_template is not None:
            notes_html = env.get_template(notes_template).render(notes=citations.notes)
            page = page.replace(_NOTES_TOKEN, notes_html)
    if "\x00" in page:
        raise ValueError(f"{template}: unresolved placeholder in rendered page")
    return page


NOTES_PLACEHOLDER = Markup(_NOTES_TOKEN)
