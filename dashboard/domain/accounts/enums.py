"""The roles a person can have."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    PICKER = "picker"
