"""What a number measures (level, growth, 年均, total, share, change, pp, count), from the words
before it in its segment, and when a number stated over a past span holds for the span's end.

The conventions are those of eval/facts/README.md ("One rule per disputed case"):
- a stock reached by the end of a reviewed span (达 / 提升到 / 超 / 接近 …) holds for the span's
  last year, unless it is said to be held throughout (保持在 / 稳定在 / 控制在 / 一直 / 持续);
- what accumulates during a span is its `total`; one year's amount is a `level` (`count` in
  count units); amounts of relief (减税降费, 减轻负担) are such flows, not changes of a level;
- `growth` is a one-year rate: a rise over several years that is not 年均 is a `change`.
"""

from __future__ import annotations

import re

from ..numbers import Quantity
from . import indicators
from .periods import Period, one_year

# Rates whose percentage is the level itself (eval/facts/README.md: "a rate such as an
# unemployment rate or a deficit ratio"), not a share of something
RATE_LEVELS = {"deficit_ratio", "surveyed_unemployment", "registered_unemployment"}
COUNT_UNITS = {"个", "项", "条", "家", "所", "座", "处", "套", "件", "村", "镇", "户", "台", "间", "张", "列",
               "款", "场", "支", "栋", "部", "档", "对", "种", "颗", "枚", "轮", "类",
               "届", "批", "批次", "块", "份", "起", "班次", "组", "宗", "艘", "架"}
_GROWTH = re.compile(r"(?:增长|增速|上涨|涨幅|递增|提高(?![到至])|提升(?![到至])|growth|grow|increase|rise)[^，,]{0,4}$", re.I)
# a verb of moving after 年均 (年均缩减近2000平方公里: a yearly change, avg_growth), not of adding (年均新增)
_AVERAGE_MOVE = re.compile(r"[^，,；;]{0,3}?(?:增长|增加|增产|减产|减少|缩减|缩小|下降|降低|提高|提升|递增|递减)")
_AVERAGE = re.compile(r"(?:年均|年平均|平均每年|每年平均|average annual|annual average)(?!浓度)", re.I)
_CHANGE = re.compile(r"(?:下降|降低|减少|回落|压减|削减|缩小|缩减|缩短|压缩|减税|减轻|退出|减量|裁减|精简|增加(?!值)|净增|增量|增产|减产|"
                     r"decrease|decline|cut|reduce)[^，,到至]{0,6}$", re.I)
# 增长速度 / 增长幅度 / 上涨幅度 (1990s wording) name the rate itself
_GROWTH_END = re.compile(r"(?:增长|增速|上涨|涨幅|递增|增幅|增长速度|增长幅度|上涨幅度|调增)[^，,]{0,2}$")
# 零售物价总水平比上年上升百分之十七点八, 用于农业的投资比上年增加近百分之三十: the year's rate
_RATE_OVER_LAST_YEAR = re.compile(r"(?:比上年|比去年|同比)[^，,]{0,6}(?:上升|增加)[^，,]{0,2}$")
_CHANGE_LEAD = re.compile(r"^(?:继续|再|累计|共)?(?:削减|压减|精简|缩减|减少|下降|降低|压缩|缩短|退出|减轻)")
# 财政民生支出占一般公共预算支出比重73.8%; 粮食产量…，占全国23.6%, 占全国份额提高到15.3%
_SHARE_OF = re.compile(r"占[^，,]{1,14}(?:比重|比例)$|占(?:全国|全省|全市|全区|全球|世界)[^，,占]{0,6}$")
_SHARE = re.compile(r"(?:比重|占比|占|强度|覆盖率|比例|比率|贡献|share|proportion|intensity)[^，,]{0,6}$", re.I)
# reaching down too: 青壮年文盲率下降到6%, 城乡收入比缩小至2.12 (a level reached, no change)
_REACH = re.compile(r"(?:增长到|提高到|增加到|增加至|增至|提高至|提升至|提升到|扩大到|扩大至|扩容至|上升到|达到|达|突破|跃升至|升至|"
                    r"(?:下降|降低|减少|缩小|缩减|缩短|回落|压减)(?:到|至)|降到|降至|"
                    r"超过|超|接近|覆盖|迈上|跃上|跨过|跨上|跨越|连跨|跨入|控制在|保持在|稳定在|为|现有|reach)[^，,]{0,2}$")
