import Foundation
import GRDB
import SinmungoCore
import SinmungoJSON
import SinmungoViews
import Testing

@testable import SinmungoStore

/// View rows are written and read by hand on the replay path; these hold that path byte for
/// byte to the rows' `Codable` layout, which stays their definition.
@Suite("View rows written and read by hand")
struct CanonicalRowTests {
    func codableBytes(_ row: CaseSummary) throws -> [UInt8] {
        var out: [UInt8] = []
        try JSONValueEncoder().encode(row).write(to: &out)
        return out
    }

    func handBytes(_ row: CaseSummary) -> [UInt8] {
        var out: [UInt8] = []
        CaseProjection.writeRow(row, to: &out)
        return out
    }

    func handRead(_ bytes: [UInt8]) -> CaseSummary? {
        bytes.withUnsafeBytes { CaseProjection.readRow($0) }
    }

    /// Rows with every optional field set and unset, and text that needs escaping.
    func unusualRows() -> [CaseSummary] {
        var sequence: Int64 = 0
        var time = Instant(kst: CivilDate(year: 2019, month: 12, day: 31)!, hour: 23, minute: 59, second: 58)
        var rows: [CaseID: CaseSummary] = [:]
        func apply(_ id: String, _ event: CaseEvent) {
            sequence += 1
            time = time.adding(seconds: 1)
            let version = (rows[CaseID(id)]?.version ?? 0) + 1
            CaseProjection.apply(
                RecordedEvent(
                    sequence: sequence, caseID: CaseID(id), caseVersion: version, occurredAt: time, recordedAt: time,
                    actor: "kim", commandID: "c\(sequence)", event: event),
                to: &rows)
        }
        let hostile = "따옴표 \" 역슬래시 \\ 줄\n바꿈\t탭 \u{01} 제어 </script> 🙂"
        apply(
            "PET-2019-0001",
            .petitionFiled(
                PetitionFiled(
                    title: hostile, category: "도시",
                    personal: .sealed(SealedPersonalData(person: "p-1", box: "AAAA")))))
        apply("PET-2019-0001", .endorsed(Endorsed(count: 1_234_567)))
        apply("PET-2019-0001", .qualified(Qualified(endorsements: 1000)))
        apply("PET-2019-0001", .reviewed(Reviewed(department: "도로과 \"본관\"")))
        apply("PET-2019-0001", .extended(Extended(days: 10, reason: "현장")))
        apply("PET-2019-0001", .visited(Visited(place: "당산")))
        apply("PET-2019-0001", .answered(Answered(summary: "답변", by: .mayor)))
        apply("PET-2019-0001", .reflected(Reflected(outcome: .partlyAdopted, policy: "정책 \\ 반영")))
        apply("PET-2019-0001", .erasureRequested(ErasureRequested(person: "p-1", reason: "요청", request: "R-1")))
        apply("PET-2019-0002", .petitionFiled(PetitionFiled(title: "둘", category: "환경", petitioner: "홍길동")))
        apply("PET-2019-0002", .declined(Declined(ground: .secret, reason: "비밀")))
        apply("PET-2019-0003", .petitionFiled(PetitionFiled(title: "셋", category: "환경")))
        apply("PET-2019-0003", .markedDuplicate(MarkedDuplicate(of: CaseID("PET-2019-0002"))))
        apply("PET-2019-0003", .corrected(Corrected(field: .title, value: "", reason: "빈 제목")))
        apply(
            "SES-2019-001",
            .sessionHeld(SessionHeld(kind: .townhall, field: "경제", attendees: 0, theme: "주제 \"가\"", place: "구청")))
        apply("PRO-2019-0001", .proposalFiled(ProposalFiled(session: CaseID("SES-2019-001"), title: "제안")))
        apply("PRO-2019-0001", .personalDataErased(PersonalDataErased(person: "p-2", reason: "기간 만료")))
        apply("REC-2019-001", .recordPosted(RecordPosted(title: "기록", about: [CaseID("SES-2019-001"), CaseID("PET-2019-0001")])))
        apply("PET-2019-0004", .petitionFiled(PetitionFiled(title: "넷", category: "교통")))
        apply("PET-2019-0004", .transferred(Transferred(department: "교통과", reason: nil)))
        apply("PET-2019-0004", .withdrawn(Withdrawn(reason: "취하")))
        // Rows with every field at once, whatever the lifecycle would allow: the fold allows it.
        for id in ["SES-2019-001", "PRO-2019-0002"] {
            if id.hasPrefix("PRO") {
                apply(id, .proposalFiled(ProposalFiled(session: CaseID("SES-2019-001"), title: "모두", category: "경제")))
            }
            apply(id, .qualified(Qualified(endorsements: 3)))
            apply(id, .reviewed(Reviewed(department: "기획과")))
            apply(id, .extended(Extended(days: 5, reason: "연장")))
            apply(id, .declined(Declined(ground: .secret)))
            apply(id, .answered(Answered(summary: "답", by: .department)))
            apply(id, .reflected(Reflected(outcome: .adopted, policy: "정책")))
            apply(id, .markedDuplicate(MarkedDuplicate(of: CaseID("PET-2019-0004"))))
            apply(id, .erasureRequested(ErasureRequested(person: "p-3", reason: "요청")))
        }
        return rows.values.sorted { $0.id < $1.id }
    }

