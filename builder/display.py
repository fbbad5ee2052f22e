"""How dates and names are shown to readers: CLDR month names per region, optional Hijri line."""

from __future__ import annotations

import functools
import html

from babel.dates import get_month_names

from .model import PartialDate


@functools.lru_cache(maxsize=8)
def month_names(locale: str) -> dict[int, str]:
    """Wide month names for a CLDR locale (ar_MA: غشت; ar_SY: آب; ar_EG: أغسطس)."""
    return dict(get_month_names("wide", locale=locale))


def format_date(date: PartialDate, locale: str = "ar_MA") -> str:
    """Reader's form, at the date's own precision: '18 فبراير 2025', 'نونبر 2025', '2025'."""
    if date.month is None:
        return str(date.year)
    month = month_names(locale)[date.month]
    return f"{date.day} {month} {date.year}" if date.day else f"{month} {date.year}"


def hijri_line(date: PartialDate) -> str:
    """Hijri form of a day-precision date ('19 شعبان 1446 هـ'); '' for month/year precision."""
    if not date.day:
        return ""
    from hijridate import Gregorian

    try:
        h = Gregorian(date.year, date.month, date.day).to_hijri()
    except (OverflowError, ValueError):  # outside the Umm al-Qura table's range
        return ""
    return f"{h.day} {h.month_name('ar')} {h.year} هـ"


def time_html(date: PartialDate | None, locale: str = "ar_MA", hijri: bool = False) -> str:
    """A `<time datetime>` element whose machine value has exactly the date's precision."""
    if date is None:
        return '<span class="digest-undated">بدون تاريخ</span>'
    text = html.escape(format_date(date, locale))
    out = f'<time datetime="{date.iso()}">{text}</time>'
    if hijri and (line := hijri_line(date)):
        out += f' <span class="digest-hijri">({html.escape(line)})</span>'
    return out


# Arabic counted nouns: 1 and 2 have their own forms, 3–10 take the plural, 11 and up the singular.
NOUNS = {
    "مقال": ("مقال واحد", "مقالان", "مقالات", "مقالا"),
    "تغطية": ("تغطية واحدة", "تغطيتان", "تغطيات", "تغطية"),
}


def count_label(n: int, noun: str) -> str:
    """'مقال واحد', 'مقالان', '3 مقالات', '11 مقالا' (digits for every count above two)."""
    one, two, few, many = NOUNS[noun]
    if n == 1:
        return one
    if n == 2:
        return two
    return f"{n} {few if 3 <= n % 100 <= 10 else many}"
