import Foundation
import Hummingbird
import HummingbirdTesting
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoDesk

/// One database on the test server for this process; each fixture keeps to its own office
/// and its own logins, which sign in by password (members of sinmungo_password_login, which
/// Scripts/postgres.sh's clusters check by password).
enum DeskServerLog {
    static let address: Result<String, any Error> = Result {
        let address = try TestPostgres.freshDatabase()
        _ = try PostgresEventStore.create(address: address)
        try psql(
            """
            DO $$ BEGIN CREATE ROLE sinmungo_password_login NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
            """, address: address)
        return address
    }

    @discardableResult
    static func psql(_ sql: String, address: String? = nil) throws -> String {
        try TestPostgres.run("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", try address ?? self.address.get(), "-c", sql])
    }
}

/// An office on the server with a roster: officers ydp-0412 and ydp-0413 and auditor
/// audit-01, each tied to their own login, and a login tied to no one; a desk over it.
struct DeskServerFixture {
    static let password = "correct horse battery"
    let tag = String(UUID().uuidString.lowercased().prefix(8))
    let address: String
    let folder: URL
    let owner: PostgresEventStore
    let desk: Desk
    var office: String { "desk-\(tag)" }
    var officer: String { "desk_officer_\(tag)" }
    var colleague: String { "desk_colleague_\(tag)" }
    var auditor: String { "desk_auditor_\(tag)" }
    var untied: String { "desk_untied_\(tag)" }
    var privacy: String { "desk_privacy_\(tag)" }

    init() throws {
        address = try DeskServerLog.address.get()
        let office = "desk-\(tag)"
        let (officer, colleague, auditor, untied, privacy) = (
            "desk_officer_\(tag)", "desk_colleague_\(tag)", "desk_auditor_\(tag)", "desk_untied_\(tag)", "desk_privacy_\(tag)"
        )
        try DeskServerLog.psql(
            """
            CREATE ROLE \(officer) LOGIN PASSWORD '\(Self.password)' IN ROLE sinmungo_officer, sinmungo_password_login;
            CREATE ROLE \(colleague) LOGIN PASSWORD '\(Self.password)' IN ROLE sinmungo_officer, sinmungo_password_login;
            CREATE ROLE \(auditor) LOGIN PASSWORD '\(Self.password)' IN ROLE sinmungo_auditor, sinmungo_password_login;
            CREATE ROLE \(untied) LOGIN PASSWORD '\(Self.password)' IN ROLE sinmungo_officer, sinmungo_password_login;
            CREATE ROLE \(privacy) LOGIN PASSWORD '\(Self.password)' IN ROLE sinmungo_privacy_officer, sinmungo_password_login;
            INSERT INTO sinmungo.office VALUES ('\(office)');
            INSERT INTO sinmungo.officer VALUES
                ('\(officer)', '\(office)'), ('\(colleague)', '\(office)'), ('\(untied)', '\(office)'), ('\(privacy)', '\(office)');
            """)
        owner = try PostgresEventStore(address: address, office: office)
        func grant(_ officer: String, _ roles: [Role], accounts: [String] = []) -> RosterChange {
            .officerGranted(OfficerGrant(officer: officer, roles: roles, accounts: accounts, reason: "desk test"))
        }
        _ = try RosterService(store: owner, now: { DeskFixture.clock }).apply(
            [
                .departmentAdded(DepartmentNamed(department: "road", name: "도로과", reason: "desk test")),
                .departmentAdded(DepartmentNamed(department: "water", name: "치수과", reason: "desk test")),
                grant("admin", [.administrator]), grant("ydp-0412", [.officer], accounts: [officer]),
                grant("ydp-0413", [.officer], accounts: [colleague]), grant("audit-01", [.auditor], accounts: [auditor]),
                grant("priv-01", [.privacyOfficer], accounts: [privacy]),
            ], metadata: CommandMetadata(actor: "admin", commandID: "roster-\(tag)", account: try owner.sessionAccount()))
        folder = TemporaryFolder().url
        desk = try Desk(
            configuration: DeskConfiguration(serverAddress: address, office: office, folder: folder.path, now: { DeskFixture.clock }),
            bcryptCost: 4)
    }

    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: desk.router())
        try await app.test(.router) { client in try await body(client) }
    }

    /// The office's access records on the server, as its owner reads them: account, officer, case, task.
    func accessRecords() throws -> [String] {
        try DeskServerLog.psql(
            "SELECT account || ' ' || officer || ' ' || coalesce(case_id, '-') || ' ' || task FROM sinmungo.access_record WHERE office = '\(office)' ORDER BY seq"
        ).split(separator: "\n").map(String.init)
    }
}

