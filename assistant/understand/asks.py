"""What a question asks for, beside its subject: a number (in which unit), a list, a person,
the delivery of the report itself (who, when, at which meeting), a report named as such, and
the shape of answer it wants (`shape_asked`): a definition, a reason, every item of a list, or
what a report said about a topic. Read once here into the constraints and the `Query`;
evidence scoring, delivery answers and the shape routes use the flags."""

from __future__ import annotations

import re

from ..numbers import count_word_value, extract_numbers
from ..textutil import nfkc
from ..words import word_groups

ASKS_NUMBER_RE = re.compile(r"多少|几[个项家条所万亿]|几成|百分之几|比例|比重|增速|增长率|多大|多高|"
                            r"\bhow (?:much|many|big|large|fast|high)\b|"
                            r"\bwhat\b.{0,40}\b(?:percent|percentage|rate|share|level|target|goal|figure|"
                            r"amount|size|limit|ceiling|output|number)\b|\bby how\b", re.I)
ASKS_LIST_RE = re.compile(r"哪些|哪几|包括什么|有什么|\bwhich\b|\bwhat are\b", re.I)
ASKS_PERSON_RE = re.compile(r"谁|哪位|\bwho\b", re.I)
# "who delivered it" — but not any 谁/哪位 ("报告表彰了哪位科学家？")
ASKS_SPEAKER_RE = re.compile(r"谁作|由谁|谁做|作报告的是|报告人|(?:哪位|谁).{0,6}(?:作|做|宣读)|什么职务|职务是|"
                             r"\bwho (?:delivered|gave|presented|made)\b", re.I)
ASKS_DATE_RE = re.compile(r"哪一天|哪天|什么时候作|何时作|几月几日|日期|\bwhen was\b.*\bdelivered\b|\bon what date\b", re.I)
# 第几届 alone also asks about expos and games ("进博会是第几届？"): only with a meeting named
ASKS_MEETING_RE = re.compile(r"哪次会议|什么会议|哪个会议|(?:第几届|哪一届).*(?:会议|人大|人民代表大会)|"
                             r"\bwhich session\b|\bat which\b.*\b(?:session|congress)\b", re.I)
DEFINITION_RE = re.compile(r"什么是|是什么意思|是指什么|指什么|指的是|含义|名词解释|具体是|具体指|怎么回事|什么意思|"
                           r"(?:怎么|如何|怎样)(?:解释|定义|界定)|分别是什么|分别指|具体包括|是什么内容|"
                           r"\bwhat (?:is|are|does|do|did|was|were)\b.*\b(?:mean|refer)|\bdefin|\bwhat is meant by\b|"
                           r"\bwhat (?:is|are) (?:the )?[\"“']", re.I)
REASON_RE = re.compile(r"为什么|为何|什么原因|原因是|原因有|原因在|出于什么|基于(?:什么|哪些|何种)|(?:什么|哪些)考虑|"
                       r"(?:怎么|如何|怎样)考虑|考虑了哪些|依据是什么|根据什么|目的是什么|理由|为啥|怎么解释.{0,12}(?:出现|发生|原因)|"
                       r"\bwhy\b|\bfor what reason\b|\bwhat (?:is|was|were|are) the reasons?\b|\brationale\b", re.I)
# "what did the report say about X": a few sentences of the section about X
OPEN_RE = re.compile(r"(?:怎么|如何|怎样)谈|谈到|谈了哪些|怎么说|如何说|说了什么|说了些什么|说了哪些|讲了什么|讲了些什么|讲了哪些|谈了什么|谈到了什么|谈了哪些|"
                     r"提了哪些|提了什么|提出了什么|有什么表述|如何表述|怎么表述|怎么讲|怎样讲|有哪些论述|"
                     r"是怎么部署|是如何部署|怎样部署|作了哪些部署|做了哪些部署|有什么部署|有哪些部署|"
                     r"关于.{1,20}(?:的内容|的论述|的表述)|(?:是|有)(?:什么|哪些)(?:内容|论述|说法)|"
                     r"(?:怎么|如何|怎样)(?:推进|推动|做|抓|办|开展|加强|落实|建设|发展|跟|与|和)|"
                     r"有(?:什么|哪些)(?:打算|安排|举措|部署)|打算怎么|"
                     r"\bwhat (?:did|does|do) (?:the |this |that )?(?:\w+ ){0,5}(?:say|said|state|mention|propose|plan)\b.*\b(?:about|on|regarding)\b|"
                     r"\bwhat (?:was|is) said about\b|\bhow did\b.*\b(?:describe|address)\b|\bwhat\b.*\bsay about\b", re.I)
