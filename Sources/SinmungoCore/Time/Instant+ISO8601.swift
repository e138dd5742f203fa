extension Instant {
    /// Parses ISO 8601 as people type it: `2019-03-04`, `2019-03-04T10:15`,
    /// `2019-03-04T10:15:30`, with an optional fraction (dropped) and an optional `Z` or
    /// `±HH:MM` offset. A time without an offset is KST wall-clock time; a date alone is
    /// midnight KST. Returns nil for anything else, including impossible dates.
    public init?(iso8601 text: String) {
        var text = text
        // Read in place: replay parses two times an event, millions of times.
        guard let instant = text.withUTF8({ Self.parse(DigitScanner($0)) }) else { return nil }
        self = instant
    }

    /// The same, from UTF-8 bytes read in place (a stored column), without making a string.
    package init?(iso8601UTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let instant = Self.parse(DigitScanner(bytes)) else { return nil }
        self = instant
    }

    private static func parse(_ scanner: DigitScanner) -> Instant? {
        var scanner = scanner
        guard let year = scanner.number(digits: 4), scanner.take("-"),
            let month = scanner.number(digits: 2), scanner.take("-"),
            let day = scanner.number(digits: 2),
            let date = CivilDate(year: year, month: month, day: day)
        else { return nil }
        if scanner.atEnd { return Instant(kst: date) }
        guard scanner.take("T") || scanner.take(" "),
            let hour = scanner.number(digits: 2), hour < 24, scanner.take(":"),
            let minute = scanner.number(digits: 2), minute < 60
        else { return nil }
        var second = 0
        if scanner.take(":") {
            guard let value = scanner.number(digits: 2), value < 60 else { return nil }
            second = value
            if scanner.take(".") || scanner.take(",") {
                guard scanner.skipDigits() > 0 else { return nil }
            }
        }
        var offsetSeconds = Int(Self.kstOffsetSeconds)
        if scanner.take("Z") || scanner.take("z") {
            offsetSeconds = 0
        } else if let sign = scanner.takeSign() {
            guard let offsetHours = scanner.number(digits: 2), offsetHours <= 14 else { return nil }
            _ = scanner.take(":")
            guard let offsetMinutes = scanner.number(digits: 2), offsetMinutes < 60 else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard scanner.atEnd else { return nil }
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Instant(secondsSinceEpoch: local - Int64(offsetSeconds))
    }
}

private struct DigitScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
        index += 1
        return true
    }

    mutating func takeSign() -> Int? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        index += digits
        return value
    }

    mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
        return index - start
    }
}

extension Instant {
    /// `description`'s bytes, written without making a string: view rows hold several times each.
    package func writeDescription(to out: inout [UInt8]) {
        let date = kstDate
        guard (0...9999).contains(date.year) else {
            out.append(contentsOf: description.utf8)
            return
        }
        func two(_ value: Int) {
            out.append(UInt8(48 + value / 10))
            out.append(UInt8(48 + value % 10))
        }
        let second = kstSecondOfDay
        two(date.year / 100)
        two(date.year % 100)
        out.append(UInt8(ascii: "-"))
        two(date.month)
        out.append(UInt8(ascii: "-"))
        two(date.day)
        out.append(UInt8(ascii: "T"))
        two(second / 3600)
        out.append(UInt8(ascii: ":"))
        two(second / 60 % 60)
        out.append(UInt8(ascii: ":"))
        two(second % 60)
        out.append(contentsOf: "+09:00".utf8)
    }
}
