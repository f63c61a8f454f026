"""Every write to the registry: register, update, reveal, certificates, consent, merge.

Each service validates all fields first (a request with several bad fields names all of them),
then writes inside one transaction together with its audit row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor, Capability
from gongyou.classifications.enums import (
    CertificateKind,
    EducationLevel,
    EmploymentForm,
    Industry,
    SkillLevel,
)
from gongyou.classifications.selectors import occupation_names
from gongyou.core import crypto
from gongyou.core.audit import audit_record, diff, snapshot
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldError, FieldErrors, NotFound, PermissionDenied
from gongyou.regions.selectors import province_codes, region_is_known, region_label

from .anonymise import (  # re-exported: the anonymisation services live in anonymise.py
    AnonymiseResult as AnonymiseResult,
)
from .anonymise import Redact as Redact
from .anonymise import anonymisation_blockers as anonymisation_blockers
from .anonymise import register_anonymisation_blocker as register_anonymisation_blocker
from .anonymise import register_worker_pii as register_worker_pii
from .anonymise import worker_anonymise as worker_anonymise
from .enums import ConsentMethod, ConsentPurpose, MigrationScope, RevealField, RevealPurpose
from .identity import (
    IdentityError,
    NationalId,
    mask_national_id,
    mask_phone,
    normalise_phone,
    parse_mobile,
    parse_national_id,
)
from .models import Consent, SkillCertificate, Worker, WorkerMerge
from .policies import (
    worker_is_visible,
    worker_merge_require_can_undo,
    worker_require_can_edit,
    worker_require_can_merge,
    worker_reveal_capability,
)

AUDIT_FIELDS = [
    "national_id_masked",
    "name",
    "sex",
    "birth_date",
    "phone_masked",
    "hukou_region",
    "current_region",
    "current_address",
    "migration_scope",
    "education",
    "employment_form",
    "industry",
    "occupation",
    "union_member",
    "union_joined_on",
]
EDITABLE_FIELDS = [
    "name",
    "phone",
    "hukou_region",
    "current_region",
    "current_address",
    "education",
    "employment_form",
    "industry",
    "occupation",
    "union_member",
    "union_joined_on",
]
_NAME_BAD = re.compile(r"[0-9<>{}\[\]\\/@#$%^&*=+|~_;:!?，,。]")
_SPACE_RUNS = re.compile(r"\s+")
_REGION_CODE = re.compile(r"\d{6}")


class WorkerAnonymised(Conflict):
    code = "worker_anonymised"
    default_message = gettext_lazy(
        "This worker's personal data was anonymised; it cannot be shown or changed."
    )


class WorkerAlreadyRegistered(Conflict):
    code = "worker_already_registered"
    default_message = gettext_lazy("A worker with this ID number is already registered.")


def _field_labels(fields: dict[str, Any]) -> str:
    """Human names of changed fields, in the active language, for audit summaries."""
    return _list_sep().join(
        str(getattr(Worker._meta.get_field(name), "verbose_name", name)) for name in sorted(fields)
    )


def _list_sep() -> str:
    return "、" if (get_language() or "").startswith("zh") else ", "


def migration_scope_for(*, hukou_region: str, current_region: str) -> str:
    if hukou_region[:2] != current_region[:2]:
        return MigrationScope.CROSS_PROVINCE
    if hukou_region == current_region:
        return MigrationScope.LOCAL
    return MigrationScope.WITHIN_PROVINCE


def _clean_name(value: Any, errors: FieldErrors) -> str | None:
    name = _SPACE_RUNS.sub(" ", str(value or "")).strip()
    if not name:
        errors.add("name", "required", _("Enter the worker's name."))
        return None
    if len(name) > 50:
        errors.add("name", "too_long", _("A name has at most 50 characters."))
        return None
    if _NAME_BAD.search(name):
        errors.add("name", "invalid_characters", _("A name cannot contain digits or symbols."))
        return None
    return name


def _clean_region(field: str, value: Any, errors: FieldErrors) -> str | None:
    code = str(value or "").strip()
    if not code:
        errors.add(field, "required", _("Choose a region."))
        return None
    if not _REGION_CODE.fullmatch(code):
        errors.add(field, "invalid_format", _("A region code has 6 digits."))
        return None
    if not region_is_known(code):
        errors.add(
            field, "unknown_region", _("%(code)s is not a known region code.") % {"code": code}
        )
        return None
    return code


def _clean_choice(field: str, value: Any, choices: Collection[str], errors: FieldErrors) -> str:
    text = str(value or "").strip()
    if text and text not in choices:
        errors.add(
            field,
            "invalid_choice",
            _("“%(v)s” is not one of the allowed values.") % {"v": text[:40]},
        )
        return ""
    return text


def _clean_occupation(value: Any, errors: FieldErrors, field: str = "occupation") -> str | None:
    code = str(value or "").strip()
    if not code:
        return None
    if code not in occupation_names():
        errors.add(
            field,
            "unknown_occupation",
            _("%(code)s is not a known occupation code.") % {"code": code[:20]},
        )
        return None
    return code


_CHOICE_VALUES: tuple[tuple[str, frozenset[str]], ...] = (
    ("education", frozenset(EducationLevel.values)),
    ("employment_form", frozenset(EmploymentForm.values)),
    ("industry", frozenset(Industry.values)),
)


# For an 11-character ASCII-digit string starting with 1, what `parse_mobile` decides depends
# only on its first five digits, given the CN metadata of phonenumbers checked below pattern by
# pattern (`_cn_metadata_checked`):
# - numbers starting 11, 12 or 179 are left to `parse_mobile` (never remembered): only they can
#   match the national prefix for parsing (`(1(?:[12]\d|79)\d\d)|0`, carrier codes) or the
#   international prefix (`00|1(?:[12]\d|79)\d\d00`); any other is parsed whole, as national
#   digits of region CN (the default country code, 86, does not start with 1);
# - the general description takes every such number (`1\d{10}`);
# - premium-rate (8 digits), toll-free (10 or 12), shared-cost (at most 8 when starting with 1)
#   and fixed-line (at most 10 when starting with 1) never match 11 digits starting with 1; VoIP,
#   personal, pager, UAN and voicemail are empty; mobile and fixed-line patterns differ;
# - the mobile pattern (`_CN_MOBILE`) looks at the first five digits at most (1610x, 1740[0-5]).
# So the verdict is remembered per five-digit prefix; invalid numbers are handed to
# `parse_mobile` again for its exact error. With other metadata nothing is remembered.
_CN_MOBILE = r"1(?:610\d|740[0-5])\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}"
_CN_PATTERNS = {
    "national_prefix_for_parsing": r"(1(?:[12]\d|79)\d\d)|0",
    "national_prefix_transform_rule": None,
    "general_desc": r"(?:(?:1[03-689]|2\d)\d\d|6)\d{8}|1\d{10}|[126]\d{6}(?:\d(?:\d{2})?)?|86\d{5,6}"
    r"|(?:[3-579]\d|8[0-57-9])\d{5,9}",
    "premium_rate": r"16[08]\d{5}",
    "toll_free": r"(?:(?:10|21)8|8)00\d{7}",
    "international_prefix": r"00|1(?:[12]\d|79)\d\d00",
}
_CN_DIGESTS = {  # long patterns, compared by their SHA-256
    "shared_cost": "e54f8bd96885ed14df3189e3f89b17dded25fb4e2d7885d101489c2945b4ccd6",
    "fixed_line": "040aed7a47ea476fb30f2d6fc88c3bbe8db0c3ee5847f14a16cc5571ad4ecdc8",
}
_mobile_prefixes: dict[str, bool] = {}
_cn_checked: list[bool] = []


def _cn_metadata_checked() -> bool:
    """Whether the installed phonenumbers has the CN metadata the reasoning above is about."""
    if not _cn_checked:
        _cn_checked.append(_cn_metadata_matches())
    return _cn_checked[0]


def _cn_metadata_matches() -> bool:
    import hashlib

    import phonenumbers
    from phonenumbers import PhoneMetadata

    meta = PhoneMetadata.metadata_for_region("CN")
    if meta is None or phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(86) != ("CN",):
        return False

    def pattern(name: str) -> str | None:
        desc = getattr(meta, name)
        return desc.national_number_pattern if desc is not None else None

    def digest(name: str) -> str:
        return hashlib.sha256((pattern(name) or "").encode()).hexdigest()

    return (
        meta.national_prefix_for_parsing == _CN_PATTERNS["national_prefix_for_parsing"]
        and meta.national_prefix_transform_rule is None
        and not meta.same_mobile_and_fixed_line_pattern
        and meta.international_prefix == _CN_PATTERNS["international_prefix"]
        and pattern("general_desc") == _CN_PATTERNS["general_desc"]
        and pattern("premium_rate") == _CN_PATTERNS["premium_rate"]
        and pattern("toll_free") == _CN_PATTERNS["toll_free"]
        and pattern("mobile") == _CN_MOBILE
        and all(digest(name) == value for name, value in _CN_DIGESTS.items())
        and all(
            pattern(name) is None
            for name in ("voip", "personal_number", "pager", "uan", "voicemail")
        )
    )


def mobile_clean(raw: str) -> str:
    """`parse_mobile`, with the verdict on well-formed numbers remembered per prefix."""
    number = normalise_phone(raw)
    if (
        len(number) == 11
        and number.isascii()
        and number.isdigit()
        and number[0] == "1"
        and number[:2] not in ("11", "12")
        and number[:3] != "179"
        and _cn_metadata_checked()
    ):
        valid = _mobile_prefixes.get(number[:5])
        if valid is None:
            try:
                parse_mobile(number)
                valid = True
            except IdentityError:
                valid = False
            _mobile_prefixes[number[:5]] = valid
        if valid:
            return number
    return parse_mobile(raw)


def _clean_fields(
    data: dict[str, Any], errors: FieldErrors, *, partial: bool, today: dt.date | None = None
) -> dict[str, Any]:
    """Validate the editable fields present in `data` (all required ones unless partial).
    `today` saves bulk callers a time-zone lookup per row."""
    out: dict[str, Any] = {}
    if not partial or "name" in data:
        out["name"] = _clean_name(data.get("name"), errors)
    if not partial or "phone" in data:
        raw = data.get("phone")
        if raw in (None, "") and partial:
            out["phone"] = ""
        else:
            try:
                out["phone"] = mobile_clean(raw or "")
            except IdentityError as exc:
                errors.add("phone", exc.code, exc.message)
    for field in ("hukou_region", "current_region"):
        if not partial or field in data:
            out[field] = _clean_region(field, data.get(field), errors)
    if "current_address" in data:
        address = str(data.get("current_address") or "").strip()
        if len(address) > 200:
            errors.add("current_address", "too_long", _("At most 200 characters."))
        out["current_address"] = address[:200]
    for field, choices in _CHOICE_VALUES:
        if field in data:
            out[field] = _clean_choice(field, data.get(field), choices, errors)
    if "occupation" in data:
        out["occupation"] = _clean_occupation(data.get("occupation"), errors)
    if "union_member" in data:
        out["union_member"] = bool(data.get("union_member"))
    if "union_joined_on" in data:
        out["union_joined_on"] = clean_date(
            "union_joined_on", data.get("union_joined_on"), errors, today=today
        )
    return out


def _apply(worker: Worker, values: dict[str, Any]) -> None:
    for field, value in values.items():
        if field == "phone":
            worker.phone_enc = crypto.encrypt(value, context="phone") if value else ""
            worker.phone_hash = crypto.blind_index(value, context="phone") if value else ""
            worker.phone_masked = mask_phone(value) if value else ""
        elif field in ("hukou_region", "current_region", "occupation"):
            setattr(worker, f"{field}_id", value)
        else:
            setattr(worker, field, value)
    worker.migration_scope = migration_scope_for(
        hukou_region=worker.hukou_region_id, current_region=worker.current_region_id
    )


def _holder(existing: Worker) -> Worker:
    """The worker who holds a number now: a merged worker's number leads to the kept worker."""
    seen = {existing.pk}
    while existing.merged_into_id is not None and existing.merged_into_id not in seen:
        seen.add(existing.merged_into_id)
        existing = Worker.objects.get(pk=existing.merged_into_id)
    return existing


