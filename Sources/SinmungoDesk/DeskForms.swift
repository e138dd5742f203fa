import SinmungoCore
import SinmungoReport

/// A form field of a step; what the template draws and what the handler reads back.
struct FormField {
    var field: String
    var label: String
    var required = true
    var long = false
    var number = false
    var choices: [(value: String, label: String)] = []

    var context: [String: Any] {
        [
            "field": field, "label": label, "required": required, "long": long, "number": number,
            "hasChoices": !choices.isEmpty, "choices": choices.map { ["value": $0.value, "label": $0.label] },
        ]
    }
}

/// The submitted fields of a form, read with a clear message for what is missing or wrong.
struct SubmittedForm {
    var values: [String: String]

    func text(_ field: String, _ label: String) throws(FormProblem) -> String {
        guard let value = optional(field) else { throw FormProblem("\(label)을(를) 입력하십시오 (\(field) is required)") }
        return value
    }

    func optional(_ field: String) -> String? {
        guard let value = values[field]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func number(_ field: String, _ label: String) throws(FormProblem) -> Int {
        let typed = try text(field, label)
        guard let value = Int(typed), value > 0 else { throw FormProblem("\(label)은(는) 1 이상의 정수여야 합니다 (\(field): \(typed))") }
        return value
    }

    func choice<Value: RawRepresentable<String>>(_ field: String, _ label: String, as type: Value.Type) throws(FormProblem) -> Value {
        let typed = try text(field, label)
        guard let value = Value(rawValue: typed) else { throw FormProblem("\(label) 값이 목록에 없습니다 (\(field): \(typed))") }
        return value
    }

    func caseID(_ field: String, _ label: String) throws(FormProblem) -> CaseID {
        let id = CaseID(try text(field, label))
        guard id.isWellFormed else { throw FormProblem("\(label)는 PET-2019-0001 같은 사건 번호여야 합니다 (\(field))") }
        return id
    }
}

/// What was wrong with a form, as one sentence for the officer.
struct FormProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A step the desk can take on a case, or a new case it can open.
struct StepForm {
    var name: String
    var label: String
    var type: EventType
    var task: Task
    var fields: [FormField]
    var command: (SubmittedForm) throws(FormProblem) -> CaseCommand

    /// Steps on an existing case, in the order a case usually takes them.
    static func steps(departments: [(value: String, label: String)]) -> [StepForm] {
        let departmentField =
            departments.isEmpty
            ? FormField(field: "department", label: "부서") : FormField(field: "department", label: "부서", choices: departments)
        return [
            StepForm(
                name: "endorse", label: "동의 수 기록", type: .endorsed, task: .endorse,
                fields: [FormField(field: "count", label: "새 동의 (명)", number: true)]
            ) { form throws(FormProblem) in .endorse(count: try form.number("count", "새 동의")) },
            StepForm(name: "review", label: "검토·부서 배정", type: .reviewed, task: .review, fields: [departmentField]) {
                form throws(FormProblem) in .review(department: try form.text("department", "부서"))
            },
            StepForm(
                name: "visit", label: "현장 확인", type: .visited, task: .visit,
                fields: [
                    FormField(field: "place", label: "장소"),
                    FormField(field: "findings", label: "확인한 내용", required: false, long: true),
                ]
            ) { form throws(FormProblem) in
                .visit(Visited(place: try form.text("place", "장소"), findings: form.optional("findings")))
            },
            StepForm(
                name: "answer", label: "답변", type: .answered, task: .answer,
                fields: [
                    FormField(field: "summary", label: "답변 요지", long: true),
                    FormField(
                        field: "by", label: "답변 주체",
                        choices: Answerer.allCases.reversed().map { ($0.rawValue, DeskWords.answerer($0)) }),
                ]
            ) { form throws(FormProblem) in
                .answer(summary: try form.text("summary", "답변 요지"), by: try form.choice("by", "답변 주체", as: Answerer.self))
            },
            StepForm(
                name: "reflect", label: "반영 결과 기록", type: .reflected, task: .reflect,
                fields: [
                    FormField(
                        field: "outcome", label: "결과", choices: Outcome.allCases.map { ($0.rawValue, KoreanLabels.outcome($0)) }),
                    FormField(field: "policy", label: "반영 사업", required: false),
                ]
            ) { form throws(FormProblem) in
                .reflect(Reflected(outcome: try form.choice("outcome", "결과", as: Outcome.self), policy: form.optional("policy")))
            },
            StepForm(
                name: "extend", label: "처리 기간 연장", type: .extended, task: .extend,
                fields: [
                    FormField(field: "days", label: "연장 일수", number: true),
                    FormField(field: "reason", label: "사유 (청원인에게 알림)", long: true),
                ]
            ) { form throws(FormProblem) in
                .extend(Extended(days: try form.number("days", "연장 일수"), reason: try form.text("reason", "사유")))
            },
            StepForm(
                name: "transfer", label: "다른 부서로 이송", type: .transferred, task: .transfer,
                fields: [departmentField, FormField(field: "reason", label: "사유", required: false)]
            ) { form throws(FormProblem) in
                .transfer(Transferred(department: try form.text("department", "부서"), reason: form.optional("reason")))
            },
            StepForm(
                name: "decline", label: "불수리", type: .declined, task: .decline,
                fields: [
                    FormField(
                        field: "ground", label: "사유 (청원법 제6조)",
                        choices: DeclineGround.allCases.map { ($0.rawValue, KoreanLabels.ground($0)) }),
                    FormField(field: "reason", label: "설명", required: false, long: true),
                ]
            ) { form throws(FormProblem) in
                .decline(ground: try form.choice("ground", "사유", as: DeclineGround.self), reason: form.optional("reason"))
            },
            StepForm(
                name: "request-erasure", label: "개인정보 파기 요청", type: .erasureRequested, task: .requestErasure,
                fields: [
                    FormField(field: "reason", label: "사유", long: true),
                    FormField(field: "request", label: "정보주체의 요청 번호 (요청에 따른 파기일 때)", required: false),
                ]
            ) { form throws(FormProblem) in
                .erasePersonalData(reason: try form.text("reason", "사유"), request: form.optional("request"))
            },
            StepForm(
                name: "approve-erasure", label: "파기 승인 (키 폐기)", type: .personalDataErased, task: .decideErasure,
                fields: []
            ) { _ throws(FormProblem) in .approveErasure },
            StepForm(
                name: "decline-erasure", label: "파기 요청 반려", type: .erasureDeclined, task: .decideErasure,
                fields: [FormField(field: "reason", label: "반려 사유", long: true)]
            ) { form throws(FormProblem) in .declineErasure(reason: try form.text("reason", "반려 사유")) },
            StepForm(
                name: "withdraw", label: "취하 기록", type: .withdrawn, task: .withdraw,
                fields: [FormField(field: "reason", label: "사유", required: false)]
            ) { form throws(FormProblem) in .withdraw(Withdrawn(reason: form.optional("reason"))) },
        ]
    }