_CROSSED = re.compile(r"跨(?:过|上|越|入)?[^，,]{0,2}$")
_HOLD = re.compile(r"(?:保持在|稳定在|控制在|一直|持续|始终|连续|每年)")
_RELIEF = re.compile(r"减税|降费|负担|成本")  # 降低电力供应成本5.3亿元: an amount saved, a flow
# a sum or a rate of flows over the span (贡献率), not a stock at its end
_FLOW = re.compile(r"累计|合计|新增|增量|投资|贡献(?!率)")
# money put in over a span (五年中央财政用于科技的投入达到3406亿元) is summed, as 投资 is;
# not a share (研发投入强度达到2.5%)
_SPENT = re.compile(r"的投入[^，,、]{0,4}$")


def is_flow(before: str, q: Quantity) -> bool:
    """Whether the words before a number over a span name a flow summed over it."""
    if q.unit in ("年", "岁"):
        return False  # 新增劳动力平均受教育年限达到14.2年: years of schooling, no sum
    return bool(_FLOW.search(before) or q.unit != "%" and q.unit != "个百分点" and _SPENT.search(before))


_INDEX = re.compile(r"指数[^，,、]{0,4}$")
_PER_HEAD = re.compile(r"每(?:\d+|[十百千])?万?人|[千万]人口[^，,、]{0,8}(?:床位|医师|托位|数)")
_STOCK = re.compile(r"(?:惠及|得到保障|保障(?!性)|历时|连续)[^，,]{0,4}$")
# 高于 / 低于 with nothing after them is a bound (城镇登记失业率低于4.6%), not a comparison
_VERSUS = re.compile(r"比上年|比去年|较上年|比年初|同比|(?<!不)(?:高于|低于)(?!$|每)|快于|慢于|[比较](?:19|20)\d{2}年")
_RATIO = re.compile(r"收入比|倍差")
_TIMES_OF = re.compile(r"(?:是|为|等于|相当于)[^，,、]{0,24}的$")
# 高速公路增加4083公里, 分别增加2个: things added (not 净增, a stock's net change), no comparison named
_ADDED = re.compile(r"增加(?:了)?$")
_GROWTH_GOAL = re.compile(r"(?:增长|增速|增幅)[^，,。；]{0,8}目标[，,]?[^，,。；]{0,4}$")  # 增长目标拟定为13%
# measure words: a segment holding none of them repeats the verb of the quantity before it
# (分别增长10.6%、9%; 累计创建42个示范村、22个示范片区; 退出钢铁产能1.7亿吨、煤炭产能8亿吨)
_ANY_MEASURE = re.compile("|".join(r.pattern.split("[^")[0] for r in (_GROWTH, _CHANGE, _SHARE, _REACH))
                          + r"|年均|累计|新增|建成|完成|实施|培育|创建|引进|改造|新建")


