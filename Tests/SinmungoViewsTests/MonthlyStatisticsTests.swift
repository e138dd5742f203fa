import SinmungoCore
import SinmungoViews
import Testing

@Suite("Monthly statistics, folded from events")
struct MonthlyStatisticsTests {
    func clock() throws -> DeadlineClock {
        var calendar = HolidayCalendar()
        try calendar.add(year: 2019, fileContents: "2019-06-06 현충일\n2019-08-15 광복절\n", source: "2019.txt")
        return DeadlineClock(calendar: calendar)
    }

    func event(_ sequence: Int64, _ id: String, _ version: Int, _ event: CaseEvent, _ month: Int, _ day: Int) -> RecordedEvent {
        let at = Instant(kst: CivilDate(year: 2019, month: month, day: day)!, hour: 10)
        return RecordedEvent(
            sequence: sequence, caseID: CaseID(id), caseVersion: version, occurredAt: at, recordedAt: at, actor: "ydp-0412",
            commandID: "c\(sequence)", event: event)
    }

    @Test
    func correctionsOfAttendanceLandInTheMonthTheSessionWasHeld() throws {
        let log = [
            event(1, "SES-2019-001", 1, .sessionHeld(SessionHeld(kind: .townhall, field: "안전", attendees: 100)), 6, 4),
            event(2, "SES-2019-001", 2, .corrected(Corrected(field: .attendees, value: "120", reason: "재집계")), 7, 1),
            event(3, "SES-2019-001", 3, .corrected(Corrected(field: .attendees, value: "110", reason: "중복 제외")), 8, 1),
        ]
        let june = YearMonth(year: 2019, month: 6)!
        let august = YearMonth(year: 2019, month: 8)!
        let months = try MonthlyStatistics(clock: clock(), policy: .yeongdeungpo).compute(log, months: june...august, by: nil)
        #expect(months.map { $0.total.attendees[.townhall] ?? 0 } == [110, 0, 0])
        #expect(months.map { $0.total.sessions[.townhall] ?? 0 } == [1, 0, 0])
    }

    @Test
    func answersWithinAndAfterTheirDeadlineAndOpenCasesAtMonthEnd() throws {
        let filed = PetitionFiled(title: "t", category: "도시")
        let log = [
            event(1, "PET-2019-0001", 1, .petitionFiled(filed), 6, 3),
            event(2, "PET-2019-0002", 1, .petitionFiled(filed), 6, 3),
            event(3, "PET-2019-0001", 2, .reviewed(Reviewed(department: "도로과")), 6, 5),
            event(4, "PET-2019-0002", 2, .reviewed(Reviewed(department: "도로과")), 6, 5),
            // The window closes 3 July; the department has 10 working days from 4 July: 17 July.
            event(5, "PET-2019-0001", 3, .answered(Answered(summary: "a", by: .department)), 7, 17),
            event(6, "PET-2019-0002", 3, .answered(Answered(summary: "a", by: .department)), 7, 18),
        ]
        let june = YearMonth(year: 2019, month: 6)!
        let july = YearMonth(year: 2019, month: 7)!
        let statistics = MonthlyStatistics(clock: try clock(), policy: .yeongdeungpo)
        let months = try statistics.compute(log, months: june...july, by: .department)
        #expect(months[0].total.received == 2)
        #expect(months[0].total.openAtMonthEnd == 2)
        #expect(months[1].total.answered == 2)
        #expect(months[1].total.answeredWithinDeadline == 1)
        #expect(months[1].total.daysToAnswer.sorted() == [44, 45])
        #expect(months[1].total.medianDaysToAnswer == 44)
        #expect(months[1].groups["도로과"]?.answered == 2)
        #expect(months[1].total.openAtMonthEnd == 2, "answered, not yet reflected: still open")
    }

