import Dispatch
import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoTesting
import Synchronization
import Testing

/// Transfer between offices (이송): two chains, one transaction.
@Suite("Transfer between offices")
struct OfficeTransferTests {
    static let day = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)

    /// Files petition `number` of an office.
    static func file(_ number: Int, in store: PostgresEventStore) throws -> CaseID {
        let id = CaseID(kind: .petition, year: 2019, number: number)
        _ = try store.append(
            AppendRequest(
                caseID: id, expectedVersion: 0, events: [.petitionFiled(PetitionFiled(title: "가로등 \(number)", category: "도시"))],
                occurredAt: day, recordedAt: day, actor: "ydp-0412", commandID: UUID().uuidString))
        return id
    }

    /// Chains `event` onto the office's log as the database's owner, around `transfer` and
    /// `append`: what an insider with the owner's password could write.
    static func forge(_ event: CaseEvent, as caseID: CaseID, version: Int, in store: PostgresEventStore) throws {
        // After every step the tests take, so the recorded times still run forward.
        let later = day.adding(seconds: 7200)
        let columns = "'\(store.office)', '\(caseID.rawValue)', \(version), '\(event.type.rawValue)', "
            + "\(EventCodec.currentSchemaVersion(for: event.type)), '\(later)', '\(later)', 'ydp-0412', "
            + "'\(UUID().uuidString)', $forged$\(EventCodec.encode(event))$forged$"
        try SharedLog.psql(
            """
            INSERT INTO sinmungo.event (office, case_id, case_version, type, schema_version, occurred_at, recorded_at,
                                        actor, command_id, data, seq, prev_hash, hash, layout, account)
            SELECT f.*, h.seq + 1, h.hash,
                   sinmungo.event_hash_v2(h.seq + 1, f.c, f.v, f.t, f.s, f.o, f.r, f.a, 'forger', f.id, f.d, h.hash), 2, 'forger'
            FROM (SELECT \(columns)) AS f(office, c, v, t, s, o, r, a, id, d)
            CROSS JOIN (SELECT seq, hash FROM sinmungo.event WHERE office = '\(store.office)' ORDER BY seq DESC LIMIT 1) h;
            """)
    }

    static func send(_ id: CaseID, from store: PostgresEventStore, to office: String) throws -> OfficeTransfer {
        try store.transfer(
            id, to: office, reason: "소관 기관", actor: "ydp-0412", commandID: UUID().uuidString,
            occurredAt: day.adding(seconds: 3600),
            recordedAt: day.adding(seconds: 3600))
    }

    @Test("the case ends in the sending office and starts in the receiving one; each event names the other")
    func success() throws {
        let a = try SharedLog.freshOffice("영등포구")
        let b = try SharedLog.freshOffice("구로구")
        let id = try Self.file(1, in: a)
        _ = try Self.file(1, in: b)
        let done = try Self.send(id, from: a, to: b.office)
        #expect(done.received.caseID == CaseID(kind: .petition, year: 2019, number: 2))
        #expect(try a.state(of: id).status == .sentToOffice)
        let received = try b.state(of: done.received.caseID)
        #expect(received.status == .filed && received.kind == .petition)
        let aHead = try a.verify()
        let bHead = try b.verify()
        #expect(aHead.sequence == 2 && bHead.sequence == 2)
        guard case .sentToOffice(let sent) = try a.events(of: id).last?.event,
            case .receivedFromOffice(let got) = try b.events(of: done.received.caseID).first?.event
        else {
            Issue.record("the two events of the transfer are not where they should be")
            return
        }
        #expect(sent.office == b.office && sent.receivedAs == done.received.caseID && sent.sequence == 2)
        #expect(got.office == a.office && got.sentAs == id && got.sequence == 2 && got.hash == EventHash.hex(aHead.hash))
        #expect(got.title == "가로등 1" && got.category == "도시")
        // A case sent away is only read here: no further step, not even a second transfer.
        #expect(throws: Refusal.self) {
            try Lifecycle.check(
                .reviewed(Reviewed(department: "치수과")), occurredAt: Self.day.adding(seconds: 7200), on: try a.state(of: id)
            ) { CaseState(initial: $0) }
        }
        #expect(throws: Refusal.self) { _ = try Self.send(id, from: a, to: b.office) }
        #expect(try a.head() == aHead && b.head() == bHead)
    }

    @Test("a failure on the receiving side leaves neither event")
    func receivingFailureWritesNothing() throws {
        let a = try SharedLog.freshOffice("영등포구")
        let b = try SharedLog.freshOffice("구로구")
        let id = try Self.file(1, in: a)
        _ = try Self.file(1, in: b)
        let trigger = "refuse_\(UUID().uuidString.prefix(8).lowercased())"
        // The receiving office's insert fails after the sending office's row went in.
        try SharedLog.psql(
            """
            CREATE FUNCTION sinmungo.\(trigger)() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the receiving office is down'; END $$;
            CREATE TRIGGER \(trigger) BEFORE INSERT ON sinmungo.event FOR EACH ROW
                WHEN (NEW.office = '\(b.office)' AND NEW.type = 'received-from-office') EXECUTE FUNCTION sinmungo.\(trigger)();
            """)
        defer { _ = try? SharedLog.psql("DROP TRIGGER \(trigger) ON sinmungo.event; DROP FUNCTION sinmungo.\(trigger)()") }
        #expect(throws: PostgresFailure.self) { _ = try Self.send(id, from: a, to: b.office) }
        #expect(try a.head().sequence == 1 && b.head().sequence == 1)
        #expect(try a.state(of: id).status == .filed)
        #expect(try SharedLog.psql("SELECT count(*) FROM sinmungo.event WHERE office IN ('\(a.office)', '\(b.office)')") == "2")
    }

    @Test("transfers A→B and B→A at once both succeed: the two offices' locks are taken in one order")
    func oppositeTransfersDoNotDeadlock() throws {
        let address = try SharedLog.address.get()
        let a = try SharedLog.freshOffice("영등포구")
        let b = try SharedLog.freshOffice("구로구")
        let count = 15
        let fromA = try (1...count).map { try Self.file($0, in: a) }
        let fromB = try (1...count).map { try Self.file($0, in: b) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { side in
            do {
                // Each side its own connection, as two officers' PCs would have.
                let (sender, receiver, cases) = side == 0 ? (a.office, b.office, fromA) : (b.office, a.office, fromB)
                let store = try PostgresEventStore(address: address, office: sender)
                for id in cases { _ = try Self.send(id, from: store, to: receiver) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(try a.verify().sequence == Int64(2 * count + count) && b.verify().sequence == Int64(2 * count + count))
    }

    @Test("append refuses either half of a transfer on its own, and writes nothing")
    func appendRefusesTransferHalves() throws {
        let a = try SharedLog.freshOffice("영등포구")
        let b = try SharedLog.freshOffice("구로구")
        let id = try Self.file(1, in: a)
        let halves: [(CaseID, Int, CaseEvent)] = [
            (
                id, 1,
                .sentToOffice(
                    SentToOffice(
                        office: b.office, receivedAs: CaseID(kind: .petition, year: 2019, number: 1), sequence: 1,
                        chainedOn: EventHash.hex(EventHash.genesis), reason: "위조"))
            ),
            (
                CaseID(kind: .petition, year: 2019, number: 2), 0,
                .receivedFromOffice(
                    ReceivedFromOffice(
                        office: b.office, sentAs: id, sequence: 1, hash: String(repeating: "ab", count: 32),
                        title: "가로등", category: "도시", reason: "위조"))
            ),
        ]
        for (caseID, version, event) in halves {
            let refusal = #expect(throws: PostgresFailure.self) {
                try a.append(
                    AppendRequest(
                        caseID: caseID, expectedVersion: version, events: [event], occurredAt: Self.day,
                        recordedAt: Self.day, actor: "ydp-0412", commandID: UUID().uuidString))
            }
            #expect(refusal?.kind == .forbidden, "\(refusal.map { "\($0)" } ?? "")")
        }
        #expect(try a.verify().sequence == 1)
    }

    @Test(
        "verify finds a transfer whose counterpart is missing or is not the other half",
        arguments: [
            (Int64(1), "not the other half"), (Int64(9), "does not exist"),
        ])
    func verifyChecksCounterparts(_ sequence: Int64, _ problem: String) throws {
        let a = try SharedLog.freshOffice("영등포구")
        let b = try SharedLog.freshOffice("구로구")
        _ = try Self.file(1, in: b)
        let id = try Self.file(1, in: a)
        #expect(try a.verify().sequence == 1)
        try Self.forge(
            .sentToOffice(
                SentToOffice(
                    office: b.office, receivedAs: CaseID(kind: .petition, year: 2019, number: 1), sequence: sequence,
                    chainedOn: EventHash.hex(EventHash.genesis), reason: "위조")),
            as: id, version: 2, in: a)
        let failure = #expect(throws: VerificationFailure.self) { try a.verify() }
        #expect(failure?.detail.contains(problem) == true, "\(failure.map { "\($0)" } ?? "")")
        #expect(failure?.detail.contains(b.office) == true)
        // The receiving office's own chain is whole.
        #expect(try b.verify().sequence == 1)
    }

    @Test("verify finds a received event whose sending event has another hash than the one it names")
    func verifyChecksTheNamedHash() throws {
        let a = try SharedLog.freshOffice("영등포구")
        let b = try SharedLog.freshOffice("구로구")
        let id = try Self.file(1, in: a)
        _ = try Self.file(1, in: b)
        let done = try Self.send(id, from: a, to: b.office)
        #expect(try b.verify().sequence == 2)
        try Self.forge(
            .receivedFromOffice(
                ReceivedFromOffice(
                    office: a.office, sentAs: id, sequence: done.sent.sequence, hash: String(repeating: "ab", count: 32),
                    title: "가로등", category: "도시", reason: "위조")),
            as: CaseID(kind: .petition, year: 2019, number: 3), version: 1, in: b)
        let failure = #expect(throws: VerificationFailure.self) { try b.verify() }
        #expect(failure?.sequence == 3)
        #expect(failure?.detail.contains("another hash") == true, "\(failure.map { "\($0)" } ?? "")")
    }
}
