"""Time stage (placeholder): writes an empty `doc._.timexes` layer until the stage is built."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class TimeStage:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc._.timexes is None:
            doc._.timexes = []
        return doc
