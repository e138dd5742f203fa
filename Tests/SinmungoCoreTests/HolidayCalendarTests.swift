import Foundation
import SinmungoCore
import Testing

@Suite("Holiday calendars built in, and legal periods counted once")
struct HolidayCalendarTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/holidays")

    func kst(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 10) -> Instant {
        Instant(kst: CivilDate(year: year, month: month, day: day)!, hour: hour)
    }

    func petition(filed: Instant, qualified: Instant? = nil) -> DeadlineSubject {
        DeadlineSubject(kind: .petition, status: .filed, filedAt: filed, qualifiedAt: qualified)
    }

    @Test
    func theBuiltInCalendarsAreTheFixtureFilesByteForByte() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".txt") }
        let years = files.compactMap { Int($0.dropLast(4)) }.sorted()
        #expect(BuiltInHolidays.files.keys.sorted() == years, "run Scripts/embed-holidays.sh")
        for year in years {
            let data = try Data(contentsOf: Self.folder.appendingPathComponent("\(year).txt"))
            #expect(Data((BuiltInHolidays.files[year] ?? "").utf8) == data, "\(year).txt: run Scripts/embed-holidays.sh")
        }
    }

    @Test
    func theBuiltInCalendarsRunThrough2030AndMarkTheComputedYearsProvisional() throws {
        let calendar = try HolidayCalendar.builtIn()
        #expect(calendar.years == Array(2019...2030))
        #expect(calendar.provisionalYears == [2027, 2028, 2029, 2030])
        #expect(try calendar.isHoliday(CivilDate(year: 2027, month: 2, day: 9)!))  // 대체공휴일 (설날)
        #expect(try calendar.isHoliday(CivilDate(year: 2028, month: 4, day: 12)!))  // 제23대 국회의원선거
        #expect(try calendar.isHoliday(CivilDate(year: 2030, month: 6, day: 12)!))  // 지방선거, a week after 6/5 (현충일 next day)
        #expect(try !calendar.isHoliday(CivilDate(year: 2026, month: 5, day: 1)!))  // 노동절: see 2026.txt
    }

    @Test
    func aFolderYearReplacesTheBuiltInOneAndCanDropTheProvisionalMark() throws {
        var calendar = try HolidayCalendar.builtIn()
        var extra = HolidayCalendar()
        try extra.add(year: 2027, fileContents: "2027-11-26 임시공휴일\n", source: "2027.txt")
        try extra.add(year: 2031, fileContents: "# provisional\n2031-01-01 신정\n", source: "2031.txt")
        calendar.merge(extra)
        #expect(try calendar.isHoliday(CivilDate(year: 2027, month: 11, day: 26)!))
        #expect(try !calendar.isHoliday(CivilDate(year: 2027, month: 2, day: 9)!))
        #expect(calendar.provisionalYears == [2028, 2029, 2030, 2031])
        #expect(calendar.lastYear == 2031)
    }

    @Test
    func aPetitionFiledOn27November2026HasDeadlinesIn2027() throws {
        let clock = DeadlineClock(calendar: try .builtIn())
        let subject = petition(filed: kst(2026, 11, 27))
        let deadlines = try clock.openDeadlines(of: subject, policy: .yeongdeungpo)
        // 27 Dec is a Sunday: the window runs to Monday 28 Dec; the answer counts 10 working days
        // from 29 Dec, skipping 1 Jan 2027.
        #expect(deadlines.map(\.kind) == [.endorsementWindow, .departmentAnswer, .statutoryResult])
        #expect(deadlines[0].due == DeadlineClock.endOfDay(CivilDate(year: 2026, month: 12, day: 28)!))
        #expect(deadlines[1].due == DeadlineClock.endOfDay(CivilDate(year: 2027, month: 1, day: 12)!))
        #expect(deadlines[2].due == DeadlineClock.endOfDay(CivilDate(year: 2027, month: 2, day: 25)!))
        #expect(deadlines.map(\.provisional) == [false, true, true])
    }

    @Test
    func aPetitionReachingTheThresholdOnItsLastLegalDayQualifies() throws {
        var state = CaseState(initial: CaseID("PET-2026-0001"))
        state.apply(.petitionFiled(PetitionFiled(title: "t", category: "도시")), occurredAt: kst(2026, 11, 27))
        state.apply(.endorsed(Endorsed(count: 999)), occurredAt: kst(2026, 12, 1))
        // Day 30 is Sunday 27 Dec, so the window ends at 23:59:59 on Monday 28 Dec.
        let lastDay = Instant(kst: CivilDate(year: 2026, month: 12, day: 28)!, hour: 23, minute: 59, second: 59)
        let context = DecisionContext(policy: .yeongdeungpo, occurredAt: lastDay, now: lastDay)
        #expect(
            try Decider.decide(.endorse(count: 1), on: state, context: context) == [
                .endorsed(Endorsed(count: 1)), .qualified(Qualified(endorsements: 1000)),
            ])
        let tooLate = DecisionContext(
            policy: .yeongdeungpo, occurredAt: lastDay.adding(seconds: 1), now: lastDay.adding(seconds: 1))
        #expect(refusal { _ = try Decider.decide(.endorse(count: 1), on: state, context: tooLate) } != nil)
    }

    @Test
    func theWindowIsNotAnOfficersTaskAndDoesNotHideTheAnswerDeadline() throws {
        let clock = DeadlineClock(calendar: try .builtIn())
        let subject = petition(filed: kst(2026, 11, 27))
        // After the window closed, before the department's answer is due: nothing is missed.
        let task = clock.nextTask(of: subject, policy: .yeongdeungpo, at: kst(2026, 12, 30))
        let answer = try clock.deadline(.departmentAnswer, of: subject, policy: .yeongdeungpo)
        #expect(task == .open(answer, overdue: false))
        #expect(clock.nextTask(of: subject, policy: .yeongdeungpo, at: kst(2027, 1, 13)).isOverdue)
    }

    @Test
    func aDeadlineInAYearWithoutACalendarIsNotComputableButKnownNotMissedBeforeThatYear() throws {
        var calendar = HolidayCalendar()
        try calendar.add(year: 2030, fileContents: "", source: "2030.txt")
        let clock = DeadlineClock(calendar: calendar)
        let subject = petition(filed: kst(2030, 12, 20))
        #expect(throws: HolidayCalendar.Failure.missingYear(2031)) {
            _ = try clock.openDeadlines(of: subject, policy: .yeongdeungpo)
        }
        #expect(
            clock.nextTask(of: subject, policy: .yeongdeungpo, at: kst(2030, 12, 31))
                == .notYetCountable(.departmentAnswer, year: 2031))
        let later = clock.nextTask(of: subject, policy: .yeongdeungpo, at: kst(2031, 2, 1))
        #expect(later == .notComputable(.departmentAnswer, year: 2031))
        #expect(later.problem == "no holiday calendar for 2031")
        // A case filed in a mistyped year is not computable either, and never throws.
        let typo = petition(filed: kst(1900, 3, 4))
        #expect(
            clock.nextTask(of: typo, policy: .yeongdeungpo, at: kst(2030, 6, 1)) == .notComputable(.departmentAnswer, year: 1900))
    }
}
