import Foundation

/// A fresh folder under a parent of this test process's own (the databases must outlive the
/// value that named them). Parents left by runs that have ended are cleared first; those of runs
/// still going, in other checkouts on the same machine, are left alone.
public struct TemporaryFolder: Sendable {
    static let parent: URL = {
        let temporary = FileManager.default.temporaryDirectory
        let prefix = "sinmungo-tests-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
        return temporary.appendingPathComponent(prefix + String(getpid()))
    }()

    public let url: URL

    public init() {
        url = Self.parent.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }
}
