import SinmungoCore
import Testing

@Suite("Instant: parsing and showing ISO 8601 in KST")
struct InstantTests {
    /// 2019-03-04T01:15:30Z, i.e. 10:15:30 KST, counted independently of the code under test.
    static let quarterPastTen: Int64 = 1_551_662_130

    @Test(
        "a date alone is midnight KST; a time without an offset is KST",
        arguments: [
            ("2019-03-04", 1_551_625_200),  // 2019-03-03T15:00:00Z
            ("2019-03-04T10:15", InstantTests.quarterPastTen - 30),
            ("2019-03-04 10:15", InstantTests.quarterPastTen - 30),
            ("2019-03-04T10:15:30", InstantTests.quarterPastTen),
        ]
    )
    func kstByDefault(_ text: String, _ seconds: Int64) {
        #expect(Instant(iso8601: text) == Instant(secondsSinceEpoch: seconds))
    }

    @Test(
        "an explicit offset is honoured",
        arguments: [
            "2019-03-04T01:15:30Z", "2019-03-04T01:15:30z", "2019-03-04T01:15:30+00:00", "2019-03-03T20:15:30-05:00",
            "2019-03-04T10:15:30+09:00", "2019-03-04T10:15:30+0900",
        ]
    )
    func offsets(_ text: String) {
        #expect(Instant(iso8601: text) == Instant(secondsSinceEpoch: Self.quarterPastTen))
    }

    @Test(
        "a fraction of a second is dropped",
        arguments: ["2019-03-04T10:15:30.999", "2019-03-04T10:15:30,5+09:00", "2019-03-04T01:15:30.123456Z"])
    func fraction(_ text: String) {
        #expect(Instant(iso8601: text) == Instant(secondsSinceEpoch: Self.quarterPastTen))
    }

    @Test(
        "anything else is not an instant",
        arguments: [
            "2019-02-29", "2019-13-01", "2019-00-10", "2019-04-31", "2019-03-04T24:00", "2019-03-04T10:60", "2019-03-04T10:15:60",
            "yesterday", "", "2019-3-4", "2019-03-04T10", "2019-03-04T", "2019-03-04T10:15:30.", "2019-03-04T10:15:30Zjunk",
            "2019-03-04T10:15+15:00", "2019-03-04 ", "2019-03-04Z",
        ]
    )
    func invalid(_ text: String) {
        #expect(Instant(iso8601: text) == nil)
    }

    @Test(
        "29 February exists in leap years only",
        arguments: [("2020-02-29", true), ("2000-02-29", true), ("1900-02-29", false), ("2019-02-29", false)])
    func leapDay(_ text: String, _ exists: Bool) {
        #expect((Instant(iso8601: text) != nil) == exists)
    }

    @Test(
        "description is ISO 8601 in KST with its offset",
        arguments: [
            (InstantTests.quarterPastTen, "2019-03-04T10:15:30+09:00"),
            (1_551_625_200, "2019-03-04T00:00:00+09:00"),
            (0, "1970-01-01T09:00:00+09:00"),
            (-1, "1970-01-01T08:59:59+09:00"),
            (-32_401, "1969-12-31T23:59:59+09:00"),
        ]
    )
    func description(_ seconds: Int64, _ text: String) {
        #expect(Instant(secondsSinceEpoch: seconds).description == text)
    }

    @Test("description parses back to the same instant")
    func descriptionRoundTrip() throws {
        let instant = Instant(secondsSinceEpoch: 1_577_806_199)
        #expect(try #require(Instant(iso8601: instant.description)) == instant)
    }

    @Test(
        "the KST date turns at 15:00 UTC",
        arguments: [
            ("2019-10-31T15:00:00Z", CivilDate(year: 2019, month: 11, day: 1)!),
            ("2019-10-31T14:59:59Z", CivilDate(year: 2019, month: 10, day: 31)!),
            ("2019-12-31T15:30:00Z", CivilDate(year: 2020, month: 1, day: 1)!),
            ("2019-12-31T23:30:00+09:00", CivilDate(year: 2019, month: 12, day: 31)!),
        ]
    )
    func kstDate(_ text: String, _ date: CivilDate) throws {
        #expect(try #require(Instant(iso8601: text)).kstDate == date)
    }

    @Test("Instant(kst:) is the KST wall-clock time")
    func kstInitializer() {
        let instant = Instant(kst: CivilDate(year: 2019, month: 3, day: 4)!, hour: 10, minute: 15, second: 30)
        #expect(instant.secondsSinceEpoch == Self.quarterPastTen)
        #expect(instant.kstSecondOfDay == 10 * 3600 + 15 * 60 + 30)
    }
}

@Suite("CivilDate")
struct CivilDateTests {
    @Test(
        "weekdays count from Sunday = 0",
        arguments: [
            (CivilDate(year: 2019, month: 1, day: 1)!, 2),  // Tuesday
            (CivilDate(year: 1970, month: 1, day: 1)!, 4),  // Thursday
            (CivilDate(year: 1969, month: 12, day: 31)!, 3),  // Wednesday
            (CivilDate(year: 2019, month: 3, day: 3)!, 0),  // Sunday
            (CivilDate(year: 2019, month: 3, day: 9)!, 6),  // Saturday
        ])
    func weekday(_ date: CivilDate, _ weekday: Int) {
        #expect(date.weekday == weekday)
    }

    @Test(
        "impossible dates are nil",
        arguments: [(2019, 2, 29), (2019, 13, 1), (2019, 0, 1), (2019, 4, 31), (2019, 1, 0), (0, 1, 1)])
    func impossible(_ year: Int, _ month: Int, _ day: Int) {
        #expect(CivilDate(year: year, month: month, day: day) == nil)
    }

    @Test("every day from 1970 to 2100 has the right day number, both ways")
    func everyDayRoundTrip() throws {
        // Walk the calendar with a day-count table of our own, not CivilDate's.
        func length(_ month: Int, _ year: Int) -> Int {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        }
        var (year, month, day) = (1970, 1, 1)
        var number = 0
        var mismatches: [String] = []
        while year <= 2100 {
            let date = try #require(CivilDate(year: year, month: month, day: day))
            if date.daysSinceEpoch != number || CivilDate(daysSinceEpoch: number) != date {
                mismatches.append("\(year)-\(month)-\(day) vs \(number)")
            }
            number += 1
            day += 1
            if day > length(month, year) { (month, day) = (month + 1, 1) }
            if month > 12 { (year, month) = (year + 1, 1) }
        }
        #expect(mismatches.isEmpty)
        #expect(number == 47_847)  // days from 1970-01-01 to 2100-12-31 inclusive
    }

    @Test("description pads to YYYY-MM-DD")
    func description() {
        #expect(CivilDate(year: 2019, month: 3, day: 4)!.description == "2019-03-04")
        #expect(CivilDate(year: 987, month: 12, day: 25)!.description == "0987-12-25")
    }

    @Test("adding days crosses months, years and leap days")
    func addingDays() {
        #expect(CivilDate(year: 2020, month: 2, day: 28)!.adding(days: 1) == CivilDate(year: 2020, month: 2, day: 29)!)
        #expect(CivilDate(year: 2019, month: 12, day: 31)!.adding(days: 1) == CivilDate(year: 2020, month: 1, day: 1)!)
        #expect(CivilDate(year: 2019, month: 3, day: 1)!.adding(days: -1) == CivilDate(year: 2019, month: 2, day: 28)!)
    }
}
