"""docs/domains/portal.md draws the two transition tables; they must not drift."""

import re
from pathlib import Path

from django.conf import settings

from gongyou.portal.diagram import correction_diagram, registration_diagram
from gongyou.portal.enums import CORRECTION_TRANSITIONS, REGISTRATION_TRANSITIONS

DOC = Path(settings.PROJECT_DIR) / "docs" / "domains" / "portal.md"


def test_the_state_diagrams_in_the_doc_are_the_transition_tables():
    blocks = re.findall(r"```mermaid\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2, "docs/domains/portal.md needs two mermaid blocks"
    hint = "regenerate with: python -m gongyou.portal.diagram"
    assert blocks[0].strip() == registration_diagram().strip(), hint
    assert blocks[1].strip() == correction_diagram().strip(), hint


def test_the_diagrams_have_every_edge():
    for table, diagram in (
        (REGISTRATION_TRANSITIONS, registration_diagram()),
        (CORRECTION_TRANSITIONS, correction_diagram()),
    ):
        edges = sum(len(t) for t in table.values())
        assert diagram.count(": ") == edges
