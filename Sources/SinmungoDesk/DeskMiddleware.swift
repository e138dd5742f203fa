import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SinmungoCore
import SinmungoPostgres

/// Security headers on every response, errors turned into pages, and one structured log line
/// a request. The line holds the path without its query, the status, the time taken and the
/// officer: no form field and no personal data.
struct DeskHeadersAndLog: RouterMiddleware {
    typealias Context = DeskContext
    let now: @Sendable () -> Instant

    static let securityHeaders: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        (.xContentTypeOptions, "nosniff"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
        (.cacheControl, "no-store"),
    ]

    func handle(_ request: Request, context: DeskContext, next: (Request, DeskContext) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let redirect as DeskRedirect {
            response = Desk.redirect(redirect.to)
        } catch let problem as DeskProblem {
            response = Self.problemPage(problem)
        } catch let failure as PostgresFailure {
            // The server's refusal is the officer's to read; anything else about it is not.
            switch failure.kind {
            case .forbidden, .readOnly:
                response = Self.problemPage(DeskProblem(status: .forbidden, message: "데이터베이스가 거절했습니다 (\(failure))"))
            default:
                context.logger.error("database failed", metadata: ["error": "\(failure.sqlState ?? "no SQLSTATE")"])
                response = Self.problemPage(
                    DeskProblem(status: .serviceUnavailable, message: "데이터베이스에 닿지 못했습니다. 잠시 뒤 다시 하십시오 (database unavailable)"))
            }
        } catch let error as HTTPError {
            response = Self.problemPage(
                DeskProblem(status: error.status, message: error.status == .notFound ? "없는 화면입니다 (not found)" : "요청을 처리할 수 없습니다 (\(error.status.code))"))
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(describing: type(of: error)))"])
            response = Self.problemPage(DeskProblem(status: .internalServerError, message: "서버 오류가 났습니다. 관리자에게 알리십시오 (internal error)"))
        }
        for (name, value) in Self.securityHeaders where response.headers[name] == nil || name == .contentSecurityPolicy {
            response.headers[name] = value
        }
        let elapsed = ContinuousClock.now - started
        let line = RequestLine(
            time: now().description, method: request.method.rawValue, path: String(request.uri.path.prefix(200)),
            status: Int(response.status.code),
            ms: Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000 + Double(elapsed.components.seconds) * 1000,
            officer: context.session?.officer)
        if let data = try? Self.encoder.encode(line) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
        return response
    }

    struct RequestLine: Encodable {
        var time: String
        var method: String
        var path: String
        var status: Int
        var ms: Double
        var officer: String?
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func problemPage(_ problem: DeskProblem) -> Response {
        let content = Desk.templates.render(["back": "/"], withTemplate: "problem") ?? ""
        let html =
            Desk.templates.render(
                ["title": "요청을 처리하지 못했습니다", "problemText": problem.message, "content": content], withTemplate: "layout") ?? ""
        return Response(
            status: problem.status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Finds the session the request's cookie names.
struct SessionReader: RouterMiddleware {
    typealias Context = DeskContext
    let desk: Desk

    func handle(_ request: Request, context: DeskContext, next: (Request, DeskContext) async throws -> Response) async throws
        -> Response
    {
        var context = context
        // A server that restarted since the last request is connected to again.
        if let server = desk.store as? PostgresEventStore { _ = try await desk.blocking { server.reopenIfLost() } }
        if let token = request.cookies[Desk.sessionCookie]?.value, !token.isEmpty, token.utf8.count <= 64 {
            let now = desk.now
            if let sessions = desk.serverSessions {
                if let entry = sessions.entry(token: token, now: now), try await desk.blocking({ entry.log.reopenIfLost() }) {
                    context.session = entry.session
                    context.token = token
                    context.sessionLog = entry.log
                    context.login = entry.login
                }
            } else if let session = try await desk.blocking({ try desk.accounts.session(token: token, now: now) }) {
                context.session = session
                context.token = token
            }
        }
        return try await next(request, context)
    }
}
