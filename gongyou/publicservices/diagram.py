"""The Mermaid state diagram of REFERRAL_TRANSITIONS, for docs/domains/publicservices.md.

Regenerate with `python -m gongyou.publicservices.diagram`; tests/test_docs.py fails on drift.
"""

from __future__ import annotations

from .enums import REFERRAL_TRANSITIONS, ReferralStatus


def state_diagram() -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {ReferralStatus.REFERRED}"]
    for source, targets in REFERRAL_TRANSITIONS.items():
        for target in sorted(targets):
            lines.append(f"    {source} --> {target}")
    for final in (s for s, t in REFERRAL_TRANSITIONS.items() if not t):
        lines.append(f"    {final} --> [*]")
    return "\n".join(lines)


if __name__ == "__main__":
    print(state_diagram())
