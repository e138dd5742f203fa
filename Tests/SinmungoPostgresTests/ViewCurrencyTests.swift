import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

/// The views on PostgreSQL stay at the head through appends, transfers and imports, as a
/// rebuild would leave them, so that statistics staff can read them alone.
@Suite("Views kept current on PostgreSQL")
struct ViewCurrencyTests {
    static let projections: [any Projection.Type] = [CaseProjection.self, StatisticsTimeline.self]
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/yeongdeungpo-2019.jsonl")

    static func office(_ prefix: String) throws -> PostgresEventStore {
        try PostgresEventStore(
            address: try SharedLog.address.get(), office: "\(prefix)-\(UUID().uuidString.prefix(8))",
            projections: projections)
    }

    static func service(_ store: PostgresEventStore) -> CaseService<PostgresEventStore> {
        CaseService(store: store, now: { Instant(kst: CivilDate(year: 2019, month: 12, day: 1)!, hour: 9) })
    }

    static func at(_ day: Int, month: Int = 6) -> Instant { Instant(kst: CivilDate(year: 2019, month: month, day: day)!, hour: 10) }

    /// Every stored row and checkpoint of the office, as text.
    static func views(of store: PostgresEventStore) throws -> String {
        try SharedLog.psql(
            """
            SELECT projection || ' ' || case_id || ' ' || data FROM sinmungo.view_row WHERE office = '\(store.office)'
            UNION ALL SELECT 'checkpoint ' || projection || ' ' || version || ' ' || seq || ' ' || encode(hash, 'hex')
                FROM sinmungo.view_checkpoint WHERE office = '\(store.office)'
            ORDER BY 1
            """)
    }

    /// The office's views stand at its head and equal a rebuild's, byte for byte.
    static func expectCurrent(_ store: PostgresEventStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let head = try store.head()
        let kept = try views(of: store)
        #expect(kept.contains("checkpoint cases 2 \(head.sequence) \(EventHash.hex(head.hash))"), sourceLocation: sourceLocation)
        try store.rebuildViews()
        #expect(try views(of: store) == kept, sourceLocation: sourceLocation)
    }

    @Test("appends, a transfer and an import leave the views as a rebuild would")
    func appendsTransfersAndImports() throws {
        let a = try Self.office("영등포구")
        let b = try Self.office("구로구")
        let service = Self.service(a)
        func run(_ command: CaseCommand, on id: CaseID?, at day: Int) throws -> CaseID {
            try service.execute(
                command, on: id, metadata: CommandMetadata(actor: "ydp-0412", commandID: UUID().uuidString, occurredAt: Self.at(day))
            ).caseID
        }
        let first = try run(.filePetition(PetitionFiled(title: "가로등", category: "도시", petitioner: "박가상", contact: "010-0000-1234")), on: nil, at: 3)
        let second = try run(.filePetition(PetitionFiled(title: "보도", category: "생활환경·교통안전")), on: nil, at: 4)
        _ = try run(.review(department: "치수과"), on: first, at: 5)
        let session = try run(.holdSession(SessionHeld(kind: .outreach, field: "보건복지", attendees: 30)), on: nil, at: 6)
        // A proposal changes its session's row too: the session's proposal count.
        _ = try run(.fileProposal(ProposalFiled(session: session, title: "경로당", category: "복지보건·다문화")), on: nil, at: 7)
        _ = try run(.markDuplicate(of: first), on: second, at: 8)
        try Self.expectCurrent(a)
        // Nothing personal reaches the views: the name and the contact are sealed in the log.
        let kept = try Self.views(of: a)
        #expect(!kept.contains("박가상") && !kept.contains("010-0000"))

        _ = try OfficeTransferTests.file(1, in: b)
        _ = try a.transfer(
            first, to: b.office, reason: "소관 기관", actor: "ydp-0412", commandID: UUID().uuidString,
            occurredAt: Self.at(9), recordedAt: Self.at(9))
        try Self.expectCurrent(a)
        try Self.expectCurrent(b)

        let imported = try Self.office("동작구")
        try imported.importLog(at: Self.fixture, source: "ydp.jsonl")
        try Self.expectCurrent(imported)
    }