def _conflict(actor: Actor, existing: Worker) -> WorkerAlreadyRegistered:
    existing = _holder(existing)
    if worker_is_visible(actor, existing):
        return WorkerAlreadyRegistered(
            _("This ID number is already registered to %(name)s (worker %(id)s).")
            % {"name": existing.name, "id": existing.pk},
            fields={"national_id": FieldError("already_registered", _("Already registered."))},
            extra={
                "existing_worker": {
                    "id": existing.pk,
                    "name": existing.name,
                    "national_id": existing.national_id_masked,
                    "current_region": existing.current_region_id,
                }
            },
        )
    return WorkerAlreadyRegistered(
        _(
            "This ID number is already registered by an organisation outside your area; contact it or your administrator."
        ),
        fields={"national_id": FieldError("already_registered", _("Already registered."))},
    )


def worker_register(*, actor: Actor, data: dict[str, Any]) -> Worker:
    """Register a worker. Raises ValidationFailed (every bad field) or WorkerAlreadyRegistered (409)."""
    actor.require(Capability.EDIT_WORKERS)
    errors = FieldErrors()
    national = None
    try:
        national = parse_national_id(data.get("national_id") or "", provinces=province_codes())
    except IdentityError as exc:
        errors.add("national_id", exc.code, exc.message)
    values = _clean_fields(data, errors, partial=False)
    consent_method = str(data.get("consent_method") or ConsentMethod.PAPER)
    if data.get("consent") and consent_method not in ConsentMethod.values:
        errors.add("consent_method", "invalid_choice", _("Choose how consent was given."))
    worker_check_register_scope(actor=actor, values=values, errors=errors)
    errors.raise_if_any()
    assert national is not None
    id_hash = crypto.blind_index(national.number, context="national_id")
    existing = Worker.objects.filter(national_id_hash=id_hash).first()
    if existing is not None:
        raise _conflict(actor, existing)
    worker = worker_build_new(actor=actor, national=national, values=values, id_hash=id_hash)
    try:
        with transaction.atomic():
            worker.save()
            audit_record(
                actor=actor.user,
                action="worker.register",
                entity=worker,
                worker_id=worker.pk,
                after=snapshot(worker, AUDIT_FIELDS),
                region_code=worker.current_region_id,
                summary=worker_register_summary(worker),
            )
            if data.get("consent"):
                _consent_write(
                    actor=actor,
                    worker=worker,
                    purpose=ConsentPurpose.REGISTRY,
                    granted=True,
                    method=consent_method,
                )
    except IntegrityError:
        existing = Worker.objects.filter(national_id_hash=id_hash).first()
        if existing is None:
            raise
        raise _conflict(actor, existing) from None
    return worker


