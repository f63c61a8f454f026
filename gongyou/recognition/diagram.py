"""The Mermaid state diagram of TRANSITIONS, for docs/domains/recognition.md.

Regenerate with `python -m gongyou.recognition.diagram`; recognition/tests/test_docs.py fails
when the diagram in the doc and the table differ.
"""

from __future__ import annotations

from .enums import TERMINAL, TRANSITIONS, NominationStatus


def state_diagram() -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {NominationStatus.SUBMITTED}"]
    for source, targets in TRANSITIONS.items():
        for target, parties in targets.items():
            lines.append(f"    {source} --> {target}: {', '.join(sorted(parties))}")
    for status in sorted(TERMINAL):
        lines.append(f"    {status} --> [*]")
    return "\n".join(lines)


if __name__ == "__main__":
    print(state_diagram())
