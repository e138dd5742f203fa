import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct Erase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Ask for a case's personal data to be destroyed; a privacy officer, another person, approves or declines.",
        discussion: """
            `erase ID --reason R [--request REF]` asks for it; `erase ID --approve` by a privacy officer \
            who is not the one who asked destroys the person's key, so the sealed name and contact in the \
            log can never be opened again, while the log, its hash chain and every count stay as they \
            were; `erase ID --decline --reason R` turns the request down. Each step is an event. \
            Erasure is allowed once the case's retention period has ended (see `sinmungo retention`), or \
            earlier on the data subject's request (개인정보 보호법 §36), given with --request, once the \
            case is closed or withdrawn. Anything else is refused.
            """
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The case id.") var id: CaseIDArgument
    @Option(help: "Why the data is to be destroyed, or why the request is turned down.") var reason: String?
    @Option(
        help: ArgumentHelp(
            "The data subject's request to erase (개인정보 보호법 §36), e.g. its receipt number.", valueName: "ref"))
    var request: String?
    @Flag(help: "Approve the erasure asked for (a privacy officer, not the one who asked): the key is destroyed.")
    var approve = false
    @Flag(help: "Turn the erasure asked for down, with --reason.") var decline = false

    func validate() throws {
        if approve && decline { throw ValidationError("give --approve or --decline, not both") }
        if approve, reason != nil || request != nil {
            throw ValidationError("--approve takes the reason and request of the erasure asked for; give neither")
        }
        if !approve, reason == nil { throw ValidationError("--reason is required, except with --approve") }
        if decline, request != nil { throw ValidationError("--decline takes --reason, not --request") }
    }

    func run() throws {
        if approve {
            try perform(.approveErasure, on: id.id, store: store, write: write)
        } else if decline {
            try perform(.declineErasure(reason: reason ?? ""), on: id.id, store: store, write: write)
        } else {
            try perform(.erasePersonalData(reason: reason ?? "", request: request), on: id.id, store: store, write: write)
        }
    }
}

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "List closed cases whose records have reached the end of their retention period.",
        discussion: """
            Each record series is kept for its policy's years, counted from 1 January of the year \
            after the case closed. Among the cases closed before --closed-before, those whose \
            period has ended by today (KST) are listed, with what is left of their personal data.
            """
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @Option(name: .customLong("closed-before"), help: ArgumentHelp("Only cases closed before this day.", valueName: "date"))
    var closedBefore: CivilDate

    func run() throws {
        let log = try store.openStore(.readOnly)
        // From the case list's states, read one at a time, rather than a fold of the whole log.
        let entries = try Retention.expired(
            closedBefore: closedBefore, today: currentInstant().kstDate, policy: Sinmungo.policy
        ) { visit in try log.forEachRow(of: CaseProjection.self, at: .now) { _, row in try visit(row.state) } }
        let header = ["id", "kind", "status", "closed", "years", "expired", "personal data"]
        let rows = entries.map { entry in
            [
                entry.id.rawValue, entry.kind.rawValue, entry.status.rawValue, entry.closedOn.description,
                String(entry.years), entry.expiredOn.description, Self.describe(entry.personalData),
            ]
        }
        let output = try Renderer.render(read.format, header: header, rows: rows) {
            rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        }
        print(output, terminator: "")
    }

    private static func describe(_ holding: PersonalDataHolding) -> String {
        switch holding {
        case .none: "none"
        case .sealed: "held (erase it)"
        case .legacy: "unencrypted"
        case .erased: "erased"
        }
    }
}
