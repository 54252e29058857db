"""policybrief: structured summaries of source documents to HTML pages and PDF policy briefs."""

__version__ = "0.1.0"
