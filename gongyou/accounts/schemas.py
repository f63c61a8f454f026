from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class TokenLogin(Schema):
    username: str = ""
    password: str = ""
    otp: str = Field(
        "", description="6-digit authenticator code; required for accounts with two-factor sign-in"
    )


class TokenOut(Schema):
    token: str
    id: int
    name: str
    expires_at: dt.datetime | None = None


class ApiTokenCreate(Schema):
    name: str
    expires_at: dt.datetime | None = None


class ApiTokenRead(Schema):
    id: int
    name: str
    prefix: str
    user: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_user(obj: object) -> str:
        return obj.user.username  # type: ignore[attr-defined]


class OrganisationRead(Schema):
    id: int
    name: str
    kind: str
    department_type: str
    parent_id: int | None
    region_id: str | None
    is_active: bool


class MeRead(Schema):
    id: int
    username: str
    display_name: str
    organisation_id: int | None
    station_id: int | None
    roles: list[str]
    region_scope: str
