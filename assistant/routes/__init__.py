"""Answer routes: each takes the QA façade and a `Query` and returns an `Answer` or None
(None: the route cannot answer; the passage route then tries). `QA` only chooses."""

from .regions import regions_answer
from .value import value_answer, verdict_answer
from .yoy import yoy_answer

ROUTES = {"value": value_answer, "verdict": verdict_answer, "regions": regions_answer, "yoy": yoy_answer}


def answer_from_facts(qa, query):
    route = ROUTES.get(query.intent)
    return route(qa, query) if route else None


__all__ = ["ROUTES", "answer_from_facts"]
