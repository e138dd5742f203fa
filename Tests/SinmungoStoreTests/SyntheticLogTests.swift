import Foundation
import SinmungoCore
import SinmungoViews
import Testing

@testable import SinmungoStore

@Suite("Synthetic logs")
struct SyntheticLogTests {
    /// What a generated log is, leaving out the sealed boxes, whose keys and nonces are random.
    static func shape(_ store: SQLiteEventStore) throws -> [String] {
        try store.events(at: .now).map { "\($0.sequence) \($0.caseID) \($0.caseVersion) \($0.type) \($0.occurredAt)" }
    }

    @Test
    func theSameSeedGivesTheSameLogAndAnotherSeedAnother() throws {
        let first = try SQLiteEventStore.inMemory(projections: caseViews)
        let second = try SQLiteEventStore.inMemory(projections: caseViews)
        let other = try SQLiteEventStore.inMemory(projections: caseViews)
        try first.generate(SyntheticLog(cases: 300, seed: 11))
        try second.generate(SyntheticLog(cases: 300, seed: 11))
        try other.generate(SyntheticLog(cases: 300, seed: 12))
        #expect(try Self.shape(first) == Self.shape(second))
        #expect(try Self.shape(first) != Self.shape(other))
        #expect(try CaseCounts(first.summaries()) == CaseCounts(second.summaries()))
    }

    @Test
    func everyGeneratedStepPassesTheChecksOfAnImportAndTheViewsMatchAReplay() throws {
        let generated = try SQLiteEventStore.inMemory(projections: caseViews)
        let events = try generated.generate(SyntheticLog(cases: 1_000, seed: 3))
        // About five events a case, with every kind of case and the main steps present.
        #expect((4_500...5_500).contains(events))
        let summaries = try generated.summaries()
        #expect(summaries.count == 1_000)
        #expect(Set(summaries.map(\.kind)) == Set(CaseKind.allCases))
        let types = Set(try generated.events(at: .now).map(\.type))
        #expect(
            types.isSuperset(of: [
                .petitionFiled, .endorsed, .reviewed, .declined, .visited, .answered, .reflected, .proposalFiled,
            ])
        )
        let imported = try SQLiteEventStore.inMemory(projections: caseViews)
        #expect(try imported.importLog(Data(exportText(generated).utf8), source: "generated.jsonl") == Int(events))
        #expect(try imported.summaries() == summaries)
        #expect(CaseProjection.replay(try generated.events(at: .now)).count == 1_000)
        #expect(try generated.verify().sequence == events)
    }

    @Test
    func onlyAnEmptyLogTakesASyntheticOne() throws {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try reviewedPetition(in: store)
        #expect(throws: StoreError.notEmpty(path: store.path)) { try store.generate(SyntheticLog(cases: 10, seed: 1)) }
        #expect(try store.head().sequence == 2)
    }
}

@Suite("Views rebuilt in slices")
struct ViewFlushTests {
    @Test("writing and dropping rows every few events gives the same views as holding them all")
    func slicedRebuildMatches() throws {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try store.generate(SyntheticLog(cases: 400, seed: 5))
        try appendRandomCommands(to: store, count: 200, seed: 9)
        let whole = try store.summaries()
        let events = try store.head().sequence
        for interval: Int64 in [1, 7, 250] {
            #expect(try store.rebuildViews(flushingEvery: interval) == events)
            #expect(try store.summaries() == whole)
        }
    }
}
