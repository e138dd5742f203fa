import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct Head: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Print the log's head as SEQ:HASH, to keep outside the database.",
        discussion:
            "Print it in a report, mail it or publish it; `verify --against SEQ:HASH` later proves the log still extends it."
    )
    @OptionGroup var store: StoreOptions

    func run() throws {
        let head = try store.openStore(.readOnly).head()
        print(LogAnchor(sequence: head.sequence, hash: head.hash))
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the gapless sequence, every hash and link, and per-case versions.",
        discussion:
            "Prints the head and exits 0, or names the first bad event and what is wrong with it (changed, missing, inserted, reordered) and exits 65."
    )
    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("An anchor printed earlier by `head`: the log must still extend it.", valueName: "seq:hash"))
    var against: String?
    @Flag(name: .customLong("all-offices"), help: "On PostgreSQL, verify every office's log, one line each.")
    var allOffices = false

    func run() throws {
        if allOffices {
            guard against == nil else { throw CommandLineFailure.usage("--against names one office's head; leave out --all-offices") }
            return try verifyAllOffices(store)
        }
        var anchor: LogAnchor?
        if let against {
            guard let parsed = LogAnchor(against) else {
                throw CommandLineFailure.usage("--against \"\(against)\" is not SEQ:HASH with a 64-digit hexadecimal hash")
            }
            anchor = parsed
        }
        let log = try store.openStore(.readOnly)
        let bar = ProgressBar("verify", total: try log.head().sequence)
        let head = try log.verify(against: anchor) { bar.update($0) }
        bar.finish(head.sequence)
        print("ok: \(head.sequence) events verified; head \(head)" + (anchor.map { "; extends \($0)" } ?? ""))
    }
}

struct Why: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain in plain words a case's current state and the events that produced it.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The case id.") var id: CaseIDArgument

    func run() throws {
        let log = try store.openStore(.readOnly)
        let events = try log.events(of: id.id)
        guard let summary = try log.summary(of: id.id), !events.isEmpty else { throw Refusal.noSuchCase(id.id) }
        var state = "\(summary.id) is a \(summary.kind) that is \(summary.status) at version \(summary.version)"
        if let department = summary.department { state += ", with \(department)" }
        if let outcome = summary.outcome { state += "; outcome \(outcome)" }
        if let original = summary.duplicateOf { state += "; a repeat of \(original)" }
        if !summary.duplicates.isEmpty { state += "; repeated by \(summary.duplicates.map(\.rawValue).joined(separator: ", "))" }
        print(UntrustedText.visible(state) + ", because:")
        for (index, event) in events.enumerated() {
            print("  \(index + 1). \(UntrustedText.visible(event.sentence))")
        }
    }
}
