import SinmungoCore
import SinmungoTesting
import Testing

@Suite("The roster: who may do what, checked by the library for every backend")
struct RosterTests {
    let store = InMemoryEventStore()
    static let clock = march(20, 12)

    var cases: CaseService<InMemoryEventStore> { CaseService(store: store, now: { Self.clock }) }
    var roster: RosterService<InMemoryEventStore> { RosterService(store: store, now: { Self.clock }) }

    func meta(_ commandID: String, actor: String, account: String? = nil, at: Instant = march(4)) -> CommandMetadata {
        CommandMetadata(actor: actor, commandID: commandID, occurredAt: at, account: account)
    }

    func grant(_ officer: String, _ roles: [Role], departments: [String] = [], accounts: [String] = []) -> RosterChange {
        .officerGranted(OfficerGrant(officer: officer, roles: roles, departments: departments, accounts: accounts, reason: "발령"))
    }

    /// An office with two departments, an administrator, two officers tied to accounts, an
    /// auditor and a statistics clerk.
    func seed() throws {
        _ = try roster.apply(
            [
                grant("admin", [.administrator], accounts: ["root-admin"]),
                .departmentAdded(DepartmentNamed(department: "water", name: "치수과", reason: "신설")),
                .departmentAdded(DepartmentNamed(department: "build", name: "건설과", reason: "신설")),
                grant("kim", [.officer], departments: ["water"], accounts: ["kim"]),
                grant("lee", [.officer, .teamLead], accounts: ["lee"]),
                grant("audit", [.auditor]),
                grant("stats", [.statisticsStaff]),
            ], metadata: meta("seed", actor: "admin", account: "root-admin"))
    }

    func file(_ commandID: String, actor: String = "lee", account: String? = "lee") throws -> CaseID {
        try cases.execute(
            .filePetition(PetitionFiled(title: "도림천 조명", category: "도시")), on: nil,
            metadata: meta(commandID, actor: actor, account: account)
        ).caseID
    }

