import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import NIOCore
import NIOPosix
import SinmungoCore
import SinmungoPostgres
import SinmungoReport
import SinmungoStore
import SinmungoViews

/// How a desk is started: which log, where it listens, and the office's rules.
public struct DeskConfiguration: Sendable {
    public var logPath: String
    public var keysPath: String
    public var accountsPath: String
    /// The work list's index, rebuilt from the log whenever it is missing.
    public var workIndexPath: String
    public var host: String
    public var port: Int
    /// Marks the session cookie Secure: set it when the desk is reached through TLS.
    public var secureCookies: Bool
    public var policy: Policy
    public var calendar: HolidayCalendar
    public var now: @Sendable () -> Instant
    /// The program and version printed under the statistics.
    public var program = "sinmungo-desk"
    /// On PostgreSQL (`logPath` is a `postgresql://` address), the office whose log is served.
    public var office = PostgresEventStore.defaultOffice

    /// A `postgresql://` (or `postgres://`) address names a server; anything else is an SQLite file.
    public var isServer: Bool { Self.isServer(logPath) }

    public static func isServer(_ path: String) -> Bool {
        path.hasPrefix("postgresql://") || path.hasPrefix("postgres://")
    }

    /// The desk on an office's log on a PostgreSQL server. Its own files (failed sign-ins,
    /// the work index) go in `folder`, named after the office.
    public init(
        serverAddress: String, office: String = PostgresEventStore.defaultOffice, folder: String = ".",
        host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, policy: Policy = .yeongdeungpo,
        calendar: HolidayCalendar = .standard, now: @escaping @Sendable () -> Instant
    ) {
        let base = URL(fileURLWithPath: folder).appendingPathComponent("sinmungo-desk.\(Self.fileName(office)).sqlite").path
        self.init(
            logPath: serverAddress, keysPath: "", accountsPath: DeskAccounts.defaultPath(forLog: base), host: host, port: port,
            secureCookies: secureCookies, policy: policy, calendar: calendar, now: now)
        workIndexPath = DeskWorkIndex.defaultPath(forLog: base)
        self.office = office
    }

    /// An office's name as a file name: letters, digits, `-` and `_` kept, the rest as %XX.
    static func fileName(_ office: String) -> String {
        var name = ""
        for byte in office.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || byte == 0x2D || byte == 0x5F {
                name.unicodeScalars.append(scalar)
            } else {
                name += String(format: "%%%02X", byte)
            }
        }
        return name
    }

    public init(
        logPath: String, keysPath: String? = nil, accountsPath: String? = nil, host: String = "127.0.0.1", port: Int = 8080,
        secureCookies: Bool = false, policy: Policy = .yeongdeungpo, calendar: HolidayCalendar = .standard,
        now: @escaping @Sendable () -> Instant
    ) {
        self.logPath = logPath
        self.keysPath = keysPath ?? PersonKeyStore.defaultPath(forLog: logPath)
        self.accountsPath = accountsPath ?? DeskAccounts.defaultPath(forLog: logPath)
        workIndexPath = DeskWorkIndex.defaultPath(forLog: logPath)
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.policy = policy
        self.calendar = calendar
        self.now = now
    }
}

/// The request's context: the signed-in officer, when there is one.
public struct DeskContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var session: DeskAccounts.Session?
    var token: String?
    /// On PostgreSQL, the session's own connection (as the officer's login) and that login.
    var sessionLog: (any DeskLog)?
    var login: String?
    /// Where the request came from, for the access records.
    let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Forms are small; a larger body is refused before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
}

/// The desk: pages for officers, auditors, statistics staff and the privacy officer, over
/// the same library and log as the command-line tool.
public struct Desk: Sendable {
    public let configuration: DeskConfiguration
    /// The SQLite log; on PostgreSQL, the desk's own read-only connection (its address's
    /// login), which reads only the roster, the work index's events and the year's figures.
    let store: any DeskLog
    public let accounts: DeskAccounts
    public let workIndex: DeskWorkIndex
    /// On PostgreSQL, the sessions and their connections; nil on SQLite.
    public let serverSessions: DeskServerSessions?
    let rosterCache = DeskRosterCache()
    static let sessionCookie = "sinmungo_session"
    static let signInCookie = "sinmungo_sign_in"

    public init(configuration: DeskConfiguration, bcryptCost: UInt8 = 12) throws {
        self.configuration = configuration
        if configuration.isServer {
            store = try PostgresEventStore(address: configuration.logPath, office: configuration.office, readOnly: true)
            serverSessions = DeskServerSessions()
        } else {
            store = try SQLiteEventStore(
                openingExistingAt: configuration.logPath, mode: .readWrite, keysPath: configuration.keysPath,
                projections: [CaseProjection.self])
            serverSessions = nil
        }
        accounts = try DeskAccounts(path: configuration.accountsPath, bcryptCost: bcryptCost)
        workIndex = try DeskWorkIndex(
            path: configuration.workIndexPath, policy: configuration.policy, calendar: configuration.calendar)
        // Caught up before the first request, so that none waits for a large log's rebuild.
        try workIndex.catchUp(with: store)
    }