@transaction.atomic
def worker_update(*, actor: Actor, worker: Worker, data: dict[str, Any]) -> Worker:
    """Change the fields present in `data`; only what changed is audited."""
    worker_require_can_edit(actor, worker)
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.anonymised_at is not None:
        raise WorkerAnonymised()
    errors = FieldErrors()
    unknown = set(data) - set(EDITABLE_FIELDS) - {"national_id"}
    for field in sorted(unknown):
        errors.add(field, "not_editable", _("This field cannot be changed here."))
    national = None
    if "national_id" in data:
        if not (actor.roles & {Role.ORG_ADMIN, Role.SYSTEM_ADMIN}):
            errors.add(
                "national_id", "not_allowed", _("Only an administrator can correct an ID number.")
            )
        else:
            try:
                national = parse_national_id(data["national_id"] or "", provinces=province_codes())
            except IdentityError as exc:
                errors.add("national_id", exc.code, exc.message)
    values = _clean_fields(
        {k: v for k, v in data.items() if k in EDITABLE_FIELDS}, errors, partial=True
    )
    if values.get("current_region") and not (
        actor.covers_region(values["current_region"])
        or actor.covers_region(values.get("hukou_region") or worker.hukou_region_id)
    ):
        errors.add(
            "current_region",
            "out_of_scope",
            _("The worker would leave your area; ask the destination organisation to update them."),
        )
    errors.raise_if_any()
    before = snapshot(worker, AUDIT_FIELDS)
    phone_hash_before = worker.phone_hash
    if national is not None:
        id_hash = crypto.blind_index(national.number, context="national_id")
        other = Worker.objects.filter(national_id_hash=id_hash).exclude(pk=worker.pk).first()
        if other is not None:
            raise _conflict(actor, other)
        worker.national_id_enc = crypto.encrypt(national.number, context="national_id")
        worker.national_id_hash, worker.national_id_masked = (
            id_hash,
            mask_national_id(national.number),
        )
        worker.sex, worker.birth_date = national.sex, national.birth_date
    _apply(worker, values)
    after = snapshot(worker, AUDIT_FIELDS)
    changed_before, changed_after = diff(before, after)
    if not changed_after and worker.phone_hash == phone_hash_before:
        return worker
    worker.save()
    audit_record(
        actor=actor.user,
        action="worker.update",
        entity=worker,
        worker_id=worker.pk,
        before=changed_before,
        after=changed_after,
        region_code=worker.current_region_id,
        summary=_("Changed %(fields)s")
        % {"fields": _field_labels(changed_after or {"phone_masked": ""})},
    )
    return worker


