import SinmungoCore
@testable import SinmungoStore
import SinmungoViews
import Testing

/// A generated log of two years with random commands on top: sessions, proposals, duplicates.
func twoYearLog(cases: Int, seed: UInt64) throws -> SQLiteEventStore {
    let store = try SQLiteEventStore.inMemory(projections: caseViews)
    try store.generate(SyntheticLog(cases: cases, seed: seed, years: 2))
    try appendRandomCommands(to: store, count: 400, seed: seed)
    return store
}

/// `stats` folds the log one case at a time as the store reads it along its case index; the
/// figures must not depend on that order, nor on where a proposal's session falls in it.
@Suite("Monthly statistics folded case by case")
struct CaseByCaseStatisticsTests {
    @Test(arguments: [UInt64(3), 21])
    func theLogReadCaseByCaseGivesTheFiguresOfItsEventsInAnyOrderOfCases(seed: UInt64) throws {
        let store = try twoYearLog(cases: 150, seed: seed)
        let events = try store.events(at: .now)
        // Whole cases shuffled, each case's steps kept in order.
        var random = SeededGenerator(seed: seed)
        var firstSeen: [CaseID] = []
        let byCase = Dictionary(grouping: events, by: \.caseID)
        for event in events where byCase[event.caseID]!.first == event { firstSeen.append(event.caseID) }
        let shuffled = firstSeen.shuffled(using: &random).flatMap { byCase[$0]! }

        var streamedOrder: [CaseID] = []
        try store.forEachEvent(at: .now, order: .caseByCase) { event in
            if streamedOrder.last != event.caseID { streamedOrder.append(event.caseID) }
        }
        #expect(streamedOrder == firstSeen.sorted(), "each case's events come together")

        let statistics = MonthlyStatistics(clock: DeadlineClock(calendar: try .builtIn()), policy: .yeongdeungpo)
        let months = YearMonth(year: 2019, month: 1)!...YearMonth(year: 2020, month: 12)!
        for dimension in [nil] + StatisticsDimension.allCases.map(Optional.some) {
            let streamed = try statistics.compute(months: months, by: dimension) { fold in
                try store.forEachEvent(at: .now, order: .caseByCase, fold)
            }
            let shuffledFigures = try statistics.compute(shuffled, months: months, by: dimension)
            #expect(streamed == shuffledFigures, "by \(dimension?.rawValue ?? "nothing")")
            let totals = streamed.map(\.total)
            #expect(totals.contains { $0.openAtMonthEnd > 0 && $0.answered > 0 && $0.received > 0 })
            #expect(totals.contains { ($0.sessions[.outreach] ?? 0) + ($0.sessions[.townhall] ?? 0) > 0 })
        }
        // Proposals are counted under their session's channel, though their cases come first.
        let byChannel = try statistics.compute(shuffled, months: months, by: .channel)
        #expect(byChannel.contains { ($0.figures(of: .townhall)?.received ?? 0) > 0 })
    }
}

@Suite("Counts at a point in the past, folded case by case")
struct CaseByCaseCountsTests {
    @Test(arguments: [UInt64(4), 9])
    func countsFoldedCaseByCaseEqualTheCountsOfTheWholeFold(seed: UInt64) throws {
        let store = try twoYearLog(cases: 120, seed: seed)
        let events = try store.events(at: .now)
        let times = [events.count / 3, events.count * 2 / 3, events.count - 1].map { events[$0].recordedAt }
        let points = times.map { PointInTime(asOf: $0, effective: nil) } + times.map { PointInTime(asOf: nil, effective: $0) }
        for point in points {
            for year in [nil, 2019, 2020] {
                let whole = CaseCounts(CaseProjection.replay(try store.events(at: point)).values, year: year)
                var caseByCase = CaseCounts()
                try caseByCase.add(caseByCase: { try store.forEachEvent(at: point, order: .caseByCase, $0) }, ifFiledIn: year)
                #expect(caseByCase == whole, "at \(point), year \(year.map(String.init) ?? "all")")
                #expect(year != nil || whole.petitions > 10 && whole.proposals > 0 && whole.outreachSessions + whole.townHalls > 0)
            }
        }
    }
}
