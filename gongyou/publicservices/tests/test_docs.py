"""docs/domains/publicservices.md draws the referral lifecycle REFERRAL_TRANSITIONS implements."""

import re
from pathlib import Path

from django.conf import settings

from gongyou.publicservices.diagram import state_diagram
from gongyou.publicservices.enums import REFERRAL_TRANSITIONS

DOC = Path(settings.PROJECT_DIR) / "docs" / "domains" / "publicservices.md"


def test_the_state_diagram_in_the_doc_is_the_transition_table():
    blocks = re.findall(r"```mermaid\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks, "docs/domains/publicservices.md has no mermaid block"
    assert blocks[0].strip() == state_diagram().strip(), (
        "regenerate with: python -m gongyou.publicservices.diagram"
    )


def test_the_diagram_has_every_edge():
    edges = sum(len(t) for t in REFERRAL_TRANSITIONS.values())
    finals = sum(1 for t in REFERRAL_TRANSITIONS.values() if not t)
    assert state_diagram().count(" --> ") == edges + 1 + finals
