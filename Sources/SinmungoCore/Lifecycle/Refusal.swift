/// A step the rules do not allow, with what was refused, for which case, and why.
public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The case is not in a state where the step is allowed.
    case illegalStep(case: CaseID, kind: CaseKind, status: CaseStatus, step: EventType, allowedFrom: [CaseStatus])
    /// The step does not apply to this kind of case.
    case wrongKind(case: CaseID, kind: CaseKind, step: EventType, allowedKinds: [CaseKind])
    case alreadyExists(case: CaseID)
    /// The case the command acts on does not exist.
    case noSuchCase(CaseID)
    /// A case the command refers to (a session, an original, a record's subject) is missing or unsuitable.
    case badReference(case: CaseID?, field: String, reference: CaseID, problem: String)
    case invalidValue(case: CaseID?, field: String, problem: String)
    /// The step is dated before an earlier step of the same case.
    case outOfOrder(case: CaseID, step: EventType, occurredAt: Instant, previous: Instant)
    /// The step is dated after the moment it is being recorded.
    case inTheFuture(case: CaseID?, occurredAt: Instant, now: Instant)
    /// The command id was used before for a different case.
    case commandIDReused(commandID: String, usedFor: CaseID)

    public var description: String {
        switch self {
        case let .illegalStep(id, kind, status, step, allowed):
            let allowedText =
                allowed.isEmpty ? "no \(kind)" : "only \(Self.withArticle(Self.orList(allowed.map(\.rawValue)))) \(kind)"
            return "cannot \(step.step) \(kind) \(id): it is \(status), and \(allowedText) can take that step"
        case let .wrongKind(id, kind, step, allowed):
            return
                "cannot \(step.step) \(kind) \(id): only \(Self.withArticle(Self.orList(allowed.map(\.rawValue)))) can take that step"
        case let .alreadyExists(id):
            return "case \(id) already exists"
        case let .noSuchCase(id):
            return "no case \(id) in the log"
        case let .badReference(id, field, reference, problem):
            return "\(Self.subject(id))\(field) \(reference) \(problem)"
        case let .invalidValue(id, field, problem):
            return "\(Self.subject(id))\(field) \(problem)"
        case let .outOfOrder(id, step, occurredAt, previous):
            return "cannot \(step.step) \(id) at \(occurredAt): its previous step is dated \(previous)"
        case let .inTheFuture(id, occurredAt, now):
            return "\(Self.subject(id))business time \(occurredAt) is later than now (\(now))"
        case let .commandIDReused(commandID, usedFor):
            return "command id \(commandID) was already used for case \(usedFor)"
        }
    }

    private static func subject(_ id: CaseID?) -> String {
        id.map { "case \($0): " } ?? ""
    }

    private static func withArticle(_ phrase: String) -> String {
        (phrase.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + phrase
    }

    private static func orList(_ words: [String]) -> String {
        switch words.count {
        case 0: return ""
        case 1: return words[0]
        default: return words.dropLast().joined(separator: ", ") + " or " + words.last!
        }
    }
}
