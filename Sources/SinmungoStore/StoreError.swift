/// Why the log could not be opened, read or written.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No database at the path.
    case missingDatabase(path: String)
    /// The file exists but is not a database, or not a Sinmungo log.
    case notALog(path: String, reason: String)
    /// The database was written by a newer version of Sinmungo.
    case newerFormat(path: String)
    /// The database is read-only, the disk is full, or the file system failed.
    case io(path: String, reason: String)
    /// A stored event that cannot be read back.
    case unreadableEvent(sequence: Int64, reason: String)
    /// The views fold in events past the log's head: the log was cut after they were written.
    case viewsAheadOfLog(checkpoint: Int64, head: Int64)
    /// The key store is not where the log's sealed data needs it.
    case missingKeyStore(path: String, logPath: String)

    /// Why the views cannot be trusted, for `verify` and for a refused step alike.
    var explanation: String {
        guard case .viewsAheadOfLog(let checkpoint, let head) = self else { return description }
        return
            "the views fold in events up to \(checkpoint), but the log ends at event \(head), so the log was cut; `sinmungo verify --against SEQ:HASH` checks it against an anchor, and `sinmungo rebuild` replays the views from it"
    }

    public var description: String {
        switch self {
        case .missingDatabase(let path):
            "no database at \(path); create one with `sinmungo init`"
        case .notALog(let path, let reason):
            "\(path) is not a Sinmungo log: \(reason)"
        case .newerFormat(let path):
            "\(path) was written by a newer version of Sinmungo; upgrade this program to read it"
        case .io(let path, let reason):
            "cannot use \(path): \(reason)"
        case .unreadableEvent(let sequence, let reason):
            "stored event \(sequence) cannot be read: \(reason)"
        case .viewsAheadOfLog:
            "cannot use the views: \(explanation)"
        case .missingKeyStore(let path, let logPath):
            "no key store at \(path) for \(logPath): name the right one with --keys or $SINMUNGO_KEYS, or mount its volume (only `sinmungo init` creates a key store)"
        }
    }
}
