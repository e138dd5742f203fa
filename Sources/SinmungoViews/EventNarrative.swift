import SinmungoCore

extension RecordedEvent {
    /// The event as a sentence an auditor can read, without personal data.
    public var sentence: String {
        let when = "\(occurredAt.kstDate) \(String(occurredAt.description.dropFirst(11).prefix(5)))"
        let late = recordedAt.kstDate == occurredAt.kstDate ? "" : " (recorded \(recordedAt.kstDate))"
        let what: String
        switch event {
        case .petitionFiled(let filed): what = "filed the petition \"\(filed.title)\" under \(filed.category)"
        case .endorsed(let endorsed): what = "recorded \(endorsed.count) endorsements"
        case .qualified(let qualified): what = "qualified it for a mayoral answer with \(qualified.endorsements) endorsements"
        case .sessionHeld(let held):
            what =
                "recorded a \(held.kind) session in \(held.field)\(held.theme.map { " (\($0))" } ?? "") with \(held.attendees) attendees"
        case .proposalFiled(let filed): what = "filed the proposal \"\(filed.title)\" made at \(filed.session)"
        case .reviewed(let reviewed): what = "accepted it and routed it to \(reviewed.department)"
        case .declined(let declined):
            what = "declined it on the ground \(declined.ground)\(declined.reason.map { ": \($0)" } ?? "")"
        case .visited(let visited): what = "visited \(visited.place)\(visited.findings.map { " and found: \($0)" } ?? "")"
        case .answered(let answered): what = "answered for the \(answered.by): \(answered.summary)"
        case .reflected(let reflected):
            what = "recorded the outcome \(reflected.outcome)\(reflected.policy.map { ", which became \($0)" } ?? "")"
        case .transferred(let transferred):
            what = "transferred it to \(transferred.department)\(transferred.reason.map { " because \($0)" } ?? "")"
        case .withdrawn(let withdrawn): what = "recorded that it was withdrawn\(withdrawn.reason.map { ": \($0)" } ?? "")"
        case .markedDuplicate(let duplicate): what = "closed it as a repeat of \(duplicate.of)"
        case .recordPosted(let posted): what = "posted the record \"\(posted.title)\""
        case .extended(let extended):
            what = "extended the statutory period by \(extended.days) days because \(extended.reason)"
        case .personalDataErased(let erased):
            what = "erased the personal data of the case's person because \(erased.reason)"
        case .erasureRequested(let requested):
            what = "asked for the erasure of the case's personal data because \(requested.reason)"
        case .erasureDeclined(let declined):
            what = "turned down the erasure of the case's personal data because \(declined.reason)"
        case .roster(let change):
            what = "changed the roster (\(change.type)) because \(change.reason)"
        case .sentToOffice(let sent):
            what = "sent it to the office \(sent.office), where it is \(sent.receivedAs), because \(sent.reason)"
        case .receivedFromOffice(let received):
            what = "received it from the office \(received.office), where it was \(received.sentAs), because \(received.reason)"
        case .corrected(let correction):
            what = "corrected \(correction.field) to \"\(correction.value)\" because \(correction.reason)"
        }
        return "\(when): \(actor) \(what)\(late)."
    }
}
