/// Public holidays by year (관공서의 공휴일에 관한 규정), read from data files so that a year's
/// list can be corrected without a release. Saturdays and Sundays are never working days.
public struct HolidayCalendar: Equatable, Sendable {
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// No list for the year: a deadline there would be silently wrong.
        case missingYear(Int)
        case badLine(source: String, line: Int, reason: String)

        public var description: String {
            switch self {
            case .missingYear(let year):
                "no holiday calendar for \(year): add Fixtures/holidays/\(year).txt before counting deadlines in that year"
            case .badLine(let source, let line, let reason):
                "\(source), line \(line): \(reason)"
            }
        }
    }

    public private(set) var holidays: [Int: Set<CivilDate>] = [:]

    public init() {}

    public var years: [Int] { holidays.keys.sorted() }

    /// Adds a year from its file: one `YYYY-MM-DD name` a line; `#` starts a comment.
    public mutating func add(year: Int, fileContents: String, source: String) throws {
        var dates = Set<CivilDate>()
        for (index, line) in fileContents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            let dateText = String(trimmed.prefix { !$0.isWhitespace })
            guard dateText.count == 10, let instant = Instant(iso8601: dateText) else {
                throw Failure.badLine(source: source, line: index + 1, reason: "\"\(dateText)\" is not a date YYYY-MM-DD")
            }
            let date = instant.kstDate
            guard date.year == year else {
                throw Failure.badLine(source: source, line: index + 1, reason: "\(date) is not in \(year)")
            }
            dates.insert(date)
        }
        holidays[year] = dates
    }

    public func isHoliday(_ date: CivilDate) throws -> Bool {
        guard let dates = holidays[date.year] else { throw Failure.missingYear(date.year) }
        return dates.contains(date)
    }

    public func isWorkingDay(_ date: CivilDate) throws -> Bool {
        let weekday = date.weekday
        if weekday == 0 || weekday == 6 { return false }
        return try !isHoliday(date)
    }

    /// The date itself when it is a working day, else the first working day after it.
    public func workingDay(onOrAfter date: CivilDate) throws -> CivilDate {
        var day = date
        while try !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while result.first?.isWhitespace == true { result = result.dropFirst() }
        while result.last?.isWhitespace == true { result = result.dropLast() }
        return result
    }
}
