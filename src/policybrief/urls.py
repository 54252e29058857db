"""The one allow-list for URLs that come from content.

A summary's `url`, a Markdown link, anything a reader can click in a page or a PDF: only
http and https links to a named host, and mailto addresses. `javascript:`, `data:`,
`file:`, `vbscript:` and everything else would run code or read files in the reader's
browser or PDF viewer. The loader refuses content with any other URL (so it never reaches
HTML, PDF link annotations, CSV or JSON), and the renderers check again with `allowed`.
"""

from __future__ import annotations

import re
import urllib.parse

SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_MAX_LENGTH = 2048


def url_problem(url: str) -> str | None:
    """Why `url` may not be published as a link, or None if it may."""
    if len(url) > _MAX_LENGTH:
        return f"a URL of {len(url):,} characters (at most {_MAX_LENGTH:,})"
    if _CONTROL.search(url):
        return "a URL with spaces, control or invisible characters: write it as it appears in the browser"
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        shown = f"'{scheme}:'" if scheme else "no scheme"
        return f"a URL with {shown}: only {', '.join(s + ':' for s in SCHEMES)} links are published"
    if scheme == "mailto":
        return None if re.fullmatch(r"[^@/\s]+@[^@/\s]+", parts.path) else "not an e-mail address"
    if not parts.hostname or parts.username is not None or parts.password is not None:
        return "an http(s) URL names a host (and no user or password)"
    return None


def allowed(url: str | None) -> bool:
    return bool(url) and url_problem(url) is None  # type: ignore[arg-type]


def allowed_href(url: str) -> bool:
    """For links inside Markdown: the allow-list, or an in-page anchor."""
    return (url.startswith("#") and _CONTROL.search(url) is None) or allowed(url)


__all__ = ["SCHEMES", "allowed", "allowed_href", "url_problem"]
