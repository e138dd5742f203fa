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
        }
    }
}
