import Foundation
internal import GRDB

/// Where SQLite should open a file that is only read: an archived log, or its key store.
///
/// A WAL database opened read-only needs a shared-memory file beside it, which SQLite cannot
/// create in a folder the reader may not write. SQLite's `immutable=1` URI option reads such
/// a file with no locks and no side files, but is only safe when no writer can exist: then
/// there is no WAL or rollback journal to take into account. Nothing is ever copied. Where
/// the reader may write, a journal left by a killed writer is played back first.
enum ReadOnlyOpening {
    static func location(of path: String) throws -> String {
        let files = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        let writable = access(folder.isEmpty ? "." : folder, W_OK) == 0 && access(path, W_OK) == 0
        if writable {
            try rollBackInterruptedWrite(at: path)
            return path
        }
        let wal = size(of: path + "-wal")
        let journal = size(of: path + "-journal")
        let sharedMemory = files.fileExists(atPath: path + "-shm")
        // A live writer in WAL mode always keeps a shared-memory file; without one, an empty
        // WAL is what a checkpoint left behind.
        let settled = (wal == nil || (wal == 0 && !sharedMemory)) && (journal ?? 0) == 0
        if settled, supportsURIs { return uri(path, query: "immutable=1") }
        if let wal, wal > 0, !sharedMemory {
            throw StoreError.uncheckpointedArchive(path: path)
        }
        // WAL with its shared-memory file present: SQLite reads both without writing them.
        return path
    }

    /// A rollback journal left by a writer that was killed mid-transaction must be played back
    /// before anyone reads the file, and a read-only connection may not do it: SQLite refuses
    /// it as a write. Opening the file once for writing plays it back, restoring the last
    /// committed state, as the next writer would.
    private static func rollBackInterruptedWrite(at path: String) throws {
        guard (size(of: path + "-journal") ?? 0) > 0 else { return }
        var configuration = Configuration()
        configuration.busyMode = .timeout(SQLiteEventStore.busyTimeout)
        let database = try DatabaseQueue(path: path, configuration: configuration)
        _ = try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
        try database.close()
    }

    private static func size(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    /// A `file:` URI for `path`, with every byte that is not plainly safe percent-encoded.
    static func uri(_ path: String, query: String) -> String {
        var safe = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        safe.insert(charactersIn: "-._~/")
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: safe) ?? path) + "?" + query
    }

    /// Whether this SQLite reads `file:` names as URIs (built with SQLITE_USE_URI, as
    /// Debian's and SQLite's own builds are); GRDB does not pass SQLITE_OPEN_URI.
    static let supportsURIs: Bool = {
        guard let queue = try? DatabaseQueue() else { return false }
        return (try? queue.read { try Bool.fetchOne($0, sql: "SELECT sqlite_compileoption_used('USE_URI')") }) == true
    }()
}