@Suite("The desk on PostgreSQL: officers sign in with their own logins")
struct DeskPostgresTests {
    @Test
    func anOfficerSignsInWithTheirLoginAndEveryEventTheyRecordIsThatLogins() async throws {
        let fixture = try DeskServerFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            let signedIn = try await browser.signIn(fixture.officer, password: DeskServerFixture.password)
            #expect(signedIn.status == .seeOther && signedIn.location == "/", "\(signedIn.html)")
            #expect(fixture.desk.serverSessions?.count == 1)
            let id = try await DeskOfficerTests().file(browser, title: "도림천 산책로 조명")
            let reviewed = try await DeskOfficerTests().step(browser, id, "review", ["department": "water"])
            #expect(reviewed.status == .seeOther, "\(reviewed.html)")
            let events = try fixture.owner.events(of: CaseID(id))
            #expect(events.map(\.event.type) == [.petitionFiled, .reviewed])
            #expect(events.allSatisfy { $0.actor == "ydp-0412" && $0.account == fixture.officer }, "\(events.map(\.account))")
            // The work list is caught up from the server's log.
            let list = try await browser.get("/")
            #expect(DeskFixture.listed(list.html) == [id])
            let paper = try await browser.get("/statistics?year=2026")
            #expect(paper.status == .ok)
            #expect(paper.html.contains("2026년 구민 소통 백서"))
            #expect(list.html.contains("치수과"))
            let page = try await browser.get("/cases/\(id)")
            #expect(page.html.contains("치수과에 배정"))
            // Folded by the desk from the server's log, the case's summary is the log's own fold.
            #expect(try fixture.desk.workIndex.summary(of: CaseID(id)) == CaseProjection.replay(fixture.owner.events(at: .now))[CaseID(id)])
            _ = try await browser.post("/sign-out", [:])
            #expect(fixture.desk.serverSessions?.count == 0, "signing out ends the session and its connection")
            #expect(try await browser.get("/").location == "/sign-in")
        }
    }

    @Test
    func aSessionWhoseConnectionTheServerEndedConnectsAgain() async throws {
        let fixture = try DeskServerFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn(fixture.officer, password: DeskServerFixture.password)
            let id = try await DeskOfficerTests().file(browser, title: "가로수 정비")
            #expect(try DeskServerLog.psql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '\(fixture.officer)'") == "1")
            // The request that finds it gone fails without a trace of the database in the page;
            // the next one is served on a new connection as the same login.
            let lost = try await browser.get("/cases/\(id)")
            #expect(lost.status == .serviceUnavailable)
            let again = try await browser.get("/cases/\(id)")
            #expect(again.status == .ok)
            #expect(again.html.contains("가로수 정비"))
            #expect(try await DeskOfficerTests().step(browser, id, "review", ["department": "road"]).status == .seeOther)
            #expect(try fixture.owner.events(of: CaseID(id)).map(\.account) == [fixture.officer, fixture.officer])
        }
    }

    @Test
    func aWrongPasswordIsRefusedAndRepeatedFailuresLockTheLoginEvenAgainstTheRightOne() async throws {
        let fixture = try DeskServerFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            let wrong = try await browser.signIn(fixture.officer, password: "not the password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.html.contains("로그인이나 비밀번호가 맞지 않습니다"))
            #expect(try await browser.signIn(fixture.officer, password: "").status == .unauthorized)
            // A login the server lets in without a password signs no one in.
            #expect(try await browser.signIn("sinmungo", password: "anything at all").status == .unauthorized)
            for _ in 3..<DeskAccounts.lockAfterFailures {
                #expect(try await browser.signIn(fixture.officer, password: "still wrong").status == .unauthorized)
            }
            let locked = try await browser.signIn(fixture.officer, password: "wrong again")
            #expect(locked.status == .tooManyRequests, "\(locked.html)")
            let right = try await browser.signIn(fixture.officer, password: DeskServerFixture.password)
            #expect(right.status == .tooManyRequests)
            #expect(browser.cookies[Desk.sessionCookie] == nil)
            #expect(fixture.desk.serverSessions?.count == 0)
            // Another login is not locked by them.
            let colleague = Browser(client)
            #expect(try await colleague.signIn(fixture.colleague, password: DeskServerFixture.password).location == "/")
        }
    }

    @Test
    func aLoginActsOnlyAsTheOfficerTheRosterTiesItTo() async throws {
        let fixture = try DeskServerFixture()
        try await fixture.run { client in
            let untied = Browser(client)
            let refused = try await untied.signIn(fixture.untied, password: DeskServerFixture.password)
            #expect(refused.status == .forbidden)
            #expect(refused.html.contains("연결된 직원이 명부에 없습니다"))
            let colleague = Browser(client)
            _ = try await colleague.signIn(fixture.colleague, password: DeskServerFixture.password)
            let id = try await DeskOfficerTests().file(colleague, title: "보도블록 파손")
            _ = try await colleague.get("/cases/\(id)")
            let form = try #require(colleague.form("/cases/\(id)/steps/review"))
            // The administrator ties the colleague's login to ydp-0412 instead.
            _ = try RosterService(store: fixture.owner, now: { DeskFixture.clock }).apply(
                [
                    .officerChanged(OfficerGrant(officer: "ydp-0413", roles: [.officer], accounts: [], reason: "이동")),
                    .officerChanged(
                        OfficerGrant(
                            officer: "ydp-0412", roles: [.officer], accounts: [fixture.officer, fixture.colleague], reason: "이동")),
                ], metadata: CommandMetadata(actor: "admin", commandID: "retie-\(fixture.tag)", account: "sinmungo"))
            let stale = try await colleague.post("/cases/\(id)/steps/review", form.merging(["department": "road"]) { a, _ in a })
            #expect(stale.location == "/sign-in", "the session's officer is no longer the login's")
            #expect(try fixture.owner.events(of: CaseID(id)).count == 1)
        }
        // The server refuses it too, whatever a client sends.
        let direct = try PostgresEventStore(
            address: fixture.address, office: fixture.office,
            credentials: PostgresCredentials(login: fixture.untied, password: DeskServerFixture.password))
        let refusal = #expect(throws: PostgresFailure.self) {
            try direct.append(
                AppendRequest(
                    caseID: CaseID(kind: .petition, year: 2026, number: 90), expectedVersion: 0,
                    events: [.petitionFiled(PetitionFiled(title: "대신", category: "도시"))], occurredAt: DeskFixture.clock,
                    recordedAt: DeskFixture.clock, actor: "ydp-0412", commandID: "as-another-\(fixture.tag)"))
        }
        #expect(refusal?.kind == .forbidden)
    }

    @Test
    func openingPersonalDataLeavesExactlyOneAccessRecordOnTheServer() async throws {
        let fixture = try DeskServerFixture()
        try await fixture.run { client in
            let officer = Browser(client)
            _ = try await officer.signIn(fixture.officer, password: DeskServerFixture.password)
            let id = try await DeskOfficerTests().file(officer, title: "열람 기록")
            let page = try await officer.get("/cases/\(id)")
            #expect(!page.html.contains("가상인"))
            #expect(try fixture.accessRecords().isEmpty, "filing and reading the case open nothing")
            let opened = try await officer.post("/cases/\(id)/personal-data", ["purpose": "민원인 연락"])
            #expect(opened.status == .ok)
            #expect(opened.html.contains("가상인") && opened.html.contains("010-0000-1234"))
            #expect(try fixture.accessRecords() == ["\(fixture.officer) ydp-0412 \(id) view"])
            let auditor = Browser(client)
            _ = try await auditor.signIn(fixture.auditor, password: DeskServerFixture.password)
            #expect(try await auditor.post("/cases/\(id)/personal-data", ["purpose": "답변 작성"]).status == .forbidden)
            #expect(try fixture.accessRecords().count == 1, "a refused opening records nothing")
            // The privacy officer reads it as their own login, and their check is recorded the same way.
            let privacy = Browser(client)
            _ = try await privacy.signIn(fixture.privacy, password: DeskServerFixture.password)
            let month = try await privacy.get("/privacy?month=2026-11")
            #expect(month.status == .ok, "\(month.html)")
            #expect(month.html.contains(fixture.officer) && month.html.contains(id))
            let checked = try await privacy.post("/privacy/checked", ["month": "2026-11", "note": "이상 없음"])
            #expect(checked.status == .ok, "\(checked.html)")
            #expect(try fixture.accessRecords().last == "\(fixture.privacy) priv-01 - monthly-check")
        }
    }

    @Test
    func anAuditorLoginSeesNoWriteFormAndCanWriteNothing() async throws {
        let fixture = try DeskServerFixture()
        try await fixture.run { client in
            let officer = Browser(client)
            _ = try await officer.signIn(fixture.officer, password: DeskServerFixture.password)
            let id = try await DeskOfficerTests().file(officer, title: "감사 대상")
            let auditor = Browser(client)
            #expect(try await auditor.signIn(fixture.auditor, password: DeskServerFixture.password).location == "/")
            let page = try await auditor.get("/cases/\(id)")
            #expect(page.status == .ok)
            #expect(!page.html.contains("/steps/") && !page.html.contains("personal-data"))
            #expect(!page.html.contains("가상인"))
            #expect(try await auditor.get("/new").status == .forbidden)
            let forced = try await auditor.post(
                "/cases/\(id)/steps/review", ["department": "road", "version": "1", "command": "audit-try"])
            #expect(forced.status == .forbidden)
            #expect(try fixture.owner.events(of: CaseID(id)).count == 1)
            let audit = try await auditor.get("/audit")
            #expect(audit.html.contains("로그의 끝"))
            #expect(!audit.html.contains("/new/"))
            let verified = try await auditor.post("/audit/verify", [:])
            #expect(verified.html.contains("검증했습니다"), "\(verified.html)")
        }
    }
}

