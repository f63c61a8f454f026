"""docs/domains/training.md draws the lifecycles that the tables implement; they must not drift."""

import re
from pathlib import Path

from django.conf import settings

from gongyou.training.diagram import DIAGRAMS, diagrams

DOC = Path(settings.PROJECT_DIR) / "docs" / "domains" / "training.md"


def test_the_state_diagrams_in_the_doc_are_the_transition_tables():
    blocks = re.findall(r"```mermaid\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert [b.strip() for b in blocks] == [d.strip() for d in diagrams()], (
        "regenerate with: python -m gongyou.training.diagram"
    )


def test_each_diagram_has_every_edge():
    for (table, _start, ends), text in zip(DIAGRAMS.values(), diagrams(), strict=True):
        edges = sum(len(t) for t in table.values())
        assert text.count(" --> ") == edges + 1 + len(ends)