    @Test("every task has a role, and the roles that must never write or open personal data hold no such task")
    func table() {
        for task in Task.allCases { #expect(!Permissions.roles(for: task).isEmpty, "\(task)") }
        let writes: [Task] = [
            .filePetition, .endorse, .holdSession, .fileProposal, .review, .decline, .visit, .answer, .reflect, .transfer,
            .withdraw, .markDuplicate, .postRecord, .correct, .extend, .requestErasure, .decideErasure, .manageRoster,
        ]
        for task in writes {
            #expect(!Permissions.allows([.auditor], task), "an auditor may \(task)")
            #expect(!Permissions.allows([.statisticsStaff], task), "statistics staff may \(task)")
        }
        #expect(!Permissions.allows([.statisticsStaff], .openPersonalData))
        #expect(!Permissions.allows([.auditor], .openPersonalData))
        #expect(Permissions.allows([.officer], .openPersonalData))
        #expect(!Permissions.allows([.officer], .decideErasure))
    }

    @Test("an empty roster checks nothing: a log kept before the roster keeps working")
    func emptyRoster() throws {
        let id = try file("c1", actor: "anyone", account: "whoever")
        _ = try cases.execute(.review(department: "아무과"), on: id, metadata: meta("c2", actor: "anyone"))
        #expect(try store.state(of: id).department == "아무과")
    }

    @Test("an officer cannot act for another: an account tied to one officer may not name a second")
    func officerCannotActForAnother() throws {
        try seed()
        let id = try file("c1")
        #expect(throws: AccessRefusal.self) {
            try cases.execute(.review(department: "water"), on: id, metadata: meta("c2", actor: "kim", account: "lee"))
        }
        #expect(throws: AccessRefusal.self) {
            try cases.execute(.review(department: "water"), on: id, metadata: meta("c3", actor: "lee", account: "mallory"))
        }
        #expect(try store.state(of: id).version == 1)
        _ = try cases.execute(.review(department: "water"), on: id, metadata: meta("c4", actor: "lee", account: "lee"))
        #expect(try store.state(of: id).version == 2)
    }

    @Test("an auditor and statistics staff cannot write")
    func auditorCannotWrite() throws {
        try seed()
        for actor in ["audit", "stats"] {
            let refusal = #expect(throws: AccessRefusal.self) { try file("c-\(actor)", actor: actor, account: nil) }
            #expect(refusal?.description.contains("may not file-petition") == true)
        }
        #expect(store.allEvents.allSatisfy { $0.caseID == Roster.streamID })
    }

    @Test("unknown departments and officers are refused; a department is found by id or name and stored by id")
    func unknownNames() throws {
        try seed()
        let id = try file("c1")
        let unknown = #expect(throws: AccessRefusal.self) {
            try cases.execute(.review(department: "치수 과"), on: id, metadata: meta("c2", actor: "lee", account: "lee"))
        }
        #expect(unknown?.description.contains("no department \"치수 과\"") == true)
        #expect(throws: AccessRefusal.self) {
            try cases.execute(.review(department: "water"), on: id, metadata: meta("c3", actor: "nobody"))
        }
        _ = try cases.execute(.review(department: "치수과"), on: id, metadata: meta("c4", actor: "lee", account: "lee"))
        #expect(try store.state(of: id).department == "water")
        #expect(throws: AccessRefusal.self) {
            try cases.execute(
                .visit(Visited(place: "도림천", with: ["ghost"])), on: id, metadata: meta("c5", actor: "lee", account: "lee"))
        }
    }

    @Test("an officer limited to a department acts only on its cases; decline takes a team lead")
    func departmentScope() throws {
        try seed()
        let id = try file("c1")
        _ = try cases.execute(.review(department: "build"), on: id, metadata: meta("c2", actor: "lee", account: "lee"))
        let outside = #expect(throws: AccessRefusal.self) {
            try cases.execute(.answer(summary: "답변", by: nil), on: id, metadata: meta("c3", actor: "kim", account: "kim"))
        }
        #expect(outside?.description.contains("acts for 치수과 only") == true)
        let other = try file("c4")
        #expect(throws: AccessRefusal.self) {
            try cases.execute(
                .decline(ground: .unclear, reason: nil), on: other, metadata: meta("c5", actor: "kim", account: "kim"))
        }
    }

    @Test("rename and merge keep the department's id, so its cases stay one group under the current name")
    func renameAndMerge() throws {
        try seed()
        let admin = { (id: String) in meta(id, actor: "admin", account: "root-admin") }
        _ = try roster.apply(
            [.departmentRenamed(DepartmentNamed(department: "water", name: "물관리과", reason: "조직 개편"))], metadata: admin("r1"))
        _ = try roster.apply(
            [.departmentsMerged(DepartmentsMerged(department: "build", into: "water", reason: "조직 개편"))], metadata: admin("r2"))
        let now = try store.roster()
        #expect(now.name(ofDepartment: "water") == "물관리과")
        #expect(now.name(ofDepartment: "build") == "물관리과")
        #expect(now.resolve(department: "건설과") == nil)
        #expect(now.resolve(department: "물관리과") == "water")
        // kim acts for water, which now carries build's cases too.
        try now.authorize(officer: "kim", account: "kim", task: .answer, caseDepartment: "build")
        // A grant may name a department by its current name; the id is stored.
        _ = try roster.apply([grant("park", [.officer], departments: ["물관리과"])], metadata: admin("r3"))
        #expect(try store.roster().officers["park"]?.departments == ["water"])
    }

    @Test("only an administrator changes the roster once there is one; each change names who, when and why")
    func rosterChangesNeedAnAdministrator() throws {
        #expect(throws: AccessRefusal.self) {
            try roster.apply([grant("kim", [.officer])], metadata: meta("r0", actor: "kim"))
        }
        try seed()
        #expect(throws: AccessRefusal.self) {
            try roster.apply([grant("park", [.officer])], metadata: meta("r1", actor: "lee", account: "lee"))
        }
        #expect(throws: AccessRefusal.self) {
            try roster.apply(
                [.officerRemoved(OfficerRemoved(officer: "kim", reason: " "))],
                metadata: meta("r2", actor: "admin", account: "root-admin"))
        }
        _ = try roster.apply(
            [.officerRemoved(OfficerRemoved(officer: "kim", reason: "전출"))],
            metadata: meta("r3", actor: "admin", account: "root-admin"))
        let removal = try #require(store.allEvents.last)
        #expect(removal.caseID == Roster.streamID)
        #expect(removal.actor == "admin")
        #expect(removal.event == .roster(.officerRemoved(OfficerRemoved(officer: "kim", reason: "전출"))))
        #expect(throws: AccessRefusal.self) { try file("c1", actor: "kim", account: "kim") }
    }

    @Test("adopting the log's names starts a roster without an administrator, and needs one once there is one")
    func adoption() throws {
        _ = try cases.execute(
            .filePetition(PetitionFiled(title: "t", category: "도시")), on: nil, metadata: meta("c1", actor: "ydp-0412"))
        let added = try roster.adoptFromLog(store.allEvents, reason: "이관", metadata: meta("a1", actor: "anyone"))
        #expect(added.officers == ["ydp-0412"])
        try seed()
        _ = try cases.execute(
            .filePetition(PetitionFiled(title: "t", category: "도시")), on: nil, metadata: meta("c2", actor: "lee", account: "lee"))
        #expect(throws: AccessRefusal.self) {
            try roster.adoptFromLog(store.allEvents, reason: "이관", metadata: meta("a2", actor: "lee", account: "lee"))
        }
        let none = try roster.adoptFromLog(
            store.allEvents, reason: "이관", metadata: meta("a3", actor: "admin", account: "root-admin"))
        #expect(none.officers.isEmpty && none.departments.isEmpty)
    }

    @Test("the roster's stream is never a case, and a roster event is never a case's")
    func streamIsReserved() throws {
        #expect(throws: Refusal.self) {
            try cases.execute(
                .filePetition(PetitionFiled(title: "t", category: "도시")), on: Roster.streamID,
                metadata: meta("c1", actor: "lee"))
        }
        #expect(throws: Refusal.self) {
            try Lifecycle.check(
                .roster(grant("kim", [.officer])), occurredAt: march(4), on: CaseState(initial: CaseID("PET-2019-0001")),
                lookup: { CaseState(initial: $0) })
        }
    }

    @Test("roster events round-trip through the log's JSON")
    func codec() throws {
        let events: [CaseEvent] = [
            .roster(grant("kim", [.officer, .teamLead], departments: ["water"], accounts: ["kim"])),
            .roster(.departmentsMerged(DepartmentsMerged(department: "a", into: "b", reason: "개편"))),
            .roster(.officerRemoved(OfficerRemoved(officer: "kim", reason: "전출"))),
        ]
        for event in events {
            let text = EventCodec.encode(event)
            #expect(try EventCodec.decode(type: event.type.rawValue, schemaVersion: 1, data: text) == event)
        }
        #expect(throws: EventCodec.DecodingFailure.self) {
            try EventCodec.decode(
                type: "officer-granted", schemaVersion: 1,
                data: #"{"accounts":[],"departments":[],"officer":"x","reason":"r","roles":["mayor"]}"#)
        }
    }
}
