"""A worker files their own complaint from the portal (channel: worker self-service).

The worker is the only claimant; there is no staff actor. The case goes to the trade-union
federation of the region where the dispute arose (the county's, else the city's, else the
province's, else the national federation), where it waits in the handlers' queue as
`received` like any other intake. Respondents are named in the text: linking employer records
is the handler's job once they have checked them.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import FieldErrors
from gongyou.regions.selectors import region_is_known

from ..enums import CaseType, Channel, PlatformIssue
from ..models import Case
from .attachment import attachment_check, attachment_store, attachments_dir
from .common import clean_amount, clean_text
from .intake import _intake_write

FEDERATIONS = (
    OrganisationKind.DISTRICT_FEDERATION,
    OrganisationKind.CITY_FEDERATION,
    OrganisationKind.PROVINCIAL_FEDERATION,
    OrganisationKind.NATIONAL_FEDERATION,
)
MAX_SELF_ATTACHMENTS = 5


def case_handling_organisation(*, region: str) -> Organisation | None:
    """The federation nearest to a region: county, city, province, then national."""
    candidates = [region, region[:4] + "00", region[:2] + "0000"]
    orgs = {
        org.region_id: org
        for org in Organisation.objects.filter(
            region_id__in=candidates, kind__in=FEDERATIONS, is_active=True
        ).order_by("id")
    }
    for code in candidates:
        if code in orgs:
            return orgs[code]
    return (
        Organisation.objects.filter(
            region__isnull=True, kind=OrganisationKind.NATIONAL_FEDERATION, is_active=True
        )
        .order_by("id")
        .first()
    )


def case_file_by_worker(
    *,
    worker: Any,
    principal: Any,
    data: dict[str, Any],
    attachments: list[tuple[Any, str, str]] | None = None,
) -> Case:
    """File a complaint for `worker` (the signed-in worker; the portal checked who they are).

    `principal` is who the audit rows name (the portal's principal, not a staff user);
    `attachments` are (upload, kind, description) triples, validated before anything is written.
    """
    errors = FieldErrors()
    kind = str(data.get("type") or "")
    if kind not in CaseType.values:
        errors.add("type", "invalid_choice" if kind else "required", _("Choose the case type."))
    issue = str(data.get("platform_issue") or "")
    if kind == CaseType.PLATFORM_WORK and issue not in PlatformIssue.values:
        errors.add("platform_issue", "required", _("Choose the platform-work issue."))
    elif kind != CaseType.PLATFORM_WORK:
        issue = ""
    summary = clean_text("summary", data.get("summary"), errors, required=True, limit=300)
    description = clean_text(
        "description", data.get("description"), errors, required=False, limit=5000
    )
    employer = clean_text("employer", data.get("employer"), errors, required=False, limit=200)
    region = str(data.get("region") or worker.current_region_id or "").strip()
    if not region_is_known(region):
        errors.add("region", "unknown_region", _("Choose a known region (6-digit code)."))
    incident_on = clean_date("incident_on", data.get("incident_on"), errors)
    if kind == CaseType.WORK_INJURY and incident_on is None and "incident_on" not in errors.errors:
        errors.add("incident_on", "required", _("Enter the date of the accident or the diagnosis."))
    known_on = clean_date("infringement_known_on", data.get("infringement_known_on"), errors)
    amount = clean_amount("amount_claimed", data.get("amount_claimed"), errors)
    items = list(attachments or [])
    if len(items) > MAX_SELF_ATTACHMENTS:
        errors.add(
            "attachments",
            "too_many",
            _("At most %(n)d files; bring more to a station.") % {"n": MAX_SELF_ATTACHMENTS},
        )
        items = []
    checked = [
        attachment_check(
            upload=upload, kind=a_kind, description=note, errors=errors, prefix=f"attachments.{i}."
        )
        for i, (upload, a_kind, note) in enumerate(items)
    ]
    organisation = None
    if "region" not in errors.errors:
        organisation = case_handling_organisation(region=region)
        if organisation is None:
            errors.add(
                "region",
                "no_organisation",
                _("No trade-union office handles this region yet; please visit a station."),
            )
    errors.raise_if_any()
    assert organisation is not None
    if employer:
        description = (_("Employer: %(name)s") % {"name": employer}) + (
            "\n\n" + description if description else ""
        )
    actor = Actor(
        user=principal,
        roles=frozenset(),
        region_prefix="-",
        station_id=None,
        organisation_id=None,
    )
    stored: list[str] = []
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = _intake_write(
                    actor=actor,
                    values={
                        "type": kind,
                        "platform_issue": issue,
                        "channel": Channel.SELF_SERVICE,
                        "summary": summary,
                        "description": description[:5000],
                        "region_id": region,
                        "intake_station": None,
                        "incident_on": incident_on,
                        "infringement_known_on": known_on,
                        "organisation_id": organisation.pk,
                        "created_by": None,
                    },
                    claimants=[(worker.pk, amount or 0)],
                    respondents=[],
                    project=None,
                )
                for (upload, _kind, _note), check in zip(items, checked, strict=True):
                    row = attachment_store(actor=actor, case=case, upload=upload, checked=check)
                    stored.append(row.storage_name)
                return case
        except IntegrityError:
            for name in stored:
                (attachments_dir() / name).unlink(missing_ok=True)
            stored.clear()
            continue  # two intakes took the same reference number: take the next one
        except BaseException:
            for name in stored:  # the case did not commit: keep no orphan evidence file
                (attachments_dir() / name).unlink(missing_ok=True)
            raise
    raise IntegrityError("could not allocate a case reference")
