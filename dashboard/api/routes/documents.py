"""Documents over HTTP: PDFs and print pages for one order, and finished batch PDFs.

Two ways in: the web app's session cookie (links and buttons in the browser; the same
authorisation as every UI handler, services.access) or an API key with `orders:read`.
Invoices and receipts show prices, which pickers do not see; packing slips and pick lists
are for every signed-in role.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from dashboard import site
from dashboard.api.auth import Credentials, authenticate, client_address
from dashboard.api.errors import Forbidden, Unauthorized
from dashboard.api.routes.common import NumberPath, errors
from dashboard.domain.accounts import EVERY_USER, Refusal
from dashboard.services.accounts import access
from dashboard.services.db import read_session
from dashboard.services.documents import batches, html, labels, render
from dashboard.services.documents.formats import FORMATS, DocumentKind

router = APIRouter(tags=["documents"])

FormatQuery = Annotated[str | None, Query(
    description=f"Paper: {', '.join(FORMATS)} (default DOCUMENT_PAGE_SIZE, else a4)",
    pattern="^(" + "|".join(FORMATS) + ")$")]
PDF_HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def _allow(request: Request, credentials, kind: DocumentKind | None) -> None:
    """Bearer key with orders:read, else the session cookie of a role that may see it
    (`kind` None: a courier label, which shows no prices: every signed-in role)."""
    if credentials is not None:
        client = authenticate(credentials)
        if "orders:read" not in client.scopes:
            raise Forbidden("This API key lacks the scope orders:read.", scope="orders:read")
        return
    token = site.cookie_value(request.headers.get("cookie"))
    if not token:
        raise Unauthorized("Sign in, or send an API key: Authorization: Bearer <key>.")
    principal, decision = access.authorize(session_token=token, kiosk_token=None, roles=EVERY_USER)
    if not decision.allowed or (kind is not None and not kind.allowed(principal.role)):
        access.record_refusal(principal=principal, decision=decision,
                              action=f"document.{kind or 'label'}",
                              target=request.url.path, client=client_address(request))
        if decision.refusal == Refusal.SIGNED_OUT:
            raise Unauthorized("Your session has ended: sign in again.")
        raise Forbidden("Your role does not see this document.")


def _disposition(name: str, download: bool) -> str:
    return f'{"attachment" if download else "inline"}; filename="{name}"'


@router.get(
    "/orders/{number}/documents/{kind}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The PDF"},
               **errors(404)},
    summary="An order's invoice, receipt, packing slip or pick list as PDF",
)
def order_document_pdf(request: Request, number: NumberPath, kind: DocumentKind,
                       credentials: Credentials, format: FormatQuery = None,
                       download: bool = False) -> Response:
    _allow(request, credentials, kind)
    with read_session() as session:
        data = render.order_pdf(session, kind=kind.value, number=number, page=format)
    name = render.filename(kind.value, [number])
    return Response(data, media_type="application/pdf",
                    headers={**PDF_HEADERS, "Content-Disposition": _disposition(name, download)})


@router.get(
    "/orders/{number}/documents/{kind}.html",
    response_class=HTMLResponse,
    responses=errors(404),
    summary="The same document as a print-friendly page (the browser prints it)",
)
def order_document_html(request: Request, number: NumberPath, kind: DocumentKind,
                        credentials: Credentials, format: FormatQuery = None) -> HTMLResponse:
    _allow(request, credentials, kind)
    with read_session() as session:
        page = html.document_html(session, kind=kind.value, numbers=[number], page=format)
    return HTMLResponse(page, headers={"Cache-Control": "private, no-store"})


@router.get(
    "/documents/batches/{token}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The batch PDF"},
               **errors(404)},
    summary="A finished batch PDF (started from the orders page)",
    include_in_schema=False,
)
async def batch_document_pdf(request: Request, token: Annotated[str, Path(max_length=64)],
                             credentials: Credentials) -> Response:
    def load():
        with read_session() as session:
            return batches.batch_file(session, token)

    # signed in at all before anything is looked up; then the batch's own document rule
    await run_in_threadpool(_allow, request, credentials, DocumentKind.PACKING_SLIP)
    kind, data, name = await run_in_threadpool(load)
    await run_in_threadpool(_allow, request, credentials, DocumentKind(kind))
    return Response(data, media_type="application/pdf",
                    headers={**PDF_HEADERS, "Content-Disposition": _disposition(name, True)})


OrdersQuery = Annotated[str, Query(
    description="Order numbers separated by commas (1 to 500)", max_length=4000,
    pattern=r"^\d{1,12}(,\d{1,12})*$")]


def _label_response(numbers: list[int], download: bool) -> Response:
    with read_session() as session:
        data = labels.label_pdf(session, numbers=numbers)
    name = f"label-{numbers[0]}.pdf" if len(numbers) == 1 else f"labels-{len(numbers)}-orders.pdf"
    return Response(data, media_type="application/pdf",
                    headers={**PDF_HEADERS, "Content-Disposition": _disposition(name, download)})


@router.get(
    "/orders/{number}/label.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The label"},
               **errors(404, 409)},
    summary="An order's courier label (4 x 6 in); 409 address_needs_review while the "
            "shipping address is unchecked or invalid",
)
def order_label_pdf(request: Request, number: NumberPath, credentials: Credentials,
                    download: bool = False) -> Response:
    _allow(request, credentials, None)
    return _label_response([number], download)


@router.get(
    "/labels.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The labels"},
               **errors(404, 409)},
    summary="Courier labels for several orders in one PDF, a page each, in the order given",
)
def labels_pdf(request: Request, orders: OrdersQuery, credentials: Credentials,
               download: bool = False) -> Response:
    _allow(request, credentials, None)
    return _label_response([int(n) for n in orders.split(",")], download)
