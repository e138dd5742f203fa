import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SinmungoCore
import SinmungoPostgres
import SinmungoReport
import SinmungoStore
import SinmungoViews

extension Desk {
    /// Rows on one page of the work list, and the last page offered (paging further would
    /// only skip rows; a filter finds them sooner).
    static let workPageSize = 50
    static let lastWorkPage = 200

    // MARK: Signing in

    func signInPage(_ request: Request, _ context: DeskContext, typed: String = "", problem: String? = nil,
        status: HTTPResponse.Status = .ok) async throws -> Response
    {
        let token = DeskAccounts.randomToken()
        var response = page(
            "sign-in", title: "로그인", ["signInToken": token, "typedOfficer": typed, "serverLogin": configuration.isServer],
            context: context, grant: nil,
            status: status, problem: problem)
        response.setCookie(cookie(Self.signInCookie, token, maxAge: 3600))
        return response
    }

    func signIn(_ request: Request, _ context: DeskContext) async throws -> Response {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let values = (try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))) ?? [:]
        // The sign-in form's token must match its cookie, so another site cannot sign a
        // browser in under someone else's account.
        guard let token = values["csrf"], let expected = request.cookies[Self.signInCookie]?.value,
            DeskAccounts.same(token, expected)
        else {
            return try await signInPage(
                request, context, problem: "로그인 양식이 만료되었습니다. 다시 입력하십시오 (sign-in token missing or wrong)",
                status: .forbidden)
        }
        let officer = (values["officer"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = values["password"] ?? ""
        if serverSessions != nil { return try await signIn(login: officer, password: password, request, context) }
        let roster = try await roster()
        let now = self.now
        let result = try await blocking { try accounts.signIn(officer: officer, password: password, now: now) }
        switch result {
        case .signedIn(let token, _) where roster.officers[officer] != nil:
            return Self.redirect("/", cookies: [cookie(Self.sessionCookie, token), cookie(Self.signInCookie, "", maxAge: 0)])
        case .signedIn(let token, _):
            try await blocking { try accounts.signOut(token: token) }
            return try await signInPage(
                request, context, typed: officer, problem: "직원 번호나 비밀번호가 맞지 않습니다 (wrong officer or password)",
                status: .unauthorized)
        case .refused:
            return try await signInPage(
                request, context, typed: officer, problem: "직원 번호나 비밀번호가 맞지 않습니다 (wrong officer or password)",
                status: .unauthorized)
        case .locked(let until):
            return try await signInPage(
                request, context, typed: officer,
                problem: "로그인에 여러 번 실패하여 \(DeskWords.time(until))까지 잠겼습니다 (account locked after \(DeskAccounts.lockAfterFailures) failures)",
                status: .tooManyRequests)
        }
    }

    func signOut(_ request: Request, _ context: DeskContext) async throws -> Response {
        _ = try await form(request, context)
        if let token = context.token {
            if let serverSessions {
                serverSessions.remove(token: token)
            } else {
                try await blocking { try accounts.signOut(token: token) }
            }
        }
        return Self.redirect("/sign-in", cookies: [cookie(Self.sessionCookie, "", maxAge: 0)])
    }

    // MARK: The officer's work

    func workPage(_ request: Request, _ context: DeskContext, form: SubmittedForm?) async throws -> Response {
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        guard Permissions.allows(grant.roles, .readCases) else {
            throw DeskRedirect(to: Permissions.allows(grant.roles, .readStatistics) ? "/statistics" : "/sign-in")
        }
        let filter = WorkFilter(form)
        let moment = now
        let query = filter.query(roster: roster)
        let pageNumber = max(1, min(form?.optional("page").flatMap(Int.init) ?? 1, Self.lastWorkPage))
        let (entries, total) = try await blocking {
            try workIndex.catchUp(with: store)
            return try workIndex.page(query, offset: (pageNumber - 1) * Self.workPageSize, limit: Self.workPageSize)
        }
        let rows: [[String: Any]] = entries.map { entry in
            var row: [String: Any] = [
                "id": entry.id.rawValue, "kind": DeskWords.kind(entry.kind), "status": DeskWords.status(entry.status),
                "title": entry.title, "department": entry.department.map(roster.name(ofDepartment:)) ?? "",
                "overdue": entry.due.map { $0 < moment } ?? false, "task": entry.task.map(DeskWords.deadline) ?? "",
            ]
            if let due = entry.due {
                // Counted through a year whose holidays are not yet the government's own: the
                // later years follow the earlier, so the due date's year tells.
                let provisional = configuration.calendar.isProvisional(from: due.kstDate, through: due.kstDate)
                row["due"] = due.kstDate.description + (provisional ? " \(DeskWords.provisional)" : "")
                row["left"] = String(due.kstDate.daysSinceEpoch - moment.kstDate.daysSinceEpoch)
            } else if entry.task != nil {
                row["due"] = "계산 불가 (휴일 달력 없음)"
            }
            return row
        }
        let shownFrom = (pageNumber - 1) * Self.workPageSize
        var pager: [String: Any] = [
            "pageText": entries.isEmpty
                ? "" : "\(grouped(shownFrom + 1))–\(grouped(shownFrom + entries.count))번째 (\(pageNumber)쪽)",
            "hidden": filter.fields.map { ["name": $0.name, "value": $0.value] },
        ]
        if pageNumber > 1 { pager["previous"] = String(pageNumber - 1) }
        if entries.count == Self.workPageSize, pageNumber < Self.lastWorkPage,
            total.map({ shownFrom + entries.count < $0 }) ?? true
        {
            pager["next"] = String(pageNumber + 1)
        }
        let departments = roster.departments.values.filter { $0.mergedInto == nil }.sorted { $0.name < $1.name }
        let values: [String: Any] = [
            "rows": rows, "count": total.map { "\(grouped($0))건" } ?? "\(grouped(DeskWorkIndex.countLimit))건 넘게", "pager": pager,
            "shortQuery": (filter.text.map(DeskWorkIndex.searchable)?.count ?? DeskWorkIndex.trigram) < DeskWorkIndex.trigram,
            "caption": filter.isDefault ? "처리 중인 건 (기한 순)" : "찾은 건 (기한 순)",
            "filter": ["q": filter.text ?? "", "from": filter.from?.description ?? "", "to": filter.to?.description ?? ""],
            "kinds": CaseKind.allCases.map { ["value": $0.rawValue, "label": DeskWords.kind($0), "selected": filter.kind == $0] },
            "statuses": CaseStatus.allCases.map {
                ["value": $0.rawValue, "label": DeskWords.status($0), "selected": filter.status == $0]
            },
            "departments": departments.map { ["value": $0.id, "label": $0.name, "selected": filter.department == $0.id] },
            "categories": configuration.policy.petitionCategories.map {
                ["value": $0, "label": $0, "selected": filter.category == $0]
            },
        ]
        return page("work", title: "업무 목록", values, context: context, grant: grant, current: "/")
    }

    // MARK: A case

    func caseID(_ context: DeskContext) throws -> CaseID {
        let id = CaseID(context.parameters.get("id") ?? "")
        guard id.isWellFormed else { throw DeskProblem(status: .notFound, message: "사건 번호가 아닙니다 (no such case)") }
        return id
    }

    func casePage(_ request: Request, _ context: DeskContext) async throws -> Response {
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        try require(.readCases, grant)
        let id = try caseID(context)
        let notice = request.uri.queryParameters["done"].map { _ in "기록했습니다." }
        return try await renderCase(id, context: context, roster: roster, grant: grant, notice: notice)
    }

    func renderCase(
        _ id: CaseID, context: DeskContext, roster: Roster, grant: OfficerGrant, status: HTTPResponse.Status = .ok,
        notice: String? = nil, problem: String? = nil, personal: PersonalDataStatus? = nil,
        conflict: (decidedOn: Int, changes: [RecordedEvent])? = nil
    ) async throws -> Response {
        let log = self.log(context)
        let summary = try await caseSummary(id)
        let events = try await blocking { try log.events(of: id) }
        guard let summary, !events.isEmpty else {
            throw DeskProblem(status: .notFound, message: "\(id) 사건이 없습니다 (no such case)")
        }
        let state = CaseState(id: id, replaying: events)
        let clock = DeadlineClock(calendar: configuration.calendar)
        var facts: [[String: String]] = [
            ["label": "번호", "value": id.rawValue], ["label": "종류", "value": DeskWords.kind(summary.kind)],
            ["label": "제목", "value": summary.title], ["label": "상태", "value": DeskWords.status(summary.status)],
            ["label": "판", "value": String(state.version)], ["label": "접수", "value": DeskWords.time(summary.filedAt)],
        ]
        if let department = summary.department { facts.append(["label": "부서", "value": roster.name(ofDepartment: department)]) }
        if let category = summary.category { facts.append(["label": "분야", "value": category]) }
        if summary.kind == .petition { facts.append(["label": "동의", "value": "\(grouped(summary.endorsements))명"]) }
        switch clock.nextTask(of: summary.deadlineSubject, policy: configuration.policy, at: now) {
        case .open(let next, _):
            facts.append([
                "label": "다음 기한",
                "value": "\(DeskWords.deadline(next.kind)) \(next.due.kstDate)\(next.provisional ? " \(DeskWords.provisional)" : "")"
                    + (next.due < now ? " (기한 지남)" : ""),
            ])
        case .notYetCountable(let kind, _), .notComputable(let kind, _):
            facts.append(["label": "다음 기한", "value": "\(DeskWords.deadline(kind)): 계산 불가 (휴일 달력 없음)"])
        case .none: break
        }
        let history = events.map { event in
            ["when": DeskWords.time(event.occurredAt), "who": event.actor, "what": DeskWords.sentence(event.event, roster: roster)]
        }
        let departments = roster.departments.values.filter { $0.mergedInto == nil }.sorted { $0.name < $1.name }
            .map { (value: $0.id, label: $0.name) }
        let steps = StepForm.steps(departments: departments).filter { step in
            // An erasure is asked for, then decided; never both offered at once.
            if step.task == .requestErasure {
                guard state.pendingErasure == nil, case .sealed = state.personalData else { return false }
            }
            if step.task == .decideErasure, state.pendingErasure == nil { return false }
            return Lifecycle.allows(step.type, on: state) && Permissions.allows(grant.roles, step.task)
                && (!step.task.isDepartmental || grant.departments.isEmpty || step.type == .reviewed
                    || state.department.map { department in
                        grant.departments.map(roster.current(department:)).contains(roster.current(department: department))
                    } == true)
        }
        var values: [String: Any] = [
            "id": id.rawValue, "facts": facts, "history": history, "version": String(state.version),
            "hasSteps": !steps.isEmpty,
            "steps": steps.map { step in
                [
                    "name": step.name, "label": step.label, "version": String(state.version),
                    "command": "desk-" + DeskAccounts.randomToken(), "fields": step.fields.map(\.context), "id": id.rawValue,
                ] as [String: Any]
            },
            "mayOpenPersonalData": Permissions.allows(grant.roles, .openPersonalData) && (summary.kind == .petition || summary.kind == .proposal),
            "purposes": ["답변 작성", "민원인 연락", "현장 확인 준비", "처리 결과 통지"],
        ]
        if let personal {
            switch personal {
            case .held(let data), .unencrypted(let data):
                var fields: [[String: String]] = []
                if let name = data.name { fields.append(["label": "이름", "value": name]) }
                if let phone = data.phone { fields.append(["label": "전화", "value": phone]) }
                if let email = data.email { fields.append(["label": "전자우편", "value": email]) }
                if let body = data.body { fields.append(["label": "내용", "value": body]) }
                values["personal"] = fields.isEmpty ? nil : fields
                // A flag, not the list: a section over the list would repeat its block per field.
                values["personalShown"] = fields.isEmpty ? nil : true
                if fields.isEmpty { values["personalStatus"] = "기록된 개인정보가 없습니다." }
            case .none: values["personalStatus"] = "기록된 개인정보가 없습니다."
            case .erased(let at, _, _, _): values["personalStatus"] = "개인정보는 \(DeskWords.time(at))에 파기되었습니다."
            case .unavailable(let reason): values["personalStatus"] = "개인정보를 열 수 없습니다: \(reason)"
            }
        }
        if let conflict {
            values["hasChanges"] = true
            values["decidedOn"] = "\(conflict.decidedOn)판"
            values["changes"] = conflict.changes.map {
                "\(DeskWords.time($0.occurredAt)) \($0.actor): \(DeskWords.sentence($0.event, roster: roster)) (\($0.caseVersion)판)"
            }
        }
        return page(
            "case", title: "\(id) \(summary.title)", values, context: context, grant: grant, status: status, notice: notice,
            problem: problem)
    }

    func openPersonalData(_ request: Request, _ context: DeskContext) async throws -> Response {
        let form = try await form(request, context)
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        let id = try caseID(context)
        let log = self.log(context)
        let state = try await blocking { try log.state(of: id) }
        do {
            try roster.authorize(
                officer: grant.officer, account: nil, task: .openPersonalData, caseDepartment: state.department, case: id)
        } catch {
            throw DeskProblem(status: .forbidden, message: "이 건의 개인정보를 열람할 권한이 없습니다 (\(error))")
        }
        let purpose = form.optional("purpose")
        // The data is shown only once its access record (접속기록) is written.
        let record = PersonalDataAccess.record(
            opening: state.personalData, of: id, at: now, account: "desk:\(grant.officer)", officer: grant.officer,
            host: context.remoteAddress ?? "desk", task: .view, reason: purpose)
        let personal = try await blocking {
            // On PostgreSQL, `sinmungo.record_access` writes it, with the session's login as its account.
            if let record { _ = try log.recordAccess(record) }
            return try log.personalData(of: id)
        }
        return try await renderCase(id, context: context, roster: roster, grant: grant, personal: personal)
    }

    func takeStep(_ request: Request, _ context: DeskContext) async throws -> Response {
        let form = try await form(request, context)
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        let id = try caseID(context)
        let name = context.parameters.get("step") ?? ""
        guard let step = StepForm.steps(departments: []).first(where: { $0.name == name }) else {
            throw DeskProblem(status: .notFound, message: "없는 단계입니다 (no step \(name))")
        }
        guard let version = form.optional("version").flatMap(Int.init), let commandID = form.optional("command") else {
            throw DeskProblem(status: .badRequest, message: "양식에 판 번호가 없습니다. 화면을 새로 고치십시오 (version or command id missing)")
        }
        let command: CaseCommand
        do {
            command = try step.command(form)
        } catch {
            return try await renderCase(
                id, context: context, roster: roster, grant: grant, status: .unprocessableContent, problem: error.description)
        }
        return try await execute(command, on: id, version: version, commandID: commandID, context: context, roster: roster, grant: grant)
    }

    func execute(
        _ command: CaseCommand, on id: CaseID?, version: Int?, commandID: String, context: DeskContext, roster: Roster,
        grant: OfficerGrant
    ) async throws -> Response {
        let log = self.log(context)
        // On PostgreSQL the session's login is the account, checked against the roster here and by the server.
        let metadata = CommandMetadata(actor: grant.officer, commandID: commandID, expectedVersion: version, account: context.login)
        do {
            let outcome = try await blocking { try execute(command, on: id, metadata: metadata, in: log) }
            return Self.redirect("/cases/\(outcome.caseID.rawValue)?done=1")
        } catch let conflict as AppendConflict {
            let since = try await blocking { try log.events(of: conflict.caseID).filter { $0.caseVersion > conflict.expectedVersion } }
            return try await renderCase(
                conflict.caseID, context: context, roster: roster, grant: grant, status: .conflict,
                conflict: (conflict.expectedVersion, since))
        } catch let refusal as Refusal {
            return try await refused(refusal.description, id: id, context: context, roster: roster, grant: grant)
        } catch let refusal as AccessRefusal {
            return try await refused(refusal.description, id: id, context: context, roster: roster, grant: grant, status: .forbidden)
        } catch let ahead as ExpectedVersionAhead {
            return try await refused(ahead.description, id: id, context: context, roster: roster, grant: grant)
        } catch let failure as PostgresFailure where failure.kind == .forbidden {
            return try await refused(failure.description, id: id, context: context, roster: roster, grant: grant, status: .forbidden)
        }
    }

    private func execute(_ command: CaseCommand, on id: CaseID?, metadata: CommandMetadata, in log: some DeskLog) throws
        -> CommandOutcome
    {
        try CaseService(store: log, policy: configuration.policy, calendar: configuration.calendar, now: configuration.now)
            .execute(command, on: id, metadata: metadata)
    }

    private func refused(
        _ message: String, id: CaseID?, context: DeskContext, roster: Roster, grant: OfficerGrant,
        status: HTTPResponse.Status = .unprocessableContent
    ) async throws -> Response {
        let text = "기록하지 않았습니다: \(message)"
        let log = self.log(context)
        if let id, try await blocking({ try log.state(of: id).exists }) {
            return try await renderCase(id, context: context, roster: roster, grant: grant, status: status, problem: text)
        }
        throw DeskProblem(status: status, message: text)
    }

    // MARK: New cases

    func newPage(_ request: Request, _ context: DeskContext, problem: String? = nil,
        status: HTTPResponse.Status = .ok) async throws -> Response
    {
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        let forms = StepForm.creations(policy: configuration.policy).filter { Permissions.allows(grant.roles, $0.task) }
        guard !forms.isEmpty else { try require(.filePetition, grant); return Self.redirect("/") }
        let values: [String: Any] = [
            "forms": forms.map { form in
                [
                    "name": form.name, "label": form.label, "command": "desk-" + DeskAccounts.randomToken(),
                    "fields": form.fields.map(\.context),
                ] as [String: Any]
            }
        ]
        return page("new", title: "새 접수", values, context: context, grant: grant, current: "/new", status: status, problem: problem)
    }

    func create(_ request: Request, _ context: DeskContext) async throws -> Response {
        let form = try await form(request, context)
        let roster = try await roster()
        let (_, grant) = try signedIn(request, context, roster: roster)
        let name = context.parameters.get("kind") ?? ""
        guard let creation = StepForm.creations(policy: configuration.policy).first(where: { $0.name == name }) else {
            throw DeskProblem(status: .notFound, message: "없는 양식입니다 (no form \(name))")
        }
        guard let commandID = form.optional("command") else {
            throw DeskProblem(status: .badRequest, message: "양식에 요청 번호가 없습니다. 화면을 새로 고치십시오 (command id missing)")
        }
        do {
            let command = try creation.command(form)
            return try await execute(command, on: nil, version: nil, commandID: commandID, context: context, roster: roster, grant: grant)
        } catch let problem as FormProblem {
            return try await newPage(request, context, problem: problem.description, status: .unprocessableContent)
        } catch let problem as DeskProblem {
            return try await newPage(request, context, problem: problem.message, status: problem.status)
        }
    }
}

