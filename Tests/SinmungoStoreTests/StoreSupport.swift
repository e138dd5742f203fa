import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

/// Where a test's log lives: store tests run against both.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case disk

    var testDescription: String { rawValue }

    func makeStore() throws -> SQLiteEventStore {
        switch self {
        case .memory: try SQLiteEventStore.inMemory(projections: caseViews)
        case .disk: try SQLiteEventStore.create(at: TemporaryFolder().path("log.sqlite"), projections: caseViews).store
        }
    }
}

let march4 = Instant(kst: CivilDate(year: 2019, month: 3, day: 4)!, hour: 10)

func hours(_ count: Int, after instant: Instant = march4) -> Instant {
    instant.adding(seconds: Int64(count) * 3600)
}

/// A service whose clock stands still at the end of 2019.
func service(_ store: SQLiteEventStore) -> CaseService<SQLiteEventStore> {
    CaseService(store: store, now: { Instant(kst: CivilDate(year: 2019, month: 12, day: 31)!, hour: 12) })
}

func metadata(at instant: Instant, actor: String = "ydp-0412", expectedVersion: Int? = nil, commandID: String? = nil)
    -> CommandMetadata
{
    return CommandMetadata(
        actor: actor, commandID: commandID ?? "test-\(UUID().uuidString)", occurredAt: instant,
        expectedVersion: expectedVersion
    )
}

/// Files a petition and takes it to `reviewed`; returns its id.
@discardableResult
func reviewedPetition(in store: SQLiteEventStore, at instant: Instant = march4) throws -> CaseID {
    let sinmungo = service(store)
    let filed = try sinmungo.execute(
        .filePetition(PetitionFiled(title: "당산역 엘리베이터 설치 건의", category: "도시", petitioner: "가나다", contact: "010-0000-0001")),
        on: nil, metadata: metadata(at: instant)
    )
    _ = try sinmungo.execute(.review(department: "도로과"), on: filed.caseID, metadata: metadata(at: hours(1, after: instant)))
    return filed.caseID
}

func exportText(_ store: SQLiteEventStore) throws -> String {
    var text = ""
    try store.exportLog { text += $0 }
    return text
}

/// The repository's Fixtures folder.
let fixturesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The views the tool keeps, registered with every store a test opens.
let caseViews: [any Projection.Type] = [CaseProjection.self]
