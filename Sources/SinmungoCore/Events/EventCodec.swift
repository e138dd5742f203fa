import SinmungoJSON

/// Turns event payloads into the log's `data` text and back.
///
/// The text is canonical JSON (keys sorted, no insignificant space) so that the same event
/// always has the same bytes, which the hash chain and byte-identical exports rely on.
/// Stored events are never rewritten: an older schema version is upgraded when read.
public enum EventCodec {
    /// The schema version new events of a type are written in. Version 2 of `petition-filed`
    /// split `contact` into `phone` and `email`; version 3 of it, and version 2 of
    /// `proposal-filed`, hold personal data sealed. Version 2 of `personal-data-erased` may
    /// name the data subject's request. Version 4 of `petition-filed` seals the body with the
    /// petitioner's details (it has no plain `body`). Older versions are upgraded when read.
    public static func currentSchemaVersion(for type: EventType) -> Int {
        switch type {
        case .petitionFiled: 4
        case .proposalFiled: 2
        case .personalDataErased: 2
        default: 1
        }
    }

    public enum DecodingFailure: Error, Equatable, Sendable, CustomStringConvertible {
        case unknownType(String)
        case futureSchema(type: String, version: Int)
        case invalidData(type: String, reason: String)

        public var description: String {
            switch self {
            case .unknownType(let type):
                "unknown event type \"\(type)\""
            case .futureSchema(let type, let version):
                "event type \(type) has schema version \(version), newer than this program's \(EventType(rawValue: type).map(EventCodec.currentSchemaVersion(for:)) ?? 1)"
            case .invalidData(let type, let reason):
                "invalid data for event type \(type): \(reason)"
            }
        }
    }

    public static func encode(_ event: CaseEvent) -> String {
        JSONValue.object(event.jsonObject).canonicalText
    }

    public static func decode(type: String, schemaVersion: Int, data: String) throws(DecodingFailure) -> CaseEvent {
        _ = try checkedType(type, schemaVersion)
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            if let key = error.duplicateKey { throw .invalidData(type: type, reason: "the key \"\(key)\" appears twice") }
            throw .invalidData(type: type, reason: "not valid JSON (at byte \(error.offset))")
        }
        return try decode(type: type, schemaVersion: schemaVersion, payload: value)
    }

    /// The type, if this program knows it in that schema version.
    private static func checkedType(_ type: String, _ schemaVersion: Int) throws(DecodingFailure) -> EventType {
        guard let eventType = EventType(rawValue: type) else { throw .unknownType(type) }
        guard schemaVersion <= currentSchemaVersion(for: eventType) else {
            throw .futureSchema(type: type, version: schemaVersion)
        }
        guard schemaVersion >= 1 else {
            throw .invalidData(type: type, reason: "schema version \(schemaVersion) is not a version")
        }
        return eventType
    }

    /// The same, from data already parsed: an import line's payload is not parsed twice.
    package static func decode(type: String, schemaVersion: Int, payload value: JSONValue) throws(DecodingFailure)
        -> CaseEvent
    {
        let eventType = try checkedType(type, schemaVersion)
        guard case .object(let fields) = value else {
            throw .invalidData(type: type, reason: "expected an object, found \(value.kindName)")
        }
        return try decode(eventType, schemaVersion, JSONReader(type: type, fields: fields))
    }

    /// The same, from an object's fields in text order, as `JSONValue.parseObjectFields` gives them.
    package static func decode(
        type: String, schemaVersion: Int, fields: [(key: String, value: JSONValue)]
    ) throws(DecodingFailure) -> CaseEvent {
        try decode(try checkedType(type, schemaVersion), schemaVersion, JSONReader(type: type, fields: fields))
    }

    private static func decode(_ eventType: EventType, _ schemaVersion: Int, _ reader: JSONReader)
        throws(DecodingFailure) -> CaseEvent
    {
        var object = reader
        let event = try read(eventType, schemaVersion, from: &object)
        try object.requireNoOtherFields()
        return event
    }

    private static func read(_ eventType: EventType, _ schemaVersion: Int, from object: inout JSONReader)
        throws(DecodingFailure) -> CaseEvent
    {
        switch (eventType, schemaVersion) {
        case (.petitionFiled, 1), (.petitionFiled, 2):
            // Version 1 had one free-form contact; version 2 split it. Both held plain text.
            let data =
                schemaVersion == 1
                ? PersonalData(name: try object.optionalString("petitioner"), contact: try object.optionalString("contact"))
                : PersonalData(
                    name: try object.optionalString("petitioner"), phone: try object.optionalString("phone"),
                    email: try object.optionalString("email"))
            return .petitionFiled(
                PetitionFiled(
                    title: try object.string("title"), category: try object.string("category"),
                    body: try object.optionalString("body"),
                    personal: data.isEmpty ? nil : .legacy(data)))
        case (.petitionFiled, 4) where object.has("body"):
            throw .invalidData(
                type: object.type,
                reason: "version 4 keeps the body sealed with the petitioner's details, not in \"body\"")
        case (.proposalFiled, 1):
            return .proposalFiled(
                ProposalFiled(
                    session: CaseID(try object.string("session")), title: try object.string("title"),
                    category: try object.optionalString("category"),
                    personal: try object.optionalString("proposer").map { .legacy(PersonalData(name: $0)) }))
        default:
            return try CaseEvent.read(eventType, from: &object)
        }
    }
}
