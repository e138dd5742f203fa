import SinmungoCore
import SinmungoReport
import SinmungoViews

/// The desk's Korean words for the library's values.
enum DeskWords {
    static func kind(_ kind: CaseKind) -> String {
        switch kind {
        case .petition: "청원"
        case .proposal: "제안"
        case .session: "현장 소통"
        case .record: "소통 기록"
        }
    }

    static func status(_ status: CaseStatus) -> String {
        switch status {
        case .filed: "접수"
        case .reviewed: "검토 중"
        case .visited: "현장 확인"
        case .answered: "답변 완료"
        case .reflected: "반영 결과 기록"
        case .declined: "불수리"
        case .withdrawn: "취하"
        case .duplicate: "중복 종결"
        case .held: "개최"
        case .posted: "게시"
        case .sentToOffice: "타 기관 이송"
        }
    }

    /// Said after a deadline counted through a year whose holiday calendar is provisional.
    static let provisional = "(잠정 달력)"

    static func deadline(_ kind: Deadline.Kind) -> String {
        switch kind {
        case .endorsementWindow: "동의 기간 종료"
        case .mayoralAnswer: "구청장 답변"
        case .departmentAnswer: "부서 답변"
        case .statutoryResult: "처리 결과 통지"
        case .proposalDecision: "채택 여부 결정"
        }
    }

    static func role(_ role: Role) -> String {
        switch role {
        case .officer: "담당자"
        case .teamLead: "팀장"
        case .privacyOfficer: "개인정보 보호책임자"
        case .auditor: "감사"
        case .statisticsStaff: "통계 담당"
        case .administrator: "관리자"
        }
    }

    static func accessTask(_ task: AccessTask) -> String {
        switch task {
        case .view: "열람"
        case .change: "수정"
        case .input: "입력"
        case .erase: "삭제"
        case .print: "출력"
        case .download: "다운로드"
        case .monthlyCheck: "월간 점검"
        }
    }

    static func accessFlag(_ flag: AccessFlag) -> String {
        switch flag {
        case .manyPersons: "하루에 많은 사람 열람"
        case .outsideHours: "근무 시간 밖"
        case .outsideDepartment: "담당 부서 밖"
        case .download: "반출(다운로드·출력)"
        }
    }

    static func answerer(_ answerer: Answerer) -> String {
        answerer == .mayor ? "구청장" : "담당 부서"
    }

    static func time(_ instant: Instant) -> String {
        "\(instant.kstDate) \(String(instant.description.dropFirst(11).prefix(5)))"
    }

    /// One step of a case as a sentence, without personal data.
    static func sentence(_ event: CaseEvent, roster: Roster) -> String {
        func department(_ id: String) -> String { roster.name(ofDepartment: id) }
        switch event {
        case .petitionFiled(let filed): return "청원 「\(filed.title)」을(를) \(filed.category) 분야로 접수"
        case .endorsed(let endorsed): return "동의 \(grouped(endorsed.count))명 기록"
        case .qualified(let qualified): return "동의 \(grouped(qualified.endorsements))명으로 구청장 답변 대상이 됨"
        case .sessionHeld(let held):
            return "\(KoreanLabels.session(held.kind)) 개최: \(held.field)\(held.theme.map { " (\($0))" } ?? ""), 참석 \(grouped(held.attendees))명"
        case .proposalFiled(let filed): return "제안 「\(filed.title)」 접수 (\(filed.session))"
        case .reviewed(let reviewed): return "검토하여 \(department(reviewed.department))에 배정"
        case .declined(let declined):
            return "불수리: \(KoreanLabels.ground(declined.ground))\(declined.reason.map { " - \($0)" } ?? "")"
        case .visited(let visited): return "현장 확인: \(visited.place)\(visited.findings.map { " - \($0)" } ?? "")"
        case .answered(let answered): return "\(answerer(answered.by)) 답변: \(answered.summary)"
        case .reflected(let reflected):
            return "반영 결과 \(KoreanLabels.outcome(reflected.outcome))\(reflected.policy.map { " - \($0)" } ?? "")"
        case .transferred(let transferred):
            return "\(department(transferred.department))(으)로 이송\(transferred.reason.map { " - \($0)" } ?? "")"
        case .withdrawn(let withdrawn): return "취하\(withdrawn.reason.map { " - \($0)" } ?? "")"
        case .markedDuplicate(let duplicate): return "\(duplicate.of)와(과) 중복으로 종결"
        case .recordPosted(let posted): return "소통 기록 「\(posted.title)」 게시"
        case .corrected(let corrected): return "정정: \(corrected.field) - \(corrected.reason)"
        case .extended(let extended): return "처리 기간 \(extended.days)일 연장 - \(extended.reason)"
        case .personalDataErased: return "개인정보 파기"
        case .erasureRequested(let requested): return "개인정보 파기 요청 - \(requested.reason)"
        case .erasureDeclined(let declined): return "개인정보 파기 요청 반려 - \(declined.reason)"
        case .roster: return "조직·권한 변경"
        case .sentToOffice(let sent): return "\(sent.office)(으)로 이송 (\(sent.receivedAs)) - \(sent.reason)"
        case .receivedFromOffice(let received): return "\(received.office)에서 이송받음 (\(received.sentAs)) - \(received.reason)"
        }
    }
}
