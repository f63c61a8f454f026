"""Forms of the recognition pages: they parse and render; every rule lives in the services.

Fields are optional here on purpose: the services validate all fields at once and their
messages are attached to the inputs they concern. Forms that change a record carry its version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.core.forms import ANY, ServiceErrorsMixin, region_input
from gongyou.regions.selectors import region_is_known, region_label

from .enums import AwardType, EvidenceKind, NominationStatus, ObjectionStatus

LOOKUP_LABELS: Mapping[str, Callable[[str], str]] = {
    "region": lambda code: region_label(code) if region_is_known(code) else "",
}
DATE = forms.DateInput(attrs={"type": "date"})
CHOOSE = [("", _("Choose…"))]


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class RoundFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    award_type = forms.ChoiceField(
        label=_("Award"), required=False, choices=ANY + AwardType.choices
    )
    open = forms.BooleanField(label=_("Open rounds only"), required=False)


class RoundForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("award_type", "year", "title", "nominations_close_on")

    award_type = forms.ChoiceField(
        label=_("Award"), required=False, choices=CHOOSE + AwardType.choices
    )
    year = forms.CharField(
        label=_("Year"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    title = forms.CharField(label=_("Title"), required=False)
    nominations_close_on = forms.CharField(
        label=_("Nominations close on"), required=False, widget=DATE
    )
    notice_starts_on = forms.CharField(
        label=_("Public notice starts on"),
        required=False,
        widget=DATE,
        help_text=_("Can be set later, once the review committee has met."),
    )
    notice_ends_on = forms.CharField(label=_("Public notice ends on"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=_textarea(3))


class RoundEditForm(RoundForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["award_type"]
        del self.fields["year"]


class QuotaForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("organisation_id", "quota")

    organisation_id = forms.ChoiceField(label=_("Organisation"), required=False, choices=())
    quota = forms.CharField(
        label=_("Quota"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("0 removes the organisation's quota."),
    )

    def __init__(
        self, *args: Any, organisations: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation_id"].choices = CHOOSE + list(organisations or [])  # type: ignore[attr-defined]


class NominationForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("nominee_unit", "justification")

    worker_id = forms.CharField(widget=forms.HiddenInput, required=False)
    national_id = forms.CharField(
        label=_("ID number (optional)"),
        required=False,
        help_text=_("If the person is in the registry, the nomination is linked to their record."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "code"}),
    )
    nominee_name = forms.CharField(label=_("Name"), required=False)
    region = forms.CharField(
        label=_("Region where the nominee works"), required=False, widget=region_input("region")
    )
    nominee_unit = forms.CharField(label=_("Work unit"), required=False)
    nominee_position = forms.CharField(label=_("Position or trade"), required=False)
    justification = forms.CharField(
        label=_("Justification (main achievements)"), required=False, widget=_textarea(8)
    )


class NominationEditForm(ServiceErrorsMixin, forms.Form):
    prefix = "ed"
    required_fields = ("nominee_unit", "justification")

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    nominee_unit = forms.CharField(label=_("Work unit"), required=False)
    nominee_position = forms.CharField(label=_("Position or trade"), required=False)
    justification = forms.CharField(label=_("Justification"), required=False, widget=_textarea(8))


class NominationTransitionForm(ServiceErrorsMixin, forms.Form):
    prefix = "tr"
    required_fields = ("to_status", "reason")

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    to_status = forms.ChoiceField(label=_("Decision"), required=False, choices=())
    reason = forms.CharField(label=_("Opinion or reason"), required=False, widget=_textarea(3))

    def __init__(self, *args: Any, targets: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = CHOOSE + [  # type: ignore[attr-defined]
            (t, NominationStatus(t).label) for t in targets
        ]


class NominationFilterForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + NominationStatus.choices
    )
    migrant = forms.ChoiceField(
        label=_("Migrant worker"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Yes (in the registry)")), ("no", _("No"))],
    )


class EvidenceForm(ServiceErrorsMixin, forms.Form):
    prefix = "ev"
    required_fields = ("file", "kind")

    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=CHOOSE + EvidenceKind.choices)
    file = forms.FileField(label=_("File"), required=False)
    description = forms.CharField(label=_("Description"), required=False)


class ObjectionForm(ServiceErrorsMixin, forms.Form):
    prefix = "ob"
    required_fields = ("content",)

    received_on = forms.CharField(label=_("Received on"), required=False, widget=DATE)
    objector = forms.CharField(
        label=_("Objector"), required=False, help_text=_("Leave empty for an anonymous objection.")
    )
    content = forms.CharField(label=_("Objection"), required=False, widget=_textarea(3))


class ObjectionHandleForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("decision", "note")

    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[
            *CHOOSE,
            (ObjectionStatus.UPHELD, _("Uphold")),
            (ObjectionStatus.DISMISSED, _("Dismiss")),
        ],
    )
    note = forms.CharField(label=_("Findings and handling"), required=False, widget=_textarea(3))
