import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoDesk

/// A log with a small roster, and a desk over it: officers of two departments, an auditor,
/// statistics staff and an administrator, each with a desk password.
struct DeskFixture {
    static let clock = Instant(iso8601: "2026-11-27T10:00:00+09:00")!
    static let password = "correct horse battery"
    let folder: URL
    let desk: Desk
    let store: SQLiteEventStore

    init() throws {
        folder = TemporaryFolder().url
        let path = folder.appendingPathComponent("log.sqlite").path
        let (store, _) = try SQLiteEventStore.create(at: path, projections: [CaseProjection.self])
        self.store = store
        let roster = RosterService(store: store, now: { Self.clock })
        func grant(_ officer: String, _ roles: [Role], _ departments: [String] = []) -> RosterChange {
            .officerGranted(OfficerGrant(officer: officer, roles: roles, departments: departments, reason: "desk test"))
        }
        _ = try roster.apply(
            [
                .departmentAdded(DepartmentNamed(department: "road", name: "도로과", reason: "desk test")),
                .departmentAdded(DepartmentNamed(department: "water", name: "치수과", reason: "desk test")),
                grant("admin", [.administrator]), grant("ydp-0412", [.officer]), grant("ydp-0413", [.officer]),
                grant("ydp-0500", [.teamLead], ["water"]), grant("audit-01", [.auditor]),
                grant("stat-01", [.statisticsStaff]), grant("priv-01", [.privacyOfficer]),
            ], metadata: CommandMetadata(actor: "admin", commandID: "roster-1"))
        desk = try Desk(
            configuration: DeskConfiguration(logPath: path, now: { Self.clock }), bcryptCost: 4)
        for officer in ["admin", "ydp-0412", "ydp-0413", "ydp-0500", "audit-01", "stat-01", "priv-01"] {
            try desk.accounts.setPassword(Self.password, for: officer)
        }
    }

    /// Runs `body` against the desk's router in this process, with no network.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: desk.router())
        try await app.test(.router) { client in try await body(client) }
    }
}

/// One browser: its own cookies, and the form token of the last page it read.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var lastPage = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var html: String
        var location: String? { headers[.location] }
    }

    func get(_ uri: String) async throws -> Page {
        try await send(uri, method: .get, body: nil)
    }

    /// Posts a form; the CSRF token of the last page read is added unless `csrf` is given.
    func post(_ uri: String, _ fields: [String: String], csrf: String? = nil) async throws -> Page {
        var fields = fields
        if fields["csrf"] == nil { fields["csrf"] = csrf ?? formToken() }
        let body = fields.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(
            separator: "&")
        return try await send(uri, method: .post, body: body)
    }

    func signIn(_ officer: String, password: String = DeskFixture.password) async throws -> Page {
        _ = try await get("/sign-in")
        return try await post("/sign-in", ["officer": officer, "password": password])
    }

    /// The value of a hidden field of the last page read (the first form holding it).
    func hidden(_ name: String, in html: String? = nil) -> String? {
        let page = html ?? lastPage
        guard let range = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = page[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    func formToken() -> String { hidden("csrf") ?? "" }

    /// The hidden fields of the form that posts to `action`.
    func form(_ action: String) -> [String: String]? {
        guard let start = lastPage.range(of: "action=\"\(action)\"") else { return nil }
        let end = lastPage.range(of: "</form>", range: start.upperBound..<lastPage.endIndex)?.lowerBound ?? lastPage.endIndex
        let html = String(lastPage[start.upperBound..<end])
        var fields: [String: String] = [:]
        for name in ["csrf", "version", "command"] { fields[name] = hidden(name, in: html) }
        return fields
    }

    private func send(_ uri: String, method: HTTPRequest.Method, body: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let cookieValue = pair.count > 1 ? String(pair[1]) : ""
            if cookieValue.isEmpty || value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = cookieValue }
        }
        let html = String(buffer: response.body)
        if response.headers[.contentType]?.hasPrefix("text/html") == true { lastPage = html }
        return Page(status: response.status, headers: response.headers, html: html)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
