import ArgumentParser
import SinmungoCore
import SinmungoViews

/// Times, dates and months as option values, parsed by argument-parser itself.
extension Instant: ExpressibleByArgument {
    /// ISO 8601, KST unless an offset is given; a date alone is midnight KST.
    public init?(argument: String) {
        self.init(iso8601: argument)
    }
}

extension CivilDate: ExpressibleByArgument {
    /// A KST date; a time is read as the KST date it falls on.
    public init?(argument: String) {
        guard let instant = Instant(iso8601: argument) else { return nil }
        self = instant.kstDate
    }
}

extension YearMonth: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}

/// What an option value of each kind looks like, by the value name its options show in help
/// (`--at <time>`): the second half of the sentence that refuses a value that is not one.
enum ArgumentShape {
    static let byValueName: [(valueName: String, shape: String)] = [
        ("time", "is not an ISO 8601 time such as 2019-06-30T18:00 or 2019-03-04T10:15:00+09:00"),
        ("date", "is not a date such as 2019-07-01"),
        ("month", "is not a month YYYY-MM such as 2019-10"),
    ]

    /// argument-parser's "The value 'x' is invalid for '--at <time>'" as one sentence that
    /// names the option and gives an example: `--at "x" is not an ISO 8601 time such as …`.
    static func sentence(for message: String) -> String? {
        let prefix = "The value '"
        guard message.hasPrefix(prefix) else { return nil }
        for (valueName, shape) in byValueName {
            let suffix = " <\(valueName)>'"
            guard message.hasSuffix(suffix),
                let middle = message.range(of: "' is invalid for '", options: .backwards),
                middle.lowerBound >= message.index(message.startIndex, offsetBy: prefix.count)
            else { continue }
            let value = message[message.index(message.startIndex, offsetBy: prefix.count)..<middle.lowerBound]
            let option = message[middle.upperBound..<message.index(message.endIndex, offsetBy: -suffix.count)]
            return "\(option) \"\(value)\" \(shape)"
        }
        return nil
    }
}
