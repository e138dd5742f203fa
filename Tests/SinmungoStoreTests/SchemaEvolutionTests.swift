import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

/// `Resources/log-0.1.0-first.sqlite` was written by the first version of Sinmungo (commit
/// 0b0f932): schema migration `v1-event-log` only, and `petition-filed` events in schema 1.
@Suite("A log written by the previous version")
struct SchemaEvolutionTests {
    static let original = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/log-0.1.0-first.sqlite")
    /// Its head as the independent verifier printed it when the file was made.
    static let head = LogAnchor("9:10a33201a20d05bdbfbc629d33f6ec4cc3d00cb6a0a3f29b63d6143e6ac77603")!

    /// A copy, so that the committed file is never migrated in place.
    func copy() throws -> String {
        let path = TemporaryFolder().path("old.sqlite")
        try FileManager.default.copyItem(atPath: Self.original.path, toPath: path)
        return path
    }

    @Test
    func itIsMigratedReadUpgradedAndStillVerifies() throws {
        let store = try SQLiteEventStore(openingExistingAt: try copy(), projections: caseViews)
        #expect(try store.verify(against: Self.head) == Self.head)
        // Schema-1 petitions come back with the contact split.
        let first = try store.events(of: CaseID("PET-2019-0001"))
        #expect(first[0].schemaVersion == 1)
        #expect(
            first[0].event
                == .petitionFiled(
                    PetitionFiled(
                        title: "당산역 엘리베이터 설치 건의", category: "도시",
                        personal: .legacy(PersonalData(name: "홍가상", phone: "010-0000-0001")))))
        let second = try store.events(of: CaseID("PET-2019-0002"))
        #expect(
            second[0].event
                == .petitionFiled(
                    PetitionFiled(
                        title: "문래동 가로등 증설 요청", category: "생활환경·교통안전",
                        personal: .legacy(PersonalData(email: "resident7@example.com")))))
        // The views survived the migration that added a column, and a rebuild gives the same.
        let before = try store.summaries()
        #expect(before.count == 5)
        #expect(before.allSatisfy { $0.extensionDays == nil })
        try store.rebuildViews()
        #expect(try store.summaries() == before)
        #expect(CaseCounts(before) == CaseCounts(CaseProjection.replay(try store.events(at: .now)).values))
    }

    @Test
    func itIsReadReadOnlyWithoutUpgrading() throws {
        // Its views predate the current ones; a read folds the log instead, and writes nothing.
        let path = try copy()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        #expect(try store.summaries().count == 5)
        #expect(try store.summary(of: CaseID("PET-2019-0002"))?.status == .filed)
        #expect(try store.verify(against: Self.head) == Self.head)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test
    func newStepsAppendToItInTheNewSchema() throws {
        // The first version kept no key store; `init` makes one before new data is sealed.
        let store = try SQLiteEventStore.create(at: try copy(), projections: caseViews).store
        let now = Instant(kst: CivilDate(year: 2019, month: 12, day: 3)!, hour: 10)
        let service = CaseService(store: store, now: { now })
        let filed = try service.execute(
            .filePetition(PetitionFiled(title: "신길역 자전거 보관대", category: "도시", petitioner: nil, contact: "010-0000-0009")),
            on: nil,
            metadata: CommandMetadata(actor: "ydp-0412", commandID: "new-1", occurredAt: now))
        #expect(filed.caseID == CaseID("PET-2019-0003"))
        _ = try service.execute(
            .review(department: "도로과"), on: CaseID("PET-2019-0002"),
            metadata: CommandMetadata(actor: "ydp-0412", commandID: "new-2", occurredAt: now))
        _ = try service.execute(
            .extend(Extended(days: 30, reason: "현장 조사")), on: CaseID("PET-2019-0002"),
            metadata: CommandMetadata(actor: "ydp-0412", commandID: "new-3", occurredAt: now))
        var versions: [String: [Int]] = [:]
        try store.exportLog { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let type = object?["type"] as? String, let version = object?["schemaVersion"] as? Int {
                versions[type, default: []].append(version)
            }
        }
        #expect(versions["petition-filed"] == [1, 1, 4])
        #expect(try store.summary(of: CaseID("PET-2019-0002"))?.extensionDays == 30)
        let head = try store.verify(against: Self.head)
        #expect(head.sequence == Self.head.sequence + 3)
    }
}
