import SinmungoCore
import SinmungoJSON

/// The rules `LogFormat` states for a stored event beyond its hash: times written in KST in
/// one width, recorded time never running backwards, a known event type and schema version,
/// and data in canonical JSON. A row that breaks one was not written by Sinmungo, even when
/// its hash was recomputed to match.
enum EventFormatRules {
    /// What is wrong with `event`, given the event before it, or nil.
    static func problem(with event: StoredEvent, after previous: StoredEvent?) -> String? {
        for (name, text) in [("occurred_at", event.occurredAt), ("recorded_at", event.recordedAt)] {
            guard isKSTTime(text) else { return "its \(name) \"\(text)\" is not a time written YYYY-MM-DDTHH:MM:SS+09:00" }
        }
        // One format, one width: text order is time order.
        if let previous, event.recordedAt < previous.recordedAt {
            return "its recorded_at \(event.recordedAt) is earlier than event \(previous.sequence)'s \(previous.recordedAt)"
        }
        guard let type = EventType(rawValue: event.type) else { return "its type \"\(event.type)\" is not an event type" }
        let latest = EventCodec.currentSchemaVersion(for: type)
        guard (1...latest).contains(event.schemaVersion) else {
            return "its schema_version \(event.schemaVersion) is not one of \(type.rawValue)'s (1 to \(latest))"
        }
        guard let value = try? JSONValue.parse(event.data), case .object = value else {
            return "its data is not a JSON object in canonical form"
        }
        guard !value.holdsFraction, value.canonicalText == event.data else {
            return "its data is not in canonical form (keys sorted, no space, integers only, minimal escapes)"
        }
        return nil
    }

    /// `2019-03-04T10:15:00+09:00`, and a real moment.
    static func isKSTTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 25, text.hasSuffix("+09:00") else { return false }
        for (index, byte) in bytes.prefix(19).enumerated() {
            switch index {
            case 4, 7: guard byte == UInt8(ascii: "-") else { return false }
            case 10: guard byte == UInt8(ascii: "T") else { return false }
            case 13, 16: guard byte == UInt8(ascii: ":") else { return false }
            default: guard (48...57).contains(byte) else { return false }
            }
        }
        return Instant(iso8601: text)?.description == text
    }
}

extension JSONValue {
    /// Whether a number with a fraction or exponent is anywhere inside: the format has none.
    var holdsFraction: Bool {
        switch self {
        case .number: true
        case .array(let values): values.contains(where: \.holdsFraction)
        case .object(let fields): fields.values.contains(where: \.holdsFraction)
        default: false
        }
    }
}
