import Foundation
import Testing

@Suite("Damaged files and full disks: a clear error, never a crash")
struct DamagedFileTests {
    static let fixture = StatisticsTests.fixture

    @Test
    func aTruncatedDatabaseIsAnIOErrorForEveryCommand() throws {
        let cli = CLI()
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(try cli.run(db + ["import", Self.fixture]).status == 0)
        let contents = try Data(contentsOf: URL(fileURLWithPath: cli.path("log.sqlite")))
        #expect(contents.count > 100_000)
        // Half a file, as a copy cut short would leave it.
        try contents.prefix(contents.count / 2).write(to: URL(fileURLWithPath: cli.path("cut.sqlite")))
        for command in [["list"], ["verify"], ["counts"], ["export"], ["withdraw", "PET-2019-0001", "--actor", "a"]] {
            let result = try cli.run(["--db", cli.path("cut.sqlite")] + command)
            #expect([65, 74].contains(result.status), "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("sinmungo: "), "\(command): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    static let canMount = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/mount")

    @Test(.enabled(if: canMount, "needs root to mount a small file system"))
    func aFullDiskRefusesTheWriteAndKeepsTheLogWhole() throws {
        let cli = CLI()
        let small = cli.folder.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        let mount = try cli.run(["/usr/bin/mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", small.path], direct: true)
        try #require(mount.status == 0, "mount: \(mount.stderr)")
        defer { _ = try? cli.run(["/usr/bin/umount", small.path], direct: true) }
        let db = ["--db", small.appendingPathComponent("log.sqlite").path]
        #expect(try cli.run(db + ["init"]).status == 0)
        let imported = try cli.run(db + ["import", Self.fixture])
        #expect(imported.status == 74)
        #expect(imported.stderr.contains("the disk is full"))
        // Nothing of the import is there, and the log still works.
        #expect(try cli.run(db + ["verify"]).stdout.hasPrefix("ok: 0 events verified"))
        #expect(try cli.run(db + ["petition", "file", "--title", "t", "--category", "도시"]).status == 0)
        #expect(try cli.run(db + ["verify"]).stdout.hasPrefix("ok: 1 events verified"))
    }
}
