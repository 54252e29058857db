"""The publisher and the licence in the PDF's metadata, where readers and catalogues look.

Why: WeasyPrint writes Title, Author, Subject, Keywords, Creator (the `generator`) and the
creation date into the Info dictionary and the XMP packet, but a page's other <meta> names
only as custom Info keys, spelt as it reduces them (`dcterms.publisher` becomes
`/dctermspublisher`). The publisher and the rights belong to Dublin Core in the XMP packet
(`dc:publisher`, `dc:rights`), which PDF/UA's metadata and catalogue tools read. This moves
the two values there, and keeps them in the Info dictionary as `/Publisher` and `/Rights`
for tools that read only that (`pdfinfo -custom`). The values come from the print page's
<meta> tags (theme/brief.html), so the PDF says what the page says.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name, String

#: The custom Info key WeasyPrint writes for a <meta> name -> (Info key, XMP property).
MOVED = {
    "/dctermspublisher": ("/Publisher", "dc:publisher"),
    "/dctermsrights": ("/Rights", "dc:rights"),
}


def fix(doc: pikepdf.Pdf) -> None:
    info = doc.docinfo
    found: dict[str, str] = {}
    for weasy_key, (info_key, prop) in MOVED.items():
        if weasy_key in info:
            value = str(info[weasy_key])
            del info[weasy_key]
            info[Name(info_key)] = String(value)
            found[prop] = value
    if not found:
        return
    # Neither pikepdf's name as editor nor a metadata date: the same input gives the same
    # bytes (tests/test_reproducible.py), and the Info dictionary is already right.
    with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        if "dc:publisher" in found:
            xmp["dc:publisher"] = [found["dc:publisher"]]
        if "dc:rights" in found:
            xmp["dc:rights"] = found["dc:rights"]
