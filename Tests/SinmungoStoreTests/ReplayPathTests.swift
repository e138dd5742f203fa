import Foundation
import SinmungoCore
@testable import SinmungoStore
import SinmungoViews
import Testing

/// The replay path reads stored bytes in place; these check it against the plain Swift path
/// it replaces, on seeded random logs.
@Suite("The replay path, read in place")
struct ReplayPathTests {
    /// A random log with sessions, proposals and duplicates, so that rows depend on each other.
    func randomLog(seed: UInt64) throws -> SQLiteEventStore {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try store.generate(SyntheticLog(cases: 120, seed: seed))
        try appendRandomCommands(to: store, count: 300, seed: seed)
        return store
    }

    /// Points inside the log: by recorded time (as of) and by business time (effective).
    func points(of store: SQLiteEventStore) throws -> [PointInTime] {
        let events = try store.events(at: .now)
        let times = [events.count / 5, events.count / 2, events.count - 3].map { events[$0].recordedAt }
        return times.map { PointInTime(asOf: $0, effective: nil) } + times.map { PointInTime(asOf: nil, effective: $0) }
    }

    @Test(arguments: [UInt64(3), 8])
    func oneRowAtAPointEqualsThatRowOfAWholeFold(seed: UInt64) throws {
        let store = try randomLog(seed: seed)
        for point in try points(of: store) {
            let whole = CaseProjection.replay(try store.events(at: point))
            #expect(whole.count > 20)
            for (key, row) in whole {
                #expect(try store.row(of: CaseProjection.self, key: key, at: point) == row)
            }
            #expect(try store.row(of: CaseProjection.self, key: CaseID("PET-2099-9999"), at: point) == nil)
            // The streamed fold is the same as the fold of the events loaded whole.
            #expect(try store.rows(of: CaseProjection.self, at: point) == whole)
        }
    }

    @Test
    func caseByCaseOrderIsEachCasesEventsInLogOrderOneCaseAfterAnother() throws {
        let store = try randomLog(seed: 5)
        for point in try points(of: store) + [.now] {
            let loaded = try store.events(at: point)
            let expected = loaded.enumerated().sorted {
                ($0.element.caseID.rawValue, $0.offset) < ($1.element.caseID.rawValue, $1.offset)
            }.map(\.element)
            var streamed: [RecordedEvent] = []
            try store.forEachEvent(at: point, order: .caseByCase) { streamed.append($0) }
            #expect(streamed == expected)
            var newestFirst: [RecordedEvent] = []
            try store.forEachEvent(at: point, order: .newestFirst) { newestFirst.append($0) }
            #expect(newestFirst == loaded.reversed())
            #expect(try store.head(at: point).sequence == loaded.last?.sequence ?? 0)
        }
    }

    @Test
    func eventsReadInPlaceEqualTheDecodedStoredEvents() throws {
        let store = try randomLog(seed: 11)
        var stored: [RecordedEvent] = []
        try store.forEachStoredEvent { stored.append(try $0.decoded()) }
        #expect(try store.events(at: .now) == stored)
    }

    @Test
    func theInPlaceHashIsTheHashOfTheLogFormat() throws {
        let store = try randomLog(seed: 13)
        var events: [StoredEvent] = []
        try store.forEachStoredEvent { events.append($0) }
        // Numbers the log never holds still hash as their decimal text.
        var odd = events[0]
        odd.caseVersion = -42
        odd.schemaVersion = Int(Int64.min)
        odd.sequence = Int64.max
        odd.hash = odd.expectedHash
        // The same event in both layouts: without an account, and with one.
        var layoutOne = events[1]
        layoutOne.account = nil
        layoutOne.hash = layoutOne.expectedHash
        var layoutTwo = layoutOne
        layoutTwo.account = "kim-ydp"
        layoutTwo.hash = layoutTwo.expectedHash
        #expect(layoutTwo.layout == 2 && layoutTwo.hash != layoutOne.hash)
        var hasher = InPlaceEventHash()
        for event in events + [odd, layoutOne, layoutTwo] {
            func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
            let account = event.account.map(bytes) ?? []
            let matches = bytes(event.caseID).withUnsafeBufferPointer { caseID in
                bytes(event.type).withUnsafeBufferPointer { type in
                    bytes(event.occurredAt).withUnsafeBufferPointer { occurredAt in
                        bytes(event.recordedAt).withUnsafeBufferPointer { recordedAt in
                            bytes(event.actor).withUnsafeBufferPointer { actor in
                                bytes(event.commandID).withUnsafeBufferPointer { commandID in
                                    bytes(event.data).withUnsafeBufferPointer { data in
                                        event.previousHash.withUnsafeBufferPointer { previous in
                                            event.hash.withUnsafeBufferPointer { hash in
                                                account.withUnsafeBufferPointer { account in
                                                    hasher.matches(
                                                        hash, sequence: event.sequence, caseID: caseID,
                                                        caseVersion: Int64(event.caseVersion), type: type,
                                                        schemaVersion: Int64(event.schemaVersion), occurredAt: occurredAt,
                                                        recordedAt: recordedAt, actor: actor, commandID: commandID, data: data,
                                                        account: event.account == nil ? nil : account, previousHash: previous)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            #expect(matches, "event \(event.sequence)")
        }
    }

    @Test(arguments: [
        "2019-03-04T10:15:00+09:00", "2020-02-29T23:59:59+09:00", "2019-02-29T10:00:00+09:00", "2019-03-04T24:00:00+09:00",
        "2019-03-04T10:60:00+09:00", "2019-03-04T10:15:60+09:00", "2019-13-04T10:15:00+09:00", "2019-03-00T10:15:00+09:00",
        "2019-03-04T10:15:00+00:00", "2019-03-04T10:15:00Z", "2019-03-04 10:15:00+09:00", "2019-03-04T10:15:00+09:0",
        "0000-01-01T00:00:00+09:00", "９019-03-04T10:15:00+09:00",
    ])
    func theInPlaceTimeCheckIsTheFormatRule(text: String) {
        let inPlace = Array(text.utf8).withUnsafeBufferPointer { StandaloneRowCheck.kstTime($0) != nil }
        #expect(inPlace == EventFormatRules.isKSTTime(text))
    }

    @Test
    func theInPlaceUTF8CheckIsSwiftsWithNoNUL() {
        var random = SeededGenerator(seed: 17)
        let pieces: [[UInt8]] = [
            [0x41], [0], [0xC3, 0xA9], [0xEC, 0x84, 0x9C], [0xF0, 0x9F, 0x98, 0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xFE], [0xFF], [0x80], [0xE0, 0x80], [0xF0, 0x90],
        ]
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...6, using: &random)).flatMap { _ in pieces.randomElement(using: &random)! }
            let expected = !bytes.contains(0) && String(validating: bytes, as: UTF8.self) != nil
            #expect(bytes.withUnsafeBufferPointer(StandaloneRowCheck.isValidUTF8WithoutNUL) == expected, "\(bytes)")
        }
    }
}
