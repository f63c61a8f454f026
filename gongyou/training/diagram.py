"""The Mermaid state diagrams of the training lifecycles, for docs/domains/training.md.

Regenerate with `python -m gongyou.training.diagram`; training/tests/test_docs.py fails when a
diagram in the doc and its table differ.
"""

from __future__ import annotations

from collections.abc import Iterable

from .enums import (
    CLAIM_ENDS,
    CLAIM_START,
    CLAIM_TRANSITIONS,
    ENROLMENT_ENDS,
    ENROLMENT_START,
    ENROLMENT_TRANSITIONS,
    STUDY_ENDS,
    STUDY_START,
    STUDY_TRANSITIONS,
)


def state_diagram(
    table: dict[str, dict[str, frozenset[str]]], start: str, ends: Iterable[str]
) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {start}"]
    for source, targets in table.items():
        for target, roles in targets.items():
            lines.append(f"    {source} --> {target}: {', '.join(sorted(roles))}")
    lines += [f"    {end} --> [*]" for end in ends]
    return "\n".join(lines)


DIAGRAMS = {
    "enrolment": (ENROLMENT_TRANSITIONS, ENROLMENT_START, ENROLMENT_ENDS),
    "claim": (CLAIM_TRANSITIONS, CLAIM_START, CLAIM_ENDS),
    "study": (STUDY_TRANSITIONS, STUDY_START, STUDY_ENDS),
}


def diagrams() -> list[str]:
    """The diagrams in the order the doc shows them."""
    return [state_diagram(*args) for args in DIAGRAMS.values()]


if __name__ == "__main__":
    for name, text in zip(DIAGRAMS, diagrams(), strict=True):
        print(f"{name}:\n```mermaid\n{text}\n```\n")
