"""The issuing office: its names (office, government, police, procuratorate) and its short name in a 文号."""

from __future__ import annotations

import re

from ..models import Region

PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "黔",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新", "71": "台",
    "81": "港", "82": "澳",
}  # fmt: skip
# The peoples named in autonomous regions, prefectures, counties and banners (自治区/州/县/旗).
_PEOPLES = (
    "维吾尔 柯尔克孜 乌孜别克 鄂伦春 鄂温克 达斡尔 塔吉克 塔塔尔 哈萨克 俄罗斯 土家 布依 哈尼 傈僳 拉祜 东乡 "
    "纳西 景颇 仫佬 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 朝鲜 德昂 保安 裕固 独龙 赫哲 门巴 珞巴 基诺 蒙古 "
    "壮 回 藏 苗 彝 侗 瑶 白 傣 黎 佤 畲 水 土 羌 怒 京 满 各"
).split()
_AUTONOMOUS = re.compile(rf"(?:(?:{'|'.join(_PEOPLES)})族?)+自治(?:区|州|县|旗)$")
_SUFFIXES = ("特别行政区", "林区", "地区", "市", "区", "县", "旗", "盟", "州")


def _base_abbreviation(region: Region) -> str:
    if region.level == Region.Level.PROVINCE and region.code[:2] in PROVINCE_ABBREVIATIONS:
        return PROVINCE_ABBREVIATIONS[region.code[:2]]
    name = region.name
    stripped = _AUTONOMOUS.sub("", name)
    if len(stripped) >= 2 and stripped != name:
        return stripped
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def office_abbreviation(region: Region) -> str:
    """The office's short name in a 文号: 安源区→安源, 萍乡市→萍乡, 江西省→赣.

    文号 are unique nationwide, so where two offices would share a short name (朝阳区 in 北京 and in 长春,
    和平区 and 和平县, the many 城区) the parent's short name goes in front: 京朝阳, 长春朝阳.
    """
    base = _base_abbreviation(region)
    others = Region.objects.filter(name__startswith=base).exclude(pk=region.pk)
    if region.parent_id and any(_base_abbreviation(r) == base for r in others):
        parent = region.parent
        assert parent is not None  # parent_id is set
        return _base_abbreviation(parent) + base
    return base


def _local_name(region: Region) -> str:
    """The name an office of this region goes by: districts, counties and banners carry their city's name."""
    parent = region.parent
    if region.level == Region.Level.COUNTY and parent is not None and not region.name.endswith("市"):
        return parent.name + region.name
    return region.name


def office_name(region: Region) -> str:
    """萍乡市安源区人力资源和社会保障局, 萍乡市人力资源和社会保障局, 江西省人力资源和社会保障厅."""
    municipality = region.level == Region.Level.PROVINCE and region.name.endswith("市")
    bureau = "厅" if region.level == Region.Level.PROVINCE and not municipality else "局"
    return f"{_local_name(region)}人力资源和社会保障{bureau}"


def government_name(region: Region) -> str:
    """The people's government at the office's level (行政复议机关 since the 2023 行政复议法, art 24)."""
    return f"{_local_name(region)}人民政府"


def police_name(region: Region) -> str:
    """The public security organ at the office's level (a district's is a branch of its city's)."""
    parent = region.parent
    if region.level == Region.Level.COUNTY and parent is not None and region.name.endswith("区"):
        return f"{parent.name}公安局{_base_abbreviation(region)}分局"
    return f"{region.name}公安厅" if region.level == Region.Level.PROVINCE else f"{region.name}公安局"


def procuratorate_name(region: Region) -> str:
    return f"{_local_name(region)}人民检察院"