    func randomRows(seed: UInt64) throws -> [CaseSummary] {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try store.generate(SyntheticLog(cases: 150, seed: seed))
        try appendRandomCommands(to: store, count: 300, seed: seed)
        return CaseProjection.replay(try store.events(at: .now)).values.sorted { $0.id < $1.id }
    }

    @Test(arguments: [UInt64(3), 8, 21])
    func handWrittenRowsAreTheCodableBytesAndReadBack(seed: UInt64) throws {
        let rows = try randomRows(seed: seed) + unusualRows()
        #expect(rows.count > 150)
        for row in rows {
            let bytes = handBytes(row)
            #expect(bytes == (try codableBytes(row)), "row \(row.id)")
            #expect(handRead(bytes) == row, "row \(row.id)")
        }
    }

    @Test(arguments: [UInt64(3), 8])
    func statisticsTimelineRowsWrittenByHandAreTheCodableBytes(seed: UInt64) throws {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try store.generate(SyntheticLog(cases: 150, seed: seed))
        try appendRandomCommands(to: store, count: 300, seed: seed)
        var events = try store.events(at: .now)
        // Kept text that needs escaping: the timeline empties free text, but not departments.
        let last = try #require(events.last)
        events.append(
            RecordedEvent(
                sequence: last.sequence + 1, caseID: last.caseID, caseVersion: last.caseVersion + 1,
                occurredAt: last.occurredAt, recordedAt: last.recordedAt, actor: "kim", commandID: "hostile",
                event: .reviewed(Reviewed(department: "도로과 \"본관\" \\ 줄\n바꿈\t \u{01} 🙂"))))
        let rows = StatisticsTimeline.replay(events)
        #expect(rows.count > 150)
        #expect(rows[last.caseID]?.steps.last?.data.contains("본관") == true)
        for (id, row) in rows {
            var hand: [UInt8] = []
            StatisticsTimeline.writeRow(row, to: &hand)
            var codable: [UInt8] = []
            try JSONValueEncoder().encode(row).write(to: &codable)
            #expect(hand == codable, "row \(id)")
        }
    }

    @Test
    func theUnusualRowsSetWhatTheyAreMeantTo() {
        let rows = Dictionary(uniqueKeysWithValues: unusualRows().map { ($0.id.rawValue, $0) })
        #expect(rows["PET-2019-0001"]?.state.pendingErasure?.request == "R-1")
        #expect(rows["PET-2019-0001"]?.extensionDays == 10)
        #expect(rows["PET-2019-0001"]?.policy == "정책 \\ 반영")
        #expect(rows["PET-2019-0002"]?.declineGround == .secret)
        #expect(rows["PET-2019-0002"]?.duplicates == [CaseID("PET-2019-0003")])
        #expect(rows["PRO-2019-0001"]?.state.personalData == .erased(person: "p-2"))
        #expect(rows["PET-2019-0002"]?.state.personalData == .legacy)
        #expect(rows["REC-2019-001"]?.about.count == 2)
        let session = rows["SES-2019-001"]
        #expect(session?.attendees != nil && session?.answeredBy != nil && session?.declineGround != nil)
        #expect(session?.theme != nil && session?.place != nil && session?.policy != nil && session?.outcome != nil)
        let proposal = rows["PRO-2019-0002"]?.state
        #expect(proposal?.session != nil && proposal?.duplicateOf != nil && proposal?.qualifiedAt != nil)
        #expect(proposal?.extensionDays != nil && proposal?.department != nil && proposal?.pendingErasure != nil)
    }

    /// Any text the hand reader accepts, `Codable` reads as the same row: it is never looser.
    @Test
    func damagedRowsAreReadAsCodableReadsThemOrNotAtAll() throws {
        var random = SeededGenerator(seed: 5)
        var accepted = 0
        for row in unusualRows() + (try randomRows(seed: 4)).prefix(20) {
            let bytes = handBytes(row)
            for _ in 0..<60 {
                var damaged = bytes
                switch Int.random(in: 0..<3, using: &random) {
                case 0: damaged.removeLast(Int.random(in: 1...damaged.count, using: &random))
                case 1: damaged[Int.random(in: 0..<damaged.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                default: damaged.insert(UInt8(ascii: " "), at: Int.random(in: 0...damaged.count, using: &random))
                }
                guard let read = handRead(damaged) else { continue }
                accepted += 1
                let value = try JSONValue.parse(String(decoding: damaged, as: UTF8.self))
                #expect(try JSONValueDecoder().decode(CaseSummary.self, from: value) == read)
            }
        }
        // Changing a digit or a letter inside a string keeps the text readable.
        #expect(accepted > 0)
    }

    @Test
    func aRowInAnotherLayoutIsStillReadThroughCodable() throws {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try store.generate(SyntheticLog(cases: 20, seed: 2))
        let before = try store.rows(of: CaseProjection.self, at: .now)
        // The same JSON, keys in another order and spaced out: not what the hand writer gives.
        try store.database.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT key, data FROM view_row")
            for row in rows {
                guard case .object(let fields) = try JSONValue.parse(row["data"] as String) else { continue }
                let text =
                    "{ "
                    + fields.sorted { $0.key > $1.key }.map { "\"\($0.key)\" : \($0.value.canonicalText)" }.joined(
                        separator: " , ") + " }"
                try db.execute(sql: "UPDATE view_row SET data = ? WHERE key = ?", arguments: [text, row["key"] as String])
            }
        }
        #expect(try store.rows(of: CaseProjection.self, at: .now) == before)
        _ = try store.verify()
    }
}