def measure_of(before: str, q: Quantity, indicator_id: str, period: Period) -> str:
    """What the number measures, from the words before it in its segment."""
    if q.unit == "个百分点":
        return "pp_change"
    if q.unit in ("", "倍") and _RATIO.search(before[-12:]):
        return "share"  # 城乡居民收入比缩小至2.12, 收入倍差从2.42: a ratio of two levels
    if q.unit == "倍" and _TIMES_OF.search(before):
        return "share"  # 是1997年的2.3倍, 等于一九四九年的四点二倍: a ratio of two levels (NOTES-round4)
    if q.unit in COUNT_UNITS and (before.endswith("等") or re.search(r"退出[^，,、]{0,8}$", before)):
        # 中国能建集团压缩空气储能等20个央陕合作项目落地 (names before 等, no verb of the number);
        # 退出融资平台304家: things that left, counted
        return "count" if period.annual else "total"
    tail = before[-8:]
    if q.unit in COUNT_UNITS and _CROSSED.search(tail):
        return "count" if period.annual else "total"  # 五年跨过3个万亿级关口: thresholds passed, counted over the span
    known = indicators.get(indicator_id)
    recent = before[-10:]
    average = ([None] + list(_AVERAGE.finditer(recent)))[-1]  # the last: 前三年平均每年增加
    if average and q.unit != "%" and not _AVERAGE_MOVE.match(recent[average.end():]):
        return "level"  # 城镇新增就业年均超过70万人, 年均服务群众9000万人次: each year's amount of a flow
    if average and (q.unit != "%" or _GROWTH.search(tail) or re.search("增速|增幅", tail)):
        return "avg_growth"  # 年均增长5%, 年均缩减近2000平方公里
    if q.unit in ("小时", "分钟") and not (_CHANGE.search(tail) or _VERSUS.search(tail)):
        return "level"  # 1小时高铁圈, 出关时间缩短至1.5小时以内: a duration, never summed
    if q.unit == "%" and _RATE_OVER_LAST_YEAR.search(before[-14:]):
        return "growth"
    if q.unit in ("%", "倍") and _GROWTH_END.search(tail) and not re.search(r"高于|低于|快于|慢于", tail):
        return "growth"  # 比上年增长7.4% is the year's growth rate
    if q.unit != "%" and _RELIEF.search(tail) and "累计" not in before:
        return "level" if period.annual else "total"  # 减税降费446亿元: an amount of relief
    if q.unit not in ("%", "倍", "年") and q.unit not in COUNT_UNITS and (
            re.search(r"增长了?$", tail) or q.unit not in ("", "位") and re.search(r"(?:提高|上调)了?$", tail)):
        # 资产资源规模增长3.8万亿元, 小麦每50公斤提高3元: a rise of the amount (not 改造提升112万亩, an area
        # upgraded, nor 提高6000万农村人口供水保障水平, the people it is for, nor a rank, 提升6位)
        return "total" if "累计" in before else "change"
    if _ADDED.search(tail) and (q.unit in COUNT_UNITS or q.unit == "公里") \
            and not re.search(r"[比较同]|日均|人均|平均", before[-14:]):
        return "count" if period.annual else "total"  # 通用机场增加11个 (十四五): things added over the span
    if "翻" in q.raw or "倍增" in q.raw or _VERSUS.search(tail) or _CHANGE.search(tail) or _CHANGE_LEAD.search(before):
        return "total" if "累计" in before and q.unit != "%" else "change"
    if q.unit == "%":
        if re.search(r"改善$", tail):
            return "change"  # 关中5市PM2.5浓度改善24.7％: a fall of the concentration
        if _INDEX.search(before[-8:]):
            return "level"  # 创新产出水平指数达到87.59％: an index's value, no share
        if _GROWTH_GOAL.search(before):
            return "growth"
        if _SHARE_OF.search(before) or _SHARE.search(tail) and (known is None or known.measure != "level") \
                or re.search(r"占[^，,]{1,16}(?:比重|比例)[^，,]{0,5}$", before):  # 民生支出占…比重稳定在80%左右
            return "share"
        if _GROWTH.search(tail):
            return "growth"
        if known:
            rate_of_change = known.id == "cpi" or re.search(r"涨幅|增速|增长|上涨", before)
            if known.measure == "growth" and _REACH.search(tail) and not rate_of_change:
                return "level"  # 研发投入达到2.5%: a level, not a growth rate
            return known.measure
        return "share"
    # (合计 sums over a span: 五年合计…三千五百多万人; in one year it adds parts: 全国财政赤字合计9500亿元, a level)
    if "累计" in before or (not period.annual and ("合计" in before or is_flow(before, q))):
        return "total"  # 引进项目1608个、总投资超1.6万亿元 (十四五): a sum over the span
    if q.unit in COUNT_UNITS and _PER_HEAD.search(before):
        return "level"  # 每千人床位数、执业（助理）医师数增至7.83张: a rate per head, no count
    if q.unit in COUNT_UNITS and (period.annual or _REACH.search(tail)):
        return "count"
    if period.annual or q.unit == "年" or "/" in q.unit or _REACH.search(tail) or _STOCK.search(tail) \
            or period.label.startswith("到") and not _ACTION.search(before) and q.unit not in COUNT_UNITS \
            and "其中" not in before:
        return "level"  # 到一九八五年，…钢产量六千万吨: a deadline's level (关停…7210万千瓦 stays a sum)
    return "total"