/// The work list's filters, from the filter form; none means the open cases by deadline.
struct WorkFilter {
    var text: String?
    var kind: CaseKind?
    var status: CaseStatus?
    var department: String?
    var category: String?
    var from: CivilDate?
    var to: CivilDate?

    init(_ form: SubmittedForm?) {
        text = form?.optional("q")
        kind = form?.optional("kind").flatMap(CaseKind.init(rawValue:))
        status = form?.optional("status").flatMap(CaseStatus.init(rawValue:))
        department = form?.optional("department")
        category = form?.optional("category")
        from = form?.optional("from").flatMap { Instant(iso8601: $0)?.kstDate }
        to = form?.optional("to").flatMap { Instant(iso8601: $0)?.kstDate }
    }

    var isDefault: Bool {
        text == nil && kind == nil && status == nil && department == nil && category == nil && from == nil && to == nil
    }

    /// The index query: a department stands for every department merged into the same one.
    func query(roster: Roster) -> DeskWorkIndex.Query {
        let departments = department.map { chosen in
            let current = roster.current(department: chosen)
            return Set([chosen] + roster.departments.keys.filter { roster.current(department: $0) == current }).sorted()
        }
        return DeskWorkIndex.Query(
            text: text, kind: kind, status: status, departments: departments, category: category, filedFrom: from, filedTo: to)
    }

    /// The filters as the pager's hidden fields, so that another page keeps them.
    var fields: [(name: String, value: String)] {
        [
            ("q", text), ("kind", kind?.rawValue), ("status", status?.rawValue), ("department", department),
            ("category", category), ("from", from?.description), ("to", to?.description),
        ].compactMap { field in field.1.map { (name: field.0, value: $0) } }
    }
}
