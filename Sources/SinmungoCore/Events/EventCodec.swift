import Foundation

/// Turns event payloads into the log's `data` text and back.
///
/// The text is canonical JSON (keys sorted, no insignificant space) so that the same event
/// always has the same bytes, which the hash chain and byte-identical exports rely on.
/// Stored events are never rewritten: an older schema version is upgraded when read.
public enum EventCodec {
    /// The schema version new events of a type are written in. Version 2 of `petition-filed`
    /// split `contact` into `phone` and `email`; version 3 of it, and version 2 of
    /// `proposal-filed`, hold personal data sealed. Older versions are upgraded when read.
    public static func currentSchemaVersion(for type: EventType) -> Int {
        switch type {
        case .petitionFiled: 3
        case .proposalFiled: 2
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encodePayload(event, with: encoder)
        } catch {
            // The payload types hold only strings, numbers and enums: encoding cannot fail.
            preconditionFailure("event payload failed to encode: \(error)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(type: String, schemaVersion: Int, data: String) throws(DecodingFailure) -> CaseEvent {
        guard let eventType = EventType(rawValue: type) else { throw .unknownType(type) }
        guard schemaVersion <= currentSchemaVersion(for: eventType) else {
            throw .futureSchema(type: type, version: schemaVersion)
        }
        guard schemaVersion >= 1 else {
            throw .invalidData(type: type, reason: "schema version \(schemaVersion) is not a version")
        }
        let decoder = JSONDecoder()
        let bytes = Data(data.utf8)
        do {
            switch (eventType, schemaVersion) {
            case (.petitionFiled, 1):
                return .petitionFiled(try decoder.decode(PetitionFiledVersion1.self, from: bytes).upgraded)
            case (.petitionFiled, 2):
                return .petitionFiled(try decoder.decode(PetitionFiledVersion2.self, from: bytes).upgraded)
            case (.proposalFiled, 1):
                return .proposalFiled(try decoder.decode(ProposalFiledVersion1.self, from: bytes).upgraded)
            default:
                break
            }
            return try decodePayload(eventType, from: bytes, with: decoder)
        } catch let error as DecodingError {
            throw .invalidData(type: type, reason: describe(error))
        } catch {
            throw .invalidData(type: type, reason: "\(error)")
        }
    }

    private static func encodePayload(_ event: CaseEvent, with encoder: JSONEncoder) throws -> Data {
        switch event {
        case .petitionFiled(let payload): try encoder.encode(payload)
        case .endorsed(let payload): try encoder.encode(payload)
        case .qualified(let payload): try encoder.encode(payload)
        case .sessionHeld(let payload): try encoder.encode(payload)
        case .proposalFiled(let payload): try encoder.encode(payload)
        case .reviewed(let payload): try encoder.encode(payload)
        case .declined(let payload): try encoder.encode(payload)
        case .visited(let payload): try encoder.encode(payload)
        case .answered(let payload): try encoder.encode(payload)
        case .reflected(let payload): try encoder.encode(payload)
        case .transferred(let payload): try encoder.encode(payload)
        case .withdrawn(let payload): try encoder.encode(payload)
        case .markedDuplicate(let payload): try encoder.encode(payload)
        case .recordPosted(let payload): try encoder.encode(payload)
        case .corrected(let payload): try encoder.encode(payload)
        case .extended(let payload): try encoder.encode(payload)
        case .personalDataErased(let payload): try encoder.encode(payload)
        }
    }

    private static func decodePayload(_ type: EventType, from data: Data, with decoder: JSONDecoder) throws -> CaseEvent {
        switch type {
        case .petitionFiled: .petitionFiled(try decoder.decode(PetitionFiled.self, from: data))
        case .endorsed: .endorsed(try decoder.decode(Endorsed.self, from: data))
        case .qualified: .qualified(try decoder.decode(Qualified.self, from: data))
        case .sessionHeld: .sessionHeld(try decoder.decode(SessionHeld.self, from: data))
        case .proposalFiled: .proposalFiled(try decoder.decode(ProposalFiled.self, from: data))
        case .reviewed: .reviewed(try decoder.decode(Reviewed.self, from: data))
        case .declined: .declined(try decoder.decode(Declined.self, from: data))
        case .visited: .visited(try decoder.decode(Visited.self, from: data))
        case .answered: .answered(try decoder.decode(Answered.self, from: data))
        case .reflected: .reflected(try decoder.decode(Reflected.self, from: data))
        case .transferred: .transferred(try decoder.decode(Transferred.self, from: data))
        case .withdrawn: .withdrawn(try decoder.decode(Withdrawn.self, from: data))
        case .markedDuplicate: .markedDuplicate(try decoder.decode(MarkedDuplicate.self, from: data))
        case .recordPosted: .recordPosted(try decoder.decode(RecordPosted.self, from: data))
        case .corrected: .corrected(try decoder.decode(Corrected.self, from: data))
        case .extended: .extended(try decoder.decode(Extended.self, from: data))
        case .personalDataErased: .personalDataErased(try decoder.decode(PersonalDataErased.self, from: data))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(context.debugDescription)\(path(context))"
        @unknown default:
            return "\(error)"
        }
    }
}

/// `petition-filed` as schema version 1 stored it, with one free-form contact in plain text.
struct PetitionFiledVersion1: Decodable {
    var title: String
    var category: String
    var body: String?
    var petitioner: String?
    var contact: String?

    var upgraded: PetitionFiled {
        let data = PersonalData(name: petitioner, contact: contact)
        return PetitionFiled(title: title, category: category, body: body, personal: data.isEmpty ? nil : .legacy(data))
    }
}

/// `petition-filed` as schema version 2 stored it: phone and e-mail apart, in plain text.
struct PetitionFiledVersion2: Decodable {
    var title: String
    var category: String
    var body: String?
    var petitioner: String?
    var phone: String?
    var email: String?

    var upgraded: PetitionFiled {
        let data = PersonalData(name: petitioner, phone: phone, email: email)
        return PetitionFiled(title: title, category: category, body: body, personal: data.isEmpty ? nil : .legacy(data))
    }
}

/// `proposal-filed` as schema version 1 stored it, with the proposer's name in plain text.
struct ProposalFiledVersion1: Decodable {
    var session: CaseID
    var title: String
    var category: String?
    var proposer: String?

    var upgraded: ProposalFiled {
        ProposalFiled(
            session: session, title: title, category: category, personal: proposer.map { .legacy(PersonalData(name: $0)) })
    }
}
