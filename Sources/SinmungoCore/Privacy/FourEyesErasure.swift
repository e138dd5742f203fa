/// An officer asked for a case's personal data to be destroyed. Nothing is destroyed until a
/// privacy officer, another person, approves it (`personal-data-erased`) or turns it down
/// (`erasure-declined`): two people for a step that cannot be undone.
public struct ErasureRequested: Codable, Equatable, Sendable {
    /// The person whose key would be destroyed.
    public var person: String
    public var reason: String
    /// The data subject's request (개인정보 보호법 §36) it answers; nil when the retention
    /// period has ended.
    public var request: String?

    public init(person: String, reason: String, request: String? = nil) {
        self.person = person
        self.reason = reason
        self.request = request
    }
}

/// A privacy officer turned an erasure request down; the data stays.
public struct ErasureDeclined: Codable, Equatable, Sendable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

/// The officer who asked for an erasure cannot also approve it.
public struct SamePersonForBothSteps: Error, Equatable, Sendable, CustomStringConvertible {
    public var caseID: CaseID
    public var officer: String

    public init(caseID: CaseID, officer: String) {
        self.caseID = caseID
        self.officer = officer
    }

    public var description: String {
        "case \(caseID): \(officer) asked for this erasure and cannot also decide it; another person, a privacy officer, approves or declines it"
    }
}
