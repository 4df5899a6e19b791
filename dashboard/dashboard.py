"""The Reflex app: pages, plus the FastAPI app (dashboard.api.app) mounted on the same port.

Reflex mounts its own backend under the FastAPI app at "" (see App.__call__), so FastAPI
routes are matched first and must stay under /api/v1. FastAPI's own lifespan is NOT run:
register start-up/shut-down work with app.register_lifespan_task instead.
"""

import reflex as rx

from dashboard.api.app import api
from dashboard.pages.login import login_page
from dashboard.pages.orders import orders_page
from dashboard.pages.payments import payments_page
from dashboard.services.mailer import outbox_worker
from dashboard.services.overdue import run_scheduler
from dashboard.state.auth import HOME_ROUTE, LoginState
from dashboard.state.orders import OrdersState
from dashboard.state.payments import PaymentsState

app = rx.App(api_transformer=api)
app.add_page(lambda: rx.fragment(), route="/", on_load=rx.redirect(HOME_ROUTE), title="Fulfil")
app.add_page(login_page, route="/login", on_load=LoginState.load, title="Sign in · Fulfil")
app.add_page(orders_page, route="/orders", on_load=OrdersState.load, title="Orders · Fulfil")
app.add_page(payments_page, route="/payments", on_load=PaymentsState.load,
             title="Payments · Fulfil")
# Cancels overdue unpaid orders when AUTO_CANCEL_DAYS_<METHOD> is set (safe in every worker).
app.register_lifespan_task(run_scheduler)
# Sends queued emails (holds them without RESEND_API_KEY); claims keep workers apart.
app.register_lifespan_task(outbox_worker)
