"""The web pages, checked by independent tools: the Nu Html Checker (valid HTML, CSS and SVG)
and axe-core in headless Chromium (accessibility), at desktop and phone widths.
docs/briefs.md ("Distribution checks") lists the checks and how to run them."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from checkers import AXE_JS, CHROMEDRIVER, CHROMIUM, ROOT, VNU_JAR, Site, built_sites, require, tool
from policybrief.theme import DEFAULT_THEME

pytestmark = pytest.mark.slow

WIDTHS = (1280, 390)  # desktop, phone
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, ...]:
    return built_sites(tmp_path_factory)


@pytest.fixture(scope="session")
def pages(sites: tuple[Site, ...]) -> list[Path]:
    found = [page for site in sites for page in site.pages]
    assert found
    return found


# -- Nu Html Checker --------------------------------------------------------------------


def test_nu_html_checker_finds_no_error(sites: tuple[Site, ...], pages: list[Path]) -> None:
    java = tool("java", "default-jre-headless")
    require(VNU_JAR.is_file(), f"the Nu Html Checker ({VNU_JAR.relative_to(ROOT)})", "make test (npm ci)")
    # print.css is left out: it is written for WeasyPrint's paged media (margin boxes,
    # string-set, leader()), which the checker's CSS profile does not know.
    stylesheets = [site.output / "assets" / "screen.css" for site in sites]
    charts = [svg for site in sites for svg in site.files(".svg")]
    run = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--stdout", "--format", "json"]
        + ["--also-check-css", "--also-check-svg"]
        + [str(p) for p in [*pages, *stylesheets, *charts]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.stdout, run.stderr
    messages = json.loads(run.stdout)["messages"]
    errors = [
        f"{'/'.join(m.get('url', '?').rsplit('/', 3)[-3:])}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert not errors, "\n".join(errors)


# -- axe-core in Chromium ---------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on 127.0.0.1; yield its base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    require(CHROMIUM.is_file(), f"Chromium ({CHROMIUM})", "make test (or: sudo apt-get install chromium)")
    require(
        CHROMEDRIVER.is_file(),
        f"ChromeDriver ({CHROMEDRIVER})",
        "make test (or: sudo apt-get install chromium-driver)",
    )
    require(AXE_JS.is_file(), f"axe-core ({AXE_JS.relative_to(ROOT)})", "make test (npm ci)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def audits(sites: tuple[Site, ...], browser: object) -> dict[tuple[str, int], dict]:
    """For every page at every width: axe's violations and the page's horizontal overflow."""
    axe = AXE_JS.read_text(encoding="utf-8")
    results: dict[tuple[str, int], dict] = {}
    base = sites[0].output.parent
    with serve(base) as url:
        for width in WIDTHS:
            browser.set_window_size(width, 900)  # type: ignore[attr-defined]
            for site in sites:
                for page in site.pages:
                    name = page.relative_to(base).as_posix()
                    browser.get(url + name)  # type: ignore[attr-defined]
                    browser.execute_script(axe)  # type: ignore[attr-defined]
                    outcome = browser.execute_async_script(  # type: ignore[attr-defined]
                        "const done = arguments[arguments.length - 1];"
                        "axe.run(document, {resultTypes: ['violations']})"
                        ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
                        " help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))}))"
                        ".catch(e => done({error: String(e)}));"
                    )
                    outcome["overflow"] = browser.execute_script(  # type: ignore[attr-defined]
                        "return document.documentElement.scrollWidth - window.innerWidth;"
                    )
                    # Table cells a reader cannot see without scrolling a box sideways, or
                    # drawn with no size; and the index's cards, by group, with their widths.
                    outcome["hidden_cells"] = browser.execute_script(  # type: ignore[attr-defined]
                        "return [...document.querySelectorAll('tbody td, tbody th')].filter(c => {"
                        " const r = c.getBoundingClientRect();"
                        " return r.width < 1 || r.height < 1 || r.left < 0 || r.right > window.innerWidth + 0.5;"
                        "}).map(c => (c.closest('table').id || c.closest('table').className) + ': ' + c.textContent.trim().slice(0, 40));"
                    )
                    outcome["cards"] = browser.execute_script(  # type: ignore[attr-defined]
                        "return [...document.querySelectorAll('.brief-group')].map(g => [g.id || g.className,"
                        " [...g.querySelectorAll('.brief-card')].map(c => c.getBoundingClientRect().width)]);"
                    )
                    outcome["toc"] = browser.execute_script(  # type: ignore[attr-defined]
                        "const t = document.querySelector('.toc--screen'); if (!t) return null;"
                        " const r = t.getBoundingClientRect(), m = document.querySelector('.brief-main').getBoundingClientRect();"
                        " return {position: getComputedStyle(t).position, beside: r.right <= m.left, mainWidth: m.width};"
                    )
                    results[(name, width)] = outcome
    return results


def test_axe_finds_no_violation(audits: dict[tuple[str, int], dict], pages: list[Path]) -> None:
    assert len(audits) == len(pages) * len(WIDTHS)
    problems = []
    for (name, width), outcome in sorted(audits.items()):
        assert "error" not in outcome, (name, outcome["error"])
        for v in outcome["violations"]:
            problems.append(f"{name} at {width}px: {v['impact']} {v['id']} ({v['help']}): {v['nodes'][:3]}")
    assert not problems, "\n".join(problems)


def test_pages_fit_a_phone_screen(audits: dict[tuple[str, int], dict]) -> None:
    """At 390 px nothing makes the page scroll sideways (wide tables scroll in their box)."""
    wide = [
        f"{name}: {o['overflow']} px too wide"
        for (name, w), o in audits.items()
        if w == 390 and o["overflow"] > 0
    ]
    assert not wide, "\n".join(wide)


def test_every_table_cell_is_visible_on_a_phone(audits: dict[tuple[str, int], dict]) -> None:
    """At 390 px the tables are stacked as cards: no column is hidden behind a sideways scroll
    (and at 1280 px nothing is cut either)."""
    hidden = [
        f"{name} at {w}px: {o['hidden_cells'][:5]}" for (name, w), o in audits.items() if o["hidden_cells"]
    ]
    assert not hidden, "\n".join(hidden)


def test_desktop_layout_puts_the_contents_beside_the_text(audits: dict[tuple[str, int], dict]) -> None:
    briefs = {(name, w): o for (name, w), o in audits.items() if "/briefs/" in name}
    assert briefs
    for (name, width), outcome in briefs.items():
        toc = outcome["toc"]
        assert toc is not None, f"{name}: no contents list"
        if width == 1280:
            # A sticky rail beside a text column that uses the window (not 62rem centred).
            assert toc["position"] == "sticky" and toc["beside"], (name, toc)
            assert toc["mainWidth"] > 850, (name, toc)
        else:
            assert toc["position"] == "static" and not toc["beside"], (name, toc)


def test_index_shows_comparative_briefs_first_on_the_biggest_cards(
    audits: dict[tuple[str, int], dict],
) -> None:
    for (name, width), outcome in audits.items():
        if not name.endswith("/index.html") or "/briefs/" in name or width != 1280:
            continue
        groups = [(g.split("brief-group--")[-1], cards) for g, cards in outcome["cards"]]
        kinds = [kind for kind, _cards in groups]
        order = ["comparative", "thematic", "digest"]
        assert kinds == [k for k in order if k in kinds], (name, kinds)
        assert kinds[-1] == "digest", (name, kinds)
        widths = dict(groups)
        if "comparative" in widths:
            assert min(widths["comparative"]) > 1.5 * max(widths["digest"]), (name, widths)


def test_brief_pages_have_contents_and_labelled_cells(pages: list[Path]) -> None:
    import re

    briefs = [p for p in pages if p.parent.parent.name == "briefs"]
    assert briefs
    for page in briefs:
        html = page.read_text(encoding="utf-8")
        nav = re.search(r'<nav class="toc toc--screen".*?</nav>', html, flags=re.S)
        assert nav, page
        targets = re.findall(r'href="#([^"]+)"', nav.group(0))
        # Every section heading is listed: by its own id, or by its section's.
        for heading_id in re.findall(r'<h2 id="([^"]+)"', html):
            if heading_id == "toc-screen-heading":
                continue
            section = re.search(rf'id="([^"]+)"[^>]*aria-labelledby="{heading_id}"', html)
            assert heading_id in targets or (section and section.group(1) in targets), (page, heading_id)
        assert all(f'id="{t}"' in html for t in targets), page
        # Every body cell names its column, for the phone layout.
        for body in re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S):
            cells = re.findall(r"<t[dh]\b[^>]*>", body)
            assert cells and all("data-label=" in c for c in cells), (
                page,
                [c for c in cells if "data-label" not in c][:3],
            )
        assert "Edition date" in html and "Built" not in html, page
        # Charts open at full size: each image is a link to its own SVG.
        for img in re.findall(r'<img src="(charts/[^"]+)"', html):
            assert f'<a class="fig-zoom" href="{img}"' in html, (page, img)


def test_pages_link_their_stylesheet_with_a_print_block(pages: list[Path]) -> None:
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'assets/screen.css">' in html and '<meta name="viewport"' in html, page
    screen = (DEFAULT_THEME / "assets" / "screen.css").read_text(encoding="utf-8")
    assert "@media print" in screen


def test_a_missing_checker_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require(False, "a checker", "make test")
    for value in ("", "0", "false"):
        monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.skip.Exception, match="install it with: make test"):
            require(False, "a checker", "make test")
    require(True, "a checker", "make test")
