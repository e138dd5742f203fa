#!/usr/bin/env python3
"""Make Fixtures/yeongdeungpo-2019.jsonl, the district's 2019 log, from a fixed seed.

    python3 Scripts/fixture_2019.py [--seed 2019] [--out Fixtures/yeongdeungpo-2019.jsonl]

The log reproduces the 2019 work report's figures (139 petitions; 19 outreach sessions with
479 attendees and 111 proposals; 12 town halls with 1,472 attendees; 22 communication
records) with business times on 2019 working days and hours in KST. Names and contacts are
made up. The same seed always gives the same bytes; `sinmungo replay` checks every event.
"""
import argparse
import datetime as dt
import json
import random

KST = dt.timezone(dt.timedelta(hours=9))
HOLIDAYS_2019 = {dt.date(2019, m, d) for m, d in [
    (1, 1), (2, 4), (2, 5), (2, 6), (3, 1), (5, 5), (5, 6), (5, 12), (6, 6), (8, 15),
    (9, 12), (9, 13), (9, 14), (10, 3), (10, 9), (12, 25)]}
LAST_DAY = dt.date(2019, 11, 15)

CATEGORIES = {
    "생활환경·교통안전": (["{d} 골목길 불법주차 단속 요청", "{d} 어린이보호구역 과속방지턱 설치 요청",
                      "{d} 쓰레기 무단투기 CCTV 설치 요청", "{d} 보행로 가로등 증설 요청",
                      "{d} 횡단보도 보행신호 시간 연장 건의"], ["주차관리과", "교통행정과", "청소과", "도로과"]),
    "도시": (["{d} 노후 보도블록 정비 요청", "{d} 근린공원 운동기구 교체 요청", "{d} 재개발 구역 안전펜스 보강 요청",
             "{s} 엘리베이터 설치 건의", "{d} 빗물받이 악취 개선 요청"], ["도로과", "공원녹지과", "도시계획과", "치수과"]),
    "복지보건·다문화": (["{d} 경로당 냉방기 교체 요청", "{d} 다문화가족 한국어 교실 확대", "{d} 장애인 편의시설 개선 요청",
                    "{d} 국공립 어린이집 확충 요청", "{d} 공공 심야약국 지정 건의"],
                   ["어르신복지과", "여성가족과", "복지정책과", "아동청소년과", "보건행정과"]),
    "교육문화": (["{d} 작은도서관 운영시간 연장 요청", "{d} 청소년 문화공간 조성 건의", "{d} 구립도서관 열람실 확충 요청",
               "{d} 생활문화센터 강좌 다양화 건의"], ["문화체육과", "교육지원과"]),
    "자치행정": (["{d} 주민센터 토요 민원창구 운영 건의", "{d} 주민자치회 회의 공개 요청", "{d} 무인민원발급기 추가 설치 요청"],
              ["자치행정과", "행정지원과"]),
    "지역경제·일자리": (["{d} 전통시장 공영주차장 확충 요청", "{d} 청년 창업공간 지원 확대 건의", "{d} 상점가 간판 정비 지원 요청",
                   "{d} 소상공인 경영 상담 확대 건의"], ["일자리경제과"]),
}
DONGS = ["영등포본동", "영등포동", "여의동", "당산1동", "당산2동", "도림동", "문래동", "양평1동", "양평2동",
         "신길1동", "신길3동", "신길4동", "신길5동", "신길6동", "신길7동", "대림1동", "대림2동", "대림3동"]
STATIONS = ["당산역", "영등포구청역", "신길역", "대림역", "문래역", "양평역", "선유도역"]
PLACES = ["영등포구청 별관 대회의실", "당산1동 주민센터", "문래창작촌 예술공간", "여의도 IFC 인근 회의실", "대림2동 주민센터",
          "신길5동 주민센터", "양평2동 주민센터", "영등포아트홀", "선유도공원 방문자센터", "영등포구청 기획상황실"]
