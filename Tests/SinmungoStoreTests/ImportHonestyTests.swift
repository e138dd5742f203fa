import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews
import Testing

/// Import keeps time and text honest: nothing from the future or before the records began,
/// no key given twice, no field dropped, counts under their ceilings, text in NFC.
@Suite("Import keeps time and text honest")
struct ImportHonestyTests {
    static let good = TransferTests.goodLines

    /// The reason the file of `good[0]` then `second` is refused for, on line 2.
    static func refusal(of second: String, now: Instant? = nil) throws -> String? {
        let store = try Backend.memory.makeStore()
        do {
            try store.importLog(Data((good[0] + "\n" + second + "\n").utf8), source: "bad.jsonl", now: now)
        } catch let refusal as ImportRefusal {
            #expect(refusal.line == 2)
            #expect(try store.head().sequence == 0)
            return refusal.reason
        }
        return nil
    }

    static let broken: [(name: String, second: String, reason: String)] = [
        (
            "recorded in the future", good[1].replacingOccurrences(of: "2019-03-05T11:00:00", with: "2999-03-05T11:00:00"),
            "recordedAt 2999-03-05T11:00:00+09:00 is later than now"
        ),
        (
            "happened in the future",
            good[1].replacingOccurrences(of: "2019-03-05T11:00:00", with: "2999-03-05T11:00:00").replacingOccurrences(
                of: "2019-03-05T10:00:00", with: "2999-03-05T10:00:00"),
            "occurredAt 2999-03-05T10:00:00+09:00 is later than now"
        ),
        (
            "the actor twice", good[1].replacingOccurrences(of: #""actor":"ydp-0412""#, with: #""actor":"ydp-0412","actor":"x""#),
            "the key \"actor\" appears twice"
        ),
        (
            "a data key twice", good[1].replacingOccurrences(of: #""department":"도로과""#, with: #""department":"도로과","department":"x""#),
            "the key \"department\" appears twice"
        ),
        (
            "an unknown data field", good[1].replacingOccurrences(of: #""department":"도로과""#, with: #""department":"도로과","note":"x""#),
            "invalid data for event type reviewed: unknown field \"note\""
        ),
        (
            "a department on two lines", good[1].replacingOccurrences(of: #""department":"도로과""#, with: #""department":"도로\n과""#),
            "case PET-2019-0001: department must be one line of plain text, but holds the control character U+000A"
        ),
        (
            // A NUL would end the text for SQLite's C API: the views would read back less than the log holds.
            "a NUL in free text", good[1].replacingOccurrences(of: #""department":"도로과""#, with: #""department":"도로과\u0000과""#),
            "case PET-2019-0001: department holds a NUL character (U+0000)"
        ),
        (
            "an actor on two lines", good[1].replacingOccurrences(of: #""actor":"ydp-0412""#, with: #""actor":"ydp\r\n0412""#),
            "case PET-2019-0001: actor must be one line of plain text, but holds the control character U+000D"
        ),
        (
            "endorsements past the population",
            good[1].replacingOccurrences(of: #""type":"reviewed""#, with: #""type":"endorsed""#).replacingOccurrences(
                of: #"{"department":"도로과"}"#, with: #"{"count":9223372036854775807}"#),
            "case PET-2019-0001: count must be at most 52000000, not 9223372036854775807"
        ),
    ]

    @Test(arguments: broken.map(\.name))
    func aDishonestLineIsRefusedByName(name: String) throws {
        let broken = try #require(Self.broken.first { $0.name == name })
        let reason = try #require(try Self.refusal(of: broken.second), "\(name) was imported")
        #expect(reason.hasPrefix(broken.reason), "\(reason)")
    }

    @Test
    func aCaseIDNamesTheKSTYearOfItsFiling() throws {
        // 2018-12-31T16:00Z is already 2019 in Korea.
        let filed = Self.good[0].replacingOccurrences(of: "2019-03-04T10:00:00+09:00", with: "2018-12-31T16:00:00Z")
        let store = try Backend.memory.makeStore()
        try store.importLog(Data(filed.utf8), source: "kst.jsonl")
        let misnamed = filed.replacingOccurrences(of: "PET-2019-0001", with: "PET-2018-0001")
        #expect(
            throws: ImportRefusal(
                source: "year.jsonl", line: 1,
                reason: "case PET-2018-0001: case id names the year 2018, but the case was filed in 2019 (KST)")
        ) { try Backend.memory.makeStore().importLog(Data(misnamed.utf8), source: "year.jsonl") }
    }

    @Test
    func nothingIsDatedBeforeTheBoardOpened() throws {
        let early = Self.good[0].replacingOccurrences(of: "2019-03-04", with: "2018-09-30").replacingOccurrences(
            of: "PET-2019", with: "PET-2018")
        #expect(
            throws: ImportRefusal(
                source: "early.jsonl", line: 1,
                reason:
                    "case PET-2018-0001: business time 2018-09-30T10:00:00+09:00 is before the records begin (2018-10-01T00:00:00+09:00)"
            )
        ) { try Backend.memory.makeStore().importLog(Data(early.utf8), source: "early.jsonl") }
    }

    @Test
    func anOverlongTitleIsRefusedByName() throws {
        let long = Self.good[0].replacingOccurrences(of: "가로등 설치", with: String(repeating: "가", count: 201))
        #expect(
            throws: ImportRefusal(
                source: "long.jsonl", line: 1, reason: "case PET-2019-0001: title is 201 characters long, over the limit of 200")
        ) { try Backend.memory.makeStore().importLog(Data(long.utf8), source: "long.jsonl") }
    }

    @Test
    func aByteOrderMarkBeforeTheFirstLineIsAccepted() throws {
        let store = try Backend.memory.makeStore()
        let text = Data([0xEF, 0xBB, 0xBF]) + Data(Self.good.joined(separator: "\r\n").utf8)
        #expect(try store.importLog(text, source: "bom.jsonl") == 2)
    }

    @Test
    func legacyTextIsStoredInNFCAndAChainedLineInNFDIsRefused() throws {
        let nfd = "도시".decomposedStringWithCanonicalMapping
        #expect(Array(nfd.utf8) != Array("도시".utf8))
        let store = try Backend.memory.makeStore()
        try store.importLog(
            Data(Self.good.joined(separator: "\n").replacingOccurrences(of: "\"도시\"", with: "\"\(nfd)\"").utf8),
            source: "legacy.jsonl")
        let category = try #require(try store.summary(of: CaseID("PET-2019-0001"))?.category)
        #expect(Array(category.utf8) == Array("도시".utf8))
        // The legacy line became a current-schema event: its data is the NFC text.
        let exported = try exportText(store)
        #expect(exported.contains("\"category\":\"도시\""))
        // A chained line keeps its bytes, so text not in NFC is refused, naming the field.
        let chained = exported.split(separator: "\n").map(String.init)
        let altered = chained[0].replacingOccurrences(of: "\"도시\"", with: "\"\(nfd)\"")
        #expect(
            throws: ImportRefusal(
                source: "chained.jsonl", line: 1,
                reason: "case PET-2019-0001: category is not in Unicode NFC (composed) form, as stored text must be")
        ) { try Backend.memory.makeStore().importLog(Data(altered.utf8), source: "chained.jsonl") }
        // And the unaltered export round-trips byte for byte.
        let copy = try Backend.memory.makeStore()
        try copy.importLog(Data(exported.utf8), source: "export.jsonl")
        #expect(try exportText(copy) == exported)
    }

    /// Counts stored before the ceilings existed (appended here past the rules) never trap a read.
    @Test
    func countsFromBeforeTheCeilingsSaturateInsteadOfTrapping() throws {
        let store = try Backend.memory.makeStore()
        let day = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)
        for (index, id) in ["PET-2019-0001", "PET-2019-0002"].enumerated() {
            let at = day.adding(seconds: Int64(index) * 60)
            _ = try store.append(
                AppendRequest(
                    caseID: CaseID(id), expectedVersion: 0,
                    events: [.petitionFiled(PetitionFiled(title: "t", category: "도시")), .endorsed(Endorsed(count: .max))],
                    occurredAt: at, recordedAt: at, actor: "ydp-0412", commandID: "c\(index)"))
            _ = try store.append(
                AppendRequest(
                    caseID: CaseID("SES-2019-00\(index + 1)"), expectedVersion: 0,
                    events: [.sessionHeld(SessionHeld(kind: .townhall, field: "안전", attendees: .max))],
                    occurredAt: at, recordedAt: at, actor: "ydp-0412", commandID: "s\(index)"))
        }
        let counts = CaseCounts(try store.summaries())
        #expect(counts.townHallAttendees == .max)
        #expect(try store.summary(of: CaseID("PET-2019-0001"))?.endorsements == .max)
        #expect(try store.state(of: CaseID("PET-2019-0001")).endorsements == .max)
        // The next endorsement is refused, not added.
        let refused = #expect(throws: Refusal.self) {
            try service(store).execute(.endorse(count: 1), on: CaseID("PET-2019-0001"), metadata: metadata(at: hours(1, after: day)))
        }
        #expect(refused?.description.contains("must be at most 52000000") == true)
        // A replay of its export refuses the line past the ceiling, naming it.
        #expect(throws: ImportRefusal.self) { try Backend.memory.makeStore().importLog(Data(try exportText(store).utf8), source: "old.jsonl") }
    }
}
