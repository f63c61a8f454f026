"""The Mermaid state diagrams of the portal's two transition tables, for docs/domains/portal.md.

Regenerate with `python -m gongyou.portal.diagram`; portal/tests/test_docs.py fails when the
diagrams in the doc and the tables differ.
"""

from __future__ import annotations

from .enums import (
    CORRECTION_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    CorrectionStatus,
    RegistrationStatus,
)


def _diagram(table: dict[str, dict[str, frozenset[str]]], start: str) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {start}"]
    for source, targets in table.items():
        for target, roles in targets.items():
            who = "worker" if roles == {"worker"} else "staff"
            lines.append(f"    {source} --> {target}: {who}")
            lines.append(f"    {target} --> [*]")
    return "\n".join(lines)


def registration_diagram() -> str:
    return _diagram(REGISTRATION_TRANSITIONS, RegistrationStatus.PENDING)


def correction_diagram() -> str:
    return _diagram(CORRECTION_TRANSITIONS, CorrectionStatus.OPEN)


if __name__ == "__main__":
    print(registration_diagram())
    print()
    print(correction_diagram())
