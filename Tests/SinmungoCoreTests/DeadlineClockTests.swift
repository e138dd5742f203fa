import SinmungoCore
import Testing

/// Deadlines counted by hand from the 2019 government calendar.
@Suite("Legal deadlines in KST working days and calendar days")
struct DeadlineClockTests {
    static let holidays2019 = """
        # 2019, as in RULES.md
        2019-01-01 신정
        2019-02-04 설날
        2019-02-05 설날
        2019-02-06 설날
        2019-03-01 삼일절
        2019-05-05 어린이날
        2019-05-06 대체공휴일
        2019-05-12 부처님오신날
        2019-06-06 현충일
        2019-08-15 광복절
        2019-09-12 추석
        2019-09-13 추석
        2019-09-14 추석
        2019-10-03 개천절
        2019-10-09 한글날
        2019-12-25 기독탄신일
        """

    let clock: DeadlineClock

    init() throws {
        var calendar = HolidayCalendar()
        try calendar.add(year: 2019, fileContents: Self.holidays2019, source: "2019.txt")
        clock = DeadlineClock(calendar: calendar)
    }

    func at(_ month: Int, _ day: Int, _ hour: Int = 10, _ minute: Int = 0) -> Instant {
        Instant(kst: CivilDate(year: 2019, month: month, day: day)!, hour: hour, minute: minute)
    }

    func endOf(_ month: Int, _ day: Int) -> Instant {
        DeadlineClock.endOfDay(CivilDate(year: 2019, month: month, day: day)!)
    }

    @Test
    func ninetyCalendarDaysEndingOnASundayMoveToMonday() throws {
        // 4 March + 90 days = 2 June, a Sunday.
        #expect(try clock.calendarDays(90, after: at(3, 4)) == endOf(6, 3))
    }

    @Test
    func aPeriodEndingInSeollalMovesPastAllThreeDays() throws {
        // 5 January + 30 = 4 February: 설날 runs 4–6 February.
        #expect(try clock.calendarDays(30, after: at(1, 5)) == endOf(2, 7))
    }

    @Test
    func theChildrensDaySubstituteHolidayIsNotAWorkingDay() throws {
        // 6 April + 30 = 6 May, the substitute for 어린이날 on Sunday 5 May.
        #expect(try clock.calendarDays(30, after: at(4, 6)) == endOf(5, 7))
        #expect(try !clock.calendar.isWorkingDay(CivilDate(year: 2019, month: 5, day: 6)!))
    }

    @Test
    func chuseokAndTheWeekendAfterIt() throws {
        // 13 August + 30 = 12 September: 추석 12–14, then Sunday the 15th.
        #expect(try clock.calendarDays(30, after: at(8, 13)) == endOf(9, 16))
    }

    @Test
    func workingDaysCountTheFirstDayAndSkipHolidays() throws {
        // Friday 1 February is day 1; 4–6 February are 설날.
        #expect(try clock.processingDays(10, from: at(2, 1)) == endOf(2, 19))
        // Starting on a Saturday, counting begins on Monday.
        #expect(try clock.processingDays(6, from: at(3, 2)) == endOf(3, 11))
    }

    @Test
    func shortPeriodsCountEightWorkingHoursADay() throws {
        // Friday 3 May 17:00: 1 hour that day, then Monday 6 May is a holiday;
        // Tuesday gives 8, Wednesday the remaining 7 by 17:00.
        #expect(try clock.processingDays(2, from: at(5, 3, 17)) == at(5, 8, 17))
        // Lunch (12:00–13:00) is not a working hour.
        #expect(try clock.workingHours(2, after: at(7, 1, 11)) == at(7, 1, 14))
    }

    @Test
    func monthsEndOnTheSameDayOrTheMonthsLast() throws {
        #expect(try clock.calendarMonths(1, after: at(3, 15)) == endOf(4, 15))
        #expect(try clock.calendarMonths(1, after: at(1, 31)) == endOf(2, 28))
        // 31 October + 1 month = 30 November, a Saturday.
        #expect(try clock.calendarMonths(1, after: at(10, 31)) == endOf(12, 2))
    }

    @Test
    func theKSTDayDecidesAroundMidnight() throws {
        // 23:59 on 31 October and 00:00 on 1 November KST are different filing days.
        let lastMinute = at(10, 31, 23, 59)
        let midnight = lastMinute.adding(seconds: 60)
        #expect(midnight.kstDate == CivilDate(year: 2019, month: 11, day: 1))
        // Eleven days after 31 October is Monday 11 November; after 1 November, Tuesday the 12th.
        #expect(try clock.calendarDays(11, after: lastMinute) == endOf(11, 11))
        #expect(try clock.calendarDays(11, after: midnight) == endOf(11, 12))
        // The same moment written in UTC falls on the KST day.
        #expect(Instant(iso8601: "2019-10-31T15:00:00Z") == midnight)
    }

