import Foundation
import HTTPTypes
import Hummingbird
import SinmungoCore
import SinmungoReport
import SinmungoStore
import SinmungoViews

extension Desk {
    // MARK: Auditors: the head, verification, and a case on both time axes

    func auditPage(_ request: Request, _ context: DeskContext, form: SubmittedForm?) async throws -> Response {
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        try require(.auditLog, grant)
        let log = self.log(context)
        let (head, caseCount) = try await blocking {
            try workIndex.catchUp(with: store)
            return (try log.head(), try workIndex.caseCount())
        }
        var values: [String: Any] = ["head": head.description, "caseCount": grouped(caseCount), "anchor": ""]
        if let form {
            let typed = form.optional("anchor")
            values["anchor"] = typed ?? ""
            var anchor: LogAnchor?
            if let typed {
                guard let parsed = LogAnchor(typed) else {
                    values["verification"] = "앵커가 순번:해시 꼴이 아닙니다 (anchor is not SEQ:HASH)"
                    values["verificationClass"] = "problem"
                    return page("audit", title: "감사", values, context: context, grant: grant, current: "/audit", status: .unprocessableContent)
                }
                anchor = parsed
            }
            do {
                let expected = anchor
                let verified = try await blocking { try log.verify(against: expected, progress: { _ in }) }
                values["verification"] = "검증했습니다: \(verified.sequence)건의 기록, 해시 사슬과 순번이 온전합니다\(anchor == nil ? "" : ", 앵커를 이어 갑니다") (\(verified))"
                values["verificationClass"] = "notice"
            } catch let failure as VerificationFailure {
                values["verification"] = "검증 실패: \(failure)"
                values["verificationClass"] = "problem"
            }
        }
        return page("audit", title: "감사", values, context: context, grant: grant, current: "/audit")
    }

    func auditCasePage(_ request: Request, _ context: DeskContext) async throws -> Response {
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        try require(.auditLog, grant)
        let query = request.uri.queryParameters
        let id = CaseID(String(query["id"] ?? "").trimmingCharacters(in: .whitespaces))
        guard id.isWellFormed else { throw DeskProblem(status: .unprocessableContent, message: "사건 번호가 아닙니다 (id)") }
        func instant(_ name: Substring) throws -> Instant? {
            guard let text = query[name].map(String.init), !text.isEmpty else { return nil }
            guard let instant = Instant(iso8601: text) else {
                throw DeskProblem(status: .unprocessableContent, message: "\(name) 값이 날짜·시각이 아닙니다 (\(name))")
            }
            return instant
        }
        let point = PointInTime(asOf: try instant("asOf"), effective: try instant("effective"))
        let log = self.log(context)
        let events = try await blocking { try log.events(at: point, of: id) }
        let state = CaseState(id: id, replaying: events)
        var facts: [[String: String]] = [["label": "번호", "value": id.rawValue]]
        if let status = state.status { facts.append(["label": "그때의 상태", "value": DeskWords.status(status)]) }
        facts.append(["label": "판", "value": String(state.version)])
        if let department = state.department { facts.append(["label": "부서", "value": roster.name(ofDepartment: department)]) }
        var described: [String] = []
        if let asOf = point.asOf { described.append("\(DeskWords.time(asOf))에 기록되어 있던 것") }
        if let effective = point.effective { described.append("\(DeskWords.time(effective))까지 일어난 일") }
        let values: [String: Any] = [
            "point": described.isEmpty ? "지금의 기록 전체" : described.joined(separator: ", "),
            "facts": facts,
            "history": events.map {
                [
                    "sequence": String($0.sequence), "occurred": DeskWords.time($0.occurredAt), "recorded": DeskWords.time($0.recordedAt),
                    "who": $0.actor, "what": DeskWords.sentence($0.event, roster: roster),
                ]
            },
        ]
        return page("audit-case", title: "\(id)의 경과", values, context: context, grant: grant, current: "/audit")
    }

    // MARK: Statistics staff: the white paper

    func statisticsPage(_ request: Request, _ context: DeskContext) async throws -> Response {
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        try require(.readStatistics, grant)
        let typed = request.uri.queryParameters["year"].map(String.init)
        let year = typed.flatMap { $0.count == 4 ? Int($0) : nil } ?? now.kstDate.year
        guard typed == nil || typed.flatMap(Int.init) == year, year >= 1000, let months = WhitePaper.months(of: year) else {
            throw DeskProblem(status: .unprocessableContent, message: "연도는 2019처럼 네 자리로 적으십시오 (year)")
        }
        let clock = DeadlineClock(calendar: configuration.calendar)
        let policy = configuration.policy
        // Figures, not cases: on PostgreSQL the desk's own connection reads them, since
        // statistics staff's logins are granted the case list's views, not the log.
        let paper = try await blocking {
            let head = try store.head()
            try workIndex.catchUp(with: store, head: head.sequence)
            // The work index holds every case's row at the head: only the cases the year saw
            // change are folded from the log.
            let summaries = try workIndex.summaries()
            let monthly = try MonthlyStatistics(clock: clock, policy: policy).compute(
                months: months, by: .channel,
                currentRows: { visit in for summary in summaries { try visit(summary.id, summary) } },
                steps: { cases, fold in try store.forEachEvent(at: .now, ofCases: cases, fold) })
            return WhitePaper(year: year, monthly: monthly, summaries: summaries, head: head, program: configuration.program)
        }
        return page(
            "statistics", title: "\(year)년 통계 백서", ["year": String(year), "paper": paper.renderBody()], context: context,
            grant: grant, current: "/statistics")
    }
}
