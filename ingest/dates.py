"""Dates as the documents write them, turned into ISO text as precise as the text is.

"ngày 08 tháng 8 năm 2024" → 2024-08-08; "29.12.2022" → 2022-12-29; "3/4" → 2024-04-03
when the document's year is 2024; "Tháng 9/2024" → 2024-09; "quý 4/2023" → 2023-Q4;
"2024-2025" stays a range; "Theo kế hoạch của tỉnh" is not a date (the text is kept).
"""

from __future__ import annotations

import re
from datetime import date

LONG_FORM = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
FULL = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
DAY_MONTH = re.compile(r"(?:ngày|sáng|chiều|trưa|tối|hôm)\s+(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?![\d/.\-]*\d)", re.IGNORECASE)
MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})", re.IGNORECASE)
QUARTER = re.compile(r"quý\s+(\d|I{1,3}|IV)\s*(?:/|năm)\s*(\d{4})", re.IGNORECASE)
RANGE = re.compile(r"(?<!\d)(\d{4})\s*-\s*(\d{4})(?!\d)")
YEAR = re.compile(r"(?<![\d/.])(19\d{2}|20\d{2})(?![\d/.])")
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def full_dates(text: str, default_year: int | None = None) -> list[tuple[int, str]]:
    """(position, ISO date) of every day-precise date in the text, in order."""
    found: list[tuple[int, str]] = []
    for m in LONG_FORM.finditer(text):
        if iso := _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))):
            found.append((m.start(), iso))
    for m in FULL.finditer(text):
        if iso := _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))):
            found.append((m.start(), iso))
    if default_year:
        for m in DAY_MONTH.finditer(text):
            if iso := _iso(default_year, int(m.group(2)), int(m.group(1))):
                found.append((m.start(), iso))
    return sorted(set(found))


def month_dates(text: str) -> list[str]:
    """Month-precise dates ('tháng 3/2023', 'tháng 3 năm 2023') as YYYY-MM, in order."""
    return [f"{int(m.group(2)):04d}-{int(m.group(1)):02d}" for m in MONTH.finditer(text) if 1 <= int(m.group(1)) <= 12]


def timeframe(text: str) -> str | None:
    """A table's 'Thời gian thực hiện' cell as ISO text, or None when it is not a date."""
    if dates := full_dates(text):
        return dates[0][1]
    if m := MONTH.search(text):
        return f"{int(m.group(2)):04d}-{int(m.group(1)):02d}" if 1 <= int(m.group(1)) <= 12 else None
    if m := QUARTER.search(text):
        quarter = ROMAN.get(m.group(1).upper()) or int(m.group(1))
        return f"{m.group(2)}-Q{quarter}"
    if m := RANGE.search(text):
        return f"{m.group(1)}-{m.group(2)}"
    if m := YEAR.fullmatch(text.strip()) or (YEAR.search(text) if len(text) < 30 else None):
        return m.group(1)
    return None


def period(text: str) -> str | None:
    """A period of validity: 'giai đoạn 2023 - 2024' → 2023-2024, 'đến năm 2025' → until 2025."""
    if m := re.search(r"(?:giai đoạn|thời kỳ|năm)\s+(\d{4})\s*-\s*(\d{4})", text, re.IGNORECASE):
        return f"{m.group(1)}-{m.group(2)}"
    if m := re.search(r"đến năm\s+(\d{4})", text, re.IGNORECASE):
        return f"..{m.group(1)}"
    return None


def time_words(iso: str | None) -> str:
    """A task's time as people add it to a question ("... tháng 11/2025", "... năm 2026"):
    '2025-11' → 'tháng 11/2025 năm 2025', '2025-Q4' → 'quý 4/2025 năm 2025'."""
    if not iso:
        return ""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso):
        return f"ngày {int(m.group(3))}/{int(m.group(2))}/{m.group(1)} tháng {int(m.group(2))}/{m.group(1)} năm {m.group(1)}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", iso):
        return f"tháng {int(m.group(2))}/{m.group(1)} năm {m.group(1)}"
    if m := re.fullmatch(r"(\d{4})-Q(\d)", iso):
        return f"quý {m.group(2)}/{m.group(1)} năm {m.group(1)}"
    if m := re.fullmatch(r"(\d{4})(?:-(\d{4}))?", iso):
        return " ".join(f"năm {y}" for y in m.groups() if y)
    return ""
