"""docs/domains/cases.md draws the lifecycle that TRANSITIONS implements; they must not drift."""

import re
from pathlib import Path

from django.conf import settings

from gongyou.cases.diagram import state_diagram
from gongyou.cases.enums import TRANSITIONS

DOC = Path(settings.PROJECT_DIR) / "docs" / "domains" / "cases.md"


def test_the_state_diagram_in_the_doc_is_the_transition_table():
    blocks = re.findall(r"```mermaid\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks, "docs/domains/cases.md has no mermaid block"
    assert blocks[0].strip() == state_diagram().strip(), (
        "regenerate with: python -m gongyou.cases.diagram"
    )


def test_the_diagram_has_every_edge():
    edges = sum(len(t) for t in TRANSITIONS.values())
    assert state_diagram().count(" --> ") == edges + 2  # plus start and end
