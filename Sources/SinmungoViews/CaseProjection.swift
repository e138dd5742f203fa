import SinmungoCore

/// Folds events into case summaries. Pure: the store decides where rows live.
public enum CaseProjection {
    /// The rows an event changes: its own case, and the case it links to, if any.
    public static func caseIDs(touchedBy event: RecordedEvent) -> [CaseID] {
        switch event.event {
        case .proposalFiled(let filed): [event.caseID, filed.session]
        case .markedDuplicate(let duplicate): [event.caseID, duplicate.of]
        default: [event.caseID]
        }
    }

    /// Applies one event to the rows it touches. `rows` must hold every row named by
    /// `caseIDs(touchedBy:)` that exists.
    public static func apply(_ recorded: RecordedEvent, to rows: inout [CaseID: CaseSummary]) {
        let id = recorded.caseID
        let at = recorded.occurredAt
        func create(_ kind: CaseKind, status: CaseStatus, title: String) -> CaseSummary {
            CaseSummary(
                id: id, kind: kind, status: status, version: recorded.caseVersion, lastSequence: recorded.sequence,
                title: title, filedAt: at, updatedAt: at
            )
        }
        switch recorded.event {
        case .petitionFiled(let filed):
            var row = create(.petition, status: .filed, title: filed.title)
            row.category = filed.category
            rows[id] = row
            return
        case .sessionHeld(let held):
            var row = create(.session, status: .held, title: held.theme.map { "\(held.field) – \($0)" } ?? held.field)
            row.sessionKind = held.kind
            row.field = held.field
            row.theme = held.theme
            row.place = held.place
            row.attendees = held.attendees
            rows[id] = row
            return
        case .proposalFiled(let filed):
            var row = create(.proposal, status: .filed, title: filed.title)
            row.category = filed.category
            row.session = filed.session
            if let session = rows[filed.session] {
                row.sessionKind = session.sessionKind
                row.field = session.field
            }
            rows[id] = row
            rows[filed.session]?.proposals += 1
            return
        case .recordPosted(let posted):
            var row = create(.record, status: .posted, title: posted.title)
            row.about = posted.about
            rows[id] = row
            return
        default:
            break
        }
        // The log is the truth: an event for a row that is missing changes nothing here, and
        // `verify` is where such a log is reported.
        guard var row = rows[id] else { return }
        row.version = recorded.caseVersion
        row.lastSequence = recorded.sequence
        row.updatedAt = max(row.updatedAt, at)
        switch recorded.event {
        case .endorsed(let endorsed):
            row.endorsements = row.endorsements.adding(saturating: endorsed.count)
        case .qualified:
            row.qualifiedAt = at
        case .reviewed(let reviewed):
            row.status = .reviewed
            row.department = reviewed.department
        case .declined(let declined):
            row.status = .declined
            row.declineGround = declined.ground
        case .visited:
            row.status = .visited
            row.visits += 1
        case .answered(let answered):
            row.status = .answered
            row.answeredAt = at
            row.answeredBy = answered.by
        case .reflected(let reflected):
            row.status = .reflected
            row.outcome = reflected.outcome
            row.policy = reflected.policy
        case .transferred(let transferred):
            row.department = transferred.department
            row.transfers += 1
        case .withdrawn:
            row.status = .withdrawn
        case .markedDuplicate(let duplicate):
            row.status = .duplicate
            row.duplicateOf = duplicate.of
            rows[duplicate.of]?.duplicates.append(id)
        case .corrected(let correction):
            switch correction.field {
            case .title: row.title = correction.value
            case .category: row.category = correction.value
            case .attendees: row.attendees = Int(correction.value) ?? row.attendees
            case .theme: row.theme = correction.value
            case .place: row.place = correction.value
            }
        case .extended(let extended):
            row.extensionDays = extended.days
        case .petitionFiled, .sessionHeld, .proposalFiled, .recordPosted, .personalDataErased:
            break
        }
        rows[id] = row
    }

    /// Every row, by replaying a whole log from the start.
    public static func replay(_ events: some Sequence<RecordedEvent>) -> [CaseID: CaseSummary] {
        var rows: [CaseID: CaseSummary] = [:]
        for event in events { apply(event, to: &rows) }
        return rows
    }
}
