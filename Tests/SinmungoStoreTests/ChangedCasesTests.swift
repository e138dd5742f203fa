import SinmungoCore
import SinmungoViews
import Testing

@testable import SinmungoStore

/// `stats`, `report` and `counts --effective` read every case's row at the log's head and fold
/// from the log only the cases that changed in the months or since the moment asked about.
/// Their figures must be those of the fold of every case.
@Suite("Reads that fold only the cases that changed")
struct ChangedCasesTests {
    /// The two-year log, then in March 2021, long after the rest: the categories of some open
    /// cases and the attendance of some sessions corrected, and one open petition reviewed.
    static func log(seed: UInt64) throws -> SQLiteEventStore {
        let store = try twoYearLog(cases: 150, seed: seed)
        let rows = try store.rows(of: CaseProjection.self, at: .now).sorted { $0.key.rawValue < $1.key.rawValue }
        var time = Instant(kst: CivilDate(year: 2021, month: 3, day: 2)!, hour: 10)
        func run(_ command: CaseCommand, on id: CaseID) throws {
            time = time.adding(seconds: 600)
            let sinmungo = CaseService(store: store, now: { [time] in time.adding(seconds: 60) })
            _ = try sinmungo.execute(command, on: id, metadata: metadata(at: time))
        }
        for (index, (id, row)) in rows.enumerated() where index % 4 == 0 {
            switch row.kind {
            case .petition, .proposal:
                if row.status.isClosed { continue }
                try run(.correct(Corrected(field: .category, value: "교육문화", reason: "분류 정정")), on: id)
            case .session:
                try run(.correct(Corrected(field: .attendees, value: String((row.attendees ?? 0) + 7), reason: "명부 대조")), on: id)
            default:
                break
            }
        }
        if let filed = rows.first(where: { $0.value.kind == .petition && $0.value.status == .filed }) {
            try run(.review(department: "도로과"), on: filed.key)
        }
        return store
    }

    static let ranges: [ClosedRange<YearMonth>] = [
        (2019, 1, 2019, 12), (2020, 1, 2020, 12), (2019, 1, 2021, 12), (2019, 2, 2019, 2), (2020, 6, 2020, 6),
        // After the two years and before the corrections, the corrections' month, after them, and before the log.
        (2021, 1, 2021, 2), (2021, 3, 2021, 3), (2021, 6, 2021, 12), (2018, 1, 2018, 12),
    ].map { YearMonth(year: $0.0, month: $0.1)!...YearMonth(year: $0.2, month: $0.3)! }