    @Test
    func aCaseDatedInAYearWithoutACalendarIsCountedAsNotComputableAndNeverStopsTheFigures() throws {
        let filed = PetitionFiled(title: "t", category: "도시")
        let mistyped = Instant(kst: CivilDate(year: 1900, month: 3, day: 4)!, hour: 10)
        let log = [
            RecordedEvent(
                sequence: 1, caseID: CaseID("PET-1900-0001"), caseVersion: 1, occurredAt: mistyped,
                recordedAt: Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10), actor: "ydp-0412",
                commandID: "c1", event: .petitionFiled(filed)),
            event(2, "PET-2019-0001", 1, .petitionFiled(filed), 6, 3),
            event(3, "PET-2019-0001", 2, .reviewed(Reviewed(department: "도로과")), 6, 4),
            event(4, "PET-2019-0001", 3, .answered(Answered(summary: "a", by: .department)), 6, 10),
            event(5, "PET-1900-0001", 2, .reviewed(Reviewed(department: "도로과")), 6, 11),
            event(6, "PET-1900-0001", 3, .answered(Answered(summary: "a", by: .department)), 6, 12),
        ]
        let june = YearMonth(year: 2019, month: 6)!
        let months = try MonthlyStatistics(clock: clock(), policy: .yeongdeungpo).compute(log, months: june...june, by: nil)
        let figures = months[0].total
        #expect(figures.answered == 2)
        // The 2019 answer is on time; the 1900 case's deadline cannot be counted, and says so.
        #expect(figures.answeredWithinDeadline == 1)
        #expect(figures.deadlineNotComputable == 1)
    }

    @Test("cases sent to and received from other offices (이송) are counted in the KST month they moved")
    func transfersBetweenOfficesAreCountedByMonth() throws {
        let filed = PetitionFiled(title: "t", category: "도시")
        let sent = SentToOffice(office: "구로구", receivedAs: CaseID("PET-2019-0007"), sequence: 9, chainedOn: "00", reason: "소관")
        let received = ReceivedFromOffice(
            office: "동작구", sentAs: CaseID("PET-2019-0003"), sequence: 4, hash: "00", title: "t", category: "교통", reason: "소관")
        let log = [
            event(1, "PET-2019-0001", 1, .petitionFiled(filed), 6, 3),
            event(2, "PET-2019-0002", 1, .petitionFiled(filed), 6, 4),
            event(3, "PET-2019-0001", 2, .sentToOffice(sent), 6, 28),
            // Past midnight in Korea on 1 July, still 30 June in UTC: a July transfer.
            RecordedEvent(
                sequence: 4, caseID: CaseID("PET-2019-0003"), caseVersion: 1,
                occurredAt: Instant(kst: CivilDate(year: 2019, month: 7, day: 1)!, hour: 0).adding(seconds: 600),
                recordedAt: Instant(kst: CivilDate(year: 2019, month: 7, day: 1)!, hour: 1), actor: "ydp-0412",
                commandID: "c4", event: .receivedFromOffice(received)),
        ]
        let june = YearMonth(year: 2019, month: 6)!
        let july = YearMonth(year: 2019, month: 7)!
        let months = try MonthlyStatistics(clock: clock(), policy: .yeongdeungpo).compute(log, months: june...july, by: .category)
        #expect(months.map(\.total.sentToOffice) == [1, 0])
        #expect(months.map(\.total.receivedFromOffice) == [0, 1])
        // The received petition is filed under its own category, and open here from then on;
        // the sent one is closed here.
        #expect(months[1].groups["교통"]?.receivedFromOffice == 1)
        #expect(months[0].total.received == 2)
        #expect(months[0].total.openAtMonthEnd == 1)
        #expect(months[1].total.openAtMonthEnd == 2)
        #expect(months[0].groups["도시"]?.sentToOffice == 1)
    }

    @Test("a proposal takes the channel and field of its session, wherever its case comes in the fold")
    func proposalsTakeTheChannelAndFieldOfTheirSession() throws {
        // "A-" sorts before "SES-": folded case by case, this proposal comes before its session.
        let log = [
            event(1, "SES-2019-001", 1, .sessionHeld(SessionHeld(kind: .townhall, field: "안전", attendees: 40)), 6, 4),
            event(2, "A-2019-0001", 1, .proposalFiled(ProposalFiled(session: CaseID("SES-2019-001"), title: "t")), 6, 5),
            event(3, "A-2019-0001", 2, .reviewed(Reviewed(department: "도로과")), 7, 1),
            event(4, "SES-2019-002", 1, .sessionHeld(SessionHeld(kind: .outreach, field: "교통", attendees: 9)), 6, 7),
            event(5, "PRO-2019-0001", 1, .proposalFiled(ProposalFiled(session: CaseID("SES-2019-002"), title: "t")), 6, 8),
            // A session no event holds: an outreach proposal of no field, as before sessions were kept.
            event(6, "PRO-2019-0002", 1, .proposalFiled(ProposalFiled(session: CaseID("SES-2019-404"), title: "t")), 6, 9),
        ]
        let june = YearMonth(year: 2019, month: 6)!
        let july = YearMonth(year: 2019, month: 7)!
        let statistics = MonthlyStatistics(clock: try clock(), policy: .yeongdeungpo)
        for order in [log, log.reversed()] {
            let byChannel = try statistics.compute(order, months: june...july, by: .channel)
            #expect(byChannel[0].figures(of: .townhall)?.received == 1)
            #expect(byChannel[0].figures(of: .outreach)?.received == 2)
            #expect(byChannel[0].figures(of: .townhall)?.openAtMonthEnd == 1)
            #expect(byChannel[1].figures(of: .townhall)?.reviewed == 1)
            #expect(byChannel[0].total.received == 3)
            let byField = try statistics.compute(order, months: june...june, by: .field)[0]
            #expect(byField.groups["안전"]?.received == 1)
            #expect(byField.groups["안전"]?.sessions[.townhall] == 1)
            #expect(byField.groups["교통"]?.received == 1)
            #expect(byField.groups["(none)"]?.received == 1)
        }
    }

    @Test
    func mergingFiguresAddsEveryOne() throws {
        var figures = MonthFigures()
        figures.received = 1
        figures.reviewed = 2
        figures.declined = [.secret: 3]
        figures.siteVisits = 4
        figures.answered = 5
        figures.answeredWithinDeadline = 6
        figures.reflected = [.adopted: 7]
        figures.withdrawn = 8
        figures.sentToOffice = 9
        figures.receivedFromOffice = 10
        figures.openAtMonthEnd = 11
        figures.overdueAtMonthEnd = 12
        figures.deadlineNotComputable = 13
        figures.daysToAnswer = [14]
        figures.endorsements = 15
        figures.sessions = [.townhall: 16]
        figures.attendees = [.townhall: 17]
        // A figure added to `MonthFigures` and not set here fails this, and so is not forgotten by `merge`.
        for child in Mirror(reflecting: figures).children {
            #expect(String(describing: child.value) != String(describing: Mirror(reflecting: MonthFigures()).descendant(child.label!)!), "\(child.label!) is set")
        }
        var sum = MonthFigures()
        sum.merge(figures)
        #expect(sum == figures)
        sum.merge(figures)
        #expect(sum.received == 2 && sum.declined == [.secret: 6] && sum.daysToAnswer == [14, 14] && sum.attendees == [.townhall: 34])
    }
}
