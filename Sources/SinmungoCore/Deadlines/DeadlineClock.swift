/// Counts legal periods the way Korean law does, in KST.
///
/// - Calendar periods (the Petition Act's 90 days, the board's 30-day window, a month for
///   proposals) follow the Civil Code: the first day is not counted, and a period ending on a
///   Saturday, Sunday or holiday ends on the next working day.
/// - Processing periods of 6 days or more (민원 처리에 관한 법률) count working days, the first
///   day included; periods of 5 days or less count working hours, 8 to a day.
public struct DeadlineClock: Sendable {
    public let calendar: HolidayCalendar

    /// Office hours: 09:00–12:00 and 13:00–18:00, eight hours a day.
    static let workingHours: [(start: Int, end: Int)] = [(9 * 3600, 12 * 3600), (13 * 3600, 18 * 3600)]

    public init(calendar: HolidayCalendar) {
        self.calendar = calendar
    }

    /// The last moment of a KST day: deadlines run to the end of their day.
    public static func endOfDay(_ date: CivilDate) -> Instant {
        Instant(kst: date, hour: 23, minute: 59, second: 59)
    }

    /// `days` calendar days after `start`, not counting the day of `start`.
    public func calendarDays(_ days: Int, after start: Instant) throws -> Instant {
        Self.endOfDay(try calendar.workingDay(onOrAfter: start.kstDate.adding(days: days)))
    }

    /// `months` calendar months after `start` (Civil Code art. 160): the same day of the month,
    /// or the month's last day when it has no such day.
    public func calendarMonths(_ months: Int, after start: Instant) throws -> Instant {
        let date = start.kstDate
        let monthIndex = date.year * 12 + (date.month - 1) + months
        let year = monthIndex / 12
        let month = monthIndex % 12 + 1
        let day = min(date.day, CivilDate.daysIn(month: month, year: year))
        return Self.endOfDay(try calendar.workingDay(onOrAfter: CivilDate(year: year, month: month, day: day)!))
    }

    /// A processing period of `days` from `start`: working days with the first day included
    /// when it is 6 or more, else `days` × 8 working hours.
    public func processingDays(_ days: Int, from start: Instant) throws -> Instant {
        if days <= 5 { return try workingHours(days * 8, after: start) }
        var date = start.kstDate
        var counted = 0
        while true {
            if try calendar.isWorkingDay(date) {
                counted += 1
                if counted == days { return Self.endOfDay(date) }
            }
            date = date.adding(days: 1)
        }
    }

    /// `hours` office hours after `start`.
    public func workingHours(_ hours: Int, after start: Instant) throws -> Instant {
        var remaining = hours * 3600
        var date = start.kstDate
        var second = start.kstSecondOfDay
        while true {
            if try calendar.isWorkingDay(date) {
                for block in Self.workingHours where second < block.end {
                    let from = max(second, block.start)
                    if from + remaining <= block.end {
                        return Instant(kst: date).adding(seconds: Int64(from + remaining))
                    }
                    remaining -= block.end - from
                    second = block.end
                }
            }
            date = date.adding(days: 1)
            second = 0
        }
    }
}