@Suite("The desk's work index on PostgreSQL")
struct DeskServerIndexTests {
    @Test
    func theIndexFoldedFromTheServersLogEqualsTheOneReadFromSQLitesCaseRows() throws {
        let fixtureLog = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/yeongdeungpo-2019.jsonl")
        let folder = TemporaryFolder().url
        let server = try PostgresEventStore(address: try DeskServerLog.address.get(), office: "index-\(UUID().uuidString.prefix(8))")
        _ = try server.importLog(at: fixtureLog, source: "fixture")
        // The same log on SQLite: the server's export, whose sealed personal data keeps its ids.
        var exported = ""
        try server.exportLog { exported += $0 }
        let copy = folder.appendingPathComponent("server.jsonl")
        try Data(exported.utf8).write(to: copy)
        let (sqlite, _) = try SQLiteEventStore.create(
            at: folder.appendingPathComponent("log.sqlite").path, projections: [CaseProjection.self])
        _ = try sqlite.importLog(at: copy, source: "server")
        #expect(try server.keptCaseRows() == nil, "the server's index is folded by the desk")
        func index(_ name: String) throws -> DeskWorkIndex {
            try DeskWorkIndex(path: folder.appendingPathComponent(name).path, policy: .yeongdeungpo, calendar: .standard)
        }
        let fromRows = try index("rows.sqlite")
        try fromRows.catchUp(with: sqlite)
        let folded = try index("folded.sqlite")
        try folded.catchUp(with: server)
        let rows = try fromRows.contents()
        #expect(rows.count > 300)
        #expect(try folded.contents() == rows)
        #expect(try folded.summaries() == sqlite.summaries())
    }
}