    static let templates: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in DeskTemplates.all {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("the desk template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    public func application(logger: Logger) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            logger: logger)
    }

    public func router() -> Router<DeskContext> {
        let router = Router(context: DeskContext.self)
        router.add(middleware: DeskHeadersAndLog(now: configuration.now))
        router.add(middleware: SessionReader(desk: self))
        router.get("/static/desk.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: DeskStyle.sheet)))
        }
        router.get("/sign-in") { request, context in try await self.signInPage(request, context) }
        router.post("/sign-in") { request, context in try await self.signIn(request, context) }
        router.post("/sign-out") { request, context in try await self.signOut(request, context) }
        router.get("/") { request, context in try await self.workPage(request, context, form: nil) }
        router.post("/") { request, context in
            try await self.workPage(request, context, form: try await self.form(request, context))
        }
        router.get("/cases/:id") { request, context in try await self.casePage(request, context) }
        router.post("/cases/:id/personal-data") { request, context in try await self.openPersonalData(request, context) }
        router.post("/cases/:id/steps/:step") { request, context in try await self.takeStep(request, context) }
        router.get("/new") { request, context in try await self.newPage(request, context) }
        router.post("/new/:kind") { request, context in try await self.create(request, context) }
        router.get("/audit") { request, context in try await self.auditPage(request, context, form: nil) }
        router.post("/audit/verify") { request, context in
            try await self.auditPage(request, context, form: try await self.form(request, context))
        }
        router.get("/audit/case") { request, context in try await self.auditCasePage(request, context) }
        router.get("/statistics") { request, context in try await self.statisticsPage(request, context) }
        router.get("/privacy") { request, context in try await self.privacyPage(request, context, form: nil) }
        router.post("/privacy/checked") { request, context in
            try await self.privacyPage(request, context, form: try await self.form(request, context))
        }
        return router
    }

    // MARK: Shared pieces

    /// Runs blocking store work off the event loop.
    func blocking<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    var now: Instant { configuration.now() }

    /// The log as the request's officer reaches it: on PostgreSQL their session's own
    /// connection, so that the server's grants and checks apply to what they read and write.
    func log(_ context: DeskContext) -> any DeskLog {
        context.sessionLog ?? store
    }

    /// The case's summary as the work index folded it, caught up with the log first.
    func caseSummary(_ id: CaseID) async throws -> CaseSummary? {
        try await blocking {
            try workIndex.catchUp(with: store)
            return try workIndex.summary(of: id)
        }
    }

    /// The roster, folded again only when the log's head has moved since it was last read.
    func roster() async throws -> Roster {
        try await blocking { try rosterCache.roster(of: store) }
    }

    /// The signed-in officer's grant, or a response that sends them to sign in.
    func signedIn(_ request: Request, _ context: DeskContext, roster: Roster) throws -> (DeskAccounts.Session, OfficerGrant) {
        guard let session = context.session, let grant = roster.officers[session.officer] else {
            throw DeskRedirect(to: "/sign-in")
        }
        // A login the roster no longer ties to its officer acts for no one.
        if let login = context.login, !roster.officers(forAccount: login).contains(session.officer) {
            throw DeskRedirect(to: "/sign-in")
        }
        return (session, grant)
    }

    func require(_ task: Task, _ grant: OfficerGrant) throws {
        guard Permissions.allows(grant.roles, task) else {
            throw DeskProblem(status: .forbidden, message: "이 화면은 권한이 있는 직원만 볼 수 있습니다 (\(task) needs \(Permissions.roles(for: task).sorted().map(\.rawValue).joined(separator: " or ")))")
        }
    }

    /// The body of a form POST, after checking its CSRF token against the session's.
    func form(_ request: Request, _ context: DeskContext) async throws -> SubmittedForm {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let values: [String: String]
        do {
            values = try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))
        } catch {
            throw DeskProblem(status: .badRequest, message: "양식을 읽을 수 없습니다 (the form body is not URL-encoded fields)")
        }
        guard let session = context.session else { throw DeskRedirect(to: "/sign-in") }
        guard let token = values["csrf"], DeskAccounts.same(token, session.csrf) else {
            throw DeskProblem(status: .forbidden, message: "양식이 만료되었거나 다른 곳에서 왔습니다. 화면을 새로 고쳐 다시 보내십시오 (CSRF token missing or wrong)")
        }
        return SubmittedForm(values: values)
    }

    func page(
        _ template: String, title: String, _ values: [String: Any], context: DeskContext, grant: OfficerGrant?,
        current: String? = nil, status: HTTPResponse.Status = .ok, notice: String? = nil, problem: String? = nil
    ) -> Response {
        var values = values
        values["csrf"] = context.session?.csrf ?? ""
        let content = Self.templates.render(values, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "content": content]
        if let notice { layout["notice"] = notice }
        if let problem { layout["problemText"] = problem }
        if let grant, let session = context.session {
            layout["signedIn"] = true
            layout["officer"] = grant.officer
            layout["csrf"] = session.csrf
            layout["roles"] = grant.roles.map(DeskWords.role).joined(separator: ", ")
            layout["nav"] = Self.navigation(for: grant).map { item in
                ["href": item.href, "label": item.label, "current": item.href == current]
            }
        }
        let html = Self.templates.render(layout, withTemplate: "layout") ?? ""
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func navigation(for grant: OfficerGrant) -> [(href: String, label: String)] {
        var items: [(String, String)] = []
        if Permissions.allows(grant.roles, .readCases) { items.append(("/", "업무 목록")) }
        if Permissions.allows(grant.roles, .filePetition) { items.append(("/new", "새 접수")) }
        if Permissions.allows(grant.roles, .auditLog) { items.append(("/audit", "감사")) }
        if Permissions.allows(grant.roles, .readStatistics) { items.append(("/statistics", "통계 백서")) }
        if Permissions.allows(grant.roles, .checkAccessRecords) { items.append(("/privacy", "개인정보 점검")) }
        return items
    }

    static func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true,
            sameSite: .strict)
    }
}

/// A page that sends the browser elsewhere (to sign in, or after a POST).
struct DeskRedirect: Error {
    var to: String
}

/// A request the desk refuses, with the sentence shown to the officer.
struct DeskProblem: Error {
    var status: HTTPResponse.Status
    var message: String
}
