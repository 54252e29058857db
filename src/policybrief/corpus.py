"""The loaded content: taxonomy, documents and briefs, with where each came from.

Its own module so that the loader (which builds it) and the checks and stages that read it
import it from here, and `load` imports `validate` in one direction only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .limits import DEFAULT_LIMITS, Limits
from .models import Brief, SourceDocument, Taxonomy
from .problems import Problem
from .yamlmap import Located


@dataclass
class Corpus:
    root: Path
    taxonomy: Taxonomy
    documents: list[SourceDocument]
    briefs: list[Brief]
    # Where each record came from, for error messages in later checks:
    # (kind, id) -> (relative path, line map)
    origins: dict[tuple[str, str], tuple[str, Located]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    # The resource limits it was loaded under (later checks read them too).
    limits: Limits = DEFAULT_LIMITS
    # Problems that do not stop the build (severity "warning"), for the CLI to print.
    warnings: list[Problem] = field(default_factory=list)

    @functools.cached_property
    def _citables(self) -> dict[str, tuple[SourceDocument, Any]]:
        """Citable id -> (its document, the document, measure or quantity). A brief of a
        large corpus resolves thousands of citations; the documents never change after
        loading."""
        index: dict[str, tuple[SourceDocument, Any]] = {}
        for doc in self.documents:
            index[doc.id] = (doc, doc)
            for m in doc.measures:
                index[m.id] = (doc, m)
                index.update((q.id, (doc, q)) for q in m.quantities)
            index.update((q.id, (doc, q)) for q in doc.quantities)
        return index

    def citable(self, ident: str) -> tuple[SourceDocument, Any]:
        """The document that holds `ident` (a document, measure or quantity id) and the
        record itself; KeyError if none does."""
        return self._citables[ident]

    def document(self, doc_id: str) -> SourceDocument:
        doc, record = self.citable(doc_id)
        if record is not doc:
            raise KeyError(doc_id)
        return doc
