/// Public holidays by year (관공서의 공휴일에 관한 규정). The tool carries every year of
/// `Fixtures/holidays` built in; a folder of files can add or replace years without a release.
/// Saturdays and Sundays are never working days.
public struct HolidayCalendar: Equatable, Sendable {
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// No list for the year: a deadline there would be silently wrong.
        case missingYear(Int)
        case badLine(source: String, line: Int, reason: String)

        public var description: String {
            switch self {
            case .missingYear(let year):
                "no holiday calendar for \(year)"
            case .badLine(let source, let line, let reason):
                "\(source), line \(line): \(reason)"
            }
        }
    }

    public private(set) var holidays: [Int: Set<CivilDate>] = [:]
    /// Years computed from the rules and not yet checked against the government's calendar:
    /// their files hold a comment line starting `# provisional`.
    public private(set) var provisionalYears: Set<Int> = []

    public init() {}

    public var years: [Int] { holidays.keys.sorted() }

    /// The last year with a list, if any.
    public var lastYear: Int? { holidays.keys.max() }

    /// The built-in calendars, read once. Tests check that they parse, so an empty calendar here
    /// can only show up as "no holiday calendar", never as a wrong deadline.
    public static let standard: HolidayCalendar = (try? builtIn()) ?? HolidayCalendar()

    /// Adds or replaces years from another calendar (an ad hoc 임시공휴일, a corrected year).
    public mutating func merge(_ other: HolidayCalendar) {
        for (year, dates) in other.holidays {
            holidays[year] = dates
            if other.provisionalYears.contains(year) { provisionalYears.insert(year) } else { provisionalYears.remove(year) }
        }
    }

    /// The calendars built into the tool, one per file of `Fixtures/holidays`.
    public static func builtIn() throws -> HolidayCalendar {
        var calendar = HolidayCalendar()
        for (year, contents) in BuiltInHolidays.files.sorted(by: { $0.key < $1.key }) {
            try calendar.add(year: year, fileContents: contents, source: "built-in \(year).txt")
        }
        return calendar
    }

    /// Whether any year from `start` to `end` is provisional.
    public func isProvisional(from start: CivilDate, through end: CivilDate) -> Bool {
        start.year > end.year ? false : (start.year...end.year).contains { provisionalYears.contains($0) }
    }

    /// Adds a year from its file: one `YYYY-MM-DD name` a line; `#` starts a comment.
    public mutating func add(year: Int, fileContents: String, source: String) throws {
        var dates = Set<CivilDate>()
        var provisional = false
        for (index, line) in fileContents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[1].trimmingWhitespace().hasPrefix("provisional") { provisional = true }
            let text = parts.first ?? ""
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
        if provisional { provisionalYears.insert(year) } else { provisionalYears.remove(year) }
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
