"""Places stage (placeholder): writes an empty `doc._.places` layer until the stage is built."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class PlacesStage:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc._.places is None:
            doc._.places = []
        return doc
