"""What the build cache holds for one rendered product, as a typed record.

The cache stores it as JSON (`Cache.put_entry`); every stage after rendering (the worker
pool, the output state) passes this record, never the raw payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The product name of the site's index page and assets.
INDEX = "index"

#: (sha256, size in bytes) of a blob in the cache.
BlobRef = tuple[str, int]


@dataclass(frozen=True)
class ProductEntry:
    product: str  # the brief id, or INDEX
    files: dict[str, BlobRef]  # output path -> its blob
    templates: dict[str, str]  # template name -> sha256 of the text the render read
    pdf: str | None = None  # the key of the PDF entry the render used
    pdf_pages: int | None = None
    seconds: float = 0.0  # render time: the next build starts the longest first

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "product": self.product,
            "files": {rel: [sha, size] for rel, (sha, size) in sorted(self.files.items())},
            "templates": dict(sorted(self.templates.items())),
            "pdf": self.pdf,
            "seconds": self.seconds,
        }
        if self.pdf_pages is not None or self.product != INDEX:
            payload["pdf_pages"] = self.pdf_pages
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ProductEntry | None:
        """The entry, or None when the payload is not one (an older or damaged layout)."""
        try:
            files = {str(rel): (str(sha), int(size)) for rel, (sha, size) in payload["files"].items()}
            templates = {str(k): str(v) for k, v in payload["templates"].items()}
            pages = payload.get("pdf_pages")
            return cls(
                product=str(payload["product"]),
                files=files,
                templates=templates,
                pdf=payload.get("pdf"),
                pdf_pages=int(pages) if pages is not None else None,
                seconds=float(payload.get("seconds", 0.0)),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
