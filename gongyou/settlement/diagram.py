"""The Mermaid state diagram of VERSION_TRANSITIONS, for docs/domains/settlement.md.

Regenerate with `python -m gongyou.settlement.diagram`; tests/test_docs.py fails on drift.
"""

from __future__ import annotations

from .enums import VERSION_TRANSITIONS, VersionStatus


def state_diagram() -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {VersionStatus.DRAFT}"]
    for source, targets in VERSION_TRANSITIONS.items():
        for target in sorted(targets):
            lines.append(f"    {source} --> {target}")
    lines.append(f"    {VersionStatus.WITHDRAWN} --> [*]")
    return "\n".join(lines)


if __name__ == "__main__":
    print(state_diagram())