PETITION_TEAM = ["ydp-0412", "ydp-0415", "ydp-0420"]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
SYLLABLES = "민서지현준우하은도윤수아예진시원가온나래다인보람"
OUTREACH = [("교육문화", "예술"), ("교육문화", "도서관"), ("경제도시", "소상공"), ("경제도시", "금융"),
            ("생활환경", "청소"), ("생활환경", "자전거")] + [("보건복지", t) for t in ["보육", "여성", "치매", "식품안전"] * 2] \
    + [("기타", t) for t in ["1인가구", "반려동물", "어르신 일자리", "외국인 주민", "청년 주거"]]
TOWNHALLS = [("교육", "청소년"), ("교육", "학부모"), ("문화", "생활체육"), ("경제", "청년"), ("경제", "전통시장"),
             ("보건복지", "아동"), ("생활환경", "청소"), ("생활환경", "주차"), ("생활환경", "보행친화"),
             ("안전", "안전보안관"), ("구정전반", None), ("구정전반", None)]
FIELD_DEPARTMENTS = {"교육문화": "문화체육과", "경제도시": "일자리경제과", "생활환경": "청소과", "보건복지": "보건행정과",
                     "기타": "소통기획과"}
DECLINE_REASONS = {"proceedings-pending": "관련 행정심판이 진행 중입니다.", "private-matter": "개인 간 분쟁에 관한 사항입니다.",
                   "unclear": "청원 내용과 연락처가 확인되지 않습니다.", "false-against-agency": "사실과 다른 내용이 확인되었습니다."}


def is_working(day):
    return day.weekday() < 5 and day not in HOLIDAYS_2019


