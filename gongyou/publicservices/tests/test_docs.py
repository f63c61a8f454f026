"""docs/domains/services.md draws the lifecycles the transition tables implement: referrals,
activities and activity registrations, in that order."""

import re
from pathlib import Path

from django.conf import settings

from gongyou.publicservices.diagram import diagrams, state_diagram
from gongyou.publicservices.enums import (
    ACTIVITY_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
)

DOC = Path(settings.PROJECT_DIR) / "docs" / "domains" / "services.md"


def test_the_state_diagrams_in_the_doc_are_the_transition_tables():
    blocks = re.findall(r"```mermaid\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3, "docs/domains/services.md lacks a mermaid block"
    for block, drawn in zip(blocks, diagrams(), strict=False):
        assert block.strip() == drawn.strip(), (
            "regenerate with: python -m gongyou.publicservices.diagram"
        )


def test_the_diagrams_have_every_edge():
    edges = sum(len(t) for t in REFERRAL_TRANSITIONS.values())
    finals = sum(1 for t in REFERRAL_TRANSITIONS.values() if not t)
    assert state_diagram().count(" --> ") == edges + 1 + finals
    activity, registration = diagrams()[1:]
    assert activity.count(" --> ") == sum(len(t) for t in ACTIVITY_TRANSITIONS.values()) + 1 + 2
    # two starts, the promotion, every edge, one final state
    edges = sum(len(t) for t in REGISTRATION_TRANSITIONS.values())
    assert registration.count(" --> ") == 2 + 1 + edges + 1