_DOCUMENT_PARTS = re.compile(r"(?:主要|重点|预期性|约束性)?(?:指标|任务|举措|方面|维度)")


def document_count(measure: str, q: Quantity, after: str) -> str:
    """设置了29项主要指标, 部署了13项任务举措, 从5个方面: parts of the plan itself are counted,
    not delivered over its span."""
    if measure in ("total", "level") and q.unit in COUNT_UNITS and _DOCUMENT_PARTS.match(after):
        return "count"
    return measure


# a rate the state sets (税率, 关税总水平, 缴费比例): a level, not a share of anything
_POLICY_RATE_BEFORE = re.compile(r"(?:税率|关税总水平|缴费比例|费率)(?:已|将)?(?:由|从|为|降至|降到|调整为|保持在|降低至)?$")
_POLICY_RATE_AFTER = re.compile(r"(?:一档)?的(?:税率|缴费比例|费率)")


def policy_rate(measure: str, q: Quantity, before: str, after: str) -> str:
    """现行16%的税率降至13%, 关税总水平由9.8%降至7.5%, 保持6%一档的税率不变 (2019): levels."""
    if q.unit == "%" and measure in ("share", "change") and (
            _POLICY_RATE_AFTER.match(after) or _POLICY_RATE_BEFORE.search(re.sub(r"[\d.%％]+$", "", before))
            or re.search(r"(?:税率|关税总水平|缴费比例)[^，,；;]{0,3}(?:由|从)[\d.]+%(?:降|提高|下调|上调)(?:至|到)$", before)):
        return "level"
    return measure


def repeats_verb(before: str) -> bool:
    """Whether a list item names no measure of its own (`9%`, `材料52%`, `22个示范片区`)."""
    return not _ANY_MEASURE.search(before)


# Verbs of doing: what was built, done or handled over a span (a flow, rule 2), not a stock.
_ACTION = re.compile(r"建|改造|改建|新增|新设|新开|设立|培育|创建|引进|完成|实施|开工|开挖|疏浚|治理|整治|修复|"
                     r"植树|造林|淘汰|安置|筹集|减|降低|制定|修订|办理|帮扶|落地|推出|争取|搬迁|解决|改善|资助|"
                     r"安排|投入|投资|支出|开行|签|转移|就业|获|认定|取消|调整|发放|救助|帮助|培训|招|吸引|带动|"
                     r"消除|重组|开展|举办|出台|发布|形成|提供|累计|共|惠及|实现|化解|处置|压|退出|关闭|关停|拆除|"
                     r"贯通|开通|覆盖|增|提高|提升|下降|上涨|扩大|缩|回落|翻|推广|复制|筹|提请|审议|访|育林|种|封|评|跨|了|"
                     r"落实|入选|追回|毕业|授予|铺")
# an act told after the number (10个县市获批国家新型城镇化试点, 4项制度创新成果全国复制推广)
_ACT_AFTER = re.compile(r"[^，,；;。]{0,16}?(?:获批|入选|推广|开工|落地|签约|获得|获评)")
_NAME_WORDS = re.compile(r"“[^”]*”|建设(?=示范|试点)")  # 国家生态文明建设示范区: a title, no act


