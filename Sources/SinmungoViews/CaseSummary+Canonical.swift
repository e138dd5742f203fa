import SinmungoCore
import SinmungoJSON

// A rebuild writes, and `verify` and every read decode, one row a case: the `Codable` layout
// is written and read here by hand, field by field in canonical key order. Tests hold this
// path byte for byte to `Codable`'s.
extension CaseSummary {
    func writeCanonical(to out: inout CanonicalJSONWriter) {
        out.open()
        out.key("about")
        out.strings(about.lazy.map(\.rawValue))
        out.field("answeredBy", answeredBy?.rawValue)
        out.field("attendees", attendees)
        out.field("category", category)
        out.field("declineGround", declineGround?.rawValue)
        out.key("duplicates")
        out.strings(duplicates.lazy.map(\.rawValue))
        out.field("field", field)
        out.field("filedAt", filedAt)
        out.field("kind", kind.rawValue)
        out.field("lastSequence", lastSequence)
        out.field("outcome", outcome?.rawValue)
        out.field("place", place)
        out.field("policy", policy)
        out.field("proposals", proposals)
        out.field("sessionKind", sessionKind?.rawValue)
        out.key("state")
        state.writeCanonical(to: &out)
        out.field("theme", theme)
        out.field("title", title)
        out.field("transfers", transfers)
        out.field("visits", visits)
        out.close()
    }

    /// The row from what `writeCanonical` writes; nil for any other text.
    init?(canonical bytes: UnsafeRawBufferPointer) {
        var input = CanonicalJSONCursor(bytes)
        func optional<Value>(_ key: StaticString, _ read: (inout CanonicalJSONCursor) -> Value?) -> Value?? {
            guard input.key(key) else { return .some(nil) }
            return read(&input).map { .some($0) }
        }
        func text<Value: RawRepresentable<String>>(_ key: StaticString, as: Value.Type) -> Value?? {
            optional(key) { $0.string().flatMap(Value.init(rawValue:)) }
        }
        func count(_ key: StaticString) -> Int? {
            guard input.key(key), let value = input.integer() else { return nil }
            return Int(exactly: value)
        }
        guard input.open(), input.key("about"), let about = input.strings(),
            let answeredBy = text("answeredBy", as: Answerer.self),
            let attendees = optional("attendees", { $0.integer().flatMap { Int(exactly: $0) } }),
            let category = optional("category", { $0.string() }),
            let declineGround = text("declineGround", as: DeclineGround.self),
            input.key("duplicates"), let duplicates = input.strings(),
            let field = optional("field", { $0.string() }),
            input.key("filedAt"), let filedAt = input.instant(),
            input.key("kind"), let kind = input.string().flatMap(CaseKind.init(rawValue:)),
            input.key("lastSequence"), let lastSequence = input.integer(),
            let outcome = text("outcome", as: Outcome.self),
            let place = optional("place", { $0.string() }),
            let policy = optional("policy", { $0.string() }),
            let proposals = count("proposals"),
            let sessionKind = text("sessionKind", as: SessionKind.self),
            input.key("state"), let state = CaseState(canonical: &input),
            let theme = optional("theme", { $0.string() }),
            input.key("title"), let title = input.string(),
            let transfers = count("transfers"), let visits = count("visits"),
            input.close(), input.atEnd
        else { return nil }
        self.init(state: state, kind: kind, filedAt: filedAt, lastSequence: lastSequence, title: title)
        self.about = about.map { CaseID($0) }
        self.answeredBy = answeredBy
        self.attendees = attendees
        self.category = category
        self.declineGround = declineGround
        self.duplicates = duplicates.map { CaseID($0) }
        self.field = field
        self.outcome = outcome
        self.place = place
        self.policy = policy
        self.proposals = proposals
        self.sessionKind = sessionKind
        self.theme = theme
        self.transfers = transfers
        self.visits = visits
    }
}

extension CaseProjection {
    public static func writeRow(_ row: CaseSummary, to out: inout [UInt8]) {
        CanonicalJSONWriter.appending(to: &out) { row.writeCanonical(to: &$0) }
    }

    public static func readRow(_ canonical: UnsafeRawBufferPointer) -> CaseSummary? {
        CaseSummary(canonical: canonical)
    }
}
