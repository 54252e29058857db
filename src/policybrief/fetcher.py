"""The only way WeasyPrint may read anything: files inside the allowed folders, nothing else.

Content is untrusted. Even with Markdown sanitised, a template or stylesheet mistake must not
let a brief read /etc/passwd or call out to the network while rendering, so WeasyPrint gets
this fetcher instead of its default one: `file://` URLs inside the templates folder, the
build's staging folder and the pinned font files are served; every other scheme (http, https,
ftp, data over the size limit) and every other path is refused.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from weasyprint.urls import URLFetcher, URLFetcherResponse

# Where the build's in-memory files appear to WeasyPrint: file:///policybrief-build/...
BUILD_ROOT = "/policybrief-build"
MAX_DATA_URL_BYTES = 256 * 1024
MAX_FILE_BYTES = 64 * 1024 * 1024


class FetchRefused(ValueError):
    """Raised (and reported by WeasyPrint as a failed resource) for anything not allowed."""


class SafeFetcher(URLFetcher):
    def __init__(
        self, folders: Iterable[Path] = (), files: Iterable[Path] = (), memory: dict[str, bytes] | None = None
    ) -> None:
        # No network handlers are used: fetch() below never calls the opener.
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        # `memory` is the build's own output, rendered but not yet written: virtual absolute
        # paths under BUILD_ROOT mapped to their bytes.
        self.memory = dict(memory or {})
        self.folders = tuple(Path(f).resolve() for f in folders)
        self.files = frozenset(Path(f).resolve() for f in files)
        self.refused: list[str] = []
        self.served: list[Path] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            return self._fetch(url)
        except FetchRefused:
            self.refused.append(url if len(url) < 200 else url[:200] + "…")
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        scheme = urllib.parse.urlsplit(url).scheme.lower()
        if scheme == "data":
            return self._data(url)
        if scheme != "file":
            raise FetchRefused(f"refused {scheme or 'relative'} URL: only local build files are read")
        raw_path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        virtual = posixpath.normpath(raw_path)
        if virtual.startswith(BUILD_ROOT + "/"):
            if virtual not in self.memory:
                raise FetchRefused(f"no such build file: {virtual}")
            mime, _ = mimetypes.guess_type(virtual)
            return URLFetcherResponse(
                url, self.memory[virtual], {"Content-Type": mime or "application/octet-stream"}
            )
        path = Path(raw_path).resolve()
        if not self.allows(path):
            raise FetchRefused(f"refused file outside the build: {path}")
        if not path.is_file():
            raise FetchRefused(f"no such file: {path}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FetchRefused(f"file too large: {path}")
        self.served.append(path)
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )

    def allows(self, path: Path) -> bool:
        return path in self.files or any(path.is_relative_to(folder) for folder in self.folders)

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url[5:].partition(",")
        if len(payload) > MAX_DATA_URL_BYTES * 4 // 3 + 4:
            raise FetchRefused("refused data URL over the size limit")
        mime = header.split(";")[0] or "text/plain"
        if header.endswith(";base64"):
            data = base64.b64decode(payload, validate=False)
        else:
            data = urllib.parse.unquote_to_bytes(payload)
        if len(data) > MAX_DATA_URL_BYTES:
            raise FetchRefused("refused data URL over the size limit")
        return URLFetcherResponse(url[:64], data, {"Content-Type": mime})