# The asking words of an overview question (怎么说的, 说了什么, what did … say about): not its topic.
_OPEN_ASKING = re.compile(r"(?:是)?(?:怎么|如何|怎样)(?:说|讲|表述|部署)的?|说了(?:些)?什么|讲了(?:些)?什么|谈(?:到)?了什么|"
                          r"提了(?:哪些|什么)|有(?:什么|哪些)(?:表述|论述|部署|内容|说法)|关于|对于|对|"
                          r"\bwhat (?:did|does|do)\b|\bsay|\bsaid\b|\babout\b|\bmention\w*", re.I)


def open_topic(question: str) -> str:
    """An overview question without its asking words: 报告关于数字经济说了什么 -> 数字经济."""
    return _OPEN_ASKING.sub(" ", OPEN_RE.sub(" ", question))


def reason_subject(question: str) -> str:
    """A why-question without its asking words: 为什么实行积极的财政政策 -> 实行积极的财政政策."""
    return REASON_RE.sub(" ", question)


# every item of an enumeration: 哪四个方面, 包括哪些, 主要任务有哪些, what are the main tasks
LIST_RE = re.compile(r"哪[几一二三四五六七八九十两]\s*(?:个|项|条|大|点|类|种|件|方面)|哪些方面|"
                     r"哪些(?:措施|举措|任务|工作|内容|重点|领域|政策|要求|改革|项目|行动|工程|目标|方面|原则|办法)|"
                     r"包括哪些|包括什么|包含哪些|有哪些|有什么|主要有|列举|列出|几个方面|几项|几条|"
                     r"\bwhat (?:are|were) the (?:\w+ ){0,4}(?:tasks|measures|steps|areas|priorities|points|aspects|"
                     r"components|elements|principles|projects|targets|goals|actions|initiatives|reforms)\b|"
                     r"\blist\b|\bname the\b|\bwhich (?:\w+ ){0,3}(?:tasks|measures|steps|areas|priorities|aspects)\b", re.I)
# asking for several things by name: 哪些原因, 哪几条原则, 四项工作是什么 (before 为什么 and 说了什么:
# the list route answers with an overview when the report has no enumeration there)
ENUM_ASKED_RE = re.compile(r"哪些|哪几|哪[一二三四五六七八九十两]\s*(?:个|项|条|大|点|类|种|件|方面)|几个方面|几项|几条|"
                           r"[两二三四五六七八九十]\s*(?:项|个方面|条|大|点|方面)[\u4e00-\u9fff]{0,6}(?:是什么|是哪些|有哪些|包括什么|分别是)")
# "What is the Four-Pronged Comprehensive Strategy …?": a capitalised name asked about (no re.I)
NAMED_TERM_EN = re.compile(r"\b[Ww]hat (?:is|are|was|were) (?:the |an? )?(?:[A-Z][\w-]*[a-z][\w-]* ){2,}")
PLURAL_REASONS_RE = re.compile(r"哪(?:些|几(?:个|条|点)?)原因|几个原因|几方面原因|\bwhat (?:were|are) the reasons\b", re.I)
SHAPES = ("definition", "reason", "list", "open")
REPORT_WORD_RE = re.compile(r"政府工作报告|报告|\breports?\b", re.I)
# Units evidence scoring knows (the unit asked after 多少 must be one of them).
UNITS = ("亩", "万人", "人", "户", "个", "家", "项", "所", "公里", "千米", "万千瓦", "千瓦", "吨",
         "亿元", "万亿元", "万元", "元", "亿斤", "万亿斤", "斤", "%", "个百分点", "平方米", "立方米",
         "微克", "天", "年", "座", "条", "张", "套", "辆", "床")


def asked_unit(question: str) -> str | None:
    """The unit written after 多少 (多少亩 -> 亩), or % for a question about a percentage."""
    q = nfkc(question)
    if m := re.search(r"多少([^\s，。？?]{1,3})", q):
        for unit in sorted(UNITS, key=len, reverse=True):
            if m.group(1).startswith(unit):
                return unit
    return "%" if re.search(r"percent|百分之|百分比|%", q, re.I) else None


_ASKED_UNIT_RE = re.compile(r"(?:多少|几)([^\s，。？?的是]{1,4})")


