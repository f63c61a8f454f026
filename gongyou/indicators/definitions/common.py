"""Pieces shared by the definitions: the period as aware datetimes, availability checks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongyou.accounts.policies import Actor, Capability

from ..registry import Context


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def period_bounds(ctx: Context) -> tuple[dt.datetime, dt.datetime]:
    """[start of the first day, start of the day after the last day)."""
    return day_start(ctx.start), day_start(ctx.end + dt.timedelta(days=1))


def as_of(ctx: Context) -> dt.datetime:
    """The moment a stock is counted at: the end of the period's last day."""
    return day_start(ctx.end + dt.timedelta(days=1))


def can_view_workers(actor: Actor) -> bool:
    return actor.can(Capability.VIEW_WORKERS)


def can_view_stations(actor: Actor) -> bool:
    return actor.can(Capability.VIEW_STATIONS)