REVEAL_DETAIL_MAX = 150


@transaction.atomic
def worker_reveal(
    *, actor: Actor, worker: Worker, fields: list[str], purpose: str = "", detail: str = ""
) -> dict[str, str]:
    """Decrypt personal data for a role that needs it. `purpose` is a `RevealPurpose` code
    (required), `detail` free text (required for `other`); both go into the audit row."""
    if not worker_is_visible(actor, worker):
        raise NotFound()
    if worker.anonymised_at is not None:
        raise WorkerAnonymised()
    errors = FieldErrors()
    if not fields:
        errors.add("fields", "required", _("Say which fields to reveal."))
    for field in fields:
        if field not in RevealField.values:
            errors.add("fields", "invalid_choice", _("Only national_id and phone can be revealed."))
    for field in fields:
        if field in RevealField.values and not actor.can(worker_reveal_capability(field)):
            raise PermissionDenied(
                _("Your role cannot see the full %(field)s.") % {"field": RevealField(field).label}
            )
    purpose, detail = (purpose or "").strip(), " ".join((detail or "").split())
    if not purpose:
        errors.add(
            "purpose",
            "required",
            _("State why you need to see it (PIPL: every reveal has a purpose)."),
        )
    elif purpose not in RevealPurpose.values:
        errors.add(
            "purpose",
            "invalid_choice",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(RevealPurpose.values)},
        )
    elif purpose == RevealPurpose.OTHER and not detail:
        errors.add("detail", "required", _("Say why you need to see it."))
    if len(detail) > REVEAL_DETAIL_MAX:
        errors.add("detail", "too_long", _("At most %(n)d characters.") % {"n": REVEAL_DETAIL_MAX})
    errors.raise_if_any()
    out: dict[str, str] = {}
    if "national_id" in fields:
        out["national_id"] = crypto.decrypt(worker.national_id_enc, context="national_id")
    if "phone" in fields:
        out["phone"] = crypto.decrypt(worker.phone_enc, context="phone") if worker.phone_enc else ""
    audit_record(
        actor=actor.user,
        action="worker.reveal",
        entity=worker,
        worker_id=worker.pk,
        after={"fields": sorted(fields), "purpose": purpose, "detail": detail},
        purpose=f"{purpose}: {detail}" if detail else purpose,
        region_code=worker.current_region_id,
        summary=_("Revealed %(fields)s")
        % {"fields": _list_sep().join(str(RevealField(f).label) for f in sorted(fields))},
    )
    return out


