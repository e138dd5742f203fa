import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one case as it stands now, with the petitioner's details for officers.",
        discussion: """
            Each opening of personal data leaves an access record (접속기록): account, time, host, case, person \
            and task, chained and checked by `verify`. A copy of the log that cannot be written (an auditor's) \
            opens no personal data, since no record could be kept.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var when: PointInTimeOptions
    @OptionGroup var holidayOptions: HolidayOptions
    @Argument(help: "The case id.") var id: CaseIDArgument
    @Option(
        help: ArgumentHelp(
            "The officer reading (default: $SINMUNGO_ACTOR, else the officer the roster ties to this account).",
            valueName: "id"))
    var actor: String?
    @Option(
        help: ArgumentHelp(
            "What the personal data is opened for: view, print or download (printing and downloading need --reason).",
            valueName: "task"))
    var task: AccessTask = .view
    @Option(help: "Why the personal data is printed or downloaded; kept in the access record.") var reason: String?

    func validate() throws {
        guard [.view, .print, .download].contains(task) else {
            throw ValidationError("--task is view, print or download for show, not \(task)")
        }
        if task.needsReason, (reason ?? "").allSatisfy(\.isWhitespace) {
            throw ValidationError("--task \(task) needs --reason: the reason for carrying personal data out is recorded")
        }
    }

    func run() throws {
        let log = try store.openStore(reading: .readCases, reader: actor)
        let point = when.point
        // At a point in time, only the events the case's row depends on are folded.
        let found = try log.row(of: CaseProjection.self, key: id.id, at: point)
        guard let summary = found else { throw Refusal.noSuchCase(id.id) }
        let events = try log.events(at: point, of: id.id)
        var fields = CaseFields(summary, departmentName: try log.roster().name(ofDepartment:))
        if case .petitionFiled(let filed)? = events.first?.event {
            fields.append("body", filed.body)
        }
        let person = summary.kind == .proposal ? "proposer" : "petitioner"
        var opened = try log.personalData(in: events)
        switch opened {
        case .held, .unencrypted:
            if let reason = try recordOpening(state: CaseState(id: id.id, replaying: events), log: log) {
                opened = .none
                fields.append(person, "(not opened: \(reason))")
            }
        default:
            break
        }
        switch opened {
        case .none:
            break
        case .held(let data), .unencrypted(let data):
            fields.append("body", data.body)
            fields.append(person, data.name)
            fields.append("phone", data.phone)
            fields.append("email", data.email)
        case .erased(let at, let by, let reason, let request):
            let ground = request.map { " at the data subject's request \($0)" } ?? ""
            fields.append(person, "(erased \(at) by \(by)\(ground): \(reason))")
        case .unavailable(let reason):
            fields.append(person, "(sealed; cannot be opened: \(reason))")
        }
        // A deadline in a year without a calendar says so; the case and its other deadlines still show.
        if !summary.status.isClosed {
            let clock = try holidayOptions.clock()
            let subject = summary.deadlineSubject
            var counted: [Deadline] = []
            var uncounted: [(Deadline.Kind, String)] = []
            for kind in clock.owedKinds(of: subject) {
                do {
                    counted.append(try clock.deadline(kind, of: subject, policy: Sinmungo.policy))
                } catch {
                    uncounted.append((kind, "not computable: \(error)"))
                }
            }
            for deadline in counted.sorted(by: { ($0.due, $0.kind.rawValue) < ($1.due, $1.kind.rawValue) }) {
                fields.append(
                    "due \(deadline.kind)", deadline.due.description + (deadline.provisional ? " (provisional calendar)" : ""))
            }
            for (kind, problem) in uncounted { fields.append("due \(kind)", problem) }
        }
        // A table lists the fields down the page; CSV is one row with a column per field.
        let output = try Renderer.render(
            read.format, json: { fields.dictionary }, csv: { (fields.pairs.map(\.0), [fields.pairs.map(\.1.text)]) },
            table: {
                var table = TextTable(["field", "value"])
                for (name, value) in fields.pairs { table.append([name, value.text]) }
                return table.render()
            })
        print(output, terminator: "")
    }
}

extension Show {
    /// Lets the data through only once the roster allows the reader and the access record is
    /// written; returns why not when a refusal or a log that cannot be written keeps it closed.
    func recordOpening(state: CaseState, log: any LogBackend) throws -> String? {
        let account = try log.actingAccount()
        let named = actor ?? ProcessInfo.processInfo.environment["SINMUNGO_ACTOR"].flatMap { $0.isEmpty ? nil : $0 }
        let officer: String
        do {
            officer = try PersonalDataAccess.reader(
                roster: try log.roster(), actor: named, account: account, caseDepartment: state.department, case: id.id)
        } catch let refusal as AccessRefusal {
            return refusal.description
        }
        guard
            let record = PersonalDataAccess.record(
                opening: state.personalData, of: id.id, at: currentInstant(), account: account, officer: officer,
                host: OperatingSystemAccount.host(), task: task, reason: reason?.nfc)
        else { return nil }
        do {
            _ = try store.openStore(.readWrite).recordAccess(record)
        } catch let error as StoreError {
            return "no access record (접속기록) can be kept here, so this copy opens no personal data (\(error))"
        }
        return nil
    }
}

/// A field's value: JSON keeps numbers as numbers.
enum FieldValue: Encodable {
    case text(String)
    case number(Int)

    var text: String {
        switch self {
        case .text(let value): value
        case .number(let value): String(value)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        }
    }
}

/// A summary as named fields, in reading order, leaving out what does not apply.
struct CaseFields {
    var pairs: [(String, FieldValue)]

    var dictionary: [String: FieldValue] {
        Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    mutating func append(_ name: String, _ value: String?) {
        if let value, !value.isEmpty { pairs.append((name, .text(value))) }
    }

    /// `departmentName` prints a stored department id as the roster names it today.
    init(_ summary: CaseSummary, departmentName: (String) -> String = { $0 }) {
        func ids(_ list: [CaseID]) -> String { list.map(\.rawValue).joined(separator: " ") }
        func text(_ value: String?) -> FieldValue? { value.map(FieldValue.text) }
        func number(_ value: Int?) -> FieldValue? { value.map(FieldValue.number) }
        let all: [(String, FieldValue?)] = [
            ("id", text(summary.id.rawValue)),
            ("kind", text(summary.kind.rawValue)),
            ("status", text(summary.status.rawValue)),
            ("version", number(summary.version)),
            ("title", text(summary.title)),
            ("category", text(summary.category)),
            ("department", text(summary.department.map(departmentName))),
            ("filedAt", text(summary.filedAt.description)),
            ("updatedAt", text(summary.updatedAt.description)),
            ("session", text(summary.session?.rawValue)),
            ("sessionKind", text(summary.sessionKind?.rawValue)),
            ("field", text(summary.field)),
            ("theme", text(summary.theme)),
            ("place", text(summary.place)),
            ("attendees", number(summary.attendees)),
            ("proposals", number(summary.kind == .session ? summary.proposals : nil)),
            ("endorsements", number(summary.kind == .petition ? summary.endorsements : nil)),
            ("qualifiedAt", text(summary.qualifiedAt?.description)),
            ("visits", number(summary.visits > 0 ? summary.visits : nil)),
            ("transfers", number(summary.transfers > 0 ? summary.transfers : nil)),
            ("answeredAt", text(summary.answeredAt?.description)),
            ("answeredBy", text(summary.answeredBy?.rawValue)),
            ("outcome", text(summary.outcome?.rawValue)),
            ("policy", text(summary.policy)),
            ("declineGround", text(summary.declineGround?.rawValue)),
            ("duplicateOf", text(summary.duplicateOf?.rawValue)),
            ("duplicates", text(summary.duplicates.isEmpty ? nil : ids(summary.duplicates))),
            ("about", text(summary.about.isEmpty ? nil : ids(summary.about))),
            ("lastSeq", number(Int(summary.lastSequence))),
        ]
        pairs = all.compactMap { name, value in value.map { (name, $0) } }
    }
}
