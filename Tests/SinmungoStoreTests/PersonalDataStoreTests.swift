import Foundation
import GRDB
import SinmungoCore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoStore

@Suite("Personal data: sealed in the log, opened for officers, destroyed on erasure")
struct PersonalDataStoreTests {
    static let name = "홍가상길동"
    static let phone = "010-9876-5432"
    static let proposer = "김가상제안"

    /// The bytes of every file in the folder: the log, its WAL and shared memory, the key store.
    static func filesHolding(_ needle: Data, in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { file in
            try Data(contentsOf: folder.appendingPathComponent(file)).range(of: needle) != nil
        }
    }

    @Test("an erasure whose key outlived it (a stop between the two) is finished by the next erase, writing nothing")
    func anInterruptedErasureIsFinished() throws {
        let store = try SQLiteEventStore.create(at: TemporaryFolder().path("log.sqlite"), projections: caseViews).store
        let sinmungo = service(store)
        let petition = try sinmungo.execute(
            .filePetition(PetitionFiled(title: "보도 정비", category: "도시", petitioner: Self.name)), on: nil,
            metadata: metadata(at: march4)
        ).caseID
        _ = try sinmungo.execute(.withdraw(Withdrawn(reason: "취하")), on: petition, metadata: metadata(at: hours(1)))
        guard case .sealed(let sealed)? = try store.events(of: petition)[0].event.personal,
            let key = try store.requireKeys().key(of: sealed.person)
        else {
            Issue.record("the petition's data was not sealed with a stored key")
            return
        }
        let keyBytes = key.withUnsafeBytes { Data($0) }
        _ = try sinmungo.execute(
            .erasePersonalData(reason: "정보주체 삭제 요구", request: "개인정보-2019-0043"), on: petition,
            metadata: metadata(at: hours(2)))
        _ = try sinmungo.execute(.approveErasure, on: petition, metadata: metadata(at: hours(2), actor: "ydp-0500"))
        // As if the process had stopped after recording the erasure and before destroying the key.
        try store.requireKeys().insert([PersonKey(person: sealed.person, caseID: petition, bytes: keyBytes)])
        let head = try store.head()
        #expect(try store.requireKeys().holdsKey(of: sealed.person))

        let again = try sinmungo.execute(.approveErasure, on: petition, metadata: metadata(at: hours(3), actor: "ydp-0500"))
        #expect(again.finishedEarlierErasure)
        #expect(again.events.isEmpty)
        #expect(try store.head() == head)
        #expect(try !store.requireKeys().holdsKey(of: sealed.person))
        // With nothing left to finish, a third erase is refused: the data is gone already.
        #expect(throws: Refusal.self) {
            try sinmungo.execute(
                .erasePersonalData(reason: "정보주체 삭제 요구", request: "개인정보-2019-0043"), on: petition,
                metadata: metadata(at: hours(4)))
        }
    }

    @Test
    func erasureDestroysTheKeyWhileTheChainAndCountsStay() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteEventStore.create(at: folder.path("log.sqlite"), projections: caseViews).store
        let sinmungo = service(store)
        let petition = try sinmungo.execute(
            .filePetition(
                PetitionFiled(title: "당산역 엘리베이터 설치 건의", category: "도시", petitioner: Self.name, contact: Self.phone)),
            on: nil, metadata: metadata(at: march4)
        ).caseID
        _ = try sinmungo.execute(.review(department: "도로과"), on: petition, metadata: metadata(at: hours(1)))
        let session = try sinmungo.execute(
            .holdSession(SessionHeld(kind: .outreach, field: "생활환경", attendees: 40)), on: nil, metadata: metadata(at: hours(2))
        ).caseID
        let proposal = try sinmungo.execute(
            .fileProposal(ProposalFiled(session: session, title: "경로당 냉방 지원", proposer: Self.proposer)), on: nil,
            metadata: metadata(at: hours(3))
        ).caseID

        // Before erasure: the officer reads the data, yet no file holds it in plain text.
        #expect(try store.personalData(of: petition) == .held(PersonalData(name: Self.name, phone: Self.phone)))
        #expect(try store.personalData(of: proposal) == .held(PersonalData(name: Self.proposer)))
        for secret in [Self.name, Self.phone, Self.proposer] {
            #expect(try Self.filesHolding(Data(secret.utf8), in: folder.url) == [])
        }
        guard case .sealed(let sealed)? = try store.events(of: petition)[0].event.personal,
            let key = try store.requireKeys().key(of: sealed.person)
        else {
            Issue.record("the petition's data was not sealed with a stored key")
            return
        }
        let keyBytes = key.withUnsafeBytes { Data($0) }
        #expect(try Self.filesHolding(keyBytes, in: folder.url) == ["log.keys.sqlite"])
        // The petitioner withdraws and asks for their data to be erased (개인정보 보호법 §36).
        _ = try sinmungo.execute(.withdraw(Withdrawn(reason: "취하")), on: petition, metadata: metadata(at: hours(4)))
        let countsBefore = CaseCounts(try store.summaries())
        let statisticsBefore = try exportText(store).count

        _ = try sinmungo.execute(
            .erasePersonalData(reason: "정보주체 삭제 요구", request: "개인정보-2019-0042"), on: petition,
            metadata: metadata(at: hours(5)))
        // Asking destroys nothing, and the officer who asked cannot approve it alone.
        #expect(try store.personalData(of: petition) == .held(PersonalData(name: Self.name, phone: Self.phone)))
        #expect(throws: SamePersonForBothSteps.self) {
            try sinmungo.execute(.approveErasure, on: petition, metadata: metadata(at: hours(5)))
        }
        #expect(try Self.filesHolding(keyBytes, in: folder.url) == ["log.keys.sqlite"])
        let erased = try sinmungo.execute(.approveErasure, on: petition, metadata: metadata(at: hours(5), actor: "ydp-0500"))

        // After: the key is gone from every file, the data cannot be opened, and show says why.
        #expect(try Self.filesHolding(keyBytes, in: folder.url) == [])
        #expect(try Self.filesHolding(Data(Self.name.utf8), in: folder.url) == [])
        #expect(
            try store.personalData(of: petition)
                == .erased(
                    at: erased.events[0].recordedAt, by: "ydp-0500", reason: "정보주체 삭제 요구", request: "개인정보-2019-0042"))
        #expect(try store.personalData(of: proposal) == .held(PersonalData(name: Self.proposer)))
        #expect(try store.verify().sequence == 7)
        #expect(CaseCounts(try store.summaries()) == countsBefore)
        #expect(try store.summary(of: petition)?.status == .withdrawn)
        // The export grew by the erasure's two events only and never held the data.
        let export = try exportText(store)
        #expect(export.count > statisticsBefore)
        #expect(!export.contains(Self.name) && !export.contains(Self.proposer) && !export.contains(Self.phone))
    }

    @Test
    func aSealedBoxOpensOnlyForItsOwnCaseAndVersion() throws {
        let key = PersonKey.make(for: CaseID("PET-2019-0001"))
        let data = PersonalData(name: Self.name, email: "a@example.com")
        let sealed = try PersonalDataSeal.seal(data, with: key, caseVersion: 1)
        let open = { (caseID: String, version: Int) in
            try PersonalDataSeal.open(sealed, with: key.symmetricKey, caseID: CaseID(caseID), caseVersion: version)
        }
        #expect(try open("PET-2019-0001", 1) == data)
        #expect(throws: (any Error).self) { try open("PET-2019-0002", 1) }
        #expect(throws: (any Error).self) { try open("PET-2019-0001", 2) }
    }

    @Test
    func aLogFromAnotherSystemIsSealedOnImport() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteEventStore.create(at: folder.path("log.sqlite"), projections: caseViews).store
        let fixture = try Data(contentsOf: fixturesFolder.appendingPathComponent("yeongdeungpo-2019.jsonl"))
        // The fixture's first petitioner, in plain text in the file.
        let firstLine = try #require(String(decoding: fixture, as: UTF8.self).split(separator: "\n").first)
        let petitioner = "최진가"
        #expect(firstLine.contains(petitioner))
        try store.importLog(fixture, source: "yeongdeungpo-2019.jsonl")
        #expect(try Self.filesHolding(Data(petitioner.utf8), in: folder.url) == [])
        guard case .held(let data) = try store.personalData(of: CaseID("PET-2019-0001")) else {
            Issue.record("the imported petition's data does not open")
            return
        }
        #expect(data.name == petitioner)
        #expect(try !exportText(store).contains(petitioner))
        #expect(try store.events(of: CaseID("PET-2019-0001"))[0].schemaVersion == 4)
    }

    @Test
    func aReadOnlyAuditWithoutTheKeyStoreSeesThatTheDataIsSealed() throws {
        let folder = TemporaryFolder()
        let path = folder.path("log.sqlite")
        let id = try reviewedPetition(in: try SQLiteEventStore.create(at: path, projections: caseViews).store)
        try FileManager.default.removeItem(atPath: folder.path("log.keys.sqlite"))
        let audit = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        #expect(
            try audit.personalData(of: id)
                == .unavailable(reason: "there is no key store at \(folder.path("log.keys.sqlite")) to open it with"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("log.keys.sqlite")))
    }

    @Test("a key store left mid-write by a killed import opens for a read-only audit, as its last commit")
    func aKeyStoreWithTheJournalOfAKilledWriterOpensReadOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinmungo-\(UUID().uuidString)")
        let copy = folder.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("log.keys.sqlite").path
        _ = try PersonKeyStore(path: path, readOnly: false)
        // A transaction larger than the page cache writes to the file before it commits; a
        // copy of the file and its journal then is what a SIGKILL at that moment leaves.
        let writer = try DatabaseQueue(path: path)
        struct Killed: Error {}
        #expect(throws: Killed.self) {
            try writer.write { db in
                try db.execute(sql: "PRAGMA cache_size = 5")
                for number in 0..<3000 {
                    try db.execute(
                        sql: "INSERT INTO person_key (person, case_id, key) VALUES (?, 'PET-2019-0001', randomblob(300))",
                        arguments: ["p\(number)"])
                }
                for name in ["log.keys.sqlite", "log.keys.sqlite-journal"] {
                    try FileManager.default.copyItem(atPath: folder.appendingPathComponent(name).path, toPath: copy.appendingPathComponent(name).path)
                }
                throw Killed()
            }
        }
        let copied = copy.appendingPathComponent("log.keys.sqlite").path
        #expect(FileManager.default.fileExists(atPath: copied + "-journal"))
        let store = try PersonKeyStore(path: copied, readOnly: true)
        #expect(try store.key(of: "p0") == nil, "the uncommitted keys are rolled back")
        #expect(!FileManager.default.fileExists(atPath: copied + "-journal"))
    }
}
