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
        townhallFields: [String]
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
        townhallFields: ["교육", "문화", "경제", "보건복지", "생활환경", "안전", "구정전반"]
    )

    public func fields(for kind: SessionKind) -> [String] {
        switch kind {
        case .outreach: outreachFields
        case .townhall: townhallFields
        }
    }
}
