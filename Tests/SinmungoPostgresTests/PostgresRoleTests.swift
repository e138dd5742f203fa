import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoTesting
import Testing

/// The database, not only the program, enforces who may do what.
@Suite("Roles and row-level security on PostgreSQL")
struct PostgresRoleTests {
    /// Two offices, an officer of each, an auditor and a statistics login, named for this run.
    struct Staff {
        let tag = String(UUID().uuidString.lowercased().prefix(8))
        var officeA: String { "영등포구-\(tag)" }
        var officeB: String { "구로구-\(tag)" }
        var officerA: String { "officer_a_\(tag)" }
        var officerB: String { "officer_b_\(tag)" }
        var auditor: String { "auditor_\(tag)" }
        var statistician: String { "statistics_\(tag)" }

        func create() throws {
            try SharedLog.psql(
                """
                CREATE ROLE \(officerA) LOGIN IN ROLE sinmungo_officer;
                CREATE ROLE \(officerB) LOGIN IN ROLE sinmungo_officer;
                CREATE ROLE \(auditor) LOGIN IN ROLE sinmungo_auditor;
                CREATE ROLE \(statistician) LOGIN IN ROLE sinmungo_statistics;
                INSERT INTO sinmungo.office VALUES ('\(officeA)'), ('\(officeB)');
                INSERT INTO sinmungo.officer VALUES ('\(officerA)', '\(officeA)'), ('\(officerB)', '\(officeB)');
                """)
        }

        func store(as login: String, office: String) throws -> PostgresEventStore {
            let address = try SharedLog.address.get().replacingOccurrences(of: "//sinmungo@", with: "//\(login)@")
            return try PostgresEventStore(address: address, office: office)
        }
    }

    static func filing(_ id: CaseID, name: String) -> AppendRequest {
        let time = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)
        return AppendRequest(
            caseID: id, expectedVersion: 0,
            events: [.petitionFiled(PetitionFiled(title: "가로등", category: "도시", personal: .plain(PersonalData(name: name))))],
            occurredAt: time, recordedAt: time, actor: "ydp-0412", commandID: UUID().uuidString)
    }

    /// Runs SQL as a login and returns what went wrong, or nil when it was allowed.
    static func refusal(_ sql: String, as login: String) -> String? {
        do {
            try SharedLog.psql(sql, as: login)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("officers append only through the append function, to their own office, and see only their office's keys")
    func officers() throws {
        let staff = Staff()
        try staff.create()
        let id = CaseID(kind: .petition, year: 2019, number: 1)
        let a = try staff.store(as: staff.officerA, office: staff.officeA)
        _ = try a.append(Self.filing(id, name: "가상인"))
        #expect(try a.personalData(of: id) == .held(PersonalData(name: "가상인")))
        // Not into another office's log.
        #expect(throws: PostgresFailure.self) {
            try staff.store(as: staff.officerA, office: staff.officeB).append(Self.filing(id, name: "나가상"))
        }
        #expect(try staff.store(as: staff.officerB, office: staff.officeB).head().sequence == 0)
        // The other office's officer reads the sealed event but never its key.
        let b = try staff.store(as: staff.officerB, office: staff.officeA)
        #expect(try b.events(of: id).count == 1)
        guard case .unavailable = try b.personalData(of: id) else {
            Issue.record("an officer of another office opened the personal data")
            return
        }
        for sql in [
            "INSERT INTO sinmungo.event SELECT * FROM sinmungo.event LIMIT 1",
            "UPDATE sinmungo.event SET actor = 'x'",
            "DELETE FROM sinmungo.event",
            "TRUNCATE sinmungo.event",
            "DELETE FROM sinmungo.person_key",
            "INSERT INTO sinmungo.officer VALUES ('\(staff.officerA)', '\(staff.officeB)')",
        ] {
            let refused = Self.refusal(sql, as: staff.officerA)
            #expect(refused?.contains("permission denied") == true, "\(sql): \(refused ?? "allowed")")
        }
        #expect(try a.verify(against: nil, progress: { _ in }).sequence == 1)
    }

    @Test("auditors read the log but no key; statistics staff read the views but not the log")
    func auditorsAndStatistics() throws {
        let staff = Staff()
        try staff.create()
        let a = try staff.store(as: staff.officerA, office: staff.officeA)
        _ = try a.append(Self.filing(CaseID(kind: .petition, year: 2019, number: 1), name: "가상인"))
        let auditor = try staff.store(as: staff.auditor, office: staff.officeA)
        #expect(try auditor.verify(against: nil, progress: { _ in }) == a.head())
        #expect(Self.refusal("SELECT count(*) FROM sinmungo.person_key", as: staff.auditor)?.contains("permission denied") == true)
        #expect(Self.refusal("SELECT count(*) FROM sinmungo.event", as: staff.auditor) == nil)
        #expect(Self.refusal("UPDATE sinmungo.event SET actor = 'x'", as: staff.auditor)?.contains("permission denied") == true)
        #expect(Self.refusal("SELECT count(*) FROM sinmungo.view_row", as: staff.statistician) == nil)
        for table in ["event", "person_key", "officer"] {
            let refused = Self.refusal("SELECT count(*) FROM sinmungo.\(table)", as: staff.statistician)
            #expect(refused?.contains("permission denied") == true, "statistics staff read \(table)")
        }
    }
}
