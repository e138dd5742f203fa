import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoPostgres

/// On PostgreSQL too, `stats` and `counts --effective` read the case list at the head and fold
/// from the log only the cases that changed, a thousand cases a round trip.
@Suite("Reads that fold only the cases that changed, on PostgreSQL")
struct ChangedCasesOnPostgresTests {
    @Test func theEventsOfSomeCasesAndTheFiguresFromThemAreThoseOfEveryCase() throws {
        let (text, folder) = try FlatMemoryTests.generatedExport()
        let office = try FlatMemoryTests.office(importing: text, sweepingEvery: 250_000, in: folder)
        var all: [RecordedEvent] = []
        try office.forEachEvent(at: .now, caseByCase: true) { all.append($0) }
        let moment = all.map(\.occurredAt).sorted()[all.count / 2]

        // Cases over several round trips, one of them unknown.
        let ids = Array(Set(all.map(\.caseID))).sorted { $0.rawValue < $1.rawValue } + [CaseID("PET-2099-9999")]
        office.casesPerRead = 97
        #expect(ids.count > 3 * office.casesPerRead)
        for point in [PointInTime.now, PointInTime(asOf: nil, effective: moment), PointInTime(asOf: moment, effective: nil)] {
            var read: [RecordedEvent] = []
            try office.forEachEvent(at: point, ofCases: ids) { read.append($0) }
            var expected: [RecordedEvent] = []
            try office.forEachEvent(at: point, caseByCase: true) { expected.append($0) }
            #expect(read == expected.filter { !$0.type.isRoster }, "at \(point)")
        }

        let statistics = MonthlyStatistics(clock: DeadlineClock(calendar: try .builtIn()), policy: .yeongdeungpo)
        for months in [
            YearMonth(year: 2021, month: 1)!...YearMonth(year: 2021, month: 12)!,
            YearMonth(year: 2026, month: 1)!...YearMonth(year: 2026, month: 12)!,
        ] {
            let everyCase = try statistics.compute(months: months, by: .channel) { fold in
                try office.forEachEvent(at: .now, caseByCase: true, fold)
            }
            let changedOnly = try statistics.compute(
                months: months, by: .channel,
                currentRows: { visit in try office.forEachRow(of: CaseProjection.self, at: .now, visit) },
                steps: { cases, fold in try office.forEachEvent(at: .now, ofCases: cases, fold) })
            #expect(changedOnly == everyCase, "\(months.lowerBound)…\(months.upperBound)")
            #expect(everyCase.contains { $0.total.openAtMonthEnd > 0 })
        }
        var everyCase = CaseCounts()
        let point = PointInTime(asOf: nil, effective: moment)
        try everyCase.add(caseByCase: { try office.forEachEvent(at: point, caseByCase: true, $0) }, ifFiledIn: nil)
        var changedOnly = CaseCounts()
        try changedOnly.add(
            at: moment, currentRows: { visit in try office.forEachRow(of: CaseProjection.self, at: .now, visit) },
            steps: { cases, fold in try office.forEachEvent(at: point, ofCases: cases, fold) }, ifFiledIn: nil)
        #expect(changedOnly == everyCase && everyCase.petitions > 0)
    }
}
