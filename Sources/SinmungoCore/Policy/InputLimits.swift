/// What a step can plausibly carry: ceilings on counts, the earliest business time, and the
/// length of each text field. Past them a step is refused, from an officer and from a file
/// alike, so that no figure overflows and no field holds a novel.
public struct InputLimits: Equatable, Sendable {
    /// Korea's population (about 51.7 million), rounded up: no petition can be endorsed by more
    /// people than live in the country.
    public static let populationOfKorea = 52_000_000

    /// Endorsements of one petition, in total.
    public var maximumEndorsements: Int
    /// Attendees of one session. The largest meeting of the 2019 log had 178; ten thousand is
    /// more than any hall of a district office holds, leaves room for an open-air meeting, and
    /// keeps every yearly sum far from overflowing.
    public var maximumAttendees: Int
    /// No step happened before the records began: 영등포신문고 opened on 2018-10-01 (KST). A
    /// district importing an older channel's records sets this earlier.
    public var earliestBusinessTime: Instant
    /// Longest text per field, in Unicode scalars.
    public var text: TextLimits

    public init(maximumEndorsements: Int, maximumAttendees: Int, earliestBusinessTime: Instant, text: TextLimits) {
        self.maximumEndorsements = maximumEndorsements
        self.maximumAttendees = maximumAttendees
        self.earliestBusinessTime = earliestBusinessTime
        self.text = text
    }

    public static let yeongdeungpo = InputLimits(
        maximumEndorsements: populationOfKorea,
        maximumAttendees: 10_000,
        earliestBusinessTime: Instant(kst: CivilDate(year: 2018, month: 10, day: 1)!),
        text: TextLimits()
    )
}

/// Longest text per field, in Unicode scalars (not grapheme clusters, which a run of
/// combining marks can make arbitrarily long). Generous for what people write in each field,
/// and far below the longest line `import` reads (1 MiB).
public struct TextLimits: Codable, Equatable, Sendable {
    public var title = 200
    public var body = 20_000
    /// Free text of an officer: findings, an answer's summary, a reason, a policy's name.
    public var note = 4_000
    /// A place or a session's theme.
    public var place = 200
    /// Names from a list (category, field, department) and officer ids: one line each.
    public var name = 64

    public init() {}

    /// The limit for a field of an event, by its name in the log.
    public func limit(for field: String) -> Int {
        switch field {
        case "title": title
        case "body": body
        case "place", "theme": place
        case "category", "field", "department", "with", "actor", "commandId", "person": name
        case "officer", "account", "into", "name": name
        default: note
        }
    }
}

extension InputLimits: Codable {
    private enum CodingKeys: String, CodingKey {
        case maximumEndorsements, maximumAttendees, earliestBusinessTime, text
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let earliest = try container.decode(String.self, forKey: .earliestBusinessTime)
        guard let instant = Instant(iso8601: earliest) else {
            throw DecodingError.dataCorruptedError(
                forKey: .earliestBusinessTime, in: container, debugDescription: "\(earliest) is not an ISO 8601 time")
        }
        self.init(
            maximumEndorsements: try container.decode(Int.self, forKey: .maximumEndorsements),
            maximumAttendees: try container.decode(Int.self, forKey: .maximumAttendees),
            earliestBusinessTime: instant,
            text: try container.decode(TextLimits.self, forKey: .text))
    }

    /// The earliest time as ISO 8601 in KST, as a person would read it in the policy.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maximumEndorsements, forKey: .maximumEndorsements)
        try container.encode(maximumAttendees, forKey: .maximumAttendees)
        try container.encode(earliestBusinessTime.description, forKey: .earliestBusinessTime)
        try container.encode(text, forKey: .text)
    }
}
