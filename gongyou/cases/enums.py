"""Case vocabularies and the case lifecycle (docs/domains/cases.md draws TRANSITIONS)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongyou.accounts.enums import Role


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MEDIATION = "mediation", _("In mediation")
    REFERRED_LABOUR_INSPECTION = "referred_labour_inspection", _("Referred to labour inspection")
    REFERRED_ARBITRATION = "referred_arbitration", _("Referred to arbitration")
    REFERRED_LEGAL_AID = "referred_legal_aid", _("Referred to legal aid")
    REFERRED_COURT = "referred_court", _("Referred to a court")
    # Suspected crime of refusing to pay labour remuneration (拒不支付劳动报酬罪).
    REFERRED_POLICE = "referred_police", _("Referred to the police")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class CaseType(models.TextChoices):
    WAGE_ARREARS = "wage_arrears", _("Wage arrears")
    LABOUR_CONTRACT = "labour_contract", _("Labour contract")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    WORK_INJURY = "work_injury", _("Work injury or occupational disease")
    WORKING_HOURS = "working_hours", _("Working hours and rest")
    PLATFORM_WORK = "platform_work", _("Platform work")
    DISCRIMINATION = "discrimination", _("Discrimination")
    OTHER = "other", _("Other")


class PlatformIssue(models.TextChoices):
    """Platform-work issues named by the 2021 guideline (人社部发〔2021〕56号)."""

    ORDER_ALLOCATION = "order_allocation", _("Order allocation")
    PAY_AND_COMMISSION = "pay_and_commission", _("Pay and commission")
    ALGORITHMIC_PENALTY = "algorithmic_penalty", _("Algorithmic penalty")
    ACCOUNT_DEACTIVATION = "account_deactivation", _("Account deactivation")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    FRONT_DESK = "front_desk", _("Station front desk")
    HOTLINE = "hotline", _("Hotline")
    API = "api", _("Partner system (API)")
    SELF_SERVICE = "self_service", _("Worker self-service")


class RespondentRole(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    GENERAL_CONTRACTOR = "general_contractor", _("General contractor")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")
    CLIENT = "client", _("Client (project owner)")


class ClaimantOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    RECOVERED_FULL = "recovered_full", _("Recovered in full")
    RECOVERED_PART = "recovered_part", _("Recovered in part")
    NOT_RECOVERED = "not_recovered", _("Not recovered")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OTHER = "other", _("Other outcome")


class Resolution(models.TextChoices):
    MEDIATED_AGREEMENT = "mediated_agreement", _("Mediated agreement")
    PAID_BY_EMPLOYER = "paid_by_employer", _("Paid by the employer")
    PAID_BY_GENERAL_CONTRACTOR = "paid_by_general_contractor", _("Paid by the general contractor")
    ADMINISTRATIVE_ORDER = "administrative_order", _("Labour-inspection order")
    ARBITRATION_AWARD = "arbitration_award", _("Arbitration award")
    COURT_JUDGMENT = "court_judgment", _("Court judgment or mediation")
    WORK_INJURY_RECOGNISED = "work_injury_recognised", _("Work injury recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn by the worker")
    OTHER = "other", _("Other")


class CaseEventKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    TRANSITION = "transition", _("Status change")
    ASSIGNMENT = "assignment", _("Assignment")
    TRANSFER = "transfer", _("Transfer")
    REFERRAL = "referral", _("Referral")
    CLAIMANT = "claimant", _("Claimant")
    OUTCOME = "outcome", _("Outcome")
    NOTE = "note", _("Note")
    DEADLINE = "deadline", _("Deadline")
    ATTACHMENT = "attachment", _("Evidence")


class DeadlineKind(models.TextChoices):
    MEDIATION = "mediation", _("Mediation")
    ARBITRATION_LIMITATION = "arbitration_limitation", _("Arbitration limitation period")
    ARBITRATION_ACCEPTANCE = "arbitration_acceptance", _("Arbitration: decision to accept")
    ARBITRATION_AWARD = "arbitration_award", _("Arbitration award")
    INSPECTION_ACCEPTANCE = "inspection_acceptance", _("Labour inspection: acceptance")
    INSPECTION_INVESTIGATION = "inspection_investigation", _("Labour inspection: investigation")
    INJURY_APPLICATION_EMPLOYER = (
        "injury_application_employer",
        _("Work-injury application by the employer"),
    )
    INJURY_APPLICATION_WORKER = (
        "injury_application_worker",
        _("Work-injury application by the worker or union"),
    )
    INJURY_DECISION = "injury_decision", _("Work-injury recognition decision")


class DeadlineUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    STOPPED = "stopped", _("No longer tracked")


class NotificationKind(models.TextChoices):
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    DEADLINE_OVERDUE = "deadline_overdue", _("Deadline overdue")
    ESCALATION = "escalation", _("Overdue case escalated")
    ASSIGNED = "assigned", _("Case assigned to you")
    REFERRED = "referred", _("Case referred to your organisation")


# --- Lifecycle ------------------------------------------------------------------------------
# {from: {to: roles allowed to make that move}}. case_transition is the only writer of status;
# docs/domains/cases.md holds the diagram of this table and a test keeps them equal.
S = CaseStatus
HANDLERS = frozenset({Role.CASE_HANDLER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
ADMINS = frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
# Front-desk staff may accept a case they took in (it then goes to a handler), never reject it.
INTAKE = HANDLERS | {Role.STATION_STAFF}
REFERRED = (
    S.REFERRED_LABOUR_INSPECTION,
    S.REFERRED_ARBITRATION,
    S.REFERRED_LEGAL_AID,
    S.REFERRED_COURT,
    S.REFERRED_POLICE,
)
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    S.RECEIVED: {S.ACCEPTED: INTAKE, S.REJECTED: HANDLERS},
    S.ACCEPTED: {S.MEDIATION: HANDLERS, **{r: HANDLERS for r in REFERRED}, S.RESOLVED: HANDLERS},
    S.MEDIATION: {S.RESOLVED: HANDLERS, **{r: HANDLERS for r in REFERRED}},
    **{r: {S.RESOLVED: HANDLERS, S.MEDIATION: HANDLERS} for r in REFERRED},
    S.RESOLVED: {S.CLOSED: HANDLERS},
    # Reopening a finished or refused case is an administrator's decision.
    S.CLOSED: {S.REOPENED: ADMINS},
    S.REJECTED: {S.REOPENED: ADMINS},
    S.REOPENED: {S.ACCEPTED: HANDLERS},
}
# Statuses in which no deadline runs: every open deadline stops on entering them.
FINISHED = frozenset({S.REJECTED, S.RESOLVED, S.CLOSED})


class AttachmentKind(models.TextChoices):
    """What a piece of evidence is (what case handlers ask workers to bring)."""

    LABOUR_CONTRACT = "labour_contract", _("Labour contract or agreement")
    PAY_RECORD = "pay_record", _("Pay slip, wage ledger or bank statement")
    ATTENDANCE = "attendance", _("Attendance or work record")
    CHAT_RECORD = "chat_record", _("Chat or message record")
    AUDIO = "audio", _("Audio recording")
    PHOTO = "photo", _("Photo")
    MEDICAL = "medical", _("Medical record or diagnosis")
    IOU = "iou", _("IOU or written acknowledgement of wages owed")
    OTHER = "other", _("Other")
