import Foundation
internal import GRDB
import SinmungoCore

extension SQLiteEventStore {
    /// The sequence number and hash of one event, or nil when the log does not reach it: lets
    /// a reader that kept an anchor tell whether it still stands in this log.
    public func anchor(at sequence: Int64) throws -> LogAnchor? {
        try withTranslatedErrors {
            try database.read { db in
                try Row.fetchOne(db, sql: "SELECT seq, hash FROM event WHERE seq = ?", arguments: [sequence]).map {
                    LogAnchor(sequence: $0[0], hash: [UInt8]($0[1] as Data))
                }
            }
        }
    }
}
