"""docs/domains/settlement.md draws the version lifecycle that VERSION_TRANSITIONS implements."""

import re
from pathlib import Path

from django.conf import settings

from gongyou.settlement.diagram import state_diagram
from gongyou.settlement.enums import VERSION_TRANSITIONS

DOC = Path(settings.PROJECT_DIR) / "docs" / "domains" / "settlement.md"


def test_the_state_diagram_in_the_doc_is_the_transition_table():
    blocks = re.findall(r"```mermaid\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks, "docs/domains/settlement.md has no mermaid block"
    assert blocks[0].strip() == state_diagram().strip(), (
        "regenerate: python -m gongyou.settlement.diagram"
    )


def test_the_diagram_has_every_edge():
    edges = sum(len(t) for t in VERSION_TRANSITIONS.values())
    assert state_diagram().count(" --> ") == edges + 2
