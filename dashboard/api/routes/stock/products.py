"""PUT /products/{sku}: create or update a product (the catalogue the shop sells)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from dashboard.api.auth import require, scope_doc
from dashboard.api.routes.common import errors
from dashboard.api.schemas import SKU_PATTERN, ProductIn, ProductOut
from dashboard.domain import money
from dashboard.domain.stock import Product
from dashboard.services import stock
from dashboard.services.accounts import ApiClient
from dashboard.services.db import write_session

router = APIRouter(tags=["products"])

SkuPath = Annotated[str, Path(min_length=1, max_length=64, pattern=SKU_PATTERN)]


def product_out(product: Product) -> ProductOut:
    return ProductOut(
        sku=product.sku, name=product.name,
        price=money.format_amount(product.price_minor, product.currency),
        currency=product.currency, barcode=product.barcode, bin_location=product.bin_location,
        active=product.active, created_at=product.created_at, updated_at=product.updated_at,
    )


@router.put(
    "/products/{sku:path}",
    response_model=ProductOut,
    responses={201: {"model": ProductOut, "description": "Created"}, **errors(409)},
    summary="Create or update a product",
    description="Creates the product (201, with an empty stock row) or replaces its fields "
    "(200). Omitted optional fields are cleared. The price is a decimal string in the "
    "given currency, rounded half-up to its minor unit." + scope_doc("products:write"),
)
def put_product(
    sku: SkuPath,
    body: ProductIn,
    response: Response,
    client: Annotated[ApiClient, require("products:write")],
) -> ProductOut:
    with write_session() as session:
        product, created = stock.upsert_product(
            session, actor=client.actor, sku=sku, name=body.name, price=body.price,
            currency=body.currency, barcode=body.barcode, bin_location=body.bin_location,
            active=body.active,
        )
    response.status_code = 201 if created else 200
    return product_out(product)
