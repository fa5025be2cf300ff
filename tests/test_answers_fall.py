"""A fall asked is the change; the level a figure fell to is the level (question reading and facts
agree: `fell to` / `降至` reach a level, `by how much did … fall` / `shrink` / `减少了多少` ask a change).
On the real index: the 2020 report's `the rural poor population was reduced by 11.09 million, and the
poverty headcount ratio fell to 0.6 percent` (and the Chinese original)."""

from __future__ import annotations

import pytest

from assistant.understand.reading import understand


@pytest.mark.parametrize("question, wanted, not_wanted", [
    ("By how much did the number of rural poor fall in 2019?", "11.09 million", "0.6 percent"),
    ("How much did the rural poor population shrink in 2019?", "11.09 million", "0.6 percent"),
    ("What did the poverty headcount ratio drop to in 2019?", "0.6 percent", "11.09 million"),
    ("2019年农村贫困人口减少了多少？", "1109万", "0.6%"),
])
def test_a_fall_asked_is_the_change_and_fell_to_the_level(qa, question, wanted, not_wanted):
    first_line = qa.ask(question).answer.splitlines()[0]
    assert wanted in first_line and not_wanted not in first_line


@pytest.mark.parametrize("question, measure", [
    ("What was the deficit-to-GDP ratio reduced to in 2019?", ""),
    ("By how much was the deficit-to-GDP ratio reduced in 2019?", "change"),
    ("2019年贫困发生率下降到多少？", ""),
    ("2019年贫困发生率下降了多少？", "change"),
])
def test_the_question_reader_tells_a_fall_from_the_level_fallen_to(question, measure):
    assert understand(question).measure == measure
