"""The Mermaid state diagram of TRANSITIONS, for docs/domains/cases.md.

Regenerate with `python -m gongyou.cases.diagram`; cases/tests/test_docs.py fails when the
diagram in the doc and the table differ.
"""

from __future__ import annotations

from .enums import TRANSITIONS, CaseStatus


def state_diagram() -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {CaseStatus.RECEIVED}"]
    for source, targets in TRANSITIONS.items():
        for target, roles in targets.items():
            lines.append(f"    {source} --> {target}: {', '.join(sorted(roles))}")
    lines.append(f"    {CaseStatus.CLOSED} --> [*]")
    return "\n".join(lines)


if __name__ == "__main__":
    print(state_diagram())
