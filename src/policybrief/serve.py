"""`build.py serve`: rebuild on change, serve output/ on 127.0.0.1, reload the open page.

One loop in the main thread watches content/ and templates/ (polling names, sizes and
modification times twice a second: no dependency, and the build itself decides from content
hashes what to render) and runs the ordinary incremental build when something changed and
then held still. An HTTP server in a thread serves output/ as it is at each request (the
build swaps it atomically, so a request sees the old site or the new one).

Only HTML responses get a small script that polls /__policybrief/version?page=PATH and
reloads when that page, or the stylesheets, changed; the files in output/ are never touched.
A content error is printed and the last good output goes on being served.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import logging
import os
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .options import Options
from .problems import ContentError
from .publish import MANIFEST

log = logging.getLogger("policybrief")

VERSION_PATH = "/__policybrief/version"
POLL_SECONDS = 0.5
# Longest request target served; no page of the site has a path near this. Longer ones are
# answered 414 before anything is looked up.
MAX_URL = 2048
HOST = "127.0.0.1"  # never another interface: serve shows drafts to the analyst only
RELOAD_SCRIPT = """<script>/* policybrief serve: reload when this page is rebuilt */
(() => {
  const url = "__VERSION_PATH__?page=" + encodeURIComponent(location.pathname);
  let seen = null;
  async function poll() {
    try {
      const version = await (await fetch(url, {cache: "no-store"})).text();
      if (seen !== null && version !== seen) { location.reload(); return; }
      seen = version;
    } catch (e) { /* the server is restarting: try again */ }
    setTimeout(poll, 700);
  }
  poll();
})();
</script>
""".replace("__VERSION_PATH__", VERSION_PATH)


class Site:
    """What the server knows about output/: the published manifest, re-read on change."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._files: dict[str, str] = {}

    def refresh(self) -> None:
        path = self.output / MANIFEST
        try:
            st = path.stat()
            stamp = (st.st_ino, st.st_mtime_ns)
        except OSError:
            stamp = None
        with self._lock:
            if stamp == self._stamp:
                return
            try:
                manifest = json.loads(path.read_bytes())
                self._files = {f["path"]: f["sha256"] for f in manifest["files"]}
            except (OSError, ValueError, KeyError, TypeError):
                self._files = {}
            self._stamp = stamp

    def version(self, page: str | None) -> str:
        """Changes when the page or any stylesheet changes (the whole site when no page)."""
        self.refresh()
        with self._lock:
            files = self._files
            rel = (page or "").lstrip("/")
            if rel == "" or rel.endswith("/"):
                rel += "index.html"
            if page and rel in files:
                parts = [
                    rel,
                    files[rel],
                    *(f"{k}={v}" for k, v in sorted(files.items()) if k.endswith(".css")),
                ]
            else:
                parts = [f"{k}={v}" for k, v in sorted(files.items())]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def make_handler(site: Site) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Resolved at each request: the build replaces output/ by a rename.
            super().__init__(*args, directory=str(site.output), **kwargs)

        def do_HEAD(self) -> None:
            if refused(self.path) is not None:
                self.send_error(400)
                return
            super().do_HEAD()

        def do_GET(self) -> None:
            problem = refused(self.path)
            if problem is not None:
                status, reason = problem
                self.send_error(status, reason)
                return
            url = urllib.parse.urlsplit(self.path)
            if url.path == VERSION_PATH:
                page = urllib.parse.parse_qs(url.query).get("page", [None])[0]
                self._send(200, "text/plain; charset=utf-8", site.version(page).encode())
                return
            target = Path(self.translate_path(self.path))
            if target.is_dir() and url.path.endswith("/"):
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                self._send_html(target)
                return
            super().do_GET()  # other files, and the redirect of a folder to its "/"

        def _send_html(self, target: Path) -> None:
            try:
                page = target.read_bytes()
            except OSError:
                self.send_error(404)
                return
            script = RELOAD_SCRIPT.encode()
            at = page.rfind(b"</body>")
            page = page[:at] + script + page[at:] if at >= 0 else page + script
            self._send(200, "text/html; charset=utf-8", page)

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("serve: " + format, *args)

    return Handler


