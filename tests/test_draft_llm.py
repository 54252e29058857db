"""The language-model back end's PLUMBING, against a stub server on 127.0.0.1.

These tests say nothing about how good any model is: the stub replays hand-written answers
(valid, an invented anchor, a wrong value, malformed JSON, HTTP 429 and 500, a hang) and the
tests check what policybrief does with each: which proposals it keeps, which it drops with a
warning, which failures stop the draft with one message and nothing written, and that source
text is never sent off this machine without the explicit flag.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT
from policybrief.cli import main
from policybrief.draft import DraftError
from policybrief.draft.llm import Answer, Backend, checked
from policybrief.draft.run import load_taxonomy

TEXT = (
    "Jilin proposes to support more than 300 demonstration projects in three years, and build "
    "100 demonstration factories. Traditional industries account for more than 80% of the sector.\n"
)


class Stub:
    """A local HTTP server answering each POST with the next scripted (status, body, delay)."""

    def __init__(self) -> None:
        self.script: list[tuple[int, str, float]] = []
        self.requests: list[dict] = []  # type: ignore[type-arg]
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                stub.requests.append({"path": self.path, "body": json.loads(self.rfile.read(length))})
                status, body, delay = stub.script.pop(0) if stub.script else (500, "no script", 0)
                time.sleep(delay)
                data = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, quantities: list[dict], status: int = 200, delay: float = 0) -> None:  # type: ignore[type-arg]
        content = json.dumps({"quantities": quantities})
        self.script.append((status, json.dumps({"choices": [{"message": {"content": content}}]}), delay))

    def raw(self, status: int, body: str, delay: float = 0) -> None:
        self.script.append((status, body, delay))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    yield server
    server.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content" / "documents").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", tmp_path / "content")
    (tmp_path / "jilin.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def q(value: object, anchor: str, kind: str = "target", **extra: object) -> dict:  # type: ignore[type-arg]
    return {"value": value, "unit": "projects", "counts": "projects", "kind": kind, "anchor": anchor, **extra}


def draft(project: Path, stub: Stub, monkeypatch: pytest.MonkeyPatch, timeout: str = "10") -> int:
    monkeypatch.setenv("POLICYBRIEF_LLM_URL", stub.url)
    monkeypatch.setenv("POLICYBRIEF_LLM_MODEL", "stub")
    monkeypatch.setenv("POLICYBRIEF_LLM_TIMEOUT", timeout)
    return main(["draft", str(project / "jilin.txt"), "--project", str(project), "--llm", "--id", "jilin"])


def summary(project: Path) -> Path:
    return project / "content" / "documents" / "jilin.md"


def test_valid_answer_is_merged_and_the_request_carries_the_schema(
    project: Path, stub: Stub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.answer([q(300, "support more than 300 demonstration projects", approx="over")])
    assert draft(project, stub, monkeypatch) == 0
    request = stub.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["response_format"]["json_schema"]["schema"] == Answer.model_json_schema()
    assert TEXT.strip() in request["body"]["messages"][1]["content"]
    text = summary(project).read_text(encoding="utf-8")
    assert "rules + language model stub" in text
    # 100 and 80% were found by the rules only: their review markers say the model missed them.
    assert text.count("the language model did not propose this figure") == 2
    assert "warning" not in capsys.readouterr().err


def test_invented_anchor_and_wrong_value_are_dropped_with_warnings(
    project: Path, stub: Stub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.answer(
        [
            q(300, "support more than 300 demonstration projects"),
            q(500, "build 500 smart factories by 2030"),  # invented: not in the text
            q(120, "build 100 demonstration factories"),  # the anchor holds 100, not 120
            q(80, "account for more than 80% of the sector", jurisdiction="CN-XX"),
            {"value": "many", "anchor": "x"},  # not the schema
        ]
    )
    assert draft(project, stub, monkeypatch) == 0
    err = capsys.readouterr().err
    assert "anchor not found in the source: 'build 500 smart factories by 2030'" in err
    assert "value 120.0 is not in its anchor" in err
    assert "jurisdiction 'CN-XX' is not in the taxonomy" in err
    assert "quantity 5 from the language model dropped" in err
    text = summary(project).read_text(encoding="utf-8")
    assert "500" not in text and "120" not in text


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, "this is not json", "not the JSON asked for"),
        (
            200,
            json.dumps({"choices": [{"message": {"content": '{"quantities": 3'}}]}),
            "not the JSON asked for",
        ),
        (429, "{}", "rate limited (HTTP 429)"),
        (500, "{}", "server error (HTTP 500"),
    ],
)
def test_failed_answers_stop_the_draft_and_write_nothing(
    project: Path,
    stub: Stub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    status: int,
    body: str,
    message: str,
) -> None:
    stub.raw(status, body)
    assert draft(project, stub, monkeypatch) == 1
    err = capsys.readouterr().err
    assert message in err and "Nothing was written." in err
    assert not summary(project).exists() and not (project / "sources").exists()


def test_a_hanging_endpoint_times_out(
    project: Path, stub: Stub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.answer([], delay=3)
    started = time.monotonic()
    assert draft(project, stub, monkeypatch, timeout="0.5") == 1
    assert time.monotonic() - started < 2.5
    assert "no answer within 0.5 s" in capsys.readouterr().err
    assert not summary(project).exists()


def test_remote_endpoints_need_the_explicit_flag(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = {"POLICYBRIEF_LLM_URL": "https://api.example.com/v1"}
    with pytest.raises(DraftError, match="not on this machine"):
        Backend.from_environment(env=env)
    assert Backend.from_environment(allow_remote=True, env=env).url == "https://api.example.com/v1"
    for local in ("http://localhost:8080/v1", "http://127.0.0.1:1/v1", "http://[::1]:8080/v1"):
        assert Backend.from_environment(env={"POLICYBRIEF_LLM_URL": local}).url == local
    with pytest.raises(DraftError, match="needs POLICYBRIEF_LLM_URL"):
        Backend.from_environment(env={})


def test_checks_apply_to_each_proposal_alone() -> None:
    taxonomy = load_taxonomy(ROOT / "content")
    kept, warnings = checked(
        {
            "quantities": [
                q([2, 3], "more than 300 demonstration projects"),
                q(100, "build 100 demonstration factories"),
            ]
        },
        TEXT,
        taxonomy,
    )
    assert [k.value for k in kept] == [100]
    assert len(warnings) == 1 and "is not in its anchor" in warnings[0]
