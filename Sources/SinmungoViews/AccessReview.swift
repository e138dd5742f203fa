import SinmungoCore

/// What the monthly check of the access records (§8②) points out for a closer look.
public enum AccessFlag: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// The officer opened the data of more persons that KST day than the review allows.
    case manyPersons = "many-persons"
    /// Opened before or after office hours, or on a day that is not a working day.
    case outsideHours = "outside-hours"
    /// The case is with a department the officer does not act for.
    case outsideDepartment = "outside-department"
    /// Data carried out of the system: a download or a print.
    case download

    public var description: String { rawValue }
}

/// Flags access records for the privacy officer's monthly check.
public struct AccessReview: Sendable {
    public let roster: Roster
    public let calendar: HolidayCalendar
    /// More distinct persons than this, by one officer in one KST day, is flagged.
    public var personsPerDay = 20
    /// Office hours, KST: 09:00 to 18:00.
    public var officeHours = 9..<18

    public init(roster: Roster, calendar: HolidayCalendar) {
        self.roster = roster
        self.calendar = calendar
    }

    /// The flags of each record, by sequence; `departmentOf` gives the department a case is
    /// with now, or nil.
    public func flags(_ records: [AccessRecord], departmentOf: (CaseID) throws -> String?) rethrows -> [Int64: [AccessFlag]] {
        var persons: [String: Set<String>] = [:]
        for record in records where record.task != .monthlyCheck {
            persons["\(record.officer) \(record.at.kstDate)", default: []].insert(record.person ?? record.caseID?.rawValue ?? "")
        }
        var result: [Int64: [AccessFlag]] = [:]
        for record in records where record.task != .monthlyCheck {
            var flags: [AccessFlag] = []
            if (persons["\(record.officer) \(record.at.kstDate)"]?.count ?? 0) > personsPerDay { flags.append(.manyPersons) }
            let hour = record.at.kstSecondOfDay / 3600
            // A year the calendar lacks counts its weekdays as working days.
            let working = (try? calendar.isWorkingDay(record.at.kstDate)) ?? (1...5).contains(record.at.kstDate.weekday)
            if !officeHours.contains(hour) || !working { flags.append(.outsideHours) }
            if let grant = roster.officers[record.officer], !grant.departments.isEmpty, let id = record.caseID {
                let reach = Set(grant.departments.map(roster.current(department:)))
                if try !(departmentOf(id).map { reach.contains(roster.current(department: $0)) } ?? false) {
                    flags.append(.outsideDepartment)
                }
            }
            if record.task == .download || record.task == .print { flags.append(.download) }
            if !flags.isEmpty { result[record.sequence] = flags }
        }
        return result
    }
}
