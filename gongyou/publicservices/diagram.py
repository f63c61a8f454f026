"""The Mermaid state diagrams of the lifecycles, for docs/domains/services.md: referrals
(REFERRAL_TRANSITIONS), activities (ACTIVITY_TRANSITIONS) and activity registrations
(REGISTRATION_TRANSITIONS), in that order.

Regenerate with `python -m gongyou.publicservices.diagram`; tests/test_docs.py fails on drift.
"""

from __future__ import annotations

from collections.abc import Mapping

from .enums import (
    ACTIVITY_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    ActivityStatus,
    ReferralStatus,
    RegistrationStatus,
)


def _diagram(table: Mapping[str, frozenset[str]], starts: list[str]) -> str:
    lines = ["stateDiagram-v2", *(f"    [*] --> {s}" for s in starts)]
    for source, targets in table.items():
        for target in sorted(targets):
            lines.append(f"    {source} --> {target}")
    for final in (s for s, t in table.items() if not t):
        lines.append(f"    {final} --> [*]")
    return "\n".join(lines)


def state_diagram() -> str:
    return _diagram(REFERRAL_TRANSITIONS, [ReferralStatus.REFERRED])


def activity_diagram() -> str:
    return _diagram(ACTIVITY_TRANSITIONS, [ActivityStatus.DRAFT])


def registration_diagram() -> str:
    # A registration starts with a place or on the waiting list; the service moves a waiting
    # entry to registered when a place frees (not a staff transition, so drawn separately).
    lines = _diagram(
        REGISTRATION_TRANSITIONS, [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    ).split("\n")
    lines.insert(
        3, f"    {RegistrationStatus.WAITLISTED} --> {RegistrationStatus.REGISTERED}: place freed"
    )
    return "\n".join(lines)


def diagrams() -> list[str]:
    return [state_diagram(), activity_diagram(), registration_diagram()]


if __name__ == "__main__":
    print("\n\n".join(diagrams()))
