#!/usr/bin/env python3
"""Builds Fixtures/holidays/YYYY.txt from the rules of 관공서의 공휴일에 관한 규정, and checks them.

  Scripts/holidays.py generate 2028 2029 2030   # writes the provisional years
  Scripts/holidays.py check                     # the rules reproduce the shipped official years

Lunar dates come from korean-lunar-calendar (pip install korean-lunar-calendar), which is built
from KASI's tables. Days the rules cannot know (임시공휴일, an early presidential election) are
added by hand to the official files and skipped by `check`.
"""

import datetime as dt
import pathlib
import sys

from korean_lunar_calendar import KoreanLunarCalendar

FOLDER = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "holidays"
ONE_DAY = dt.timedelta(days=1)

# 공직선거법 §34: the end of the term each 임기만료 election is held for.
ASSEMBLY_TERM_ENDS = {2020: "2020-05-29", 2024: "2024-05-29", 2028: "2028-05-29"}
LOCAL_TERM_ENDS = {2018: "2018-06-30", 2022: "2022-06-30", 2026: "2026-06-30", 2030: "2030-06-30"}
PRESIDENT_TERM_ENDS = {2022: "2022-05-09", 2030: "2030-06-03"}
ASSEMBLY_NUMBER = {2020: 21, 2024: 22, 2028: 23}
LOCAL_NUMBER = {2018: 7, 2022: 8, 2026: 9, 2030: 10}
PRESIDENT_NUMBER = {2022: 20, 2030: 22}

# The 2026 amendment made 제헌절 a public holiday again. Whether 관공서의 공휴일에 관한 규정 §3
# now also gives it a substitute day could not be confirmed; until it is, none is assumed, so a
# deadline is never counted later than the law allows.
JEHEONJEOL_SUBSTITUTE = False


def lunar(year, month, day):
    calendar = KoreanLunarCalendar()
    if not calendar.setLunarDate(year, month, day, False):
        raise SystemExit(f"no lunar date {year}-{month}-{day}")
    return dt.date.fromisoformat(calendar.SolarIsoFormat())


def first_wednesday_on_or_after(day):
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


def election_day(term_end, days_before, holidays):
    """§34: the first Wednesday on or after the given day before the term ends; moved a week
    when it, the day before or the day after is a public holiday."""
    day = first_wednesday_on_or_after(dt.date.fromisoformat(term_end) - dt.timedelta(days=days_before))
    if any(d in holidays for d in (day - ONE_DAY, day, day + ONE_DAY)):
        day += dt.timedelta(days=7)
    return day


