import Foundation
import HTTPTypes
import Hummingbird
import SinmungoCore
import SinmungoStore
import SinmungoViews

extension Desk {
    /// The privacy officer's page: the month's access records with what needs a look, the
    /// record that the check was done (§8②), and the erasures waiting for a decision.
    func privacyPage(_ request: Request, _ context: DeskContext, form: SubmittedForm?) async throws -> Response {
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        try require(.checkAccessRecords, grant)
        let typed = form?.optional("month") ?? request.uri.queryParameters["month"].map(String.init)
        let month = try typed.map { text in
            guard let month = YearMonth(text) else {
                throw DeskProblem(status: .unprocessableContent, message: "달은 2026-11처럼 적으십시오 (month)")
            }
            return month
        } ?? YearMonth(now)
        let start = Instant(kst: CivilDate(year: month.year, month: month.month, day: 1)!)
        var notice: String?
        let log = self.log(context)
        if let form {
            let note = try form.text("note", "점검 의견")
            let record = AccessRecord(
                at: now, account: "desk:\(grant.officer)", officer: grant.officer, host: context.remoteAddress ?? "desk",
                caseID: nil, person: nil, task: .monthlyCheck, reason: "\(month): \(note)")
            _ = try await blocking { try log.recordAccess(record) }
            notice = "\(month) 점검을 기록했습니다."
        }
        let calendar = configuration.calendar
        let (records, flags, pending) = try await blocking {
            let records = try log.accessRecords(in: start..<month.end)
            let flags = try AccessReview(roster: roster, calendar: calendar).flags(records) { try log.state(of: $0).department }
            var pending: [(CaseID, String, String)] = []
            // The case rows hold each case's state: only a case with a request waiting is read
            // again, for who asked.
            try workIndex.catchUp(with: store)
            for summary in try workIndex.summaries() {
                guard let request = summary.state.pendingErasure else { continue }
                let asked = try log.events(of: summary.id).last { $0.event.type == .erasureRequested }?.actor ?? ""
                pending.append((summary.id, asked, request.reason))
            }
            return (records, flags, pending)
        }
        let values: [String: Any] = [
            "month": month.description, "count": String(records.count),
            "flaggedCount": String(flags.values.filter { !$0.isEmpty }.count),
            "records": records.map { record in
                let recordFlags = flags[record.sequence] ?? []
                return [
                    "sequence": String(record.sequence), "at": DeskWords.time(record.at), "officer": record.officer,
                    "account": record.account, "host": record.host, "case": record.caseID?.rawValue ?? "",
                    "task": DeskWords.accessTask(record.task), "reason": record.reason ?? "",
                    "flags": recordFlags.map(DeskWords.accessFlag).joined(separator: ", "), "flagged": !recordFlags.isEmpty,
                ] as [String: Any]
            },
            "pendingCount": String(pending.count),
            "pending": pending.map { ["id": $0.0.rawValue, "requestedBy": $0.1, "reason": $0.2] },
        ]
        return page("privacy", title: "개인정보 점검", values, context: context, grant: grant, current: "/privacy", notice: notice)
    }
}
