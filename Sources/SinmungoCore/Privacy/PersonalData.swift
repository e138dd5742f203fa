/// A petitioner's or proposer's name and contact, and a petition's body: personal data
/// under 개인정보 보호법 (a body usually holds names and addresses).
public struct PersonalData: Codable, Equatable, Sendable {
    public var name: String?
    public var phone: String?
    public var email: String?
    /// The petition's text, sealed with the petitioner's details since `petition-filed` 4.
    public var body: String?

    public init(name: String? = nil, phone: String? = nil, email: String? = nil, body: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
        self.body = body
    }

    /// A contact as people give it: an e-mail address when it has an `@`, else a phone number.
    public init(name: String?, contact: String?) {
        let isEmail = contact?.contains("@") ?? false
        self.init(name: name, phone: isEmail ? nil : contact, email: isEmail ? contact : nil)
    }

    public var isEmpty: Bool { name == nil && phone == nil && email == nil && body == nil }
}

/// Personal data encrypted with its person's own key (AES-GCM), as the log stores it.
///
/// The key lives in a separate key store; destroying it makes the data unrecoverable while
/// the event, and so the hash chain, stays exactly as it was.
public struct SealedPersonalData: Codable, Equatable, Sendable {
    /// Names the person's key in the key store.
    public var person: String
    /// Nonce, ciphertext and tag, in base64.
    public var box: String

    public init(person: String, box: String) {
        self.person = person
        self.box = box
    }
}

/// Personal data as an event carries it.
public enum PersonalRecord: Equatable, Sendable {
    /// As an officer typed it. Never written to the log: the store seals it first, and the
    /// codec has no field for it.
    case plain(PersonalData)
    /// As the log stores it.
    case sealed(SealedPersonalData)
    /// As logs written before personal data was encrypted hold it: in the event itself.
    case legacy(PersonalData)

    /// The data itself, when the event carries it unencrypted.
    public var unsealed: PersonalData? {
        switch self {
        case .plain(let data), .legacy(let data): data
        case .sealed: nil
        }
    }
}

extension CaseEvent {
    /// Whether the event carries personal data in plain text that the store must seal: the
    /// person's details, or a petition's body not yet inside a sealed box.
    public var holdsPlainPersonalData: Bool {
        if personal?.unsealed != nil { return true }
        guard case .petitionFiled(let filed) = self, filed.body != nil else { return false }
        // Beside a sealed box (version 3) the body stays: the box cannot be reopened to add it.
        if case .sealed? = filed.personal { return false }
        return true
    }

    /// The same event with a petition's plain body moved into its personal data, to be sealed
    /// with it. A body beside an already sealed box stays where it is: the box cannot be reopened.
    public var bodyMovedIntoPersonalData: CaseEvent {
        guard case .petitionFiled(var filed) = self, let body = filed.body else { return self }
        switch filed.personal {
        case .sealed:
            return self
        case nil:
            filed.personal = .plain(PersonalData(body: body))
        case .plain(var data), .legacy(var data):
            data.body = body
            filed.personal = .plain(data)
        }
        filed.body = nil
        return .petitionFiled(filed)
    }
}

/// Why personal data was destroyed: recorded in the log, so the erasure is itself history.
public struct PersonalDataErased: Codable, Equatable, Sendable {
    /// The person whose key was destroyed.
    public var person: String
    public var reason: String
    /// The data subject's request (개인정보 보호법 §36) the erasure answers; nil when the
    /// retention period had ended. Schema version 2.
    public var request: String?

    public init(person: String, reason: String, request: String? = nil) {
        self.person = person
        self.reason = reason
        self.request = request
    }
}

/// What a case holds of its person, as the log tells it.
public enum PersonalDataHolding: Equatable, Sendable, Codable {
    case none
    case sealed(person: String)
    /// Written before encryption: it stays in the log and cannot be erased from it.
    case legacy
    case erased(person: String)
}

/// What an officer may learn of a case's person.
public enum PersonalDataStatus: Equatable, Sendable {
    case none
    case held(PersonalData)
    /// Written before personal data was encrypted: it stays in the log and cannot be erased.
    case unencrypted(PersonalData)
    /// `request` is the data subject's request it answered, when that was the ground.
    case erased(at: Instant, by: String, reason: String, request: String? = nil)
    /// Sealed in the log, but this key store cannot open it.
    case unavailable(reason: String)
}
