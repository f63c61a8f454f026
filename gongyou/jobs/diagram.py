"""Mermaid state diagrams of REFERRAL_TRANSITIONS and VACANCY_TRANSITIONS, for
docs/domains/jobs.md. Regenerate with `python -m gongyou.jobs.diagram`; jobs/tests/test_docs.py
fails when the doc and the tables differ."""

from __future__ import annotations

from .enums import (
    REFERRAL_FINISHED,
    REFERRAL_TRANSITIONS,
    VACANCY_TRANSITIONS,
    ReferralStatus,
    VacancyStatus,
)


def _diagram(table: dict[str, dict[str, frozenset[str]]], start: str, ends: list[str]) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {start}"]
    for source, targets in table.items():
        for target, roles in targets.items():
            lines.append(f"    {source} --> {target}: {', '.join(sorted(roles))}")
    lines.extend(f"    {end} --> [*]" for end in ends)
    return "\n".join(lines)


def referral_diagram() -> str:
    return _diagram(REFERRAL_TRANSITIONS, ReferralStatus.REFERRED, sorted(REFERRAL_FINISHED))


def vacancy_diagram() -> str:
    return _diagram(VACANCY_TRANSITIONS, VacancyStatus.DRAFT, [VacancyStatus.CLOSED])


if __name__ == "__main__":
    print(referral_diagram())
    print()
    print(vacancy_diagram())
