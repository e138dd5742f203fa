/// Checks that what a step carries is plausible: a business time from when the records began
/// until now, counts under their ceilings, the case id's year the year of filing, and text of
/// a sane length, in NFC, with names on one line. The decider and `import` both check every
/// event here, so an officer and a file are held to the same limits.
extension Lifecycle {
    public static func checkPlausibility(
        _ event: CaseEvent,
        occurredAt: Instant,
        now: Instant,
        on state: CaseState,
        policy: Policy
    ) throws {
        let id = state.id
        let limits = policy.limits
        if occurredAt > now {
            throw Refusal.inTheFuture(case: id, occurredAt: occurredAt, now: now)
        }
        if occurredAt < limits.earliestBusinessTime {
            throw Refusal.invalidValue(
                case: id, field: "business time",
                problem: "\(occurredAt) is before the records begin (\(limits.earliestBusinessTime))")
        }
        if event.type.createsCase, let assigned = id.sequenceNumber, assigned.year != occurredAt.kstDate.year {
            throw Refusal.invalidValue(
                case: id, field: "case id",
                problem: "names the year \(assigned.year), but the case was filed in \(occurredAt.kstDate.year) (KST)")
        }
        func ceiling(_ field: String, _ value: Int, _ maximum: Int) throws {
            if value > maximum {
                throw Refusal.invalidValue(case: id, field: field, problem: "must be at most \(maximum), not \(value)")
            }
        }
        switch event {
        case .endorsed(let endorsed):
            try ceiling("count", endorsed.count, limits.maximumEndorsements)
            try ceiling(
                "endorsements in total", state.endorsements.adding(saturating: endorsed.count), limits.maximumEndorsements)
        case .qualified(let qualified):
            try ceiling("endorsements", qualified.endorsements, limits.maximumEndorsements)
        case .sessionHeld(let held):
            try ceiling("attendees", held.attendees, limits.maximumAttendees)
        case .corrected(let correction) where correction.field == .attendees:
            if let value = Int(correction.value) { try ceiling("attendees", value, limits.maximumAttendees) }
        case .extended(let extended):
            try ceiling("days", extended.days, policy.statutoryExtensionMaxDays)
        default:
            break
        }
        for (field, text) in event.textFields {
            // A correction's value is held to the limit of the field it corrects.
            var name = field
            if case .corrected(let correction) = event, field == "value" { name = correction.field.rawValue }
            try checkText(text, field: field, limit: limits.text.limit(for: name), singleLine: isName(name), case: id)
        }
    }

    /// Checks who takes a step and the command id that makes it safe to retry.
    public static func checkMetadata(actor: String, commandID: String, case id: CaseID?, policy: Policy) throws {
        try checkText(actor, field: "actor", limit: policy.limits.text.name, singleLine: true, case: id)
        try checkText(commandID, field: "command id", limit: policy.limits.text.name, singleLine: true, case: id)
    }

    /// Departments, fields, categories and officers are names from a list, never free text.
    private static func isName(_ field: String) -> Bool {
        ["category", "field", "department", "with", "person", "officer", "account", "into", "name"].contains(field)
    }

    private static func checkText(_ text: String, field: String, limit: Int, singleLine: Bool, case id: CaseID?) throws {
        let length = text.unicodeScalars.count
        if length > limit {
            throw Refusal.invalidValue(
                case: id, field: field, problem: "is \(length) characters long, over the limit of \(limit)")
        }
        // A NUL ends text for SQLite's C API and for many readers: no field may hold one.
        if text.unicodeScalars.contains("\u{0}") {
            throw Refusal.invalidValue(case: id, field: field, problem: "holds a NUL character (U+0000)")
        }
        if singleLine, let bad = text.unicodeScalars.first(where: isControlOrFormat) {
            let hex = String(bad.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            throw Refusal.invalidValue(
                case: id, field: field, problem: "must be one line of plain text, but holds the control character \(code)")
        }
        if !text.isNFC {
            throw Refusal.invalidValue(
                case: id, field: field, problem: "is not in Unicode NFC (composed) form, as stored text must be")
        }
    }

    /// Control characters, line and paragraph separators, and invisible format characters
    /// (bidi overrides, zero-width joiners), none of which belongs in a name.
    private static func isControlOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII's only such characters are its controls; most names are ASCII.
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F }
        return switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}

extension Int {
    /// The sum, or the largest (smallest) Int where it would overflow: counts in the log
    /// from before the ceilings must never trap a read.
    public func adding(saturating other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
