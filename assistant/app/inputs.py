"""Reading what users and API clients send: years, filters, history, questions.

Every problem is a ValueError whose message is meant for people; nothing here lets a raw
Python error through (`1e309` → inf, 5000-digit numbers past Python's int/str limit,
100,000-deep JSON past the recursion limit, a question sent as a number)."""

from __future__ import annotations

import json
import math

from assistant.app.i18n import t
from assistant.history import parse_history_json

FILTER_KEYS = ("level", "region", "year_from", "year_to", "language")
YEAR_MIN, YEAR_MAX = 1000, 9999


def _shown(value) -> str:
    """A short, safe rendering of a bad value (str() of a 5000-digit int raises)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if abs(value) < 10**12 else "a number with more than 12 digits"
    if isinstance(value, str):
        return repr(value[:12] + ("…" if len(value) > 12 else ""))
    if isinstance(value, float):
        return repr(value)
    return type(value).__name__


def parse_year(value, name: str, lang: str = "en", label: str | None = None) -> int | None:
    """A year from a widget or JSON value; None for empty (an empty gr.Number sends 0). The
    message names `label`, else the field `name` (English, as in the API) or its Chinese label."""
    if value is None or value == "" or (not isinstance(value, bool) and value == 0):
        return None
    year = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        year = int(value)
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 4:
        year = int(value.strip())
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        label = label or (name if lang == "en" else t(lang, name))
        raise ValueError(t(lang, "bad_year").format(name=label, value=_shown(value),
                                                    low=YEAR_MIN, high=YEAR_MAX))
    return year


def build_filters(level, region, year_from, year_to, language, lang: str = "en") -> dict:
    """The QA filters dict from the filter widgets' values ('' / None = no constraint)."""
    return {
        "level": level or None,
        "region": region or None,
        "year_from": parse_year(year_from, "year_from", lang),
        "year_to": parse_year(year_to, "year_to", lang),
        "language": language or None,
    }


def _load_json(text, what: str, empty: str):
    if text is not None and not isinstance(text, str):
        raise ValueError(f"{what} must be a JSON string, not {type(text).__name__}")
    try:
        return json.loads(text or empty)
    except RecursionError:
        raise ValueError(f"{what} is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{what} is not valid JSON: {exc}") from None
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        raise ValueError(f"{what} holds a number with too many digits") from None


def parse_filters_json(text) -> dict:
    raw = _load_json(text, "filters", "{}")
    if not isinstance(raw, dict):
        raise ValueError("filters must be a JSON object")
    unknown = set(raw) - set(FILTER_KEYS)
    if unknown:
        raise ValueError(f"unknown filter keys: {sorted(unknown)}")
    for key in ("level", "region", "language"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise ValueError(f"filters: {key} must be text")
    return build_filters(*(raw.get(key) for key in FILTER_KEYS))


def parse_history(text) -> list[tuple[str, str]]:
    if text is not None and not isinstance(text, str):
        raise ValueError(f"history must be a JSON string, not {type(text).__name__}")
    return parse_history_json(text or "[]")


def check_question(question) -> str:
    """The question as text ('' for none); a number or any other JSON value is refused."""
    if question is None:
        return ""
    if not isinstance(question, str):
        raise ValueError(f"question must be text (a JSON string), not {type(question).__name__}")
    return question
