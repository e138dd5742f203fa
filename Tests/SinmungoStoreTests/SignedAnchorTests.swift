import Crypto
import Foundation
import GRDB
import SinmungoCore
import SinmungoTesting
import Testing

@testable import SinmungoStore

@Suite("Signed anchors: what an insider who rewrites the log cannot forge")
struct SignedAnchorTests {
    static let signedAt = Instant(kst: CivilDate(year: 2019, month: 12, day: 31)!, hour: 18)

    /// A log, its head, and the same insider's rewrite of it: event 10 made someone else's,
    /// every later hash recomputed and the views rebuilt, so that the log verifies on its own.
    func rewrittenLog() throws -> (path: String, before: LogAnchor, after: LogAnchor) {
        let path = TemporaryFolder().path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path, projections: caseViews).store
        try appendRandomCommands(to: store, count: 40, seed: 5)
        let before = try store.verify()
        var events: [StoredEvent] = []
        try store.forEachStoredEvent { events.append($0) }
        events[9].actor = "ydp-9999"
        var previous = events[8].hash
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS event_no_update")
            for index in 9..<events.count {
                events[index].previousHash = previous
                events[index].hash = events[index].expectedHash
                previous = events[index].hash
                try db.execute(
                    sql: "UPDATE event SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                    arguments: [
                        events[index].actor, Data(events[index].previousHash), Data(events[index].hash),
                        events[index].sequence,
                    ])
            }
        }
        let rewritten = try SQLiteEventStore(openingExistingAt: path, projections: caseViews)
        _ = try rewritten.rebuildViews()
        return (path, before, try rewritten.verify())
    }

    func verdict(_ path: String, against anchor: LogAnchor) throws -> VerificationFailure? {
        do {
            try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews).verify(against: anchor)
            return nil
        } catch let failure as VerificationFailure {
            return failure
        }
    }

    @Test("an unsigned anchor kept by the insider is replaced with the rewrite's; a signed one cannot be")
    func signedAnchorCatchesARewrite() throws {
        let office = Curve25519.Signing.PrivateKey()
        let (path, before, after) = try rewrittenLog()
        #expect(after.sequence == before.sequence)
        #expect(after.hash != before.hash)
        // The insider keeps the unsigned anchor too: they write down the new head, and it verifies.
        #expect(try verdict(path, against: after) == nil)
        // The office signed the head before the rewrite, with a key the insider does not hold.
        let signed = try SignedAnchor.sign(before, at: Self.signedAt, with: office)
        let token = try #require(SignedAnchor(signed.description))
        #expect(token.isSigned(by: office.publicKey))
        // Kept as signed, it no longer matches the log.
        #expect(try verdict(path, against: token.anchor)?.kind == .anchorMismatch)
        // Put the new head into it, and the signature no longer matches.
        var forged = token
        forged.anchor = after
        #expect(!forged.isSigned(by: office.publicKey))
        // Signed anew with a key of the insider's own, it fails under the office's public key.
        let insider = Curve25519.Signing.PrivateKey()
        #expect(!(try SignedAnchor.sign(after, at: Self.signedAt, with: insider)).isSigned(by: office.publicKey))
    }

    @Test("the token is SEQ:HASH/TIME/SIGNATURE, and a changed time or a plain anchor is not a signed one")
    func token() throws {
        let key = Curve25519.Signing.PrivateKey()
        let anchor = LogAnchor(sequence: 7, hash: [UInt8](repeating: 0xab, count: 32))
        let signed = try SignedAnchor.sign(anchor, at: Self.signedAt, with: key)
        #expect(signed.description.hasPrefix("7:" + String(repeating: "ab", count: 32) + "/2019-12-31T18:00:00+09:00/"))
        var later = signed
        later.signedAt = Self.signedAt.adding(seconds: 60)
        #expect(!later.isSigned(by: key.publicKey))
        #expect(SignedAnchor(anchor.description) == nil)
    }

    @Test("a token with the access records' head signs it too: SEQ:HASH/ASEQ:AHASH/TIME/SIGNATURE")
    func tokenWithAccessHead() throws {
        let key = Curve25519.Signing.PrivateKey()
        let anchor = LogAnchor(sequence: 7, hash: [UInt8](repeating: 0xab, count: 32))
        let access = LogAnchor(sequence: 3, hash: [UInt8](repeating: 0xcd, count: 32))
        let signed = try SignedAnchor.sign(anchor, accessHead: access, at: Self.signedAt, with: key)
        #expect(
            signed.description.hasPrefix(
                "7:" + String(repeating: "ab", count: 32) + "/3:" + String(repeating: "cd", count: 32)
                    + "/2019-12-31T18:00:00+09:00/"))
        let token = try #require(SignedAnchor(signed.description))
        #expect(token == signed)
        #expect(token.isSigned(by: key.publicKey))
        // An access head changed in the token, or dropped from it, breaks the signature.
        var rewritten = token
        rewritten.accessHead = LogAnchor(sequence: 2, hash: access.hash)
        #expect(!rewritten.isSigned(by: key.publicKey))
        rewritten.accessHead = nil
        #expect(!rewritten.isSigned(by: key.publicKey))
        // A token from before access heads were signed still reads, and holds none.
        let old = try #require(SignedAnchor(try SignedAnchor.sign(anchor, at: Self.signedAt, with: key).description))
        #expect(old.accessHead == nil && old.isSigned(by: key.publicKey))
    }
}
