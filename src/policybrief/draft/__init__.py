"""Draft a structured summary from a raw source: `policybrief draft SOURCE`.

The draft is a proposal for an analyst to confirm, never a finished summary: every guess
carries a review marker (`markers.MARKER`) that `check` and `build` refuse, so nothing drafted
can be published unreviewed. Stages, one module each:

    extract/   read plain text, HTML, PDF or Word into text (one module per format)
    numbers    find figures in English and Chinese text, with qualifiers and damage
    match      find taxonomy jurisdictions and actors (longest name first), metonyms, unknowns
    propose    turn text into proposals: quantities, kinds, periods, dates, measures
    write      write the proposals as content/documents/<id>.md with review markers
    evaluate   compare drafts of sources with their reviewed summaries (recall, precision)
    llm        the optional language-model back end (off by default)

This module stays light: `load` imports `markers` from here on every check.
"""


class DraftError(Exception):
    """Bad input for a draft (unreadable, empty, unsupported, a summary already there…).

    The message is written for the analyst, one sentence naming the file and what to do.
    """