def holidays_of(year):
    named = {}

    def add(day, name):
        named.setdefault(day, []).append(name)

    seollal = lunar(year, 1, 1)
    chuseok = lunar(year, 8, 15)
    add(dt.date(year, 1, 1), "신정")
    add(seollal - ONE_DAY, "설날 전날")
    add(seollal, "설날")
    add(seollal + ONE_DAY, "설날 다음날")
    add(dt.date(year, 3, 1), "삼일절")
    add(dt.date(year, 5, 5), "어린이날")
    add(lunar(year, 4, 8), "부처님오신날")
    add(dt.date(year, 6, 6), "현충일")
    if year >= 2026:
        add(dt.date(year, 7, 17), "제헌절")
    add(dt.date(year, 8, 15), "광복절")
    add(chuseok - ONE_DAY, "추석 전날")
    add(chuseok, "추석")
    add(chuseok + ONE_DAY, "추석 다음날")
    add(dt.date(year, 10, 3), "개천절")
    add(dt.date(year, 10, 9), "한글날")
    add(dt.date(year, 12, 25), "기독탄신일")

    if year in PRESIDENT_TERM_ENDS:
        add(election_day(PRESIDENT_TERM_ENDS[year], 70, named), f"제{PRESIDENT_NUMBER[year]}대 대통령선거")
    if year in ASSEMBLY_TERM_ENDS:
        add(election_day(ASSEMBLY_TERM_ENDS[year], 50, named), f"제{ASSEMBLY_NUMBER[year]}대 국회의원선거")
    if year in LOCAL_TERM_ENDS:
        add(election_day(LOCAL_TERM_ENDS[year], 30, named), f"제{LOCAL_NUMBER[year]}회 전국동시지방선거")

    # 대체공휴일 (§3): each holiday that lost a day gives the first later day that is neither a
    # weekend nor a holiday, substitutes already given included.
    original = {day: list(names) for day, names in named.items()}

    def is_free(day):
        return day.weekday() >= 5 or day in named

    def substitute(after, label):
        day = after + ONE_DAY
        while is_free(day):
            day += ONE_DAY
        add(day, f"대체공휴일 ({label})")

    festival_end = {}
    for label, eve in (("설날", seollal - ONE_DAY), ("추석", chuseok - ONE_DAY)):
        for offset in range(3):
            festival_end[eve + offset * ONE_DAY] = (label, eve + 2 * ONE_DAY)
    weekend_rule = ["어린이날"]
    if year >= 2021:
        weekend_rule += ["삼일절", "광복절", "개천절", "한글날"]
    if year >= 2023:
        weekend_rule += ["부처님오신날", "기독탄신일"]
    if year >= 2026 and JEHEONJEOL_SUBSTITUTE:
        weekend_rule += ["제헌절"]
    for day in sorted(original):
        names = original[day]
        overlap = len(names) > 1
        entitled, after = [], day
        for name in names:
            if day in festival_end and name.startswith(festival_end[day][0]):
                # 설날 and 추석 lose a day to a Sunday or another holiday, not to a Saturday.
                if day.weekday() == 6 or overlap:
                    entitled.append(festival_end[day][0])
                    after = max(after, festival_end[day][1])
            elif name in weekend_rule and (day.weekday() >= 5 or overlap):
                entitled.append(name)
        # On a weekday the holidays sharing it keep one day between them.
        count = len(entitled) if day.weekday() >= 5 else min(len(names) - 1, len(entitled))
        for _ in range(count):
            substitute(after, "·".join(entitled))
    return {day: "·".join(names) for day, names in sorted(named.items())}


HEADER = """\
# {year} public holidays under 관공서의 공휴일에 관한 규정, computed by Scripts/holidays.py from the rules
# and KASI's lunar tables; ordinary Sundays are not listed because every Sunday is a holiday anyway.
# A named holiday is listed even when it falls on a Saturday or Sunday, with its substitute day (대체공휴일) if it has one. Format: YYYY-MM-DD name.
# provisional: not yet checked against the government calendar (월력요항) for {year}. Election days follow 공직선거법 §34
# and may move; 임시공휴일 are not known in advance. Once checked against the 월력요항, fix any difference and delete this line.
# Not listed: 노동절 (5/1), whose status for government offices is not settled (see 2026.txt), and a substitute for
# 제헌절 (7/17), which the 2026 amendment may or may not give (see Scripts/holidays.py).
"""


def render(year):
    lines = [HEADER.format(year=year)]
    lines += [f"{day.isoformat()} {name}\n" for day, name in holidays_of(year).items()]
    return "".join(lines)


def read(year):
    entries = {}
    for line in (FOLDER / f"{year}.txt").read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            day, _, name = text.partition(" ")
            entries[dt.date.fromisoformat(day)] = name
    return entries


def ad_hoc(day, name):
    return name.startswith("임시공휴일") or name == "제21대 대통령선거"


def check(years):
    failures = 0
    for year in years:
        shipped = {day: name for day, name in read(year).items() if not ad_hoc(day, name)}
        computed = holidays_of(year)
        for day in sorted(set(shipped) | set(computed)):
            if shipped.get(day) != computed.get(day):
                failures += 1
                print(f"{year}: {day} shipped {shipped.get(day)!r}, rules give {computed.get(day)!r}")
    return failures


def main(argv):
    if len(argv) >= 2 and argv[1] == "generate":
        for year in map(int, argv[2:]):
            (FOLDER / f"{year}.txt").write_text(render(year), encoding="utf-8")
            print(f"wrote {FOLDER / f'{year}.txt'}")
        return 0
    if len(argv) >= 2 and argv[1] == "check":
        years = list(map(int, argv[2:])) or list(range(2019, 2027))
        failures = check(years)
        print("ok" if failures == 0 else f"{failures} difference(s)")
        return 1 if failures else 0
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
