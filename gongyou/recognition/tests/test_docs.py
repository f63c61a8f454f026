"""docs/domains/recognition.md draws the lifecycle that TRANSITIONS implements."""

import re
from pathlib import Path

from django.conf import settings

from gongyou.recognition.diagram import state_diagram
from gongyou.recognition.enums import TERMINAL, TRANSITIONS

DOC = Path(settings.PROJECT_DIR) / "docs" / "domains" / "recognition.md"


def test_the_state_diagram_in_the_doc_is_the_transition_table():
    blocks = re.findall(r"```mermaid\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks, "docs/domains/recognition.md has no mermaid block"
    assert blocks[0].strip() == state_diagram().strip(), (
        "regenerate with: python -m gongyou.recognition.diagram"
    )


def test_the_diagram_has_every_edge():
    edges = sum(len(t) for t in TRANSITIONS.values())
    assert state_diagram().count(" --> ") == edges + 1 + len(TERMINAL)
