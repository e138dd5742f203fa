import Foundation
internal import GRDB
import SinmungoCore

extension SQLiteEventStore {
    /// Checks the whole log: gapless sequence, every hash and link, per-case versions, and
    /// (when given) that the log still extends `anchor`. Returns the head on success.
    @discardableResult
    public func verify(against anchor: LogAnchor? = nil, progress: (Int64) -> Void = { _ in }) throws -> LogAnchor {
        try withTranslatedErrors {
            try database.read { db in
                var previous: StoredEvent?
                var beforePrevious: StoredEvent?
                var versions: [String: Int] = [:]
                var anchorSeen = false
                let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.checkedEventColumns) FROM event ORDER BY seq")
                while let row = try cursor.next() {
                    let event: StoredEvent
                    do {
                        event = try Self.exactStoredEvent(row, db: db)
                    } catch let fault as StoredColumnFault {
                        // Bytes the format does not allow are a change, even where the hash would match.
                        throw VerificationFailure(sequence: fault.sequence, kind: .changed, detail: fault.description)
                    }
                    let expected = (previous?.sequence ?? 0) + 1
                    if let failure = try Self.check(
                        event, expected: expected, previous: previous, beforePrevious: beforePrevious, db: db)
                    {
                        throw failure
                    }
                    if let problem = EventFormatRules.problem(with: event, after: previous) {
                        throw VerificationFailure(sequence: event.sequence, kind: .changed, detail: problem)
                    }
                    let version = versions[event.caseID, default: 0]
                    guard event.caseVersion == version + 1 else {
                        throw VerificationFailure(
                            sequence: event.sequence, kind: .reordered,
                            detail: "case \(event.caseID) has version \(event.caseVersion) here, after version \(version)"
                        )
                    }
                    versions[event.caseID] = event.caseVersion
                    if event.sequence % Self.progressInterval == 0 { progress(event.sequence) }
                    if let anchor, anchor.sequence == event.sequence {
                        guard anchor.hash == event.hash else {
                            throw VerificationFailure(
                                sequence: event.sequence, kind: .anchorMismatch,
                                detail:
                                    "its hash is \(EventHash.hex(event.hash)), not the anchor's \(EventHash.hex(anchor.hash)): the log was rewritten up to here"
                            )
                        }
                        anchorSeen = true
                    }
                    beforePrevious = previous
                    previous = event
                }
                let head = LogAnchor(sequence: previous?.sequence ?? 0, hash: previous?.hash ?? EventHash.genesis)
                if let anchor, !anchorSeen {
                    if anchor.sequence == 0 {
                        // The head of an empty log: every log extends the genesis, and nothing else is event 0.
                        guard anchor.hash == EventHash.genesis else {
                            throw VerificationFailure(
                                sequence: 0, kind: .anchorMismatch,
                                detail: "the anchor 0:… names the genesis, whose hash is 64 zeros, but gives another hash: it was mistyped or forged")
                        }
                        if let failure = try viewsFailure(db, head: head.sequence) { throw failure }
                        return head
                    }
                    throw VerificationFailure(
                        sequence: head.sequence + 1, kind: .anchorMismatch,
                        detail: "the log ends at event \(head.sequence), before the anchor \(anchor.sequence): it was truncated"
                    )
                }
                if let failure = try viewsFailure(db, head: head.sequence) { throw failure }
                return head
            }
        }
    }

    /// The first thing wrong with `event`, given the events before it, or nil.
    private static func check(
        _ event: StoredEvent, expected: Int64, previous: StoredEvent?, beforePrevious: StoredEvent?, db: Database
    ) throws -> VerificationFailure? {
        if event.sequence > expected {
            return VerificationFailure(
                sequence: expected, kind: .missing, detail: "the sequence jumps from \(expected - 1) to \(event.sequence)")
        }
        let previousHash = previous?.hash ?? EventHash.genesis
        if event.hash != event.expectedHash {
            // An event whose hash holds under another number was moved there.
            if let original = originalSequence(of: event) {
                if original == expected + 1,
                    let next = try? storedEvents(db, where: "seq = ?", [expected + 1]).first,
                    originalSequence(of: next) == expected
                {
                    return VerificationFailure(
                        sequence: expected, kind: .reordered, detail: "events \(expected) and \(expected + 1) were swapped")
                }
                if original > expected {
                    return VerificationFailure(
                        sequence: expected, kind: .missing,
                        detail: "event \(expected) was removed and the later events renumbered (this one was \(original))")
                }
                return VerificationFailure(
                    sequence: expected - 1, kind: .inserted,
                    detail: "an event was inserted before \(expected) and the later events renumbered (this one was \(original))")
            }
            return VerificationFailure(
                sequence: event.sequence, kind: .changed, detail: "its stored fields no longer match its hash")
        }
        if event.previousHash != previousHash {
            if let beforePrevious, event.previousHash == beforePrevious.hash {
                return VerificationFailure(
                    sequence: expected - 1, kind: .inserted,
                    detail: "event \(expected - 1) is not in the chain: event \(expected) links to \(expected - 2)")
            }
            return VerificationFailure(
                sequence: event.sequence, kind: .changed,
                detail: "it does not link to the hash of event \(expected - 1): the chain was rewritten from here")
        }
        return nil
    }

    /// The sequence number under which a moved event's hash holds, looked for nearby.
    private static func originalSequence(of event: StoredEvent) -> Int64? {
        for offset: Int64 in [1, -1, 2, -2] {
            var moved = event
            moved.sequence = event.sequence + offset
            if moved.sequence > 0, moved.expectedHash == event.hash { return moved.sequence }
        }
        return nil
    }
}
