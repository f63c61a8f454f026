"""Recognition vocabularies and the nomination lifecycle (docs/domains/recognition.md draws
TRANSITIONS)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")


class AwardType(models.TextChoices):
    """The honours a round can confer. National titles are conferred by the State Council / the
    ACFTU; provincial and city honours by the local government or federation."""

    NATIONAL_MODEL_WORKER = "national_model_worker", _("National model worker (全国劳动模范)")
    NATIONAL_MAY_DAY_MEDAL = (
        "national_may_day_medal",
        _("National May Day Labour Medal (全国五一劳动奖章)"),
    )
    PROVINCIAL_MODEL_WORKER = "provincial_model_worker", _("Provincial model worker")
    PROVINCIAL_MAY_DAY_MEDAL = "provincial_may_day_medal", _("Provincial May Day Labour Medal")
    CITY_HONOUR = "city_honour", _("City honour (model worker or labour medal)")
    OUTSTANDING_MIGRANT_WORKER = "outstanding_migrant_worker", _("Outstanding migrant worker")


AWARD_LEVEL: dict[str, str] = {
    AwardType.NATIONAL_MODEL_WORKER: AwardLevel.NATIONAL,
    AwardType.NATIONAL_MAY_DAY_MEDAL: AwardLevel.NATIONAL,
    AwardType.PROVINCIAL_MODEL_WORKER: AwardLevel.PROVINCIAL,
    AwardType.PROVINCIAL_MAY_DAY_MEDAL: AwardLevel.PROVINCIAL,
    AwardType.CITY_HONOUR: AwardLevel.CITY,
    # Conferred at every level; the organiser's region says which.
    AwardType.OUTSTANDING_MIGRANT_WORKER: "",
}


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for more information")
    UNDER_REVIEW = "under_review", _("Passed preliminary review")
    RECOMMENDED = "recommended", _("Recommended by the review committee")
    IN_NOTICE = "in_notice", _("In public notice (公示)")
    AWARDED = "awarded", _("Awarded")
    REJECTED = "rejected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REVOKED = "revoked", _("Award revoked")


class Party(models.TextChoices):
    """Who may make a move: staff of the nominating organisation, or of the round's organiser."""

    NOMINATOR = "nominator", _("Nominating organisation")
    ORGANISER = "organiser", _("Organiser")


class ReviewStep(models.TextChoices):
    """The step a decision belongs to, named by the status the nomination left."""

    PRELIMINARY = "preliminary", _("Preliminary review")
    COMMITTEE = "committee", _("Review committee")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    AFTER_AWARD = "after_award", _("After the award")


class NominationEventKind(models.TextChoices):
    CREATED = "created", _("Nominated")
    EDITED = "edited", _("Edited")
    TRANSITION = "transition", _("Status change")
    EVIDENCE = "evidence", _("Evidence")
    OBJECTION = "objection", _("Objection")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class EvidenceKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation form (推荐审批表)")
    ACHIEVEMENT = "achievement", _("Record of achievements (事迹材料)")
    CERTIFICATE = "certificate", _("Certificate or earlier honour")
    OPINION = "opinion", _("Opinion of the employer or a department")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


# --- Lifecycle ------------------------------------------------------------------------------
# {from: {to: parties allowed}}; nomination_transition is the only writer of status. The
# diagram in docs/domains/recognition.md is generated from this table and a test keeps them equal.
N = NominationStatus
ORG = frozenset({Party.ORGANISER})
NOM = frozenset({Party.NOMINATOR})
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    N.SUBMITTED: {N.UNDER_REVIEW: ORG, N.RETURNED: ORG, N.REJECTED: ORG, N.WITHDRAWN: NOM},
    N.RETURNED: {N.SUBMITTED: NOM, N.WITHDRAWN: NOM},
    N.UNDER_REVIEW: {N.RECOMMENDED: ORG, N.RETURNED: ORG, N.REJECTED: ORG, N.WITHDRAWN: NOM},
    N.RECOMMENDED: {N.IN_NOTICE: ORG, N.REJECTED: ORG, N.WITHDRAWN: NOM},
    # After the notice period: awarded, or not selected when an objection was upheld.
    N.IN_NOTICE: {N.AWARDED: ORG, N.REJECTED: ORG},
    N.AWARDED: {N.REVOKED: ORG},
    N.REJECTED: {},
    N.WITHDRAWN: {},
    N.REVOKED: {},
}
TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
# Nominations that use up the nominating organisation's quota in a round.
COUNTS_AGAINST_QUOTA = frozenset(
    {N.SUBMITTED, N.UNDER_REVIEW, N.RECOMMENDED, N.IN_NOTICE, N.AWARDED}
)
# The nominator may edit the justification while the organiser has not started reviewing.
EDITABLE = frozenset({N.SUBMITTED, N.RETURNED})
# The review step a decision belongs to, by the status it was taken from.
STEP_OF: dict[str, str] = {
    N.SUBMITTED: ReviewStep.PRELIMINARY,
    N.UNDER_REVIEW: ReviewStep.COMMITTEE,
    N.RECOMMENDED: ReviewStep.COMMITTEE,
    N.IN_NOTICE: ReviewStep.PUBLIC_NOTICE,
    N.AWARDED: ReviewStep.AFTER_AWARD,
}
