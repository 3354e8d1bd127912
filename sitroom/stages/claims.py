"""Claims stage (placeholder): writes an empty `doc._.claims` layer until the stage is built."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class ClaimsStage:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc._.claims is None:
            doc._.claims = []
        return doc