@transaction.atomic
def certificate_add(
    *,
    actor: Actor,
    worker: Worker,
    occupation: str,
    level: int | None,
    certificate_no: str,
    issuing_organisation: str,
    issued_on: Any,
    kind: str = CertificateKind.SKILL_LEVEL,
    expires_on: Any = None,
) -> SkillCertificate:
    worker_require_can_edit(actor, worker)
    errors = FieldErrors()
    cleaned = certificate_clean(
        birth_date=worker.birth_date,
        occupation=occupation,
        level=level,
        certificate_no=certificate_no,
        issuing_organisation=issuing_organisation,
        issued_on=issued_on,
        kind=kind,
        expires_on=expires_on,
        errors=errors,
    )
    errors.raise_if_any()
    occ, number, issuer = cleaned["occupation"], cleaned["certificate_no"], cleaned["issuer"]
    issued, expires = cleaned["issued_on"], cleaned["expires_on"]
    assert occ is not None and issued is not None  # guaranteed by the checks above
    if SkillCertificate.objects.filter(issuing_organisation=issuer, certificate_no=number).exists():
        raise Conflict(
            _("This certificate number is already recorded for that issuer."),
            fields={"certificate_no": FieldError("duplicate", _("Already recorded."))},
        )
    cert = SkillCertificate.objects.create(
        worker=worker,
        kind=kind,
        occupation_id=occ,
        level=level if kind == CertificateKind.SKILL_LEVEL else None,
        certificate_no=number,
        issuing_organisation=issuer,
        issued_on=issued,
        expires_on=expires,
    )
    audit_record(
        actor=actor.user,
        action="certificate.add",
        entity=cert,
        worker_id=worker.pk,
        after=snapshot(
            cert,
            [
                "kind",
                "occupation",
                "level",
                "certificate_no",
                "issuing_organisation",
                "issued_on",
                "expires_on",
            ],
        ),
        region_code=worker.current_region_id,
        summary=_("Certificate %(no)s: %(occ)s level %(level)s")
        % {"no": number, "occ": occupation_names().get(occ or "", occ), "level": level or "-"},
    )
    return cert


def _consent_write(
    *, actor: Actor, worker: Worker, purpose: str, granted: bool, method: str
) -> Consent:
    errors = FieldErrors()
    if purpose not in ConsentPurpose.values:
        errors.add("purpose", "invalid_choice", _("Unknown consent purpose."))
    if method not in ConsentMethod.values:
        errors.add("method", "invalid_choice", _("Unknown consent method."))
    errors.raise_if_any()
    consent = Consent.objects.create(
        worker=worker, purpose=purpose, granted=granted, method=method, recorded_by=actor.user
    )
    audit_record(
        actor=actor.user,
        action="consent.record",
        entity=consent,
        worker_id=worker.pk,
        after={"purpose": purpose, "granted": granted, "method": method},
        region_code=worker.current_region_id,
        summary=(_("Consent granted: %(p)s") if granted else _("Consent withdrawn: %(p)s"))
        % {"p": ConsentPurpose(purpose).label},
    )
    return consent


@transaction.atomic
def consent_record(
    *, actor: Actor, worker: Worker, purpose: str, granted: bool, method: str
) -> Consent:
    worker_require_can_edit(actor, worker)
    return _consent_write(
        actor=actor, worker=worker, purpose=purpose, granted=granted, method=method
    )


# --- Records from outside (imports): the same rules, in pieces a bulk writer can use --------

WORKER_REQUIRED_FIELDS = ("name", "phone", "hukou_region", "current_region")
# Columns a bulk insert writes, in the order of `worker_bulk_row`.
WORKER_BULK_COLUMNS = [
    "national_id_enc",
    "national_id_hash",
    "national_id_masked",
    "name",
    "sex",
    "birth_date",
    "phone_enc",
    "phone_hash",
    "phone_masked",
    "hukou_region_id",
    "current_region_id",
    "current_address",
    "migration_scope",
    "education",
    "employment_form",
    "industry",
    "occupation_id",
    "union_member",
    "union_joined_on",
    "registered_by_id",
    "registered_org_id",
    "created_at",
    "updated_at",
]


def worker_check_register_scope(
    *, actor: Actor, values: dict[str, Any], errors: FieldErrors
) -> None:
    """A new worker must live or have their hukou in the actor's area."""
    if (
        values.get("current_region")
        and not actor.covers_region(values["current_region"])
        and not (values.get("hukou_region") and actor.covers_region(values["hukou_region"]))
    ):
        errors.add(
            "current_region",
            "out_of_scope",
            _("Register workers who live or have their hukou in your area."),
        )


def worker_build_new(
    *, actor: Actor, national: NationalId, values: dict[str, Any], id_hash: str | None = None
) -> Worker:
    """The unsaved Worker that `worker_register` stores: encrypted, hashed and masked."""
    worker = Worker(
        national_id_enc=crypto.encrypt(national.number, context="national_id"),
        national_id_hash=id_hash or crypto.blind_index(national.number, context="national_id"),
        national_id_masked=mask_national_id(national.number),
        sex=national.sex,
        birth_date=national.birth_date,
        registered_by=actor.user,
        registered_org_id=actor.organisation_id,
    )
    _apply(
        worker, {k: v for k, v in values.items() if k in EDITABLE_FIELDS or k == "current_address"}
    )
    return worker


def worker_register_summary(worker: Worker) -> str:
    return worker_register_summarizer()(worker.name, worker.current_region_id)


