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
    @Flag(
        help:
            "Sign the head, the access records' head and the time with the office's Ed25519 key: SEQ:HASH/ASEQ:AHASH/TIME/SIGNATURE."
    )
    var sign = false
    @Option(
        name: .customLong("signing-key"),
        help: ArgumentHelp(
            "The office's private key file, kept outside the database (default: $SINMUNGO_SIGNING_KEY).", valueName: "path"))
    var signingKey: String?

    func run() throws {
        let head = try store.openStore(.readOnly).head()
        let anchor = LogAnchor(sequence: head.sequence, hash: head.hash)
        guard sign else {
            print(anchor)
            return
        }
        guard
            let path = signingKey
                ?? ProcessInfo.processInfo.environment["SINMUNGO_SIGNING_KEY"].flatMap({ $0.isEmpty ? nil : $0 })
        else {
            throw CommandLineFailure.usage(
                "--sign needs the office's private key: give --signing-key PATH or set SINMUNGO_SIGNING_KEY")
        }
        // The access records' head is signed with the log's, so neither can be rewritten alone.
        let accessHead = try store.openStore(.readOnly).accessRecordHead()
        print(
            try SignedAnchor.sign(
                anchor, accessHead: accessHead, at: currentInstant(), with: AnchorKeyFile.privateKey(at: path)))
    }
}

struct AnchorKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchor-key",
        abstract: "Make the office's Ed25519 key pair for signed anchors: PATH (private) and PATH.pub (public).",
        discussion: """
            Keep the private key outside the database and its backups, readable only by the administrator \
            who signs; give the public key to the auditors who keep the anchors. An existing file is never \
            overwritten.
            """)
    @Option(help: ArgumentHelp("Where to write the private key; the public key goes to PATH.pub.", valueName: "path"))
    var out: String

    func run() throws {
        let publicKey = try AnchorKeyFile.create(at: out)
        print("wrote \(out) (private, mode 600) and \(out).pub (public): \(Hex.string(Array(publicKey.rawRepresentation)))")
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
    @Option(
        help: ArgumentHelp(
            "An anchor printed earlier by `head` (SEQ:HASH), or signed by `head --sign`: the log (and the access records a signed one holds) must still extend it.",
            valueName: "anchor"))
    var against: String?
    @Option(
        name: .customLong("public-key"),
        help: ArgumentHelp(
            "The office's public key file, to check a signed anchor (default: $SINMUNGO_ANCHOR_PUBLIC_KEY).", valueName: "path"))
    var publicKey: String?
    @Flag(name: .customLong("all-offices"), help: "On PostgreSQL, verify every office's log, one line each.")
    var allOffices = false

    func run() throws {
        if allOffices {
            guard against == nil else { throw CommandLineFailure.usage("--against names one office's head; leave out --all-offices") }
            return try verifyAllOffices(store)
        }
        var anchor: LogAnchor?
        var signedAnchor: SignedAnchor?
        if let against {
            if let signed = SignedAnchor(against) {
                guard
                    let path = publicKey
                        ?? ProcessInfo.processInfo.environment["SINMUNGO_ANCHOR_PUBLIC_KEY"].flatMap({ $0.isEmpty ? nil : $0 })
                else {
                    throw CommandLineFailure.usage(
                        "a signed anchor is checked with the office's public key: give --public-key PATH or set SINMUNGO_ANCHOR_PUBLIC_KEY"
                    )
                }
                guard signed.isSigned(by: try AnchorKeyFile.publicKey(at: path)) else {
                    throw CommandLineFailure(
                        message:
                            "the anchor's signature does not match its sequence, hash and time under the public key \(path): it was not signed by the office as it stands",
                        exitStatus: ExitStatus.refused)
                }
                anchor = signed.anchor
                signedAnchor = signed
            } else {
                guard let parsed = LogAnchor(against) else {
                    throw CommandLineFailure.usage(
                        "--against \"\(against)\" is neither SEQ:HASH with a 64-digit hexadecimal hash nor a signed anchor SEQ:HASH/ASEQ:AHASH/TIME/SIGNATURE"
                    )
                }
                anchor = parsed
            }
        }
        let log = try store.openStore(.readOnly)
        let bar = ProgressBar("verify", total: try log.head().sequence)
        let head = try log.verify(against: anchor) { bar.update($0) }
        bar.finish(head.sequence)
        print(
            "ok: \(head.sequence) events verified; head \(head)" + (anchor.map { "; extends \($0)" } ?? "")
                + (try accessRecordsVerdict(log, signed: signedAnchor)))
    }
}

extension Verify {
    /// Checks the access records' chain, and the access head a signed anchor holds; says
    /// what could not be checked (an anchor from before access heads were signed, one older
    /// than the records kept, a login that may not read them). Throws on a broken chain.
    func accessRecordsVerdict(_ log: any LogBackend, signed: SignedAnchor?) throws -> String {
        let checked: AccessRecordsVerified
        do {
            checked = try log.verifyAccessRecords(against: signed?.accessHead)
        } catch let unreadable as AccessRecordsUnreadable {
            return "; \(unreadable)" + (signed?.accessHead.map { ", nor the signed access head \($0)" } ?? "")
        }
        var verdict = "; access records chained through \(checked.head.sequence)"
        guard let signed else { return verdict }
        if let accessHead = signed.accessHead {
            verdict +=
                checked.anchorPruned
                ? "; the signed access head \(accessHead) is older than the records kept after pruning, so it was not checked"
                : "; access records extend \(accessHead)"
        } else {
            verdict +=
                "; the signed anchor holds no access-record head (signed before they were anchored), "
                + "so only the event head was checked"
        }
        return verdict
    }
}

struct Why: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain in plain words a case's current state and the events that produced it.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The case id.") var id: CaseIDArgument

    func run() throws {
        let log = try store.openStore(reading: .readCases)
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
