import SinmungoCore
import SinmungoViews
import Testing

@Suite("Small-cell suppression and channels, in the library")
struct SmallCellSuppressionTests {
    @Test
    func countsFromOneToBelowTheThresholdAreBlankedAndZeroIsNot() throws {
        let rule = try #require(SmallCellSuppression(below: 5))
        #expect([0, 1, 4, 5, 12].map(rule.published) == [0, nil, nil, 5, 12])
    }

    @Test
    func aThresholdBelowOneIsRefusedAndNoneBlanksNothing() {
        #expect(SmallCellSuppression(below: 0) == nil)
        #expect(SmallCellSuppression(below: -3) == nil)
        #expect(SmallCellSuppression.none.published(1) == 1)
        #expect(SmallCellSuppression(below: nil) == SmallCellSuppression.none)
    }

    @Test
    func ratesOfAGroupWithFewAnswersAreBlankedWithThem() throws {
        let rule = try #require(SmallCellSuppression(below: 3))
        var figures = MonthFigures()
        figures.received = 10
        figures.answered = 2
        #expect(rule.hidesRates(of: figures))
        figures.answered = 3
        #expect(!rule.hidesRates(of: figures))
    }

    @Test
    func statisticsGroupByChannelAndAreReadBackByTheEnum() throws {
        let at = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)
        func event(_ sequence: Int64, _ id: String, _ event: CaseEvent) -> RecordedEvent {
            RecordedEvent(
                sequence: sequence, caseID: CaseID(id), caseVersion: 1, occurredAt: at, recordedAt: at, actor: "ydp-0412",
                commandID: "c\(sequence)", event: event)
        }
        let log = [
            event(1, "PET-2019-0001", .petitionFiled(PetitionFiled(title: "t", category: "도시"))),
            event(2, "SES-2019-001", .sessionHeld(SessionHeld(kind: .townhall, field: "안전", attendees: 40))),
            event(3, "PRO-2019-0001", .proposalFiled(ProposalFiled(session: CaseID("SES-2019-001"), title: "p"))),
            event(4, "PRO-2019-0002", .proposalFiled(ProposalFiled(session: CaseID("SES-2019-001"), title: "q"))),
        ]
        let june = YearMonth(year: 2019, month: 6)!
        let months = try MonthlyStatistics(clock: DeadlineClock(calendar: HolidayCalendar()), policy: .yeongdeungpo)
            .compute(log, months: june...june, by: .channel)
        #expect(months[0].figures(of: .board)?.received == 1)
        #expect(months[0].figures(of: .townhall)?.received == 2)
        #expect(months[0].figures(of: .outreach) == nil)
        #expect(Set(months[0].groups.keys) == ["영등포신문고", "타운홀미팅"])
        #expect(Channel(SessionKind.outreach).name == "찾아가는 영등포1번가")
    }
}
