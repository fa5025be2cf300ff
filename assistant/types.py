"""The data types that flow through govqa, one per stage.

Report -> Passage (chunking) -> Fact (facts/, every number with its period) -> Hit (retrieval)
-> Citation / Answer (answering).

Offsets (`start`, `end`) always index into the report's *source text*: the file as
`assistant.corpus.read_report_text` returns it (decoded, BOM removed, line ends as "\n").
For every passage `source[start:end] == text` holds exactly, so a citation can point
at exact characters of the report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

# Which part of a report a passage belongs to.
PART_REVIEW = "review"  # review of last year (工作回顾 / 过去一年)
PART_PLAN = "plan"  # plans and targets for this year (and beyond)
PART_GLOSSARY = "glossary"  # 名词解释 / 附件 after the closing paragraph
PART_OTHER = "other"  # title lines, greetings, closing words, or cannot be told
PARTS = (PART_REVIEW, PART_PLAN, PART_GLOSSARY, PART_OTHER)


@dataclass(frozen=True)
class Report:
    """One report file of the corpus and its metadata."""

    id: str  # path relative to the corpus folder, e.g. "reports/national_china_2024.txt"
    title: str
    level: str  # national | provincial | county | city | unknown
    region: str  # pinyin, e.g. "sichuan"; "china" for national reports
    region_name: str  # e.g. "四川省"
    year: int | None  # the year the report was delivered
    language: str  # zh | en
    issuer: str = ""
    date: str | None = None  # ISO date of delivery, e.g. "2024-03-05"
    meeting: str | None = None  # e.g. "第十四届全国人民代表大会第二次会议"
    speaker: str | None = None  # e.g. "国务院总理 李强"
    chars: int = 0
    sha256: str = ""  # hash of the source text, for incremental indexing

    def to_dict(self) -> dict:
        # the fields are plain values: asdict's deep copy was 0.1 s of a one-report update at 16x
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)  # no __dict__: an index holds 200k of them at 16x
class Passage:
    """A contiguous span of one report: the unit that is indexed, retrieved and cited."""

    report: str  # Report.id
    start: int
    end: int
    text: str  # == source[start:end]
    heading: tuple[str, ...] = ()  # e.g. ("三、2024年政府工作任务", "（八）…", "攻坚污染防治")
    part: str = PART_OTHER
    kind: str = "paragraph"  # paragraph | lead | item | target_item | glossary_entry | title

    @property
    def id(self) -> str:
        return f"{self.report}#{self.start}-{self.end}"

    @property
    def heading_path(self) -> str:
        return " > ".join(self.heading)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["heading"] = list(self.heading)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Passage:
        return cls(**{**d, "heading": tuple(d.get("heading", ()))})


# What a fact says of its period (see assistant/facts/periods.py for the time rules).
KIND_TARGET, KIND_RESULT, KIND_EXPECTATION = "target", "result", "expectation"
# How a number measures its indicator.
MEASURES = ("level", "growth", "avg_growth", "total", "share", "change", "pp_change", "count")


@dataclass(frozen=True, slots=True)  # no __dict__: the ledger holds 600k of them at 16x
class Fact:
    """One quantity a report states, with what it measures and the period it holds for.

    `text == source[start:end]` is the clause (segment) stating it; `sentence_start/end` the
    sentence around it; `value_start/end` the number itself. `period_start..period_end` are
    years (equal for one year); `kind` says whether the period was planned or already lived.
    """

    report: str
    start: int
    end: int
    text: str
    indicator: str  # id from facts/indicators.tsv (gdp, urban_new_jobs …) or the words as written
    indicator_text: str  # the report's words naming it
    value: float
    value_max: float | None  # upper end of a range, else None
    unit: str
    value_text: str  # the number as written, e.g. "1200万人以上"
    qualifier: str  # 左右 / 以上 / 以内 / 不低于 / 力争 … ("" if none)
    kind: str  # target | result | expectation
    period_start: int | None
    period_end: int | None
    period_label: str  # "2026", "十四五", "2021-2025", "到2027年"
    measure: str  # one of MEASURES
    value_start: int
    value_end: int
    sentence_start: int
    sentence_end: int
    heading: str = ""
    part: str = PART_OTHER
    year: int | None = None  # the report's year
    level: str = ""
    region: str = ""
    region_name: str = ""
    language: str = "zh"
    commitment: bool = False  # a target or result the ledger lists (see facts/extract.py)
    headline: bool = False  # in a 主要预期目标 list or a review's headline (——) line

    @property
    def id(self) -> str:
        return f"{self.report}#{self.start}-{self.end}@{self.value_start}"

    @property
    def annual(self) -> bool:
        return self.period_start is not None and self.period_start == self.period_end

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Fact:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its score. Higher score = more relevant (always)."""

    passage: Passage
    score: float
    sources: tuple[str, ...] = ()  # which retrievers found it: "bm25", "dense"

    def to_dict(self) -> dict:
        return {**self.passage.to_dict(), "score": round(float(self.score), 6)}


@dataclass(frozen=True)
class Citation:
    """One numbered source of an answer: the passage and the exact sentence quoted."""

    n: int
    report: str
    title: str
    heading: str
    start: int  # passage span in the report source text
    end: int
    text: str  # the passage text
    quote: str  # the cited sentence, == source[quote_start:quote_end]
    quote_start: int
    quote_end: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    """What every answerer returns, whatever the mode."""

    answer: str
    answerable: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    rewritten_question: str = ""
    constraints: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)  # stage -> milliseconds
    mode: str = "extractive"  # extractive | llm | llm-fallback
    notice: str = ""  # shown to the user, e.g. why an LLM answer fell back
    table: list[dict] | None = None  # for comparison questions: rows of a year table
    confidence: float = 0.0  # evidence score of the best sentence (higher = better supported)
    # LLM mode: backend, model, tokens and speed, the fallback reason, repaired citations
    llm: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "answer": self.answer,
            "answerable": self.answerable,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [h.to_dict() for h in self.retrieved],
            "rewritten_question": self.rewritten_question,
            "constraints": self.constraints,
            "timings": self.timings,
            "mode": self.mode,
            "notice": self.notice,
            "table": self.table,
            "confidence": round(self.confidence, 4),
            "llm": self.llm,
        }
