"""docs/domains/jobs.md draws the lifecycles that the transition tables implement."""

import re
from pathlib import Path

from django.conf import settings

from gongyou.jobs.diagram import referral_diagram, vacancy_diagram
from gongyou.jobs.enums import REFERRAL_FINISHED, REFERRAL_TRANSITIONS

DOC = Path(settings.PROJECT_DIR) / "docs" / "domains" / "jobs.md"


def test_the_state_diagrams_in_the_doc_are_the_transition_tables():
    blocks = re.findall(r"```mermaid\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2, "docs/domains/jobs.md needs the referral and vacancy diagrams"
    assert blocks[0].strip() == referral_diagram().strip(), (
        "regenerate with: python -m gongyou.jobs.diagram"
    )
    assert blocks[1].strip() == vacancy_diagram().strip()


def test_the_referral_diagram_has_every_edge():
    edges = sum(len(t) for t in REFERRAL_TRANSITIONS.values())
    assert referral_diagram().count(" --> ") == edges + 1 + len(REFERRAL_FINISHED)
