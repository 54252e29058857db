"""The optional language-model back end: an OpenAI-compatible chat endpoint, off by default.

Configured by environment variables (docs/draft.md):

    POLICYBRIEF_LLM_URL      base URL of the API, e.g. http://127.0.0.1:8080/v1 (llama.cpp,
                             Ollama's /v1, vLLM…); required for --llm
    POLICYBRIEF_LLM_MODEL    the model name the server expects (default "default")
    POLICYBRIEF_LLM_API_KEY  sent as a bearer token when set
    POLICYBRIEF_LLM_TIMEOUT  seconds to wait for the answer (default 120)

The model is asked for quantities in a JSON schema derived from the content models, and its
answer is distrusted exactly like the rules' proposals: every quantity must validate against
the model, have an anchor found verbatim in the source, contain its value in that anchor, and
name only jurisdictions the taxonomy has; anything else is dropped with a warning. Figures the
rules found and the model did not are kept with a review marker saying so.

Source text leaves this machine only with an explicit flag: a URL whose host is not a
loopback address is refused unless `allow_remote` is set. Redirects are refused too, so a
local server cannot forward the text elsewhere.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from ..models import Evidence, Quantity, Taxonomy
from ..sources import normalise
from . import DraftError
from .numbers import Figure, chinese_figures, english_figures, is_chinese
from .propose import Proposal, QuantityProposal

MAX_ANSWER_BYTES = 5 * 1024 * 1024
MAX_SOURCE_CHARS = 100_000


def _derived() -> type[BaseModel]:
    """The answer's schema, built from the content model's own field types (Quantity and
    Evidence), so that the model is asked for what a summary records."""
    fields = Quantity.model_fields
    proposed = create_model(  # type: ignore[call-overload]
        "ProposedQuantity",
        __config__=ConfigDict(extra="forbid"),
        value=(fields["value"].annotation, ...),
        unit=(fields["unit"].annotation, ...),
        counts=(fields["counts"].annotation, ...),
        kind=(fields["kind"].annotation, ...),
        approx=(fields["approx"].annotation, None),
        jurisdiction=(fields["jurisdiction"].annotation, None),
        anchor=(Evidence.model_fields["anchor"].annotation, ...),
        # Optional fields the content model may have (a scale, a currency) come along.
        **{name: (fields[name].annotation, None) for name in ("scale", "currency") if name in fields},
    )
    return create_model(  # type: ignore[call-overload, no-any-return]
        "ProposedQuantities", __config__=ConfigDict(extra="forbid"), quantities=(list[proposed], ...)
    )


Answer = _derived()

PROMPT = (
    "You read policy texts for analysts. List every quantity the text reports (targets, "
    "results, baselines, and anecdotes about one firm), except years and calendar dates. "
    "For each: value (a number, or [low, high] for a range, in the unit as printed: "
    "'10 million yuan' is value 10, unit 'million yuan'), unit, counts (what is counted), "
    "kind (target | result | baseline | anecdote), approx (over | nearly | about | at least, "
    "or null), jurisdiction (an ISO 3166-2:CN code such as CN or CN-SD, or null), and anchor: "
    "a phrase copied exactly from the text, at most 12 words, that contains the number. "
    "Answer with JSON only, matching the schema."
)


@dataclass
class Backend:
    url: str
    model: str
    key: str | None = None
    timeout: float = 120.0

    @classmethod
    def from_environment(cls, allow_remote: bool = False, env: Mapping[str, str] | None = None) -> Backend:
        env = os.environ if env is None else env
        url = env.get("POLICYBRIEF_LLM_URL", "").strip()
        if not url:
            raise DraftError(
                "--llm needs POLICYBRIEF_LLM_URL (an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1)"
            )
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise DraftError(f"POLICYBRIEF_LLM_URL '{url}': give an http:// or https:// address")
        if not allow_remote and not is_loopback(parsed.hostname):
            raise DraftError(
                f"POLICYBRIEF_LLM_URL '{url}' is not on this machine: drafting would send the source "
                "text to it; add --allow-remote-llm if that is intended"
            )
        try:
            timeout = float(env.get("POLICYBRIEF_LLM_TIMEOUT", "120"))
        except ValueError:
            raise DraftError("POLICYBRIEF_LLM_TIMEOUT: give a number of seconds") from None
        return cls(
            url.rstrip("/"),
            env.get("POLICYBRIEF_LLM_MODEL", "default"),
            env.get("POLICYBRIEF_LLM_API_KEY"),
            timeout,
        )

    def ask(self, text: str) -> dict[str, Any]:
        """The parsed JSON answer; DraftError with one clear sentence on any failure."""
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": text}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "quantities", "schema": Answer.model_json_schema(), "strict": True},
            },
        }
        headers = {"Content-Type": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        request = urllib.request.Request(
            f"{self.url}/chat/completions", json.dumps(body).encode(), headers, method="POST"
        )
        where = f"language model at {self.url}"
        opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=self.timeout) as response:
                raw = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as exc:
            if exc.code == 429:
                raise DraftError(f"{where}: rate limited (HTTP 429); try again later") from None
            if 300 <= exc.code < 400:
                raise DraftError(
                    f"{where}: answered with a redirect (HTTP {exc.code}), which is refused"
                ) from None
            kind = "server error" if exc.code >= 500 else "request refused"
            raise DraftError(f"{where}: {kind} (HTTP {exc.code} {exc.reason})") from None
        except TimeoutError:
            raise DraftError(
                f"{where}: no answer within {self.timeout:g} s (POLICYBRIEF_LLM_TIMEOUT)"
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise DraftError(
                    f"{where}: no answer within {self.timeout:g} s (POLICYBRIEF_LLM_TIMEOUT)"
                ) from None
            raise DraftError(f"{where}: cannot connect ({exc.reason})") from None
        except (ConnectionError, OSError) as exc:
            raise DraftError(f"{where}: connection failed ({exc})") from None
        if len(raw) > MAX_ANSWER_BYTES:
            raise DraftError(f"{where}: answer larger than {MAX_ANSWER_BYTES // 2**20} MiB, refused")
        try:
            envelope = json.loads(raw)
            content = envelope["choices"][0]["message"]["content"]
            answer = json.loads(content)
        except (ValueError, KeyError, IndexError, TypeError):
            raise DraftError(f"{where}: the answer is not the JSON asked for ({raw[:80]!r}…)") from None
        if not isinstance(answer, dict) or not isinstance(answer.get("quantities"), list):
            raise DraftError(f"{where}: the answer has no list of quantities")
        return answer


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx code


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def checked(answer: dict[str, Any], text: str, taxonomy: Taxonomy) -> tuple[list[Any], list[str]]:
    """The model's quantities that pass the same checks as the rules' ones, and warnings."""
    source = normalise(text)
    codes = {j.code for j in taxonomy.jurisdictions}
    kept, warnings = [], []
    for i, item in enumerate(answer["quantities"]):
        label = f"quantity {i + 1} from the language model"
        try:
            q = Answer.model_validate({"quantities": [item]}).quantities[0]  # type: ignore[attr-defined]
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"][2:])
            warnings.append(f"{label} dropped: {where}: {first['msg']}")
            continue
        if normalise(q.anchor) not in source:
            warnings.append(f"{label} dropped: anchor not found in the source: {q.anchor!r}")
            continue
        values = {v for f in _figures(q.anchor) for v in _values(f)}
        if not set(_values_of(q.value)) <= values:
            warnings.append(f"{label} dropped: value {q.value} is not in its anchor {q.anchor!r}")
            continue
        if q.jurisdiction and q.jurisdiction not in codes:
            warnings.append(f"{label} dropped: jurisdiction {q.jurisdiction!r} is not in the taxonomy")
            continue
        kept.append(q)
    return kept, warnings


def _figures(anchor: str) -> list[Figure]:
    return chinese_figures(anchor) if is_chinese(anchor) else english_figures(anchor)


def _values(f: Figure) -> list[float]:
    out = list(_values_of(f.value))
    if f.reading:
        out.append(float(f.reading))
    return out


def _values_of(v: float | tuple[float, float]) -> tuple[float, ...]:
    return tuple(float(x) for x in v) if isinstance(v, tuple | list) else (float(v),)


def merge(backend: Backend, text: str, taxonomy: Taxonomy, proposal: Proposal) -> list[str]:
    """Ask the model, keep what passes the checks, and mark what only one side found."""
    warnings: list[str] = []
    sent = text
    if len(text) > MAX_SOURCE_CHARS:
        sent = text[:MAX_SOURCE_CHARS]
        warnings.append(f"only the first {MAX_SOURCE_CHARS:,} characters were sent to the language model")
    answer = backend.ask(sent)
    kept, dropped = checked(answer, text, taxonomy)
    warnings.extend(dropped)
    unmatched = list(proposal.quantities)
    for q in kept:
        rule = next(
            (
                r
                for r in unmatched
                if set(_values_of(r.figure.value)) == set(_values_of(q.value))
                and (normalise(r.anchor) in normalise(q.anchor) or normalise(q.anchor) in normalise(r.anchor))
            ),
            None,
        )
        if rule is not None:
            unmatched.remove(rule)
            if rule.kind != q.kind.value:
                rule.kind_reason += f"; the language model says {q.kind.value}"
            continue
        figure = Figure(q.value, q.unit, q.counts, q.approx, 0, 0, -1, -1, None, "the language model")
        extra = QuantityProposal(
            figure, q.anchor, None, q.kind.value, "proposed by the language model only", 0,
            jurisdiction=q.jurisdiction,
        )  # fmt: skip
        proposal.quantities.append(extra)
        proposal.loose.append(extra)
    for rule in unmatched:
        rule.kind_reason = "the language model did not propose this figure; " + rule.kind_reason
    return warnings
