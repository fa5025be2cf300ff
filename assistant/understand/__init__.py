"""The one place that reads a question. Everything else reads what it found.

- `constraints.py`: years, places, level, target-or-result, language (`Constraints`);
- `asks.py`: what kind of answer is asked for (a number in a unit, a list, a person, the
  report's delivery);
- `followup.py`: a follow-up rewritten into a standalone question, without an LLM;
- `reading.py`: the typed `Query` (intent, indicator, measure, kind, period, regions …) that
  the answer routes use.
"""

from .constraints import (
    Constraints,
    LocalPlace,
    canonical_terms,
    canonical_terms_en,
    local_places,
    parse_question,
    resolve_relative,
    search_text,
)
from .followup import is_followup, rewrite
from .reading import INTENTS, Query, understand

__all__ = ["INTENTS", "Constraints", "LocalPlace", "Query", "canonical_terms", "canonical_terms_en",
           "is_followup", "local_places", "parse_question", "resolve_relative", "rewrite", "search_text",
           "understand"]
