"""The Reflex app: pages, plus the FastAPI app (dashboard.api.app) mounted on the same port.

Reflex mounts its own backend under the FastAPI app at "" (see App.__call__), so FastAPI
routes are matched first and must stay under /api/. FastAPI's own lifespan is NOT run:
register start-up/shut-down work with app.register_lifespan_task instead.

Every page's on_load is a guarded handler (dashboard.state.guard); IdentityMiddleware
resets a tab's views before hydration when who it belongs to has changed.
"""

import reflex as rx
from reflex.utils.exec import is_prod_mode

from dashboard import site
from dashboard.api.app import api
from dashboard.api.origins import trust_dev_frontend, websocket_origin_check
from dashboard.pages.accounts import (
    audit_page,
    login_page,
    origin_notice,
    reset_password_page,
    settings_page,
    setup_page,
)
from dashboard.pages.board import board_page, wall_invalid_page, wall_page
from dashboard.pages.customers import customer_page, customers_page
from dashboard.pages.messaging import ROUTE as OUTBOX_ROUTE
from dashboard.pages.messaging import outbox_page
from dashboard.pages.orders import order_view_page, orders_page, phone_order_page
from dashboard.pages.overview import overview_page
from dashboard.pages.payments import payments_page
from dashboard.pages.shipping import picking_page
from dashboard.pages.stock import ROUTE as STOCK_ROUTE
from dashboard.pages.stock import stock_page
from dashboard.services.messaging import outbox_worker
from dashboard.services.payments import run_scheduler
from dashboard.services.stock import run_low_stock_emails
from dashboard.state.accounts import (
             ApiKeysState,
             AuditState,
             IdentityMiddleware,
             KiosksState,
             LoginState,
             PeopleState,
             ResetState,
             SetupState,
             SignInPolicyState,
)
from dashboard.state.board import BoardState, WallState, follow_order_events
from dashboard.state.customers import CustomerDetailState, CustomersState
from dashboard.state.integrations import IntegrationsState
from dashboard.state.messaging import OutboxState
from dashboard.state.orders import OrdersState, OrderViewState, PhoneOrderState
from dashboard.state.overview import OverviewState
from dashboard.state.payments import PaymentsState
from dashboard.state.shipping import PickingState
from dashboard.state.stock import StockState

app = rx.App(api_transformer=api, head_components=[origin_notice()])
# The event websocket accepts the app's own origin plus CORS_ALLOWED_ORIGINS, and logs a
# refusal naming the setting (dashboard.api.origins).
if app.sio is not None:
    app.sio.eio.cors_allowed_origins = websocket_origin_check
if not is_prod_mode():  # `reflex run` in dev: the frontend's own port is ours too
    trust_dev_frontend(rx.config.get_config().deploy_url or "")
app.add_middleware(IdentityMiddleware())
# "/" goes through the sign-in page, which sends a signed-in person to their role's home.
app.add_page(lambda: rx.fragment(), route="/", on_load=rx.redirect(site.LOGIN), title="Fulfil")
app.add_page(login_page, route=site.LOGIN, on_load=LoginState.load, title="Sign in · Fulfil")
app.add_page(reset_password_page, route=f"{site.RESET}/[reset_token]", on_load=ResetState.load,
             title="Set your password · Fulfil")
app.add_page(setup_page, route=f"{site.SETUP}/[setup_token]", on_load=SetupState.load,
             title="Set up · Fulfil")
app.add_page(orders_page, route=site.ORDERS, on_load=OrdersState.load, title="Orders · Fulfil")
app.add_page(board_page, route=site.BOARD, on_load=BoardState.load, title="Board · Fulfil")
# The order desk: one order, phone orders, the customer database.
app.add_page(order_view_page, route=f"{site.ORDERS}/[number]", on_load=OrderViewState.load,
             title="Order · Fulfil")
app.add_page(phone_order_page, route="/phone-order", on_load=PhoneOrderState.load,
             title="Phone order · Fulfil")
app.add_page(customers_page, route="/customers", on_load=CustomersState.load,
             title="Customers · Fulfil")
app.add_page(customer_page, route="/customers/[customer_id]", on_load=CustomerDetailState.load,
             title="Customer · Fulfil")
app.add_page(picking_page, route=site.PICKING, on_load=PickingState.load,
             title="Picking · Fulfil")
app.add_page(settings_page, route=site.SETTINGS, title="Settings · Fulfil",
             on_load=[PeopleState.load, ApiKeysState.load, KiosksState.load,
                      SignInPolicyState.load, IntegrationsState.load])
app.add_page(audit_page, route=site.AUDIT, on_load=AuditState.load, title="Audit log · Fulfil")
app.add_page(wall_page, route=f"{site.WALL}/[wall_key]", on_load=WallState.open, title="Wall")
app.add_page(wall_invalid_page, route=site.WALL, title="Wall")
app.add_page(payments_page, route="/payments", on_load=PaymentsState.load,
             title="Payments · Fulfil")
# Cancels overdue unpaid orders when AUTO_CANCEL_DAYS_<METHOD> is set (safe in every worker).
app.register_lifespan_task(run_scheduler)
app.add_page(outbox_page, route=OUTBOX_ROUTE, on_load=OutboxState.load, title="Outbox · Fulfil")
app.add_page(stock_page, route=STOCK_ROUTE, on_load=StockState.load, title="Stock · Fulfil")
app.add_page(overview_page, route=site.OVERVIEW, on_load=OverviewState.load,
             title="Overview · Fulfil")
# Emails the merchant once a day about products that reached their reorder point.
app.register_lifespan_task(run_low_stock_emails)
# Sends queued emails (holds them without RESEND_API_KEY); claims keep workers apart.
app.register_lifespan_task(outbox_worker)
# Follows the order-event feed and pushes changes to this worker's boards and wall screens.
app.register_lifespan_task(follow_order_events)