    /// Forms that open a new case.
    static func creations(policy: Policy) -> [StepForm] {
        [
            StepForm(
                name: "petition", label: "청원 접수", type: .petitionFiled, task: .filePetition,
                fields: [
                    FormField(field: "title", label: "제목"),
                    FormField(field: "category", label: "분야", choices: policy.petitionCategories.map { ($0, $0) }),
                    FormField(field: "body", label: "내용 (개인정보로 봉인됨)", required: false, long: true),
                    FormField(field: "petitioner", label: "청원인 (봉인됨)", required: false),
                    FormField(field: "contact", label: "연락처 (봉인됨)", required: false),
                ]
            ) { form throws(FormProblem) in
                .filePetition(
                    PetitionFiled(
                        title: try form.text("title", "제목"), category: try form.text("category", "분야"),
                        body: form.optional("body"), petitioner: form.optional("petitioner"), contact: form.optional("contact")))
            },
            StepForm(
                name: "session", label: "현장 소통 기록", type: .sessionHeld, task: .holdSession,
                fields: [
                    FormField(
                        field: "kind", label: "종류", choices: SessionKind.allCases.map { ($0.rawValue, KoreanLabels.session($0)) }),
                    FormField(field: "field", label: "분야"),
                    FormField(field: "attendees", label: "참석 구민 (명)", number: true),
                    FormField(field: "theme", label: "주제", required: false),
                    FormField(field: "place", label: "장소", required: false),
                ]
            ) { form throws(FormProblem) in
                .holdSession(
                    SessionHeld(
                        kind: try form.choice("kind", "종류", as: SessionKind.self), field: try form.text("field", "분야"),
                        attendees: try form.number("attendees", "참석 구민"), theme: form.optional("theme"),
                        place: form.optional("place")))
            },
            StepForm(
                name: "proposal", label: "제안 접수", type: .proposalFiled, task: .fileProposal,
                fields: [
                    FormField(field: "session", label: "받은 모임 (SES-2019-001 같은 번호)"),
                    FormField(field: "title", label: "제목"),
                    FormField(field: "proposer", label: "제안자 (봉인됨)", required: false),
                ]
            ) { form throws(FormProblem) in
                .fileProposal(
                    ProposalFiled(
                        session: try form.caseID("session", "받은 모임"), title: try form.text("title", "제목"),
                        proposer: form.optional("proposer")))
            },
            StepForm(
                name: "record", label: "소통 기록 게시", type: .recordPosted, task: .postRecord,
                fields: [
                    FormField(field: "title", label: "제목"),
                    FormField(field: "about", label: "관련 사건 번호 (띄어 쓰기로 구분)", required: false),
                ]
            ) { form throws(FormProblem) in
                let about = (form.optional("about") ?? "").split(whereSeparator: \.isWhitespace).map { CaseID(String($0)) }
                if let wrong = about.first(where: { !$0.isWellFormed }) {
                    throw FormProblem("관련 사건 번호 \(wrong)는 사건 번호가 아닙니다 (about)")
                }
                return .postRecord(RecordPosted(title: try form.text("title", "제목"), about: about))
            },
        ]
    }
}
