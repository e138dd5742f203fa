import Foundation
import SinmungoCore
import SinmungoStore
import Testing

@Suite("Auditors read an archived copy they cannot write")
struct ReadOnlyAuditTests {
    /// Root may write anything, so the commands run as `nobody`, which needs root to arrange.
    static let canDropPrivileges = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv to run as an unprivileged user"))
    func everyReadCommandWorksOnAReadOnlyWALCopyAndWritesNothing() throws {
        let cli = CLI()
        let live = cli.path("live.sqlite")
        let archive = cli.folder.appendingPathComponent("archive")
        try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
        // Copy while the writer is still open, so the copy's WAL holds events not yet in the main file.
        do {
            let store = try SQLiteEventStore.create(at: live).store
            let now = Instant(kst: CivilDate(year: 2019, month: 8, day: 1)!, hour: 9)
            let sinmungo = CaseService(store: store, now: { now })
            let filed = try sinmungo.execute(
                .filePetition(PetitionFiled(title: "경로당 냉방기 교체", category: "복지보건·다문화")), on: nil,
                metadata: CommandMetadata(actor: "ydp-0412", commandID: "a1", occurredAt: now)
            )
            _ = try sinmungo.execute(
                .review(department: "어르신복지과"), on: filed.caseID,
                metadata: CommandMetadata(actor: "ydp-0412", commandID: "a2", occurredAt: now))
            for suffix in ["", "-wal"] {
                try FileManager.default.copyItem(
                    atPath: live + suffix, toPath: archive.appendingPathComponent("log.sqlite" + suffix).path)
            }
            #expect(try Data(contentsOf: archive.appendingPathComponent("log.sqlite-wal")).count > 0)
        }
        let copy = archive.appendingPathComponent("log.sqlite").path
        for file in try FileManager.default.contentsOfDirectory(atPath: archive.path) {
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o444], ofItemAtPath: archive.appendingPathComponent(file).path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: archive.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.folder.path)
        let before = try FileManager.default.contentsOfDirectory(atPath: archive.path).sorted()
        let snapshot = try before.map { try Data(contentsOf: archive.appendingPathComponent($0)) }

        let reads: [[String]] = [
            ["list"], ["show", "PET-2019-0001"], ["history", "PET-2019-0001"], ["why", "PET-2019-0001"], ["counts"],
            ["counts", "--as-of", "2019-08-01T09:00"], ["verify"], ["head"], ["export"],
        ]
        for read in reads {
            let result = try cli.run(
                ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary.path, "--db", copy] + read,
                direct: true)
            #expect(result.status == 0, "\(read): \(result.stderr)")
            if read == ["list"] { #expect(result.stdout.contains("어르신복지과")) }
        }
        // A write is refused as an I/O error, and nothing in the folder changed.
        let write = try cli.run(
            [
                "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary.path, "--db", copy, "withdraw",
                "PET-2019-0001", "--actor", "ydp-0412",
            ], direct: true)
        #expect(write.status == 74)
        #expect(try FileManager.default.contentsOfDirectory(atPath: archive.path).sorted() == before)
        #expect(try before.map { try Data(contentsOf: archive.appendingPathComponent($0)) } == snapshot)
    }
}
