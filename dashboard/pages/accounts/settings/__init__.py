"""Settings (owners only): people, API keys, wall screens, sign-in, integrations."""

import reflex as rx

from dashboard.components.shell import page_frame
from dashboard.pages.accounts.settings.api_keys import api_keys_tab
from dashboard.pages.accounts.settings.integrations import integrations_tab
from dashboard.pages.accounts.settings.people import people_tab
from dashboard.pages.accounts.settings.sign_in import sign_in_tab
from dashboard.pages.accounts.settings.walls import walls_tab


def settings_page() -> rx.Component:
    return page_frame(
        "Settings",
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger("People", value="people", id="tab-people"),
                rx.tabs.trigger("API keys", value="api-keys", id="tab-api-keys"),
                rx.tabs.trigger("Wall screens", value="walls", id="tab-walls"),
                rx.tabs.trigger("Sign-in", value="sign-in", id="tab-sign-in"),
                rx.tabs.trigger("Integrations", value="integrations", id="tab-integrations"),
            ),
            rx.tabs.content(people_tab(), value="people", padding_top="16px"),
            rx.tabs.content(api_keys_tab(), value="api-keys", padding_top="16px"),
            rx.tabs.content(walls_tab(), value="walls", padding_top="16px"),
            rx.tabs.content(sign_in_tab(), value="sign-in", padding_top="16px"),
            rx.tabs.content(integrations_tab(), value="integrations", padding_top="16px"),
            default_value="people",
        ),
    )