    @Test
    func aYearWithoutACalendarIsAnErrorNotAGuess() throws {
        #expect(throws: HolidayCalendar.Failure.missingYear(2020)) {
            _ = try clock.calendarDays(90, after: at(11, 1))
        }
    }

    @Test
    func aBadHolidayLineIsRefusedWithItsLine() throws {
        var calendar = HolidayCalendar()
        #expect(
            throws: HolidayCalendar.Failure.badLine(
                source: "2019.txt", line: 2, reason: "\"2019-02-30\" is not a date YYYY-MM-DD")
        ) {
            try calendar.add(year: 2019, fileContents: "2019-01-01 신정\n2019-02-30 설날\n", source: "2019.txt")
        }
        #expect(throws: HolidayCalendar.Failure.badLine(source: "2019.txt", line: 1, reason: "2020-01-01 is not in 2019")) {
            try calendar.add(year: 2019, fileContents: "2020-01-01 신정\n", source: "2019.txt")
        }
    }

    @Test
    func aPetitionsOpenDeadlines() throws {
        let filed = at(3, 4)
        let unqualified = DeadlineSubject(kind: .petition, status: .reviewed, filedAt: filed)
        // Window: 4 March + 30 = 3 April. Department: 10 working days from 4 April = 17 April.
        #expect(
            try clock.openDeadlines(of: unqualified, policy: .yeongdeungpo) == [
                Deadline(kind: .endorsementWindow, due: endOf(4, 3)),
                Deadline(kind: .departmentAnswer, due: endOf(4, 17)),
                Deadline(kind: .statutoryResult, due: endOf(6, 3)),
            ])
        // Qualified on 20 March: the mayor has 20 working days, 20 March to 16 April.
        let qualified = DeadlineSubject(kind: .petition, status: .reviewed, filedAt: filed, qualifiedAt: at(3, 20))
        #expect(
            try clock.openDeadlines(of: qualified, policy: .yeongdeungpo) == [
                Deadline(kind: .mayoralAnswer, due: endOf(4, 16)),
                Deadline(kind: .statutoryResult, due: endOf(6, 3)),
            ])
        // One extension of 60 days: 4 March + 150 = 1 August.
        let extended = DeadlineSubject(kind: .petition, status: .visited, filedAt: filed, extensionDays: 60)
        #expect(
            try clock.openDeadlines(of: extended, policy: .yeongdeungpo).last
                == Deadline(kind: .statutoryResult, due: endOf(8, 1)))
        // Closed cases owe nothing.
        let closed = DeadlineSubject(kind: .petition, status: .reflected, filedAt: filed)
        #expect(try clock.openDeadlines(of: closed, policy: .yeongdeungpo).isEmpty)
        // A proposal is decided within a month.
        let proposal = DeadlineSubject(kind: .proposal, status: .filed, filedAt: at(5, 21))
        #expect(
            try clock.openDeadlines(of: proposal, policy: .yeongdeungpo) == [Deadline(kind: .proposalDecision, due: endOf(6, 21))]
        )
    }

    @Test
    func theStatutoryPeriodIsExtendedOnceByAtMostSixtyDays() throws {
        let filed = CaseState(initial: CaseID("PET-2019-0001"))
            .applying(.petitionFiled(PetitionFiled(title: "t", category: "도시")), occurredAt: at(3, 4))
            .applying(.reviewed(Reviewed(department: "도로과")), occurredAt: at(3, 5))
        let context = DecisionContext(policy: .yeongdeungpo, occurredAt: at(5, 20), now: at(5, 20))
        #expect(throws: Refusal.invalidValue(case: CaseID("PET-2019-0001"), field: "days", problem: "may be at most 60, not 61"))
        {
            _ = try Decider.decide(.extend(Extended(days: 61, reason: "현장 조사")), on: filed, context: context)
        }
        let events = try Decider.decide(.extend(Extended(days: 60, reason: "현장 조사")), on: filed, context: context)
        #expect(events == [.extended(Extended(days: 60, reason: "현장 조사"))])
        let extended = filed.applying(events[0], occurredAt: at(5, 20))
        #expect(extended.extensionDays == 60)
        #expect(
            throws: Refusal.invalidValue(
                case: CaseID("PET-2019-0001"), field: "extension", problem: "was already granted (60 days); the law allows one")
        ) {
            _ = try Decider.decide(.extend(Extended(days: 10, reason: "추가 조사")), on: extended, context: context)
        }
    }
}
