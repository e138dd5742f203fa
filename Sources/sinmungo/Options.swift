import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The log's SQLite file, or a PostgreSQL server's postgresql:// address (default: $SINMUNGO_DB, else ./sinmungo.sqlite).",
            valueName: "path"))
    var db: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The office whose log to use, on PostgreSQL (default: $SINMUNGO_OFFICE, else \"default\").", valueName: "name"))
    var office: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The key store of personal data (default: $SINMUNGO_KEYS, else beside the log: x.sqlite keeps x.keys.sqlite).",
            valueName: "path"))
    var keys: String?

    var path: String {
        db ?? environment("SINMUNGO_DB") ?? "sinmungo.sqlite"
    }

    var keysPath: String {
        keys ?? environment("SINMUNGO_KEYS") ?? PersonKeyStore.defaultPath(forLog: path)
    }

    func openStore(_ mode: SQLiteEventStore.AccessMode = .readWrite) throws -> any LogBackend {
        try openLog(mode)
    }

    /// The one officer the roster ties to the account running the command, if there is one.
    func officerTiedToThisAccount() -> String? {
        guard let log = try? openStore(.readOnly), let roster = try? log.roster(), let account = try? log.actingAccount()
        else { return nil }
        let tied = roster.officers(forAccount: account)
        return tied.count == 1 ? tied[0] : nil
    }

    /// The views the tool keeps beside the log.
    static let projections: [any Projection.Type] = [CaseProjection.self]

    private func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

enum WriteFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

enum ReadFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

struct WriteOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The officer taking the step (default: $SINMUNGO_ACTOR, else the one officer the roster ties to this account).",
            valueName: "id"))
    var actor: String?

    @Option(help: ArgumentHelp("When it happened: ISO 8601, KST unless an offset is given (default: now).", valueName: "time"))
    var at: Instant?

    @Option(
        name: .customLong("command-id"),
        help: ArgumentHelp(
            "An id that makes a retry safe: a command id already in the log is not applied again.", valueName: "id"))
    var commandID: String?

    @Option(
        name: .customLong("expected-version"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "The case version you decided on; the step is refused (exit 75) if the case has moved on.", valueName: "n"))
    var expectedVersion: Int?

    @Option(help: "Output format: table or json.")
    var format: WriteFormat = .table

    /// `tiedOfficer` names the officer the roster ties to this account, asked only when the
    /// command names no one.
    func metadata(tiedOfficer: () -> String? = { nil }) throws -> CommandMetadata {
        let actor = actor ?? ProcessInfo.processInfo.environment["SINMUNGO_ACTOR"] ?? tiedOfficer()
        guard let actor, !actor.allSatisfy(\.isWhitespace) else {
            throw CommandLineFailure.usage(
                "a write needs the officer taking the step: give --actor ID or set SINMUNGO_ACTOR (or tie this account to one officer on the roster)"
            )
        }
        if let expectedVersion, expectedVersion < 0 {
            throw CommandLineFailure.usage("--expected-version must be zero or more, not \(expectedVersion)")
        }
        if let commandID, commandID.allSatisfy(\.isWhitespace) {
            throw CommandLineFailure.usage("--command-id must not be empty")
        }
        return CommandMetadata(
            actor: actor,
            commandID: commandID ?? UUID().uuidString.lowercased(),
            occurredAt: at,
            expectedVersion: expectedVersion,
            account: OperatingSystemAccount.current()
        )
    }
}

struct ReadOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv.")
    var format: ReadFormat = .table
}

struct PointInTimeOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("Read the log as it stood at this recorded time: what the office knew then.", valueName: "time"))
    var asOf: Instant?

    @Option(help: ArgumentHelp("The state of affairs at this business time, counting steps entered later.", valueName: "time"))
    var effective: Instant?

    var point: PointInTime {
        PointInTime(asOf: asOf, effective: effective)
    }
}

/// A case id argument, checked for shape before anything is opened.
struct CaseIDArgument: ExpressibleByArgument {
    var id: CaseID

    init?(argument: String) {
        let id = CaseID(argument)
        guard id.isWellFormed else { return nil }
        self.id = id
    }
}

extension DeclineGround: ExpressibleByArgument {}
extension Answerer: ExpressibleByArgument {}
extension Outcome: ExpressibleByArgument {}
extension SessionKind: ExpressibleByArgument {}
extension CaseKind: ExpressibleByArgument {}
extension CaseStatus: ExpressibleByArgument {}
extension CorrectableField: ExpressibleByArgument {}

/// A KST year as typed: all four digits, so that `--year 19` is not read as the year 19.
func parseYear(_ text: String) throws -> Int {
    guard text.utf8.count == 4, text.utf8.allSatisfy({ (48...57).contains($0) }), let year = Int(text), year >= 1000 else {
        throw ValidationError("give a year with all four digits, such as 2019")
    }
    return year
}
