import Foundation
import SinmungoCore

extension Instant {
    /// The time now, to the second. `SINMUNGO_CLOCK` (ISO 8601) fixes it, so that a
    /// demonstration or a test can run on another day than today.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> Instant {
        if let fixed = environment["SINMUNGO_CLOCK"], let instant = Instant(iso8601: fixed) {
            return instant
        }
        return Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970.rounded(.down)))
    }
}
