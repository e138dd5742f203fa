import SinmungoCore

/// Folds events into case summaries. Pure: the store it is registered with decides where
/// rows live. Where a case stands comes from `CaseState`; this adds what people read.
public enum CaseProjection: Projection {
    public static let name = "cases"
    /// 2: rows hold the lifecycle fold (`CaseState`) and are stored through `Codable`.
    public static let version = 2

    /// The rows an event changes: its own case, and the case it links to, if any.
    /// A proposal names its session, a duplicate the case it repeats; every row is made by its
    /// own case's filing.
    public static let keysAreCasesNamedInEvents = true

    public static func keys(touchedBy event: RecordedEvent) -> [CaseID] {
        switch event.event {
        case .roster: []
        case .proposalFiled(let filed): [event.caseID, filed.session]
        case .markedDuplicate(let duplicate): [event.caseID, duplicate.of]
        default: [event.caseID]
        }
    }

    public static func apply(_ recorded: RecordedEvent, to rows: inout [CaseID: CaseSummary]) {
        let id = recorded.caseID
        let at = recorded.occurredAt
        func create(_ kind: CaseKind, title: String) -> CaseSummary {
            CaseSummary(
                state: CaseState(initial: id).applying(recorded.event, occurredAt: at), kind: kind, filedAt: at,
                lastSequence: recorded.sequence, title: title)
        }
        switch recorded.event {
        case .petitionFiled(let filed):
            var row = create(.petition, title: filed.title)
            row.category = filed.category
            rows[id] = row
            return
        case .sessionHeld(let held):
            var row = create(.session, title: held.theme.map { "\(held.field) – \($0)" } ?? held.field)
            row.sessionKind = held.kind
            row.field = held.field
            row.theme = held.theme
            row.place = held.place
            row.attendees = held.attendees
            rows[id] = row
            return
        case .proposalFiled(let filed):
            var row = create(.proposal, title: filed.title)
            row.category = filed.category
            if let session = rows[filed.session] {
                row.sessionKind = session.sessionKind
                row.field = session.field
            }
            rows[id] = row
            rows[filed.session]?.proposals += 1
            return
        case .receivedFromOffice(let received):
            var row = create(.petition, title: received.title)
            row.category = received.category
            rows[id] = row
            return
        case .recordPosted(let posted):
            var row = create(.record, title: posted.title)
            row.about = posted.about
            rows[id] = row
            return
        default:
            break
        }
        // The log is the truth: an event for a row that is missing changes nothing here, and
        // `verify` is where such a log is reported.
        guard let index = rows.index(forKey: id) else { return }
        // Changed in place: a replay applies millions of events, and a copy of the row costs each.
        advance(&rows.values[index], by: recorded)
        // A case marked a duplicate of itself keeps no link to itself.
        if case .markedDuplicate(let duplicate) = recorded.event, duplicate.of != id {
            rows[duplicate.of]?.duplicates.append(id)
        }
    }

    /// Applies an event to the row of its own case.
    private static func advance(_ row: inout CaseSummary, by recorded: RecordedEvent) {
        row.state.apply(recorded.event, occurredAt: recorded.occurredAt)
        row.lastSequence = recorded.sequence
        // What people read beside the lifecycle: the state already has status and the rest.
        switch recorded.event {
        case .declined(let declined):
            row.declineGround = declined.ground
        case .visited:
            row.visits += 1
        case .answered(let answered):
            row.answeredBy = answered.by
        case .reflected(let reflected):
            row.outcome = reflected.outcome
            row.policy = reflected.policy
        case .transferred:
            row.transfers += 1
        case .corrected(let correction):
            switch correction.field {
            case .title: row.title = correction.value
            case .category: row.category = correction.value
            case .attendees: row.attendees = Int(correction.value) ?? row.attendees
            case .theme: row.theme = correction.value
            case .place: row.place = correction.value
            }
        case .petitionFiled, .sessionHeld, .proposalFiled, .recordPosted, .endorsed, .qualified, .reviewed, .withdrawn,
            .markedDuplicate, .extended, .personalDataErased, .roster, .erasureRequested, .erasureDeclined, .sentToOffice,
            .receivedFromOffice:
            break
        }
    }
}
