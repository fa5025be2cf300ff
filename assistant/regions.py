"""China's provincial-level regions: pinyin id, full name, and the short forms people type."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GROUPS_FILE = Path(__file__).with_name("region_groups.tsv")


@dataclass(frozen=True)
class Region:
    id: str  # pinyin, as in reports.csv
    name: str  # full name
    short: tuple[str, ...]  # short names and the one-character abbreviation
    english: tuple[str, ...]


PROVINCES: tuple[Region, ...] = (
    Region("beijing", "北京市", ("北京", "京"), ("beijing",)),
    Region("tianjin", "天津市", ("天津", "津"), ("tianjin",)),
    Region("hebei", "河北省", ("河北", "冀"), ("hebei",)),
    Region("shanxi", "山西省", ("山西", "晋"), ("shanxi",)),
    Region("neimenggu", "内蒙古自治区", ("内蒙古", "内蒙", "蒙"), ("inner mongolia", "neimenggu")),
    Region("liaoning", "辽宁省", ("辽宁", "辽"), ("liaoning",)),
    Region("jilin", "吉林省", ("吉林", "吉"), ("jilin",)),
    Region("heilongjiang", "黑龙江省", ("黑龙江", "黑"), ("heilongjiang",)),
    Region("shanghai", "上海市", ("上海", "沪"), ("shanghai",)),
    Region("jiangsu", "江苏省", ("江苏", "苏"), ("jiangsu",)),
    Region("zhejiang", "浙江省", ("浙江", "浙"), ("zhejiang",)),
    Region("anhui", "安徽省", ("安徽", "皖"), ("anhui",)),
    Region("fujian", "福建省", ("福建", "闽"), ("fujian",)),
    Region("jiangxi", "江西省", ("江西", "赣"), ("jiangxi",)),
    Region("shandong", "山东省", ("山东", "鲁"), ("shandong",)),
    Region("henan", "河南省", ("河南", "豫"), ("henan",)),
    Region("hubei", "湖北省", ("湖北", "鄂"), ("hubei",)),
    Region("hunan", "湖南省", ("湖南", "湘"), ("hunan",)),
    Region("guangdong", "广东省", ("广东", "粤"), ("guangdong",)),
    Region("guangxi", "广西壮族自治区", ("广西", "桂"), ("guangxi",)),
    Region("hainan", "海南省", ("海南", "琼"), ("hainan",)),
    Region("chongqing", "重庆市", ("重庆", "渝"), ("chongqing",)),
    Region("sichuan", "四川省", ("四川", "川", "蜀"), ("sichuan",)),
    Region("guizhou", "贵州省", ("贵州", "黔", "贵"), ("guizhou",)),
    Region("yunnan", "云南省", ("云南", "滇", "云"), ("yunnan",)),
    Region("xizang", "西藏自治区", ("西藏", "藏"), ("tibet", "xizang")),
    Region("shaanxi", "陕西省", ("陕西", "陕", "秦"), ("shaanxi",)),
    Region("gansu", "甘肃省", ("甘肃", "甘", "陇"), ("gansu",)),
    Region("qinghai", "青海省", ("青海", "青"), ("qinghai",)),
    Region("ningxia", "宁夏回族自治区", ("宁夏", "宁"), ("ningxia",)),
    Region("xinjiang", "新疆维吾尔自治区", ("新疆", "新"), ("xinjiang",)),
)

BY_ID = {r.id: r for r in PROVINCES}


def find_province_in_title(text: str) -> Region | None:
    """The province whose full or two-character name appears first in `text`."""
    best: tuple[int, Region] | None = None
    for region in PROVINCES:
        for name in (region.name, region.short[0]):
            pos = text.find(name)
            if pos >= 0 and (best is None or pos < best[0]):
                best = (pos, region)
    return best[1] if best else None


@dataclass(frozen=True)
class RegionGroup:
    id: str
    names: tuple[str, ...]  # as people write them; the first is the display name
    members: tuple[str, ...]  # region ids


@lru_cache(maxsize=1)
def region_groups() -> tuple[RegionGroup, ...]:
    """The groups of region_groups.tsv, longest name first when matched."""
    groups = []
    for number, raw in enumerate(GROUPS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        members = tuple(cells[2].split()) if len(cells) == 3 else ()
        if not members or any(m not in BY_ID for m in members):
            raise ValueError(f"{GROUPS_FILE}:{number}: expected id, names and known region ids")
        groups.append(RegionGroup(cells[0], tuple(cells[1].split("|")), members))
    return tuple(groups)
