"""The Gradio web app of govqa: chat with cited sources, staff views, report upload, API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # gradio takes seconds to import: only `govqa serve` should pay for it
    from assistant.app.chat import AppContext

__all__ = ["make_context"]


def make_context(qa, settings, auth: str | None = None) -> AppContext:
    """The app context; staff credentials come from `auth` ("USER:PASS") if given, else from
    settings.staff_user / settings.staff_password (GOVQA_STAFF_USER / GOVQA_STAFF_PASSWORD)."""
    staff: dict[str, str] = {}
    if auth:
        user, sep, password = auth.partition(":")
        if not sep or not user or not password:
            raise ValueError("--auth must look like USER:PASSWORD")
        staff[user] = password
    elif settings.staff_user and settings.staff_password:
        staff[settings.staff_user] = settings.staff_password
    from assistant.app.chat import AppContext

    return AppContext(qa=qa, settings=settings, staff=staff)