# what a stock is called: its head noun ends the words before the number
_STOCK_HEAD = re.compile(r"(?:总值|总量|收入|营收|总额|规模|装机|容量|主体|率|比例|比重|占比|企业|工厂|冠军|小巨人|园区|"
                         r"示范区|基地|里程|廊道|产量|当量|浓度|余额|人口|城市|实验室|数量|总数|密度|指数|寿命)$")


def named_stock(before: str, q: Quantity, after: str = "") -> bool:
    """`生产总值6.66万亿元`, `国家高新技术企业1.28万家`, `农村自来水普及率97%` in a review of a
    span: a noun and its number with no verb at all, the state at the span's end (rule 1).
    Chinese verbs are many (恢复水面, 成交绿证): the words must also end in what names a stock.
    Not a part of the sum before it (`其中高速铁路8951公里`), a duration or a multiple (翻一番)."""
    words = _NAME_WORDS.sub("", before)
    if len(words) < 2 or words.startswith("其中") or q.unit in ("年", "倍") or "翻" in q.raw or "倍增" in q.raw:
        return False
    plain = re.sub(r"[“”\"]", "", before)
    share_of = plain.startswith("占") or q.unit == "%" and re.search(r"占[^，,]{1,16}的?$", plain)  # 在校生占…总人数的56%
    if _ACT_AFTER.match(after) or not (_STOCK_HEAD.search(plain) or share_of):
        return False  # 占原有审批项目的69.3%, 占世界三分之二: a share at the span's end
    return not (_ACTION.search(words) or _VERSUS.search(words) or re.search(r"[、和及与]$", words))


def end_of_span(before: str, q: Quantity, period: Period, report_year: int, after: str = "") -> Period:
    """A stock reached by the end of a past span (达 / 提升到 / 超 …, or a bare noun and its
    number) holds for its last year; one held throughout (稳定在, 一直控制在) keeps the span."""
    tail = before[-8:]
    if period.annual or period.end >= report_year or _HOLD.search(before) or _VERSUS.search(before) \
            or _AVERAGE.search(before[-10:]):
        return period  # 比2020年增加超7400亿元: a rise against a base, no stock; 年均服务群众9000万人次: each year's
    if q.unit in ("小时", "分钟"):
        return one_year(period.end)  # 汉襄宜“1小时高铁圈”: a duration reached, as a stock is
    if q.unit == "%" and not re.sub(r"[“”\s]", "", before) and after.startswith("的"):
        return one_year(period.end)  # 61%的城市污水处理厂完成提标改造: the share reached by the span's end
    if not (_REACH.search(tail) or named_stock(before, q, after)) or q.unit in COUNT_UNITS and _CROSSED.search(tail):
        return period
    if is_flow(before, q):
        return period  # 累计建成…超1.2万个, 五年增量超1.36万亿元, 总投资超1.6万亿元: sums over the span
    if q.unit == "%" and (_GROWTH.search(tail) or _AVERAGE.search(before[-10:])):
        return period  # a rate of growth over the span is not a stock
    return one_year(period.end)


def per_year(measure: str, sentence_before: str, period: Period, unit: str = "") -> str:
    """每年资助金额近1000亿元，资助学生近8000万人次 (in a five-year review): each year's amount
    over the span, a `level`, not the span's total; in count units a `count` (每年实施20项重点民生实事)."""
    if measure == "total" and not period.annual and re.search(r"每年(?!平均)|年度", sentence_before):
        return "count" if unit in COUNT_UNITS else "level"
    return measure


def span_rise(measure: str, before: str, period: Period) -> str:
    """A rise over several years that is not 年均 is a change of the span, not a growth rate;
    连续三年增长速度在11%以上 (each year's rate, held) stays growth."""
    if measure == "growth" and not period.annual and not _HOLD.search(before):
        return "change"
    return measure


