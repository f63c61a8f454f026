"""The ApplicationError family: domain errors with a stable machine code and per-field details.

Services raise these; the API maps them to `{"code", "message", "fields"}` with the status
given here, and pages show `message` and the field messages next to their inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _


class FieldError(dict[str, str]):
    """One problem with one input field: {"code", "message"}."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code=code, message=str(message))


class ApplicationError(Exception):
    status = 400
    code = "invalid"
    default_message: Any = _("The request could not be completed.")

    def __init__(
        self,
        message: str | None = None,
        *,
        fields: Mapping[str, FieldError] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = str(message or self.default_message)
        self.fields: dict[str, FieldError] = dict(fields or {})
        self.extra: dict[str, Any] = dict(extra or {})
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "fields": self.fields}
        body.update(self.extra)
        return body


class ValidationFailed(ApplicationError):
    """One or more input fields are invalid; `fields` names every one of them."""

    status = 422
    code = "validation_failed"
    default_message: Any = _("Some fields are invalid.")


class NotFound(ApplicationError):
    """Missing and forbidden look the same (STYLE habit 5)."""

    status = 404
    code = "not_found"
    default_message: Any = _("Not found.")


class PermissionDenied(ApplicationError):
    """The actor may see the object but not do this to it."""

    status = 403
    code = "permission_denied"
    default_message: Any = _("You are not allowed to do this.")


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    default_message: Any = _("The request conflicts with existing data.")


class FieldErrors:
    """Collects field errors so that a request with several bad fields names all of them."""

    def __init__(self) -> None:
        self.errors: dict[str, FieldError] = {}

    def add(self, field: str, code: str, message: str) -> None:
        self.errors.setdefault(field, FieldError(code, message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self, message: str | None = None) -> None:
        if self.errors:
            raise ValidationFailed(message, fields=self.errors)
