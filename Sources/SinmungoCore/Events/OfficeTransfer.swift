/// A case sent to another office (이송): the last event of the case in the sending office.
///
/// It names the receiving office's event by office, case, sequence, and the hash that event
/// chains onto (its receiving chain's head before it). It cannot name that event's own hash:
/// the receiving event names this one's hash, and two hashes cannot each cover the other.
public struct SentToOffice: Equatable, Sendable {
    public var office: String
    public var receivedAs: CaseID
    public var sequence: Int64
    /// The receiving event's previous hash, as 64 lowercase hex digits.
    public var chainedOn: String
    public var reason: String

    public init(office: String, receivedAs: CaseID, sequence: Int64, chainedOn: String, reason: String) {
        self.office = office
        self.receivedAs = receivedAs
        self.sequence = sequence
        self.chainedOn = chainedOn
        self.reason = reason
    }
}

/// A case received from another office: the first event of a new case in the receiving
/// office, with its own readable id there. It names the sending office's event by office,
/// case, sequence and hash. Personal data does not travel: the key stays in the sending
/// office, which keeps the duty to erase it.
public struct ReceivedFromOffice: Equatable, Sendable {
    public var office: String
    public var sentAs: CaseID
    public var sequence: Int64
    /// The sending event's hash, as 64 lowercase hex digits.
    public var hash: String
    public var title: String
    public var category: String
    public var reason: String

    public init(
        office: String, sentAs: CaseID, sequence: Int64, hash: String, title: String, category: String, reason: String
    ) {
        self.office = office
        self.sentAs = sentAs
        self.sequence = sequence
        self.hash = hash
        self.title = title
        self.category = category
        self.reason = reason
    }
}

extension SentToOffice: Codable {
    private enum CodingKeys: String, CodingKey {
        case office, receivedAs = "case", sequence, chainedOn = "chained-on", reason
    }
}

extension ReceivedFromOffice: Codable {
    private enum CodingKeys: String, CodingKey {
        case office, sentAs = "case", sequence, hash, title, category, reason
    }
}
