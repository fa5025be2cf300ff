"""The Gradio web app of govqa: chat with cited sources, staff views, report upload, API."""

from assistant.app.chat import AppContext

__all__ = ["AppContext", "make_context"]


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
    return AppContext(qa=qa, settings=settings, staff=staff)
