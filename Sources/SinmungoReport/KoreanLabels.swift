import SinmungoCore

/// The words a Korean reader of the district's papers expects, one place for the report, the
/// statistics export and the desk.
public enum KoreanLabels {
    public static func ground(_ ground: DeclineGround) -> String {
        switch ground {
        case .secret: "국가기밀·공무상 비밀"
        case .proceedingsPending: "감사·수사·재판 등 진행 중"
        case .falseAccusation: "허위 사실로 타인을 처벌받게 하는 내용"
        case .falseAgainstAgency: "허위 사실로 국가기관을 중상모략하는 내용"
        case .privateMatter: "사인 간 권리관계·개인 사생활"
        case .unclear: "청원인 인적사항·청원 내용 불분명"
        }
    }

    public static func outcome(_ outcome: Outcome) -> String {
        switch outcome {
        case .adopted: "채택"
        case .partlyAdopted: "일부 채택"
        case .notAdopted: "불채택"
        case .longTerm: "장기 검토"
        }
    }

    public static func session(_ kind: SessionKind) -> String {
        Channel(kind).name
    }

    /// Korean headers for the columns `sinmungo stats` writes, for readers of a spreadsheet;
    /// a name not listed here is printed as it is.
    public static func statisticsColumn(_ name: String) -> String {
        if let label = statisticsColumns[name] { return label }
        if name.hasPrefix("declined_"), let ground = DeclineGround(rawValue: String(name.dropFirst("declined_".count))) {
            return "불수리(\(self.ground(ground)))"
        }
        if name.hasPrefix("reflected_"), let outcome = Outcome(rawValue: String(name.dropFirst("reflected_".count))) {
            return "정책 반영(\(self.outcome(outcome)))"
        }
        return name
    }

    static let statisticsColumns: [String: String] = [
        "month": "월", "category": "분야", "channel": "경로", "department": "부서", "field": "분야(모임)", "kind": "종류",
        "received": "접수(건)", "reviewed": "검토(건)", "declined": "불수리(건)", "site_visits": "현장 확인(건)",
        "answered": "답변(건)", "answered_within_deadline": "기한 내 답변(건)", "withdrawn": "취하(건)",
        "sent_to_office": "이송 보냄(건)", "received_from_office": "이송 받음(건)",
        "open_at_month_end": "월말 처리 중(건)", "overdue_at_month_end": "월말 기한 경과(건)",
        "deadline_not_computable": "기한 계산 불가(건)", "endorsements": "동의(명)",
        "outreach_sessions": "찾아가는 영등포1번가(회)", "outreach_attendees": "찾아가는 영등포1번가 참석(명)",
        "townhalls": "타운홀미팅(회)", "townhall_attendees": "타운홀미팅 참석(명)",
        "answered_within_deadline_pct": "기한 내 답변율(%)", "median_days_to_answer": "답변 소요일 중앙값(일)",
        "p90_days_to_answer": "답변 소요일 90백분위(일)", "log_seq": "로그 순번", "log_head": "로그 해시",
        "policy_sha256": "정책 SHA-256", "program": "프로그램",
    ]
}
