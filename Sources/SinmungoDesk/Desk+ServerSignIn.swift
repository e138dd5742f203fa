import Foundation
import HTTPTypes
import Hummingbird
import SinmungoCore
import SinmungoPostgres

extension Desk {
    /// Signs in on PostgreSQL: the server checks the login's password by a connection opened
    /// as that login, which the session then keeps; the officer is the one the roster ties to
    /// the login. Failed sign-ins lock the login for a while, as desk passwords do on SQLite.
    func signIn(login: String, password: String, _ request: Request, _ context: DeskContext) async throws -> Response {
        guard let sessions = serverSessions else { throw DeskRedirect(to: "/sign-in") }
        func again(_ problem: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await signInPage(request, context, typed: login, problem: problem, status: status)
        }
        func locked(_ until: Instant) async throws -> Response {
            try await again(
                "로그인에 여러 번 실패하여 \(DeskWords.time(until))까지 잠겼습니다 (login locked after \(DeskAccounts.lockAfterFailures) failures)",
                .tooManyRequests)
        }
        let wrong = "로그인이나 비밀번호가 맞지 않습니다 (wrong login or password)"
        guard !login.isEmpty, login.utf8.count <= 63, !login.contains("\u{0}"), !password.contains("\u{0}") else {
            return try await again(wrong, .unauthorized)
        }
        let now = self.now
        if let until = try await blocking({ try accounts.loginLockedUntil(login, now: now) }) { return try await locked(until) }
        let configuration = configuration
        let opened: PostgresEventStore
        do {
            opened = try await blocking {
                try PostgresEventStore(
                    address: configuration.logPath, office: configuration.office,
                    credentials: PostgresCredentials(login: login, password: password))
            }
        } catch is PostgresSignInRefused {
            if let until = try await blocking({ try accounts.recordLoginFailure(login, now: now) }) { return try await locked(until) }
            return try await again(wrong, .unauthorized)
        } catch let failure as PostgresFailure where failure.kind == .unreachable {
            return try await again("데이터베이스에 닿지 못했습니다. 잠시 뒤 다시 하십시오 (database unavailable)", .serviceUnavailable)
        }
        try await blocking { try accounts.recordLoginSuccess(login) }
        let tied = try await roster().officers(forAccount: login)
        guard tied.count == 1, let officer = tied.first else {
            return try await again(
                tied.isEmpty
                    ? "이 로그인에 연결된 직원이 명부에 없습니다 (the login \(login) is tied to no officer on the roster; `sinmungo roster officer change --account` ties it)"
                    : "이 로그인은 여러 직원에 연결되어 있습니다 (the login \(login) is tied to \(tied.joined(separator: ", ")); the desk signs in one officer a login)",
                .forbidden)
        }
        let (token, _) = sessions.add(officer: officer, login: login, log: opened, now: now)
        return Self.redirect("/", cookies: [cookie(Self.sessionCookie, token), cookie(Self.signInCookie, "", maxAge: 0)])
    }
}
