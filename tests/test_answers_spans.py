"""An average rise `from A to B` grows from A's level: the reports state it for A+1…B (2008-2012 for
`2007年到2012年`), so the span route looks there when nothing is stated for A…B; the answer says the
span it found. Real index, real reports (2013, 2016_en)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("question, figure, span", [
    ("2007年到2012年国内生产总值年均增长多少？", "9.3%", "2008–2012"),
    ("What was China's average annual GDP growth from 2010 to 2015?", "7.8%", "2011–2015"),
])
def test_an_average_from_a_base_year_is_the_span_after_it(qa, question, figure, span):
    first_line = qa.ask(question).answer.splitlines()[0]
    assert figure in first_line and span in first_line
    assert "《" not in first_line or not question.isascii()  # an English title needs no 《》