    @Test(arguments: [UInt64(3), 21])
    func monthlyFiguresFromTheCaseListAndTheChangedCasesAreThoseOfEveryCase(seed: UInt64) throws {
        let store = try Self.log(seed: seed)
        let caseCount = try store.rows(of: CaseProjection.self, at: .now).count
        let events = try store.events(at: .now).filter { !$0.type.isRoster }
        /// The cases with a step in the months or after them, filed before they end: what a row cannot tell.
        func changed(since months: ClosedRange<YearMonth>) -> Set<CaseID> {
            let filed = Dictionary(events.map { ($0.caseID, $0.occurredAt) }, uniquingKeysWith: min)
            return Set(
                events.filter { $0.occurredAt >= months.lowerBound.start && filed[$0.caseID]! < months.upperBound.end }.map(
                    \.caseID))
        }
        let statistics = MonthlyStatistics(clock: DeadlineClock(calendar: try .builtIn()), policy: .yeongdeungpo)
        for months in Self.ranges {
            for dimension in [nil] + StatisticsDimension.allCases.map(Optional.some) {
                let everyCase = try statistics.compute(months: months, by: dimension) { fold in
                    try store.forEachEvent(at: .now, order: .caseByCase, fold)
                }
                var folded: [CaseID] = []
                let changedOnly = try statistics.compute(
                    months: months, by: dimension,
                    currentRows: { visit in try store.forEachRow(of: CaseProjection.self, at: .now, visit) },
                    steps: { cases, fold in
                        folded = cases
                        try store.forEachEvent(at: .now, ofCases: cases, fold)
                    })
                let label = "\(months.lowerBound)…\(months.upperBound) by \(dimension?.rawValue ?? "nothing")"
                #expect(changedOnly == everyCase, "\(label)")
                switch months.lowerBound.year {
                case 2018: #expect(folded.isEmpty, "\(label): before the log")
                case 2021 where months.lowerBound.month > 3: #expect(folded.isEmpty, "\(label): nothing changed since")
                case 2021:
                    #expect(Set(folded) == changed(since: months), "\(label): only the cases changed since are read")
                    #expect(folded.count > 10 && folded.count < caseCount / 2, "\(label)")
                default: if months.lowerBound == months.upperBound { #expect(folded.count < caseCount / 2, "\(label)") }
                }
            }
        }
        // After the log, open cases are counted at each month end from their rows alone,
        // some overdue, under corrected categories too.
        let later = try statistics.compute(
            months: Self.ranges[7], by: .category,
            currentRows: { visit in try store.forEachRow(of: CaseProjection.self, at: .now, visit) },
            steps: { cases, fold in try store.forEachEvent(at: .now, ofCases: cases, fold) })
        #expect(later.allSatisfy { $0.total.openAtMonthEnd > 0 && $0.total.overdueAtMonthEnd > 0 })
        #expect(later.allSatisfy { ($0.groups["교육문화"]?.openAtMonthEnd ?? 0) > 0 })
    }

    /// Open and overdue cases at each month end, against each case's state folded up to it and
    /// asked for its next task then: the tasks a month-end count works out once per state must
    /// answer each month end as the clock does.
    @Test(arguments: [UInt64(3), 21])
    func openAndOverdueCasesAtEachMonthEndAreThoseTheClockFinds(seed: UInt64) throws {
        let store = try Self.log(seed: seed)
        let clock = DeadlineClock(calendar: try .builtIn())
        let statistics = MonthlyStatistics(clock: clock, policy: .yeongdeungpo)
        let months = YearMonth(year: 2019, month: 1)!...YearMonth(year: 2021, month: 8)!
        let figures = try statistics.compute(
            months: months, by: nil,
            currentRows: { visit in try store.forEachRow(of: CaseProjection.self, at: .now, visit) },
            steps: { cases, fold in try store.forEachEvent(at: .now, ofCases: cases, fold) })
        let byCase = Dictionary(grouping: try store.events(at: .now).filter { !$0.type.isRoster }, by: \.caseID)
        for month in figures.map(\.month) {
            var open = 0
            var overdue = 0
            for (id, events) in byCase {
                let state = CaseState(id: id, replaying: events.filter { $0.occurredAt < month.end })
                guard let kind = state.kind, kind == .petition || kind == .proposal, let status = state.status, !status.isClosed,
                    let subject = state.deadlineSubject
                else { continue }
                open += 1
                if clock.nextTask(of: subject, policy: .yeongdeungpo, at: month.end).isOverdue { overdue += 1 }
            }
            let total = figures.first { $0.month == month }!.total
            #expect((total.openAtMonthEnd, total.overdueAtMonthEnd) == (open, overdue), "\(month)")
        }
        #expect(figures.contains { $0.total.overdueAtMonthEnd > 0 && $0.total.overdueAtMonthEnd < $0.total.openAtMonthEnd })
    }

    @Test(arguments: [UInt64(4), 9])
    func countsAtAMomentFromTheCaseListAndTheChangedCasesAreThoseOfEveryCase(seed: UInt64) throws {
        let store = try Self.log(seed: seed)
        let events = try store.events(at: .now)
        // Moments that are steps' own times, so that a step exactly at the moment counts.
        var moments = stride(from: 0, to: events.count, by: max(events.count / 12, 1)).map { events[$0].occurredAt }
        moments += [
            events.last!.occurredAt, Instant(kst: CivilDate(year: 2018, month: 1, day: 1)!),
            Instant(kst: CivilDate(year: 2030, month: 1, day: 1)!),
        ]
        var foldedFewer = false
        for moment in moments {
            let point = PointInTime(asOf: nil, effective: moment)
            for year in [nil, 2019, 2020, 2021] {
                var everyCase = CaseCounts()
                try everyCase.add(caseByCase: { try store.forEachEvent(at: point, order: .caseByCase, $0) }, ifFiledIn: year)
                var changedOnly = CaseCounts()
                var folded: [CaseID] = []
                try changedOnly.add(
                    at: moment, currentRows: { visit in try store.forEachRow(of: CaseProjection.self, at: .now, visit) },
                    steps: { cases, fold in
                        folded = cases
                        try store.forEachEvent(at: point, ofCases: cases, fold)
                    }, ifFiledIn: year)
                #expect(changedOnly == everyCase, "at \(moment), year \(year.map(String.init) ?? "all")")
                if everyCase.petitions > 20, folded.count < everyCase.petitions / 2 { foldedFewer = true }
            }
        }
        #expect(foldedFewer, "at some moment most cases are read from their rows alone")
    }

    @Test func theEventsOfSomeCasesAreThoseOfTheWholeLogForThem() throws {
        let store = try Self.log(seed: 5)
        let events = try store.events(at: .now)
        let moment = events[events.count / 2].occurredAt
        var random = SeededGenerator(seed: 5)
        // More cases than one statement reads, in no order, one of them unknown.
        let ids =
            Array(Set(events.map(\.caseID))).shuffled(using: &random).prefix(SQLiteEventStore.casesPerRead + 30)
            + [CaseID("PET-2099-9999")]
        for point in [PointInTime.now, PointInTime(asOf: nil, effective: moment), PointInTime(asOf: moment, effective: nil)] {
            var read: [RecordedEvent] = []
            try store.forEachEvent(at: point, ofCases: ids) { read.append($0) }
            let wanted = Set(ids)
            var expected: [RecordedEvent] = []
            try store.forEachEvent(at: point, order: .caseByCase) { if wanted.contains($0.caseID) { expected.append($0) } }
            #expect(read == expected, "at \(point)")
            #expect(!read.isEmpty)
        }
    }
}