def working_after(day, count):
    """The `count`-th working day after `day`."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working(day):
            count -= 1
    return day


def at(day, minutes):
    return dt.datetime(day.year, day.month, day.day, tzinfo=KST) + dt.timedelta(minutes=minutes)


def office_time(rng, day):
    return at(day, rng.randrange(9 * 60, 17 * 60 + 30, 5))


def split(rng, total, parts, low, high, weights=None):
    """`parts` whole numbers in [low, high] adding up to `total`."""
    while True:
        values = [rng.randint(low, high) for _ in range(parts)]
        if weights:
            scale = total / sum(weights)
            values = [max(low, round(w * scale)) for w in weights]
        difference = total - sum(values)
        index = 0
        while difference != 0 and index < 10000:
            i = rng.randrange(parts)
            step = 1 if difference > 0 else -1
            if low <= values[i] + step <= (high if not weights else 10 ** 6):
                values[i] += step
                difference -= step
            index += 1
        if difference == 0:
            return values


class Log:
    def __init__(self, rng):
        self.rng = rng
        self.cases = []  # (id, [event dicts])

    def case(self, case_id):
        events = []
        self.cases.append((case_id, events))
        return events

    def add(self, events, case_id, kind, when, actor, data, late=False, command=None):
        recorded = when + dt.timedelta(minutes=self.rng.randrange(3, 90))
        if late:
            recorded = at(working_after(when.date(), 1), self.rng.randrange(9 * 60, 11 * 60))
        events.append({"caseId": case_id, "type": kind, "occurredAt": when, "recordedAt": recorded,
                       "actor": actor, "data": data, "command": command})

    def lines(self):
        ordered = []
        for order, (case_id, events) in enumerate(self.cases):
            last = None
            for version, event in enumerate(events, start=1):
                # Within a case, later steps are entered after earlier ones.
                if last is not None and event["recordedAt"] < last:
                    event["recordedAt"] = last
                last = event["recordedAt"]
                ordered.append((event["recordedAt"], order, version, event))
        ordered.sort(key=lambda item: item[:3])
        lines, command, previous = [], 0, None
        for recorded, _, version, event in ordered:
            if event["command"] is None or event["command"] != previous:
                command += 1
            previous = event["command"]
            lines.append({
                "actor": event["actor"], "caseId": event["caseId"], "caseVersion": version,
                "commandId": f"cmd-2019-{command:06d}", "data": event["data"],
                "occurredAt": event["occurredAt"].isoformat(), "recordedAt": event["recordedAt"].isoformat(),
                "schemaVersion": 1, "type": event["type"]})
        return lines


def person(rng):
    return rng.choice(SURNAMES) + rng.choice(SYLLABLES) + rng.choice(SYLLABLES)


def casework(log, rng, events, case_id, filed_day, department, officers, kind, qualified_on=None, answer_after=None):
    """Review, visits, transfer, answer and outcome of an accepted case."""
    day = working_after(filed_day, rng.randint(1, 4))
    log.add(events, case_id, "reviewed", office_time(rng, day), rng.choice(PETITION_TEAM), {"department": department})
    if rng.random() < 0.38:
        for _ in range(1 if rng.random() < 0.85 else 2):
            day = working_after(day, rng.randint(1, 5))
            place = f"{rng.choice(DONGS)} 현장" if rng.random() < 0.7 else rng.choice(STATIONS)
            data = {"place": place, "findings": rng.choice(["현장 확인 결과 개선 필요", "주민 의견 청취", "시설 노후 확인",
                                                            "민원 내용과 일치"])}
            if rng.random() < 0.5:
                data["with"] = [rng.choice(PETITION_TEAM)]
            log.add(events, case_id, "site-visited", office_time(rng, day), rng.choice(officers), data, late=rng.random() < 0.15)
    answer_day = working_after(max(day, answer_after or day), rng.randint(2, 8))
    if qualified_on is not None:
        answer_day = working_after(max(day, qualified_on), rng.randint(8, 16))
    by = "mayor" if qualified_on is not None else "department"
    summary = rng.choice(["예산을 반영하여 연내 추진하겠습니다.", "관계 부서와 협의하여 개선하겠습니다.",
                          "현장 여건상 어려우나 대안을 검토하겠습니다.", "내년도 사업계획에 포함하여 검토하겠습니다."])
    log.add(events, case_id, "answered", office_time(rng, answer_day), "ydp-0001" if by == "mayor" else rng.choice(officers),
            {"by": by, "summary": summary})
    reflect_day = working_after(answer_day, rng.randint(2, 10))
    outcome = rng.choices(["adopted", "partly-adopted", "not-adopted", "long-term"], [30, 15, 35, 20])[0]
    data = {"outcome": outcome}
    if outcome in ("adopted", "partly-adopted"):
        data["policy"] = f"{department} 2019 주민 제안 실천과제"
    log.add(events, case_id, "reflected", office_time(rng, reflect_day), rng.choice(officers), data)


def generate(seed):
    rng = random.Random(seed)
    log = Log(rng)
    officers = {d: [f"ydp-{1000 + i * 7 + j:04d}" for j in range(2)] for i, d in
                enumerate(sorted({d for _, ds in CATEGORIES.values() for d in ds} | set(FIELD_DEPARTMENTS.values())))}

    # Sessions: outreach and town halls share one numbering, in date order.
    outreach_attendees = split(rng, 479, 19, 12, 45)
    proposals = split(rng, 111, 19, 1, 12, weights=outreach_attendees)
    townhall_attendees = split(rng, 1472, 12, 70, 190)
    plans = []
    for index, (field, theme) in enumerate(OUTREACH):
        month = 5 if theme == "금융" else rng.choice([2, 3, 4, 5, 6, 7, 8, 9])
        plans.append(("outreach", field, theme, month, outreach_attendees[index], proposals[index]))
    for index, (field, theme) in enumerate(TOWNHALLS):
        plans.append(("townhall", field, theme, rng.randint(2, 10), townhall_attendees[index], 0))
    dated = []
    for plan in plans:
        day = dt.date(2019, plan[3], rng.randint(1, 28))
        while not is_working(day):
            day += dt.timedelta(days=1)
        dated.append((at(day, rng.choice([10 * 60, 14 * 60, 15 * 60, 19 * 60])), rng.random(), plan))
    # Numbered in the order they were held.
    dated.sort()
    sessions = []
    proposal_number = 0
    for number, (held, _, (kind, field, theme, _, attendees, proposal_count)) in enumerate(dated, start=1):
        session_id = f"SES-2019-{number:03d}"
        day = held.date()
        events = log.case(session_id)
        data = {"kind": kind, "field": field, "attendees": attendees, "place": rng.choice(PLACES)}
        if theme:
            data["theme"] = theme
        events.append({"caseId": session_id, "type": "session-held", "occurredAt": held,
                       "recordedAt": held + dt.timedelta(hours=2), "actor": "ydp-0412", "data": data, "command": None})
        sessions.append((session_id, day, kind, field, theme))
        department = FIELD_DEPARTMENTS.get(field, "소통기획과")
        first_of_session = None
        for index in range(proposal_count):
            proposal_number += 1
            proposal_id = f"PRO-2019-{proposal_number:04d}"
            filed = held + dt.timedelta(minutes=10 + 4 * index)
            events = log.case(proposal_id)
            title = f"{theme or field} 관련 제안: " + rng.choice(["시설 확충", "프로그램 신설", "안내 강화", "예산 지원",
                                                                "운영시간 조정", "홍보 확대", "전담 인력 배치"])
            data = {"session": session_id, "title": title,
                    "category": rng.choice(list(CATEGORIES))}
            if rng.random() < 0.6:
                data["proposer"] = person(rng)
            events.append({"caseId": proposal_id, "type": "proposal-filed", "occurredAt": filed,
                           "recordedAt": held + dt.timedelta(hours=3, minutes=proposal_number), "actor": "ydp-0415",
                           "data": data, "command": None})
            if first_of_session and proposal_number in (37, 88):
                # The first proposal received wins.
                log.add(events, proposal_id, "closed-as-duplicate", office_time(rng, working_after(day, 2)), "ydp-0415",
                        {"of": first_of_session})
            elif proposal_number == 54:
                log.add(events, proposal_id, "declined", office_time(rng, working_after(day, 3)), "ydp-0415",
                        {"ground": "private-matter", "reason": DECLINE_REASONS["private-matter"]})
            else:
                casework(log, rng, events, proposal_id, day, department, officers[department], "proposal")
            first_of_session = first_of_session or proposal_id

    # Petitions, filed on working days from January to September.
    filing_days = sorted(d for d in (dt.date(2019, 1, 2) + dt.timedelta(days=i) for i in range(262)) if is_working(d))
    # Numbered in filing order.
    filed_times = sorted(office_time(rng, rng.choice(filing_days)) for _ in range(139))
    days = [filed.date() for filed in filed_times]
    qualifying = set(rng.sample(range(139), 4))
    declining = set(rng.sample(sorted(set(range(139)) - qualifying), 6))
    withdrawing = set(rng.sample(sorted(set(range(139)) - qualifying - declining), 3))
    duplicating = set(rng.sample(sorted(set(range(20, 139)) - qualifying - declining - withdrawing), 3))
    by_category = {}
    for index, day in enumerate(days):
        petition_id = f"PET-2019-{index + 1:04d}"
        category = rng.choice(list(CATEGORIES))
        templates, departments = CATEGORIES[category]
        title = rng.choice(templates).format(d=rng.choice(DONGS), s=rng.choice(STATIONS))
        filed = filed_times[index]
        events = log.case(petition_id)
        data = {"title": title, "category": category, "body": f"{title}에 관한 청원입니다. 주민 불편이 커서 개선을 요청합니다.",
                "petitioner": person(rng),
                "contact": f"010-0000-{rng.randrange(10000):04d}" if rng.random() < 0.7 else f"resident{rng.randrange(1000)}@example.com"}
        events.append({"caseId": petition_id, "type": "petition-filed", "occurredAt": filed,
                       "recordedAt": filed + dt.timedelta(minutes=2), "actor": "ydp-0412",
                       "data": data, "command": None})
        if index in duplicating and by_category.get(category):
            original = rng.choice(by_category[category][-5:])
            log.add(events, petition_id, "closed-as-duplicate", office_time(rng, working_after(day, 1)), "ydp-0412", {"of": original})
            continue
        by_category.setdefault(category, []).append(petition_id)
        total, qualified_on, endorse_day = 0, None, day
        rounds = rng.randint(1, 3) if index in qualifying else rng.choices([0, 1, 2, 3], [30, 35, 25, 10])[0]
        for round_number in range(rounds):
            endorse_day = working_after(endorse_day, rng.randint(1, 5))
            count = rng.randint(350, 600) if index in qualifying else rng.randint(3, 120)
            if index in qualifying and round_number == rounds - 1:
                count = max(count, 1000 - total + rng.randint(5, 300))
            when = at(endorse_day, 17 * 60 + 50)  # the board's daily count, at the close of office hours
            command = f"{petition_id}-endorse-{round_number}"
            log.add(events, petition_id, "endorsed", when, "ydp-0412", {"count": count}, command=command)
            events[-1]["recordedAt"] = when + dt.timedelta(minutes=5)
            total += count
            if total >= 1000 and qualified_on is None:
                events.append({"caseId": petition_id, "type": "qualified", "occurredAt": when,
                               "recordedAt": when + dt.timedelta(minutes=5), "actor": "ydp-0412",
                               "data": {"endorsements": total}, "command": command})
                qualified_on = endorse_day
        if index in declining:
            ground = rng.choice(sorted(DECLINE_REASONS))
            decide_day = working_after(max(day, endorse_day), rng.randint(1, 3))
            log.add(events, petition_id, "declined", office_time(rng, decide_day), rng.choice(PETITION_TEAM),
                    {"ground": ground, "reason": DECLINE_REASONS[ground]})
            continue
        department = rng.choice(departments)
        if index in withdrawing:
            review_day = working_after(max(day, endorse_day), 2)
            log.add(events, petition_id, "reviewed", office_time(rng, review_day), rng.choice(PETITION_TEAM), {"department": department})
            log.add(events, petition_id, "withdrawn", office_time(rng, working_after(review_day, 3)), rng.choice(PETITION_TEAM),
                    {"reason": "청원인이 자진 취하함"})
            continue
        window_closes = day + dt.timedelta(days=30)
        # Endorsements must all come before the review step that follows them in time.
        casework(log, rng, events, petition_id, max(day, endorse_day), department, officers[department], "petition",
                 qualified_on=qualified_on, answer_after=window_closes if qualified_on is None else None)

    # Communication records: about 20 sessions and two qualified petitions.
    chosen = sorted(rng.sample(sessions, 20))
    records = [(day, f"{'찾아가는 영등포1번가' if kind == 'outreach' else '타운홀미팅'} ({field}{' – ' + theme if theme else ''}) 소통 기록",
                [session_id]) for session_id, day, kind, field, theme in chosen]
    for index in sorted(qualifying)[:2]:
        records.append((days[index] + dt.timedelta(days=45), f"구민공감청원 구청장 답변: PET-2019-{index + 1:04d}",
                        [f"PET-2019-{index + 1:04d}"]))
    # Numbered in the order they were posted.
    posted = sorted((office_time(rng, working_after(day, rng.randint(3, 8))), title, about) for day, title, about in records)
    for number, (when, title, about) in enumerate(posted, start=1):
        record_id = f"REC-2019-{number:03d}"
        events = log.case(record_id)
        events.append({"caseId": record_id, "type": "record-posted", "occurredAt": when,
                       "recordedAt": when + dt.timedelta(minutes=2), "actor": "ydp-0420",
                       "data": {"title": title, "about": about}, "command": None})
    return log.lines()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--out", default="Fixtures/yeongdeungpo-2019.jsonl")
    arguments = parser.parse_args()
    lines = generate(arguments.seed)
    last = max(line["occurredAt"] for line in lines)
    assert last[:10] <= LAST_DAY.isoformat(), f"an event falls after {LAST_DAY}: {last}"
    with open(arguments.out, "w", encoding="utf-8", newline="\n") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {len(lines)} events to {arguments.out}")


if __name__ == "__main__":
    main()
