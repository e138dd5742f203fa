import Foundation
import SinmungoCore
import SinmungoStore
import Testing

@Suite("Auditors read an archived log they cannot write, in place")
struct ReadOnlyAuditTests {
    /// Root may write anything, so the commands run as `nobody`, which needs root to arrange.
    static let canDropPrivileges = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    static let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    static let reads: [[String]] = [
        ["list"], ["show", "PET-2019-0001"], ["history", "PET-2019-0001"], ["why", "PET-2019-0001"], ["counts"],
        ["counts", "--as-of", "2019-08-01T09:00"], ["verify"], ["head"], ["export"], ["due"],
        ["retention", "--closed-before", "2020-01-01"],
    ]

    /// A log with one reviewed petition, written through the store. `copying` runs while the
    /// writer is still open (its WAL not yet checkpointed); otherwise the store is closed first.
    func writeLog(at live: String, copying: (() throws -> Void)? = nil) throws {
        let store = try SQLiteEventStore.create(at: live).store
        let now = Instant(kst: CivilDate(year: 2019, month: 8, day: 1)!, hour: 9)
        let sinmungo = CaseService(store: store, now: { now })
        let filed = try sinmungo.execute(
            .filePetition(
                PetitionFiled(title: "경로당 냉방기 교체", category: "복지보건·다문화", petitioner: "가상인", contact: "010-0000-4321")),
            on: nil, metadata: CommandMetadata(actor: "ydp-0412", commandID: "a1", occurredAt: now))
        _ = try sinmungo.execute(
            .review(department: "어르신복지과"), on: filed.caseID,
            metadata: CommandMetadata(actor: "ydp-0412", commandID: "a2", occurredAt: now))
        try copying?()
    }

    /// Makes the archive folder and its files read-only, and returns their bytes.
    func seal(_ archive: URL, in cli: CLI) throws -> [String: Data] {
        var snapshot: [String: Data] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: archive.path) {
            let path = archive.appendingPathComponent(file).path
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
            snapshot[file] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: archive.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.folder.path)
        return snapshot
    }

    func contents(_ archive: URL) throws -> [String: Data] {
        var contents: [String: Data] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: archive.path) {
            contents[file] = try Data(contentsOf: archive.appendingPathComponent(file))
        }
        return contents
    }

    func archive(in cli: CLI) throws -> URL {
        let archive = cli.folder.appendingPathComponent("archive")
        try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
        return archive
    }

    @Test(
        .enabled(if: canDropPrivileges, "needs root and setpriv to run as an unprivileged user"),
        arguments: [true, false])
    func everyReadWorksOnACheckpointedFileWithoutCopyingIt(withKeys: Bool) throws {
        var cli = CLI()
        let live = cli.path("live.sqlite")
        try writeLog(at: live)
        #expect(!FileManager.default.fileExists(atPath: live + "-wal"), "closing the store checkpoints its WAL")
        let archive = try archive(in: cli)
        try FileManager.default.copyItem(atPath: live, toPath: archive.appendingPathComponent("log.sqlite").path)
        if withKeys {
            try FileManager.default.copyItem(
                atPath: cli.path("live.keys.sqlite"), toPath: archive.appendingPathComponent("log.keys.sqlite").path)
        }
        let snapshot = try seal(archive, in: cli)
        // A copy of the database would land in the temporary folder: it must stay empty.
        let temporary = cli.folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: temporary.path)
        cli.environment["TMPDIR"] = temporary.path
        let copy = archive.appendingPathComponent("log.sqlite").path
        for read in Self.reads {
            let result = try cli.run(Self.asNobody + [CLI.binary.path, "--db", copy] + read, direct: true)
            #expect(result.status == 0, "\(read): \(result.stderr)")
            if read == ["list"] { #expect(result.stdout.contains("어르신복지과")) }
            if read == ["show", "PET-2019-0001"] {
                if withKeys {
                    // No access record can be kept in a copy nobody may write, so nothing is opened.
                    #expect(!result.stdout.contains("010-0000-4321"))
                    #expect(result.stdout.contains("(not opened: no access record (접속기록) can be kept here"))
                } else {
                    #expect(
                        result.stdout.contains(
                            "(sealed; cannot be opened: there is no key store at \(archive.appendingPathComponent("log.keys.sqlite").path) to open it with)"
                        ))
                }
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [])
        // A write is refused as an I/O error, and nothing in the folder changed.
        let write = try cli.run(
            Self.asNobody + [CLI.binary.path, "--db", copy, "withdraw", "PET-2019-0001", "--actor", "ydp-0412"], direct: true)
        #expect(write.status == 74)
        #expect(try contents(archive) == snapshot)
    }

    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv to run as an unprivileged user"))
    func aWALCopiedWithItsSharedMemoryFileIsReadWithoutWriting() throws {
        let cli = CLI()
        let live = cli.path("live.sqlite")
        let archive = try archive(in: cli)
        try writeLog(at: live) {
            for suffix in ["", "-wal", "-shm"] {
                try FileManager.default.copyItem(
                    atPath: live + suffix, toPath: archive.appendingPathComponent("log.sqlite" + suffix).path)
            }
            #expect(try Data(contentsOf: archive.appendingPathComponent("log.sqlite-wal")).count > 0)
        }
        let snapshot = try seal(archive, in: cli)
        let copy = archive.appendingPathComponent("log.sqlite").path
        for read in [["list"], ["verify"], ["export"]] {
            let result = try cli.run(Self.asNobody + [CLI.binary.path, "--db", copy] + read, direct: true)
            #expect(result.status == 0, "\(read): \(result.stderr)")
            if read == ["list"] { #expect(result.stdout.contains("어르신복지과")) }
        }
        #expect(try contents(archive) == snapshot)
    }

    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv to run as an unprivileged user"))
    func aWALWithoutItsSharedMemoryFileIsRefusedPlainly() throws {
        let cli = CLI()
        let live = cli.path("live.sqlite")
        let archive = try archive(in: cli)
        try writeLog(at: live) {
            for suffix in ["", "-wal"] {
                try FileManager.default.copyItem(
                    atPath: live + suffix, toPath: archive.appendingPathComponent("log.sqlite" + suffix).path)
            }
        }
        let snapshot = try seal(archive, in: cli)
        let copy = archive.appendingPathComponent("log.sqlite").path
        let result = try cli.run(Self.asNobody + [CLI.binary.path, "--db", copy, "list"], direct: true)
        // Reading only the main file would silently miss the events in the WAL.
        #expect(result.status == 74)
        #expect(result.stderr.contains("holds changes not yet checkpointed"))
        #expect(result.stdout.isEmpty)
        #expect(try contents(archive) == snapshot)
    }
}