    /// An office of 영등포구 with one petition filed through its service on day 3.
    static func officeWithOnePetition() throws -> (PostgresEventStore, CaseService<PostgresEventStore>, CaseID) {
        let office = try Self.office("영등포구")
        let service = Self.service(office)
        let id = try service.execute(
            .filePetition(PetitionFiled(title: "가로등", category: "도시")), on: nil,
            metadata: CommandMetadata(actor: "ydp-0412", commandID: UUID().uuidString, occurredAt: Self.at(3))
        ).caseID
        return (office, service, id)
    }

    @Test("views left behind by an append that sent no rows are brought up by the next command")
    func viewsLeftBehindCatchUp() throws {
        let (a, service, id) = try Self.officeWithOnePetition()
        // What a program calling the function directly writes: events, no rows.
        try SharedLog.psql(
            """
            SELECT status FROM sinmungo.append('\(a.office)', '\(id.rawValue)', 1, 'direct-\(UUID().uuidString)',
                '\(Self.at(4))', '\(Self.at(4))', 'ydp-0412', ARRAY['reviewed'], ARRAY[1],
                ARRAY['{"department":"치수과"}'], ARRAY[]::text[], ARRAY[]::bytea[], ARRAY[]::text[])
            """)
        #expect(try Self.views(of: a).contains("checkpoint cases 2 1 "))
        // A reader of the log still sees the case as it stands, row by row or all at once.
        #expect(try a.row(of: CaseProjection.self, key: id)?.department == "치수과")
        var streamed: [CaseID: CaseSummary] = [:]
        try a.forEachRow(of: CaseProjection.self, at: .now) { key, row in
            #expect(streamed.updateValue(row, forKey: key) == nil, "row \(key) handed over twice")
        }
        #expect(streamed[id]?.department == "치수과")
        #expect(streamed == (try a.rows(of: CaseProjection.self, at: .now)))
        _ = try service.execute(
            .answer(summary: "정비 완료", by: .department), on: id,
            metadata: CommandMetadata(actor: "ydp-0412", commandID: UUID().uuidString, occurredAt: Self.at(5)))
        try Self.expectCurrent(a)
    }

    @Test("a row that no replay gives, sent with an append by a program calling the function, is found by verify")
    func verifyFindsRowsNoReplayGives() throws {
        let (a, _, id) = try Self.officeWithOnePetition()
        try a.verify()
        // The row a client sends is stored as sent: here it carries a name the log never held.
        let stored = try SharedLog.psql(
            "SELECT data FROM sinmungo.view_row WHERE office = '\(a.office)' AND projection = 'cases' AND case_id = '\(id.rawValue)'")
        let forged = stored.replacingOccurrences(of: "\"title\":\"가로등\"", with: "\"title\":\"가로등 박가상 010-0000-1234\"")
        #expect(forged != stored)
        try SharedLog.psql(
            """
            SELECT status, views FROM sinmungo.append('\(a.office)', '\(id.rawValue)', 1, 'direct-\(UUID().uuidString)',
                '\(Self.at(4))', '\(Self.at(4))', 'ydp-0412', ARRAY['reviewed'], ARRAY[1],
                ARRAY['{"department":"치수과"}'], ARRAY[]::text[], ARRAY[]::bytea[], ARRAY[]::text[],
                ARRAY['cases'], ARRAY[2], 0, ARRAY['cases'], ARRAY['\(id.rawValue)'], ARRAY[$s$\(stored)$s$], ARRAY[$f$\(forged)$f$])
            """)
        #expect(try Self.views(of: a).contains("박가상"))
        do {
            try a.verify()
            Issue.record("verify passed views no replay gives")
        } catch let failure as VerificationFailure {
            #expect(failure.kind == .views)
            #expect("\(failure)".contains("their row for case \(id.rawValue) differs from a replay of the log"), "\(failure)")
        }
        try a.rebuildViews()
        try a.verify()
        #expect(!(try Self.views(of: a)).contains("박가상"))
    }
}
