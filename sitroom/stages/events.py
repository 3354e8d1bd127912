"""Events stage (placeholder): writes an empty `doc._.events` layer until the stage is built."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class EventsStage:
    def __init__(self, nlp: Language, name: str, model_dir: str | None = None):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc._.events is None:
            doc._.events = []
        return doc
