"""Import of existing meeting summaries: file readers and a pure text parser."""

from events.importing.parser import (
    FootnoteAnchor,
    ParsedFootnote,
    ParsedParagraph,
    ParsedRecommendation,
    ParsedSession,
    ParsedSubItem,
    ParseResult,
    Problem,
    parse_summary,
)
from events.importing.readers import MAX_UPLOAD_BYTES, DocumentError, read_document, text_from_paste

__all__ = [
    "MAX_UPLOAD_BYTES",
    "DocumentError",
    "FootnoteAnchor",
    "ParseResult",
    "ParsedFootnote",
    "ParsedParagraph",
    "ParsedRecommendation",
    "ParsedSession",
    "ParsedSubItem",
    "Problem",
    "parse_summary",
    "read_document",
    "text_from_paste",
]
