"""Actors stage (placeholder): writes an empty `doc._.actors` layer until the stage is built."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class ActorsStage:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc._.actors is None:
            doc._.actors = []
        return doc