# a span named to open the sentence, just before the clause: 五年来，国家财政…资金达480亿元
_SPAN_LEAD = re.compile(r"(?:[五三两]年(?:来|间|内|中)|(?:19|20)\d{2}年以来|期间)[，,]$")


def led_by_span(sentence_before: str, before: str, q: Quantity, period: Period) -> bool:
    """五年来，国家财政支持农村生产支出…达4077亿元; 1998年以来，国有企业下岗职工达2700多万人:
    money or people counted after a span that opens the sentence are summed over it (rule 2),
    though 达 would make them a stock; not a rate, and not one held (保持在)."""
    return (not period.annual and q.unit in ("元", "美元", "人", "人次") and bool(_SPAN_LEAD.search(sentence_before))
            and not _HOLD.search(before) and not re.search(r"余额|总量|规模|人口|常住|存款|储备", before))


def same_kind_of_unit(unit: str, unit_before: str) -> bool:
    """A list item keeps the verb of the one before it only for the same kind of unit:
    建成国家级绿色工厂136家、绿色工业园区10个 (counts of things both)."""
    return unit == unit_before or unit in COUNT_UNITS and unit_before in COUNT_UNITS


# 次 is no count unit: times in one year are a level (两次上调存款准备金率: 15 of 18 one-year labels),
# over a span a total
# things that come and go (visits, events, batches) are never a standing count
_EVENT_UNITS = {"次", "场", "轮", "批", "批次", "届", "起", "班次"}
# what was done to the things counted, told after them (5个天府实验室揭牌运行: delivered in the span)
_DONE_AFTER = re.compile(r"[^，,；;。]{0,24}?(?:建成|投产|投用|投入运营|揭牌|挂牌|开通|获|入选|推广|开工|落地|签约|创建|"
                         r"通过|完成|成型|核准|实施|除险|达到|实现|建立|恢复|受益|住上|访问|上市|参与|开展|进行|"
                         r"远离|命名|清零|交付|并网|取得|落户|拔地而起|引进|引育)")
# verbs of doing that _ACTION leaves out, told anywhere before the number in its clause
# (五年出版图书十一万种, 这两年取得…六千多项: a span counted out in the clause sums what follows)
_DONE_BEFORE = re.compile(r"提出|颁布|缔结|参加|加装|打造|开办|发射|先后|建立|取得|出版|废止|使|让|设置|应对|促成|[两三四五]年")


def standing_count(before: str, clause_before: str, q: Quantity, after: str, period: Period, report_year: int) -> bool:
    """10个国家大科学装置, 在川两院院士70位, 85个学科进入ESI前1%, 355项“川渝通办”事项 in the
    review of a past span: things counted with no verb of doing before them nor a deed after them
    stand at the span's end, a `count` of its last year (rule 3), not a total delivered over it."""
    words = re.sub(r"[“”\"\s]", "", before)
    # the number opens its segment (10个国家大科学装置), or follows a place, a possession or a reach
    # (在川两院院士70位, 辐射全国75个城市) or a list of names (武汉东湖、襄阳、宜昌3家高新区位列…):
    # an unknown verb before it (成交绿证4084万张) is more likely a deed than a state
    words = re.sub(r"(?:上|近|超|约|超过|逾)$", "", words)  # 上千家配套企业: the number's own approximation
    opens = not words or bool(re.match(r"(?:在|有|拥有|共有|辐射|通达|覆盖|全国|全省|全市|全区)", words)) \
        or "、" in words
    return (opens and q.unit in COUNT_UNITS and q.unit not in _EVENT_UNITS and not period.annual
            and period.end < report_year and not _ACTION.search(clause_before)
            and not _DONE_BEFORE.search(clause_before) and not _DONE_AFTER.match(after)
            and not _VERSUS.search(before) and not _AVERAGE.search(before) and not _HOLD.search(before)
            and not re.search(r"每年|其中|以上的?$", before))