def refused(target: str) -> tuple[int, str] | None:
    """(status, reason) when a request target is not a plain path inside output/.

    SimpleHTTPRequestHandler already drops `..` segments; this refuses, before any file
    system call, what it would pass on or choke on: targets that are too long, NUL bytes
    (os functions raise ValueError on them), `..` in any spelling (`%2e%2e`, `%2f`,
    backslashes), empty segments (`//`) and absolute URLs."""
    if len(target) > MAX_URL:
        return 414, "URI too long"
    if not target.startswith("/") or target.startswith("//"):
        return 400, "Bad request target"
    path = urllib.parse.urlsplit(target).path
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
        decoded = urllib.parse.unquote(decoded, errors="strict")  # and double encoding
    except UnicodeDecodeError:
        return 400, "Bad characters in path"
    if any(c in decoded for c in "\0\\") or any(ord(c) < 32 or ord(c) == 127 for c in decoded):
        return 400, "Bad characters in path"
    segments = decoded.split("/")[1:]
    if any(seg in ("..", ".") for seg in segments) or "" in segments[:-1]:
        return 404, "Not found"
    return None


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Loopback only: the site is for the analyst's own browser.
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that disconnects mid-response is not an error worth a traceback."""
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            log.debug("serve: client %s went away (%s)", client_address, exc.__class__.__name__)
            return
        log.error("serve: request from %s failed: %s: %s", client_address, type(exc).__name__, exc)
        log.debug("traceback", exc_info=True)


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """Path -> (size, mtime in ns) of every file under `folders`."""
    out: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                path = os.path.join(root, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                out[path] = (st.st_size, st.st_mtime_ns)
    return out


def _verify(options: Options, sources: Path) -> int | None:
    """Check every evidence anchor against the sources; problems are logged as warnings (a
    preview is not refused for them, `build --strict` is). How many were verified."""
    from .load import load_corpus
    from .sources import verify_sources

    if not sources.is_dir():
        log.warning("%s: sources folder not found; anchors not checked", sources)
        return None
    try:
        corpus = load_corpus(options.content, options.settings, options.limits)
    except ContentError:
        return None  # the build reports the content problems
    report = verify_sources(corpus, sources, corpus.limits)
    for problem in report.problems:
        log.warning("%s", problem)
    return sum(c.anchors_found for c in report.coverage)


def rebuild(options: Options, sources: Path | None = None) -> bool:
    """One incremental build; problems are logged, never raised. True if it succeeded.
    With `sources`, the evidence anchors are checked against them first, as `build` does."""
    from .pipeline import build

    verified = _verify(options, sources) if sources is not None else None
    try:
        result = build(options)
    except ContentError as exc:
        for problem in exc.problems:
            log.error("%s", problem)
        log.error("Not rebuilt: %d problem(s); still serving the last good output.", len(exc.problems))
        return False
    except Exception as exc:  # a template bug, a missing font: keep serving
        log.error("Not rebuilt: %s: %s; still serving the last good output.", exc.__class__.__name__, exc)
        log.debug("traceback", exc_info=True)
        return False
    for warning in result.warnings:
        log.warning("%s", warning)
    log.info("%s", result.summary(verified=verified))
    return True


def _warm_up(options: Options) -> None:
    """Import the renderers once now, so that each rebuild (and each worker process forked
    for it) starts with them loaded rather than paying a second or two per edit."""
    try:
        from . import charts  # noqa: F401  (matplotlib)

        if options.pdf:
            from . import pdf, pdfpost  # noqa: F401  (WeasyPrint, pikepdf)
    except Exception as exc:  # a missing library shows up again, properly, at the next build
        log.debug("warm-up: %s", exc)


def serve(
    options: Options,
    port: int = 8000,
    *,
    stop: threading.Event | None = None,
    ready: Callable[[int], None] | None = None,
    sources: Path | None = None,
) -> None:
    """Build, serve and rebuild on change until Ctrl-C (or until `stop` is set)."""
    stop = stop or threading.Event()
    site = Site(options.output)
    options.output.mkdir(parents=True, exist_ok=True)
    # Bind first: a port in use is reported at once, not after a cold build. Requests wait
    # in the listen queue until the first build is done and the server thread starts.
    server = _Server((HOST, port), make_handler(site))
    try:
        rebuild(options, sources)
        _warm_up(options)
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    bound = server.server_address[1]
    log.info("Serving %s at http://127.0.0.1:%d/ (Ctrl-C to stop)", options.output, bound)
    if ready is not None:
        ready(bound)
    watched = [options.content, *options.theme.folders]
    seen = snapshot(watched)
    try:
        while not stop.wait(POLL_SECONDS):
            current = snapshot(watched)
            if current == seen:
                continue
            # Let an editor finish saving (several files, or a write in steps) first.
            while not stop.wait(POLL_SECONDS):
                settled = snapshot(watched)
                if settled == current:
                    break
                current = settled
            seen = current
            log.info("Change detected; rebuilding.")
            started = time.perf_counter()
            if rebuild(options, sources):
                site.refresh()
                log.debug("rebuilt in %.2f s", time.perf_counter() - started)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        log.info("Stopped serving.")


__all__ = ["HOST", "MAX_URL", "RELOAD_SCRIPT", "VERSION_PATH", "refused", "serve"]
