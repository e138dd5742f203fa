import SinmungoCore

extension CaseEvent {
    /// The event's data in words, as `name: value` pairs, for history and audit views.
    /// Personal data (names, contacts) is left out: only `show` gives it to an officer.
    public var details: [(name: String, value: String)] {
        switch self {
        case .petitionFiled(let filed):
            var pairs = [("title", filed.title), ("category", filed.category)]
            if filed.personal != nil { pairs.append(("petitioner", "(personal data)")) }
            return pairs
        case .endorsed(let endorsed):
            return [("count", String(endorsed.count))]
        case .qualified(let qualified):
            return [("endorsements", String(qualified.endorsements))]
        case .sessionHeld(let held):
            return [("kind", held.kind.rawValue), ("field", held.field), ("attendees", String(held.attendees))]
                + optional("theme", held.theme) + optional("place", held.place)
        case .proposalFiled(let filed):
            return [("session", filed.session.rawValue), ("title", filed.title)] + optional("category", filed.category)
                + (filed.personal == nil ? [] : [("proposer", "(personal data)")])
        case .reviewed(let reviewed):
            return [("department", reviewed.department)]
        case .declined(let declined):
            return [("ground", declined.ground.rawValue)] + optional("reason", declined.reason)
        case .visited(let visited):
            return [("place", visited.place)] + optional("findings", visited.findings)
                + optional("with", visited.with?.joined(separator: ", "))
        case .answered(let answered):
            return [("by", answered.by.rawValue), ("summary", answered.summary)]
        case .reflected(let reflected):
            return [("outcome", reflected.outcome.rawValue)] + optional("policy", reflected.policy)
        case .transferred(let transferred):
            return [("department", transferred.department)] + optional("reason", transferred.reason)
        case .withdrawn(let withdrawn):
            return optional("reason", withdrawn.reason)
        case .markedDuplicate(let duplicate):
            return [("of", duplicate.of.rawValue)]
        case .extended(let extended):
            return [("days", String(extended.days)), ("reason", extended.reason)]
        case .personalDataErased(let erased):
            return [("reason", erased.reason)]
        case .roster(let change):
            return change.details
        case .erasureRequested(let requested):
            return [("reason", requested.reason)] + optional("request", requested.request)
        case .erasureDeclined(let declined):
            return [("reason", declined.reason)]
        case .corrected(let correction):
            return [("field", correction.field.rawValue), ("value", correction.value), ("reason", correction.reason)]
        case .recordPosted(let posted):
            return [("title", posted.title)]
                + (posted.about.isEmpty ? [] : [("about", posted.about.map(\.rawValue).joined(separator: " "))])
        case .sentToOffice(let sent):
            return [
                ("office", sent.office), ("case", sent.receivedAs.rawValue), ("sequence", String(sent.sequence)),
                ("reason", sent.reason),
            ]
        case .receivedFromOffice(let received):
            return [
                ("office", received.office), ("case", received.sentAs.rawValue), ("sequence", String(received.sequence)),
                ("title", received.title), ("category", received.category), ("reason", received.reason),
            ]
        }
    }

    /// Why the step was taken, where the officer said so.
    public var reason: String? {
        switch self {
        case .declined(let declined): declined.reason
        case .transferred(let transferred): transferred.reason
        case .withdrawn(let withdrawn): withdrawn.reason
        case .corrected(let correction): correction.reason
        case .extended(let extended): extended.reason
        case .personalDataErased(let erased): erased.reason
        case .roster(let change): change.reason
        case .erasureRequested(let requested): requested.reason
        case .erasureDeclined(let declined): declined.reason
        case .sentToOffice(let sent): sent.reason
        case .receivedFromOffice(let received): received.reason
        default: nil
        }
    }

    /// The details other than the reason, on one line: `department: 교통행정과; …`.
    public var detailsLine: String {
        details.filter { $0.name != "reason" }.map { "\($0.name): \($0.value)" }.joined(separator: "; ")
    }
}

private func optional(_ name: String, _ value: String?) -> [(name: String, value: String)] {
    value.map { [(name, $0)] } ?? []
}
