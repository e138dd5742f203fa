import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoTesting
import Testing

/// On PostgreSQL the database login is the account: the server records it in every event's
/// hash, and refuses a login acting as an officer the roster does not tie to it.
@Suite("Identity on PostgreSQL")
struct PostgresIdentityTests {
    typealias Staff = PostgresRoleTests.Staff

    static let time = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)

    /// The office's roster as its owner sets it up: an administrator, and officers A and B
    /// tied to their own logins.
    static func roster(_ staff: Staff) throws {
        let owner = try PostgresEventStore(address: try SharedLog.address.get(), office: staff.officeA)
        let grants: [RosterChange] = [
            .officerGranted(OfficerGrant(officer: "admin", roles: [.administrator], reason: "관리자")),
            .officerGranted(OfficerGrant(officer: "ydp-a", roles: [.officer], accounts: [staff.officerA], reason: "계정 연결")),
            .officerGranted(OfficerGrant(officer: "ydp-b", roles: [.officer], accounts: [staff.officerB], reason: "계정 연결")),
        ]
        _ = try RosterService(store: owner, now: { time }).apply(
            grants, metadata: CommandMetadata(actor: "admin", commandID: UUID().uuidString, account: try owner.sessionAccount()))
    }

    static func filing(_ number: Int, actor: String, account: String? = nil) -> AppendRequest {
        AppendRequest(
            caseID: CaseID(kind: .petition, year: 2019, number: number), expectedVersion: 0,
            events: [.petitionFiled(PetitionFiled(title: "가로등", category: "도시"))], occurredAt: time, recordedAt: time,
            actor: actor, commandID: UUID().uuidString, account: account)
    }

    @Test("the server records the session's login in every event's hash (layout 2), whatever the client says")
    func theLoginIsTheAccount() throws {
        let staff = Staff()
        try staff.create()
        let a = try staff.store(as: staff.officerA, office: staff.officeA)
        let recorded = try a.append(Self.filing(1, actor: "ydp-0412", account: "someone-else"))
        #expect(recorded.map(\.account) == [staff.officerA])
        #expect(try a.events(inSequence: 1...1).map(\.account) == [staff.officerA])
        #expect(
            try SharedLog.psql("SELECT layout, account FROM sinmungo.event WHERE office = '\(staff.officeA)'")
                == "2|\(staff.officerA)")
        var export = ""
        try a.exportLog { export += $0 }
        #expect(export.hasPrefix(#"{"account":"\#(staff.officerA)","actor":"ydp-0412","#))
        #expect(try a.verify(against: nil, progress: { _ in }).sequence == 1)
    }

    @Test("changing an event's account on the server breaks verify at that event")
    func changingTheAccountIsCaught() throws {
        let store = try SharedLog.freshOffice("account")
        _ = try store.append(Self.filing(1, actor: "ydp-0412"))
        _ = try store.append(Self.filing(2, actor: "ydp-0412"))
        // As the owner would have to: past the append-only trigger, in one transaction.
        try SharedLog.psql(
            """
            BEGIN;
            ALTER TABLE sinmungo.event DISABLE TRIGGER event_append_only;
            UPDATE sinmungo.event SET account = 'somebody' WHERE office = '\(store.office)' AND seq = 2;
            ALTER TABLE sinmungo.event ENABLE TRIGGER event_append_only;
            COMMIT;
            """)
        #expect(throws: VerificationFailure(sequence: 2, kind: .changed, detail: "its stored fields no longer match its hash")) {
            try store.verify(against: nil, progress: { _ in })
        }
    }

    @Test("layout 2 events move between SQLite and PostgreSQL with their accounts: byte-identical, and verified on both")
    func layoutTwoRoundTrips() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinmungo-identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = try SQLiteEventStore.inMemory()
        _ = try sqlite.append(Self.filing(1, actor: "ydp-0412", account: "kim-ydp"))
        var original = ""
        try sqlite.exportLog { original += $0 }
        #expect(original.contains(#""account":"kim-ydp""#))
        let file = folder.appendingPathComponent("ydp.jsonl")
        try Data(original.utf8).write(to: file)
        let server = try SharedLog.freshOffice("moved")
        try server.importLog(at: file, source: "ydp.jsonl")
        #expect(try server.verify(against: nil, progress: { _ in }) == sqlite.verify())
        var moved = ""
        try server.exportLog { moved += $0 }
        #expect(moved == original)
        // A step on the server, then back to SQLite: both accounts kept, every hash holds.
        _ = try server.append(Self.filing(2, actor: "ydp-0412"))
        var back = ""
        try server.exportLog { back += $0 }
        #expect(back.contains(#""account":"\#(try server.sessionAccount())""#))
        let returned = try SQLiteEventStore.inMemory()
        try returned.importLog(Data(back.utf8), source: "back.jsonl")
        #expect(try returned.verify() == server.verify(against: nil, progress: { _ in }))
        var again = ""
        try returned.exportLog { again += $0 }
        #expect(again == back)
    }

    @Test("an officer cannot act for another: the server refuses a login acting as an officer not tied to it")
    func officerCannotActForAnother() throws {
        let staff = Staff()
        try staff.create()
        try Self.roster(staff)
        let a = try staff.store(as: staff.officerA, office: staff.officeA)
        let before = try a.head()
        // The append function is called straight, past every check of the program.
        do {
            _ = try a.append(Self.filing(1, actor: "ydp-b"))
            Issue.record("the login of ydp-a appended as ydp-b")
        } catch let failure as PostgresFailure {
            #expect(failure.kind == .forbidden)
            #expect("\(failure)".contains("acts as ydp-a on the roster"))
            #expect("\(failure)".contains("one officer may not act for another"))
        }
        #expect(try a.head() == before)
        // A login tied to no officer may not act as one tied to another login either.
        try SharedLog.psql("INSERT INTO sinmungo.officer VALUES ('\(staff.officerB)', '\(staff.officeA)')")
        try SharedLog.psql("CREATE ROLE officer_c_\(staff.tag) LOGIN IN ROLE sinmungo_officer")
        try SharedLog.psql("INSERT INTO sinmungo.officer VALUES ('officer_c_\(staff.tag)', '\(staff.officeA)')")
        let c = try staff.store(as: "officer_c_\(staff.tag)", office: staff.officeA)
        #expect(throws: PostgresFailure.self) { try c.append(Self.filing(1, actor: "ydp-a")) }
        #expect(try a.head() == before)
        // As themselves, both may.
        _ = try a.append(Self.filing(1, actor: "ydp-a"))
        _ = try staff.store(as: staff.officerB, office: staff.officeA).append(Self.filing(2, actor: "ydp-b"))
        #expect(try a.head().sequence == before.sequence + 2)
        // Once the roster moves the tie to another login, the server follows it.
        let owner = try PostgresEventStore(address: try SharedLog.address.get(), office: staff.officeA)
        _ = try RosterService(store: owner, now: { Self.time }).apply(
            [
                .officerChanged(
                    OfficerGrant(officer: "ydp-b", roles: [.officer], accounts: ["officer_c_\(staff.tag)"], reason: "계정 이전"))
            ],
            metadata: CommandMetadata(actor: "admin", commandID: UUID().uuidString, account: try owner.sessionAccount()))
        #expect(throws: PostgresFailure.self) {
            try staff.store(as: staff.officerB, office: staff.officeA).append(Self.filing(3, actor: "ydp-b"))
        }
        _ = try c.append(Self.filing(3, actor: "ydp-b"))
        #expect(try a.head().sequence == before.sequence + 4, "three filings and the roster change")
    }

    @Test("an officer calling append straight cannot change the roster: only its administrator may")
    func onlyTheAdministratorChangesTheRoster() throws {
        let staff = Staff()
        try staff.create()
        try Self.roster(staff)
        let a = try staff.store(as: staff.officerA, office: staff.officeA)
        let roster = try a.state(of: Roster.streamID)
        let before = try a.head()
        // ydp-a ties their own login to ydp-b as well, past the program's checks.
        let takeover = CaseEvent.roster(
            .officerChanged(
                OfficerGrant(officer: "ydp-b", roles: [.officer], accounts: [staff.officerB, staff.officerA], reason: "위조")))
        let refused = #expect(throws: PostgresFailure.self) {
            try a.append(
                AppendRequest(
                    caseID: Roster.streamID, expectedVersion: roster.version, events: [takeover], occurredAt: Self.time,
                    recordedAt: Self.time, actor: "ydp-a", commandID: UUID().uuidString))
        }
        #expect(refused?.kind == .forbidden)
        #expect(refused.map { "\($0)" }?.contains("only an administrator changes its roster") == true)
        #expect(try a.head() == before)
        #expect(throws: PostgresFailure.self) { try a.append(Self.filing(1, actor: "ydp-b")) }
        // The administrator's own change goes through.
        let owner = try PostgresEventStore(address: try SharedLog.address.get(), office: staff.officeA)
        _ = try owner.append(
            AppendRequest(
                caseID: Roster.streamID, expectedVersion: roster.version, events: [takeover], occurredAt: Self.time,
                recordedAt: Self.time, actor: "admin", commandID: UUID().uuidString))
        _ = try a.append(Self.filing(1, actor: "ydp-b"))
    }

    @Test("an auditor cannot write: no append, no insert")
    func auditorCannotWrite() throws {
        let staff = Staff()
        try staff.create()
        let auditor = try staff.store(as: staff.auditor, office: staff.officeA)
        do {
            _ = try auditor.append(Self.filing(1, actor: "ydp-0412"))
            Issue.record("an auditor appended")
        } catch let failure as PostgresFailure {
            #expect(failure.kind == .forbidden)
        }
        #expect(try auditor.head().sequence == 0)
        let insert = PostgresRoleTests.refusal(
            "INSERT INTO sinmungo.event (office, seq, case_id, case_version, type, schema_version, occurred_at, recorded_at, actor, command_id, data, prev_hash, hash) VALUES ('\(staff.officeA)', 1, 'x', 1, 'withdrawn', 1, '', '', '', '', '{}', '', '')",
            as: staff.auditor)
        #expect(insert?.contains("permission denied") == true)
        #expect(
            PostgresRoleTests.refusal("DELETE FROM sinmungo.officer_account", as: staff.auditor)?.contains("permission denied")
                == true)
    }
}