def base_unit_asked(question: str) -> str:
    """The base unit of the figure asked, as the numbers reader writes units (多少亿斤 -> 斤,
    多少万人 -> 人, 百分之几 -> %), for matching facts; `asked_unit` keeps the surface form
    (亿斤) for matching sentences."""
    if m := _ASKED_UNIT_RE.search(nfkc(question)):
        found = extract_numbers("1" + m.group(1))
        if found and found[0].unit:
            return found[0].unit
    return "%" if re.search(r"百分之几|百分比|percent|\brate\b", question, re.I) else ""


def delivery_asked(question: str) -> tuple[str, ...]:
    """Which of speaker / date / meeting the question asks about the report's delivery."""
    return tuple(name for name, rx in (("speaker", ASKS_SPEAKER_RE), ("meeting", ASKS_MEETING_RE),
                                       ("date", ASKS_DATE_RE)) if rx.search(question))


def shape_asked(question: str) -> str:
    """The shape of answer beyond one sentence: definition / reason / open / list / "".
    The more specific wording wins: 是什么意思 first, then asking for several things by name
    (哪些原因 is a list), then 为什么, then 说了什么, then the other list words."""
    if NAMED_TERM_EN.search(question):
        return "definition"
    if REASON_RE.search(question) and not PLURAL_REASONS_RE.search(question) and not DEFINITION_RE.search(question):
        return "reason"  # 出于哪些考虑 asks for the reason, 哪些原因 for a list of them
    for shape, rx in (("definition", DEFINITION_RE), ("list", ENUM_ASKED_RE), ("reason", REASON_RE),
                      ("open", OPEN_RE), ("list", LIST_RE)):
        if rx.search(question):
            return shape
    return ""


def enumeration_size(question: str) -> int:
    """How many items the question expects (哪四个方面 -> 4, which three tasks -> 3), 0 if unsaid."""
    if m := re.search(r"哪([一二三四五六七八九十两])\s*(?:个|项|条|大|点|类|种|件|方面)", question):
        return count_word_value(m.group(1))
    if m := re.search(r"\b(two|three|four|five|six|seven|eight|nine|ten)\b", question, re.I):
        return count_word_value(m.group(1))
    return 0


_TERM_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,40})[”\"」』]")
_TERM_BEFORE = re.compile(r"([\u4e00-\u9fffA-Za-z0-9“”]{2,30}?)(?:到底|究竟)?(?:是什么意思|是指什么|指什么|指的是什么|指的是|是什么|的含义|的意思|什么意思|具体指|具体是)")
_TERM_AFTER = re.compile(r"什么(?:是|叫)([\u4e00-\u9fffA-Za-z0-9“”]{2,30})")
_TERM_EN = re.compile(r"\bwhat (?:does|do|did) (?:the (?:term|phrase) )?(.{2,60}?) (?:mean|refer to)\b|"
                      r"\bwhat is meant by (.{2,60}?)(?:\?|$| in\b)|\bwhat (?:is|are) (?:the )?(.{2,60}?)(?:\?|$| in the\b)", re.I)
_TERM_NOISE = re.compile(r"^(?:(?:19|20)\d{2}年?|报告|政府工作报告|的|里|中|注释|附注|名词解释|里说的|提到的|说的|所说的)+")


def defined_term(question: str) -> str:
    """The term a definition question asks about: quoted (“云计算”), or the words before
    是什么意思/指什么, after 什么是, or in `what does X mean`; "" if none can be read."""
    if m := _TERM_QUOTED.search(question):
        return m.group(1)
    for rx in (_TERM_BEFORE, _TERM_AFTER):
        if m := rx.search(question):
            term = re.sub(r"^.*?(?:里|中|的)(?=[^里中的]{2,}$)", "", m.group(1))
            return _TERM_NOISE.sub("", term).strip("“”")
    if m := _TERM_EN.search(question):
        return next(g for g in m.groups() if g).strip(" '\"“”")
    return ""


_SCOPES = word_groups("indicator_scopes")
_SCOPE_RE = re.compile(r"\b(local|central)\s+(?:government|governments|budget|budgets|fiscal)|(地方|中央)(?:政府|财政|预算)",
                       re.I)


def indicator_scope(question: str) -> tuple[str, ...]:
    """The words a figure's clause must hold when the question narrows the indicator to a level of
    government (the local government deficit, 中央财政赤字): () when it does not."""
    m = _SCOPE_RE.search(question)
    said = (m.group(1) or m.group(2)).lower() if m else ""
    return next((group for group in _SCOPES if said in group), ())
