"""The HTTP routes: one module (or package) per capability, mounted by dashboard.api.app."""
