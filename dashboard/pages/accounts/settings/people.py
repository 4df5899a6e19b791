"""Settings → People."""

import reflex as rx

from dashboard.domain.accounts.rules import MAX_PASSWORD, MIN_PASSWORD
from dashboard.pages.accounts.settings.parts import (
    error_callout,
    field,
    header,
    secret_callout,
    status_badge,
)
from dashboard.state.accounts import ROLE_OPTIONS, PeopleState, PersonRow

PASSWORD_HINT = f"{MIN_PASSWORD} to {MAX_PASSWORD} characters, spaces allowed"


def _role_select(row: PersonRow) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(variant="ghost", class_name="role-select"),
        rx.select.content(*[rx.select.item(text, value=v) for v, text in ROLE_OPTIONS]),
        value=row.role,
        on_change=lambda role: PeopleState.change_role(row.email, role),
        disabled=row.is_me,
        size="1",
    )


def _actions(row: PersonRow) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(rx.icon_button(rx.icon("ellipsis", size=14), variant="ghost", size="1",
                                       class_name="person-actions")),
        rx.menu.content(
            rx.menu.item("Send a password link", on_click=PeopleState.issue_reset_link(row.email),
                         disabled=row.status == "Disabled"),
            rx.menu.item("Set a password…", on_click=PeopleState.ask_password(row.email)),
            rx.menu.separator(),
            rx.cond(
                row.status == "Disabled",
                rx.menu.item("Enable", on_click=PeopleState.set_active(row.email, True)),
                rx.menu.item("Disable and sign out", color="red", disabled=row.is_me,
                             on_click=PeopleState.set_active(row.email, False)),
            ),
        ),
    )


def _row(row: PersonRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.name, weight="medium", size="2"),
                      rx.text(row.email, size="1", color_scheme="gray")),
        rx.table.cell(_role_select(row)),
        rx.table.cell(status_badge(row.status)),
        rx.table.cell(rx.text(row.last_sign_in, size="2")),
        rx.table.cell(_actions(row)),
        align="center",
        class_name="person-row",
        data_email=row.email,
    )


def _invite_dialog() -> rx.Component:
    form = rx.form(
        rx.vstack(
            field("Email", rx.input(width="100%", name="email", type="email", required=True, id="invite-email")),
            field("Name", rx.input(width="100%", name="name", id="invite-name")),
            field("Role", rx.select(["owner", "staff", "picker"], name="role", default_value="staff",
                                    id="invite-role")),
            field("Password", rx.input(width="100%", name="password", type="password", id="invite-password",
                                       auto_complete="new-password", max_length=MAX_PASSWORD),
                  hint="Leave empty to get a one-time link they use to choose their own. "
                  + PASSWORD_HINT),
            error_callout(PeopleState.invite_error),
            rx.hstack(
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                          on_click=PeopleState.close_dialogs),
                rx.button("Add person", type="submit", id="invite-submit"),
                justify="end",
                width="100%",
            ),
            spacing="3",
        ),
        on_submit=PeopleState.invite,
        reset_on_submit=False,
    )
    return rx.dialog.root(
        rx.dialog.content(rx.dialog.title("Add a person"), form, max_width="440px"),
        open=PeopleState.invite_open,
        on_open_change=lambda _open: PeopleState.close_dialogs(),
    )


def _password_dialog() -> rx.Component:
    form = rx.form(
        rx.vstack(
            field("New password", rx.input(width="100%", name="password", type="password", required=True,
                                           auto_complete="new-password", max_length=MAX_PASSWORD,
                                           id="set-password"),
                  hint=PASSWORD_HINT),
            field("Again", rx.input(width="100%", name="again", type="password", required=True,
                                    auto_complete="new-password", max_length=MAX_PASSWORD,
                                    id="set-password-again")),
            error_callout(PeopleState.password_error),
            rx.hstack(
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                          on_click=PeopleState.close_dialogs),
                rx.button("Set password", type="submit", id="set-password-submit"),
                justify="end",
                width="100%",
            ),
            spacing="3",
        ),
        on_submit=PeopleState.set_password,
        reset_on_submit=True,
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Set a password"),
            rx.dialog.description(
                "For ", PeopleState.password_for, ". Their open sessions end now.", size="2"),
            form,
            max_width="440px",
        ),
        open=PeopleState.password_for != "",
        on_open_change=lambda _open: PeopleState.close_dialogs(),
    )


def people_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Owners manage everything; staff handle orders and payments; pickers see "
                    "the picking view only.", size="2", color_scheme="gray"),
            rx.spacer(),
            rx.button(rx.icon("user-plus", size=14), "Add person", on_click=PeopleState.open_invite,
                      id="invite-open"),
            width="100%",
            align="center",
        ),
        secret_callout("Password link for " + PeopleState.shown_link_for, PeopleState.shown_link,
                       "Send it to them: it works once, and it is not shown again.",
                       PeopleState.close_dialogs, "shown-link"),
        rx.table.root(
            header("Person", "Role", "Status", "Last sign-in", ""),
            rx.table.body(rx.foreach(PeopleState.people, _row)),
            variant="surface",
            size="1",
            width="100%",
            id="people-table",
        ),
        _invite_dialog(),
        _password_dialog(),
        spacing="3",
        width="100%",
    )