def worker_register_summarizer() -> Callable[[str, str | None], str]:
    """`worker_register_summary` for many workers (a bulk writer): the message is translated
    once, in the active language, and each region's label looked up once."""
    message = _("Registered %(name)s in %(region)s")
    labels: dict[str | None, str] = {}

    def summary(name: str, region: str | None) -> str:
        label = labels.get(region)
        if label is None:
            label = labels[region] = region_label(region)
        return message % {"name": name, "region": label}

    return summary


def worker_bulk_defaults() -> dict[str, Any]:
    """attname -> default of every column of a new Worker (what `Worker()` starts from)."""
    return {f.attname: f.get_default() for f in Worker._meta.concrete_fields}


def worker_new_values(
    *,
    actor: Actor,
    national: NationalId,
    values: dict[str, Any],
    id_hash: str | None = None,
    defaults: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The column values (attname -> value) of the worker `worker_build_new` builds, without
    the model instance: for bulk writers (rows for `WORKER_BULK_COLUMNS`, audit snapshots).
    `defaults` is `worker_bulk_defaults()`, computed once per batch."""
    attrs = dict(worker_bulk_defaults() if defaults is None else defaults)
    attrs["national_id_enc"] = crypto.encrypt(national.number, context="national_id")
    attrs["national_id_hash"] = id_hash or crypto.blind_index(
        national.number, context="national_id"
    )
    attrs["national_id_masked"] = mask_national_id(national.number)
    attrs["sex"] = national.sex
    attrs["birth_date"] = national.birth_date
    attrs["registered_by_id"] = getattr(actor.user, "pk", None)
    attrs["registered_org_id"] = actor.organisation_id
    for field, value in values.items():
        if field not in _NEW_FIELDS:
            continue
        if field == "phone":
            attrs["phone_enc"] = crypto.encrypt(value, context="phone") if value else ""
            attrs["phone_hash"] = crypto.blind_index(value, context="phone") if value else ""
            attrs["phone_masked"] = mask_phone(value) if value else ""
        elif field in ("hukou_region", "current_region", "occupation"):
            attrs[f"{field}_id"] = value
        else:
            attrs[field] = value
    attrs["migration_scope"] = migration_scope_for(
        hukou_region=attrs["hukou_region_id"], current_region=attrs["current_region_id"]
    )
    return attrs


def worker_audit_after(attrs: dict[str, Any]) -> dict[str, Any]:
    """`snapshot(worker, AUDIT_FIELDS)` of a worker given as `worker_new_values`."""
    out: dict[str, Any] = {}
    for name, attname in _AUDIT_ATTNAMES:
        value = attrs[attname]
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


_NEW_FIELDS = frozenset([*EDITABLE_FIELDS, "current_address"])
_AUDIT_ATTNAMES = [
    (name, getattr(Worker._meta.get_field(name), "attname", name)) for name in AUDIT_FIELDS
]


def worker_clean_row(
    *, data: dict[str, Any], new: bool | None = None, today: dt.date | None = None
) -> tuple[NationalId | None, dict[str, Any], FieldErrors]:
    """Validate one record from outside (an import row) with the registry's rules.

    `data` holds the ID number and the editable fields the source provides (typed: dates as
    dates, flags as bools). Every bad field is named. With `new=True` the fields a registration
    requires are required too; with None the caller checks them later (`worker_require_new`).
    """
    errors = FieldErrors()
    national = None
    try:
        national = parse_national_id(
            data.get("national_id") or "", provinces=province_codes(), today=today
        )
    except IdentityError as exc:
        errors.add("national_id", exc.code, exc.message)
    values = _clean_fields(
        {k: v for k, v in data.items() if k in EDITABLE_FIELDS}, errors, partial=True, today=today
    )
    if new:
        worker_require_new(values=values, errors=errors)
    return national, values, errors


def worker_require_new(*, values: dict[str, Any], errors: FieldErrors) -> None:
    """The messages `worker_register` gives for a required field that is missing."""
    missing = [f for f in WORKER_REQUIRED_FIELDS if f not in values and f not in errors.errors]
    if "name" in missing:
        _clean_name("", errors)
    if "phone" in missing:
        try:
            parse_mobile("")
        except IdentityError as exc:
            errors.add("phone", exc.code, exc.message)
    for field in ("hukou_region", "current_region"):
        if field in missing:
            _clean_region(field, "", errors)


def worker_changes(*, worker: Worker, values: dict[str, Any]) -> dict[str, Any]:
    """The cleaned values that differ from what is stored (the phone compared by its hash)."""
    out: dict[str, Any] = {}
    for field, value in values.items():
        if field == "phone":
            stored = worker.phone_hash
            if (crypto.blind_index(value, context="phone") if value else "") != stored:
                out[field] = value
        elif field in ("hukou_region", "current_region", "occupation"):
            if getattr(worker, f"{field}_id") != value:
                out[field] = value
        elif getattr(worker, field) != value:
            out[field] = value
    return out


def certificate_clean(
    *,
    birth_date: dt.date,
    occupation: Any,
    level: Any,
    certificate_no: Any,
    issuing_organisation: Any,
    issued_on: Any,
    kind: Any = CertificateKind.SKILL_LEVEL,
    expires_on: Any = None,
    errors: FieldErrors,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The certificate rules of `certificate_add`, usable before the worker exists (imports)."""
    occ = _clean_occupation(occupation, errors)
    if occ is None and "occupation" not in errors.errors:
        errors.add("occupation", "required", _("Choose the occupation."))
    if kind not in CertificateKind.values:
        errors.add("kind", "invalid_choice", _("Unknown certificate kind."))
    if kind == CertificateKind.SKILL_LEVEL and level not in SkillLevel.values:
        errors.add(
            "level",
            "invalid_choice",
            _("Choose a skill level from 5 (junior) to 1 (senior technician)."),
        )
    number = _SPACE_RUNS.sub("", str(certificate_no or ""))
    if not number:
        errors.add("certificate_no", "required", _("Enter the certificate number."))
    elif len(number) > 40:
        errors.add("certificate_no", "too_long", _("At most 40 characters."))
    issuer = str(issuing_organisation or "").strip()
    if not issuer:
        errors.add("issuing_organisation", "required", _("Enter who issued the certificate."))
    issued = clean_date("issued_on", issued_on, errors, today=today)
    if issued is None and "issued_on" not in errors.errors:
        errors.add("issued_on", "required", _("Enter the date of issue."))
    expires = clean_date("expires_on", expires_on, errors, allow_future=True)
    if issued and expires and expires <= issued:
        errors.add("expires_on", "before_issue", _("The expiry must be after the date of issue."))
    if issued and issued < birth_date:
        errors.add(
            "issued_on", "before_birth", _("The certificate cannot predate the worker's birth.")
        )
    return {
        "occupation": occ,
        "certificate_no": number,
        "issuer": issuer,
        "issued_on": issued,
        "expires_on": expires,
    }


# --- Duplicate merge: re-point every row of the merged worker to the kept one, reversibly -----


class WorkerMergeNotAllowed(Conflict):
    code = "worker_merge_not_allowed"
    default_message = gettext_lazy("These workers cannot be merged.")


class WorkerMergeClash(Conflict):
    code = "worker_merge_clash"
    default_message = gettext_lazy(
        "Both workers hold a record that may exist only once per worker; resolve it first."
    )


MERGE_AUDIT_FIELDS = ["merged_into", "merged_at"]


def _worker_relations() -> list[tuple[type[Any], str]]:
    """(model, FK field name) of every table that references a worker, found through the model
    meta so later modules are covered without this tier importing them. Hidden reverse relations
    (related_name="+") count too; the merge bookkeeping itself does not."""
    out: list[tuple[type[Any], str]] = []
    for rel in Worker._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        model: Any = rel.related_model
        if model in (Worker, WorkerMerge):
            continue
        out.append((model, rel.field.name))  # type: ignore[union-attr]
    return out


def _relation_key(model: type[Any], field: str, relations: list[tuple[type[Any], str]]) -> str:
    """`app.Model`, or `app.Model.field` for a model that references workers more than once."""
    label = model._meta.label
    return label if sum(1 for m, _f in relations if m is model) == 1 else f"{label}.{field}"


def _unique_sets(model: type[Any], field: str) -> list[tuple[list[str], Any]]:
    """The unique field sets of `model` that include `field`, with their condition (or None)."""
    sets: list[tuple[list[str], Any]] = []
    if model._meta.get_field(field).unique:
        sets.append(([field], None))
    for together in model._meta.unique_together:
        if field in together:
            sets.append((list(together), None))
    for constraint in model._meta.constraints:
        fields = list(getattr(constraint, "fields", ()) or ())
        if isinstance(constraint, models.UniqueConstraint) and field in fields:
            sets.append((fields, constraint.condition))
    return sets


def _merge_clashes(
    keep: Worker, merge: Worker, relations: list[tuple[type[Any], str]]
) -> list[dict[str, Any]]:
    """Rows that could not be re-pointed without breaking a unique constraint."""
    clashes: list[dict[str, Any]] = []
    for model, field in relations:
        for fields, condition in _unique_sets(model, field):
            others = [f for f in fields if f != field]
            qs = model._default_manager.all()
            if condition is not None:
                qs = qs.filter(condition)
            attnames = [model._meta.get_field(f).attname for f in others]
            kept_values = {
                tuple(row[:-1]): row[-1]
                for row in qs.filter(**{field: keep}).values_list(*attnames, "pk")
            }
            for row in qs.filter(**{field: merge}).values_list(*attnames, "pk"):
                if tuple(row[:-1]) in kept_values:
                    clashes.append(
                        {
                            "model": model._meta.label,
                            "kept_pk": kept_values[tuple(row[:-1])],
                            "merged_pk": row[-1],
                            "fields": dict(zip(others, row[:-1], strict=True)),
                        }
                    )
    return clashes


def _merge_reason(reason: str) -> str:
    reason = (reason or "").strip()
    errors = FieldErrors()
    if not reason:
        errors.add("reason", "required", _("Say why (the reason is kept in the audit log)."))
    elif len(reason) > 200:
        errors.add("reason", "too_long", _("At most 200 characters."))
    errors.raise_if_any()
    return reason


def _audit_merge(
    *, actor: Actor, action: str, record: WorkerMerge, merged: Worker, before: Any, summary: str
) -> None:
    after = snapshot(merged, MERGE_AUDIT_FIELDS)
    payload_after = {**after, "kept": record.kept_id, "moved": record.moved}
    for worker in (record.kept, merged):
        audit_record(
            actor=actor.user,
            action=action,
            entity=record,
            worker_id=worker.pk,
            before=before,
            after=payload_after,
            region_code=worker.current_region_id,
            summary=summary,
            purpose=record.reason if action == "worker.merge" else "",
        )


@transaction.atomic
def worker_merge(*, actor: Actor, keep: Worker, merge: Worker, reason: str) -> WorkerMerge:
    """Merge `merge` into `keep`: every row that references `merge` (visits, certificates,
    consents, claimants, later modules' rows) is re-pointed to `keep`, and `merge` disappears from
    lists and lookups. Nothing else is copied. Refused (409, nothing changed) when a row would
    break a unique constraint, e.g. both workers are claimants on one case."""
    worker_require_can_merge(actor, keep, merge)
    reason = _merge_reason(reason)
    if keep.pk == merge.pk:
        raise WorkerMergeNotAllowed(_("A worker cannot be merged with themselves."))
    # Lock both rows in a fixed order, then re-check: a concurrent merge may have won.
    locked = {
        w.pk: w
        for w in Worker.objects.select_for_update()
        .filter(pk__in=[keep.pk, merge.pk])
        .order_by("pk")
    }
    keep, merge = locked[keep.pk], locked[merge.pk]
    if keep.merged_into_id is not None or merge.merged_into_id is not None:
        raise WorkerMergeNotAllowed(_("One of these workers has already been merged."))
    relations = _worker_relations()
    clashes = _merge_clashes(keep, merge, relations)
    if clashes:
        listed = _list_sep().join(
            f"{c['model']} {c['merged_pk']}/{c['kept_pk']}" for c in clashes[:20]
        )
        raise WorkerMergeClash(
            _("Both workers hold records that may exist only once per worker: %(rows)s.")
            % {"rows": listed},
            extra={"clashes": clashes},
        )
    moved: dict[str, list[int]] = {}
    for model, field in relations:
        pks = list(
            model._default_manager.filter(**{field: merge})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if pks:
            model._default_manager.filter(pk__in=pks).update(**{field: keep})
            moved[_relation_key(model, field, relations)] = pks
    before = snapshot(merge, MERGE_AUDIT_FIELDS)
    merge.merged_into, merge.merged_at = keep, timezone.now()
    merge.save(update_fields=["merged_into", "merged_at", "updated_at"])
    record = WorkerMerge.objects.create(
        kept=keep, merged=merge, actor=actor.user, reason=reason, moved=moved
    )
    _audit_merge(
        actor=actor,
        action="worker.merge",
        record=record,
        merged=merge,
        before=before,
        summary=_("Merged %(merged)s (worker %(mid)s) into %(kept)s (worker %(kid)s)")
        % {"merged": merge.name, "mid": merge.pk, "kept": keep.name, "kid": keep.pk},
    )
    return record


@transaction.atomic
def worker_merge_undo(*, actor: Actor, merge_id: int, reason: str) -> WorkerMerge:
    """Undo a merge: exactly the recorded rows go back to the merged worker, who reappears."""
    try:
        record = (
            WorkerMerge.objects.select_for_update()
            .select_related("kept", "merged")
            .get(pk=merge_id)
        )
    except (WorkerMerge.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    worker_merge_require_can_undo(actor, record)
    reason = _merge_reason(reason)
    if record.undone_at is not None:
        raise WorkerMergeNotAllowed(_("This merge has already been undone."))
    merged = Worker.objects.select_for_update().get(pk=record.merged_id)
    if merged.merged_into_id != record.kept_id:
        raise WorkerMergeNotAllowed(_("This merge is no longer current."))
    relations = _worker_relations()
    by_key = {_relation_key(m, f, relations): (m, f) for m, f in relations}
    for key, pks in record.moved.items():
        if key not in by_key:
            continue  # a module that has since been removed; nothing of it left to move
        model, field = by_key[key]
        model._default_manager.filter(pk__in=pks, **{field: record.kept_id}).update(
            **{field: merged}
        )
    before = snapshot(merged, MERGE_AUDIT_FIELDS)
    merged.merged_into, merged.merged_at = None, None
    merged.save(update_fields=["merged_into", "merged_at", "updated_at"])
    record.undone_at, record.undone_by = timezone.now(), actor.user
    record.save(update_fields=["undone_at", "undone_by"])
    for worker in (record.kept, merged):
        audit_record(
            actor=actor.user,
            action="worker.merge_undo",
            entity=record,
            worker_id=worker.pk,
            before={**before, "kept": record.kept_id},
            after={**snapshot(merged, MERGE_AUDIT_FIELDS), "moved": record.moved},
            region_code=worker.current_region_id,
            summary=_("Undid the merge of %(merged)s (worker %(mid)s) into worker %(kid)s")
            % {"merged": merged.name, "mid": merged.pk, "kid": record.kept_id},
            purpose=reason,
        )
    return record
