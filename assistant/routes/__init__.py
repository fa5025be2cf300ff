"""Answer routes: each takes the QA façade and a `Query` and returns an `Answer` or None
(None: the route cannot answer; the passage route then tries). `QA` only chooses."""

from .enumeration import list_answer
from .overview import open_answer
from .regions import regions_answer
from .shapes import definition_answer, entry_answer, reason_answer
from .value import value_answer, verdict_answer
from .yoy import yoy_answer

ROUTES = {"value": value_answer, "verdict": verdict_answer, "regions": regions_answer, "yoy": yoy_answer}
# Answers shaped beyond one sentence, from passages: (qa, query, filters, timings) -> Answer | None
SHAPE_ROUTES = {"definition": definition_answer, "reason": reason_answer, "list": list_answer, "open": open_answer}


def answer_from_facts(qa, query):
    route = ROUTES.get(query.intent)
    return route(qa, query) if route else None


__all__ = ["ROUTES", "SHAPE_ROUTES", "answer_from_facts", "entry_answer"]
