/// A moment in time to the second, independent of any time zone.
///
/// The district works in Korea Standard Time (UTC+09:00, no daylight saving), so every
/// instant is shown, and every day and month is counted, in KST.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    public static let kstOffsetSeconds: Int64 = 9 * 3600

    /// The instant at the given KST wall-clock time.
    public init(kst date: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        secondsSinceEpoch = local - Self.kstOffsetSeconds
    }

    /// The KST calendar date this instant falls on.
    public var kstDate: CivilDate {
        CivilDate(daysSinceEpoch: Int(floorDiv(secondsSinceEpoch + Self.kstOffsetSeconds, 86_400)))
    }

    /// Seconds since midnight KST.
    public var kstSecondOfDay: Int {
        Int(floorMod(secondsSinceEpoch + Self.kstOffsetSeconds, 86_400))
    }

    public func adding(seconds: Int64) -> Instant {
        Instant(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    /// ISO 8601 in KST with its offset, e.g. `2019-03-04T10:15:00+09:00`.
    public var description: String {
        let second = kstSecondOfDay
        return "\(kstDate)T\(CivilDate.pad(second / 3600, 2)):\(CivilDate.pad(second / 60 % 60, 2)):"
            + "\(CivilDate.pad(second % 60, 2))+09:00"
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
    a - floorDiv(a, b) * b
}
