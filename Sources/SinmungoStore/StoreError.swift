/// What went wrong with the log's files, as a case a caller can act on without reading the
/// message: the command line maps each to an exit status, a server to a response.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No log at the path.
    case missing(path: String)
    /// The file is there but is no Sinmungo log: a folder, an empty file, not a database, or
    /// another application's database.
    case notALog(path: String, reason: String)
    /// The log was written by a newer version of Sinmungo.
    case newerFormat(path: String)
    /// SQLite finds the file damaged.
    case damaged(path: String, detail: String)
    /// The log cannot be written: the file or its folder is read-only, or it was opened for reading.
    case readOnly(path: String, reason: String)
    case diskFull(path: String)
    /// Another process held the log longer than a writer waits.
    case busy(path: String, seconds: Int)
    /// An archived log whose WAL still holds changes that this user cannot have SQLite read.
    case uncheckpointedArchive(path: String)
    /// The step needs a log without events, and this one has some.
    case notEmpty(path: String)
    /// Any other failure of the file system or of SQLite.
    case io(path: String, detail: String)
    /// A stored event that cannot be read back.
    case unreadableEvent(sequence: Int64, reason: String)
    /// A stored view row that cannot be read back: the views were changed outside Sinmungo.
    case unreadableView(view: String, key: String, reason: String)
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
        case .missing(let path):
            "no database at \(path); create one with `sinmungo init`"
        case .notALog(let path, let reason):
            "\(path) is not a Sinmungo log: \(reason)"
        case .newerFormat(let path):
            "\(path) was written by a newer version of Sinmungo; upgrade this program to read it"
        case .damaged(let path, let detail):
            "\(path) is not a Sinmungo log: the database file is damaged (\(detail))"
        case .readOnly(let path, let reason):
            "cannot use \(path): \(reason)"
        case .diskFull(let path):
            "cannot use \(path): the disk is full"
        case .busy(let path, let seconds):
            "cannot use \(path): another process held the database for over \(seconds) seconds"
        case .uncheckpointedArchive(let path):
            "cannot use \(path): its WAL file (\(path)-wal) holds changes not yet checkpointed, which SQLite cannot read in a folder this user cannot write; ask for the log after every writer has closed it, or copy the folder somewhere writable"
        case .notEmpty(let path):
            "\(path) already holds events: a synthetic log goes into an empty log only"
        case .io(let path, let detail):
            "cannot use \(path): \(detail)"
        case .unreadableEvent(let sequence, let reason):
            "stored event \(sequence) cannot be read: \(reason)"
        case .unreadableView(let view, let key, let reason):
            "the \(view) view's row for \(key) cannot be read: \(reason); `sinmungo rebuild` replays the views from the log"
        case .viewsAheadOfLog:
            "cannot use the views: \(explanation)"
        case .missingKeyStore(let path, let logPath):
            "no key store at \(path) for \(logPath): name the right one with --keys or $SINMUNGO_KEYS, or mount its volume (only `sinmungo init` creates a key store)"
        }
    }
}
