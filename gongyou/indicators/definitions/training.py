"""Skills and education indicators: people trained, completed and certified against campaign
targets, and education upgrades (求学圆梦). Read through gongyou.training's policies."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongyou.accounts.policies import Actor
from gongyou.regions.selectors import region_range_q
from gongyou.training.enums import COMPLETED, TRAINED, EnrolmentStatus, StudyStatus
from gongyou.training.models import CampaignTarget
from gongyou.training.policies import (
    VIEW_ROLES,
    campaigns_visible_to,
    enrolments_visible_to,
    study_visible_to,
)

from ..aggregate import by_category, by_measures
from ..registry import Column, Context, Indicator, Row, Table, register, register_group
from .common import as_of

register_group("training", _("Skills and education"))
SCOPE = _("The selected region and its subdivisions; only records your organisation may see.")
MEASURES = (
    ("trained", _("Trained")),
    ("completed", _("Completed")),
    ("certified", _("Certified")),
)


def can_view_training(actor: Actor) -> bool:
    return bool(actor.roles & VIEW_ROLES)


def _people(enrolments):
    return {
        "trained": Count("worker", distinct=True, filter=Q(status__in=TRAINED)),
        "completed": Count("worker", distinct=True, filter=Q(status__in=COMPLETED)),
        "certified": Count("worker", distinct=True, filter=Q(status=EnrolmentStatus.CERTIFIED)),
    }


def _campaigns(ctx: Context):
    return campaigns_visible_to(ctx.actor).filter(starts_on__lte=ctx.end, ends_on__gte=ctx.start)


def _trained(ctx: Context) -> Table:
    enrolments = enrolments_visible_to(ctx.actor).filter(
        course__campaign__in=_campaigns(ctx).values("pk")
    )
    return by_measures(
        enrolments,
        ctx,
        region_field="course__region_id",
        columns=[Column(k, str(label)) for k, label in MEASURES],
        measures=_people(enrolments),
    )


def _targets(ctx: Context) -> Table:
    """Per campaign running in the period: targets set for the selected region's subtree, and
    the people counted in it."""
    columns = []
    for key, label in MEASURES:
        columns.append(Column(f"{key}_target", gettext("%(measure)s: target") % {"measure": label}))
        columns.append(Column(key, str(label)))
        columns.append(
            Column(
                f"{key}_pct",
                gettext("%(measure)s: %% of target") % {"measure": label},
                suppressible=False,
                percent=True,
            )
        )
    rows = []
    for campaign in _campaigns(ctx).order_by("-starts_on", "id"):
        targets = CampaignTarget.objects.filter(campaign=campaign)
        if ctx.prefix:
            targets = targets.filter(region_range_q("region_id", ctx.prefix))
        set_ = {k: sum(getattr(t, k) for t in targets) for k, _l in MEASURES}
        enrolments = enrolments_visible_to(ctx.actor).filter(course__campaign=campaign)
        if ctx.prefix:
            enrolments = enrolments.filter(region_range_q("course__region_id", ctx.prefix))
        actual = enrolments.aggregate(**_people(enrolments))
        values: dict = {}
        for key, _label in MEASURES:
            values[f"{key}_target"] = set_[key]
            values[key] = actual[key] or 0
            values[f"{key}_pct"] = round(100 * values[key] / set_[key], 1) if set_[key] else None
        rows.append(Row(key=str(campaign.pk), label=campaign.name, values=values))
    total = Row(key="total", label=str(_("All campaigns")), values={})
    for column in columns:
        if not column.percent:
            total.values[column.key] = sum(r.values[column.key] for r in rows)
    for key, _label in MEASURES:
        target = total.values[f"{key}_target"]
        total.values[f"{key}_pct"] = round(100 * total.values[key] / target, 1) if target else None
    return Table(columns=columns, rows=rows, total=total)


def _studies(ctx: Context) -> Table:
    studies = study_visible_to(ctx.actor).filter(created_at__lt=as_of(ctx))
    return by_category(
        studies,
        ctx,
        region_field="region_id",
        category="status",
        choices=StudyStatus.choices,
        measure=Count("worker", distinct=True),
        total_label=None,
    )


register(
    Indicator(
        key="training_people",
        title=_("People trained, completed and certified"),
        group="training",
        counts=_(
            "Different workers who started training, completed it and were certified, in "
            "courses of campaigns running in the period. A worker on several courses counts "
            "once per measure."
        ),
        source=_("Course enrolments, in the region where the course is held."),
        filters=format_lazy("{}{}", _("Campaigns whose dates overlap the period. "), SCOPE),
        unit=_("people"),
        period="flow",
        compute=_trained,
        available=can_view_training,
    )
)
register(
    Indicator(
        key="training_against_targets",
        title=_("Training against campaign targets"),
        group="training",
        counts=_(
            "Per campaign running in the period: the targets for people trained, completing "
            "and certified set for the selected region and its subdivisions, and the people "
            "counted so far, with the share of each target met."
        ),
        source=_("Campaign targets and course enrolments, in the course's region."),
        filters=format_lazy("{}{}", _("Campaigns whose dates overlap the period. "), SCOPE),
        unit=_("people"),
        period="flow",
        compute=_targets,
        available=can_view_training,
        chart="none",
    )
)
register(
    Indicator(
        key="education_upgrades",
        title=_("Education upgrades (Study to Realise the Dream)"),
        group="training",
        counts=_(
            "Different workers in degree and diploma study (求学圆梦), by the status of their "
            "study: applied, studying, graduated, withdrawn."
        ),
        source=_("Study enrolments, in the region recorded on the enrolment."),
        filters=format_lazy("{}{}", _("Enrolled on or before the last day of the period. "), SCOPE),
        unit=_("people"),
        period="stock",
        compute=_studies,
        available=can_view_training,
        caveat=_(
            "Workers studying or graduated are those funded for study in the campaign targets."
        ),
    )
)
