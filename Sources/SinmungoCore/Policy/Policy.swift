/// Every number and list the rules depend on, in one place, with Yeongdeungpo-gu's values
/// as the default. Another district sets its own; nothing else in the engine holds a threshold.
public struct Policy: Codable, Equatable, Sendable {
    /// Endorsements (공감) a petition needs to be owed a mayoral answer.
    public var endorsementThreshold: Int
    /// Days after filing during which endorsements count.
    public var endorsementWindowDays: Int
    /// Days the mayor has to answer a qualified petition, counted from qualifying.
    public var mayoralAnswerDays: Int
    /// Days the department has to answer an unqualified petition after its window closes.
    public var departmentAnswerDays: Int
    /// Calendar days for the statutory result (청원법).
    public var statutoryResultDays: Int
    /// Longest single extension of the statutory period, in days.
    public var statutoryExtensionMaxDays: Int
    /// Months to decide whether to adopt a proposal (국민 제안 규정).
    public var proposalDecisionMonths: Int
    /// The board's petition categories.
    public var petitionCategories: [String]
    /// Fields an outreach session can be held in.
    public var outreachFields: [String]
    /// Fields a town hall meeting can be held in.
    public var townhallFields: [String]
    /// How long each record series is kept once its case has closed.
    public var retention: RetentionSchedule
    /// Ceilings on counts, the earliest business time and text lengths.
    public var limits = InputLimits.yeongdeungpo
    /// Years the access records (접속기록) are kept: at least one, two for a system holding
    /// 50,000 people or more (안전성 확보조치 기준 §8), as the district's board does.
    public var accessRecordRetentionYears = 2

    public init(
        endorsementThreshold: Int,
        endorsementWindowDays: Int,
        mayoralAnswerDays: Int,
        departmentAnswerDays: Int,
        statutoryResultDays: Int,
        statutoryExtensionMaxDays: Int,
        proposalDecisionMonths: Int,
        petitionCategories: [String],
        outreachFields: [String],
        townhallFields: [String],
        retention: RetentionSchedule
    ) {
        self.endorsementThreshold = endorsementThreshold
        self.endorsementWindowDays = endorsementWindowDays
        self.mayoralAnswerDays = mayoralAnswerDays
        self.departmentAnswerDays = departmentAnswerDays
        self.statutoryResultDays = statutoryResultDays
        self.statutoryExtensionMaxDays = statutoryExtensionMaxDays
        self.proposalDecisionMonths = proposalDecisionMonths
        self.petitionCategories = petitionCategories
        self.outreachFields = outreachFields
        self.townhallFields = townhallFields
        self.retention = retention
    }

    /// 영등포신문고's rules as published, and the fields of the district's 2019 sessions.
    public static let yeongdeungpo = Policy(
        endorsementThreshold: 1000,
        endorsementWindowDays: 30,
        mayoralAnswerDays: 20,
        departmentAnswerDays: 10,
        statutoryResultDays: 90,
        statutoryExtensionMaxDays: 60,
        proposalDecisionMonths: 1,
        petitionCategories: ["생활환경·교통안전", "도시", "복지보건·다문화", "교육문화", "자치행정", "지역경제·일자리"],
        outreachFields: ["교육문화", "경제도시", "생활환경", "보건복지", "기타"],
        townhallFields: ["교육", "문화", "경제", "보건복지", "생활환경", "안전", "구정전반"],
        retention: RetentionSchedule(petition: 10, proposal: 10, session: 30, record: nil)
    )

    public func fields(for kind: SessionKind) -> [String] {
        switch kind {
        case .outreach: outreachFields
        case .townhall: townhallFields
        }
    }
}

/// Years each record series is kept (1, 3, 5, 10, 30, or nil for permanent), counted from
/// 1 January of the year after the case closed (공공기록물 관리에 관한 법률).
public struct RetentionSchedule: Codable, Equatable, Sendable {
    public var petition: Int?
    public var proposal: Int?
    public var session: Int?
    public var record: Int?

    public init(petition: Int?, proposal: Int?, session: Int?, record: Int?) {
        self.petition = petition
        self.proposal = proposal
        self.session = session
        self.record = record
    }

    /// Years the series of this kind is kept; nil when it is kept permanently.
    public func years(for kind: CaseKind) -> Int? {
        switch kind {
        case .petition: petition
        case .proposal: proposal
        case .session: session
        case .record: record
        }
    }

    /// The first day a case closed on `closed` is no longer kept, or nil when kept permanently.
    public func expiry(of kind: CaseKind, closedOn closed: CivilDate) -> CivilDate? {
        years(for: kind).flatMap { CivilDate(year: closed.year + 1 + $0, month: 1, day: 1) }
    }
}
