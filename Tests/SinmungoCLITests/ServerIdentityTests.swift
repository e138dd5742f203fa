import Foundation
import SinmungoTesting
import Testing

/// On PostgreSQL the tool takes the database login (`session_user`) as the account the
/// roster ties to officers, as it takes the operating-system account on SQLite.
@Suite("Identity on a server")
struct ServerIdentityTests {
    struct SetupFailure: Error {
        var message: String
    }

    /// A server log whose roster has an administrator, officers ydp-a and ydp-b tied to their
    /// own logins, and an auditor tied to an auditor's login; and a runner for each login.
    struct Office {
        let owner: CLI
        let address: String
        let tag = String(UUID().uuidString.lowercased().prefix(8))
        var loginA: String { "ydp_a_\(tag)" }
        var loginB: String { "ydp_b_\(tag)" }
        var auditor: String { "audit_\(tag)" }

        init() throws {
            (owner, address) = try ServerLogTests.serverCLI()
            try SharedPsql.run(
                """
                CREATE ROLE \(loginA) LOGIN IN ROLE sinmungo_officer;
                CREATE ROLE \(loginB) LOGIN IN ROLE sinmungo_officer;
                CREATE ROLE \(auditor) LOGIN IN ROLE sinmungo_auditor;
                INSERT INTO sinmungo.officer (login, office) VALUES ('\(loginA)', 'default'), ('\(loginB)', 'default');
                """, address: address)
            for grant in [
                ["admin", "--role", "administrator"], ["ydp-a", "--role", "officer", "--account", loginA],
                ["ydp-b", "--role", "officer", "--account", loginB], ["audit", "--role", "auditor", "--account", auditor],
            ] {
                let added = try owner.run(["roster", "officer", "add"] + grant + ["--reason", "계정 연결", "--actor", "admin"])
                guard added.status == 0 else { throw SetupFailure(message: added.stderr) }
            }
        }

        /// The tool run under another database login, naming no officer.
        func runner(as login: String) -> CLI {
            var cli = owner
            cli.environment["SINMUNGO_DB"] = address.replacingOccurrences(of: "//sinmungo@", with: "//\(login)@")
            cli.environment["SINMUNGO_ACTOR"] = nil
            return cli
        }
    }

    @Test("an officer cannot act for another: a login tied to ydp-a naming ydp-b is refused, and nothing is written")
    func officerCannotActForAnother() throws {
        let office = try Office()
        let a = office.runner(as: office.loginA)
        let id = try a.ok("petition", "file", "--title", "보도 정비", "--category", "도시", "--at", "2019-11-01T10:00")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let head = try office.owner.ok("head")
        let impersonation = try a.run(["review", id, "--department", "치수과", "--actor", "ydp-b", "--at", "2019-11-02T10:00"])
        #expect(impersonation.status == 65)
        #expect(impersonation.stderr.contains("the account \(office.loginA) acts as ydp-a on the roster, not as ydp-b"))
        #expect(impersonation.stderr.split(separator: "\n").count == 1, "\(impersonation.stderr)")
        #expect(try office.owner.ok("head") == head)
        // Named by no one, the step is ydp-a's, and the server records the login in its hash.
        _ = try a.ok("review", id, "--department", "치수과", "--at", "2019-11-02T10:00")
        #expect(try office.owner.ok("history", id, "--format", "csv").contains(",ydp-a,reviewed,"))
        #expect(try office.owner.ok("export").contains(#"{"account":"\#(office.loginA)","actor":"ydp-a","#))
        #expect(try office.owner.ok("verify").contains("ok: "))
    }

    @Test("an auditor cannot write on a server: refused with the refusal status, and nothing is written")
    func auditorCannotWrite() throws {
        let office = try Office()
        let head = try office.owner.ok("head")
        let auditor = office.runner(as: office.auditor)
        let write = try auditor.run(["petition", "file", "--title", "t", "--category", "도시", "--at", "2019-11-01T10:00"])
        #expect(write.status == 65)
        #expect(write.stderr.contains("audit (auditor) may not file-petition"), "\(write.stderr)")
        // Naming an officer tied to another login does not help.
        let posing = try auditor.run(
            ["petition", "file", "--title", "t", "--category", "도시", "--actor", "ydp-a", "--at", "2019-11-01T10:00"])
        #expect(posing.status == 65)
        #expect(try office.owner.ok("head") == head)
    }
}
