/// What a person in the office is allowed to do, by task (개인정보의 안전성 확보조치 기준 §5:
/// access rights granted per person and per task).
public enum Role: String, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
    /// Takes the steps of the cases of their department (담당자).
    case officer
    /// An officer who may also decline a petition or extend its period (팀장).
    case teamLead = "team-lead"
    /// Checks the access records monthly and approves erasures (개인정보 보호책임자·분야별 책임자).
    case privacyOfficer = "privacy-officer"
    /// Reads the log and verifies it; never writes, never opens personal data.
    case auditor
    /// Reads aggregates only: counts, statistics and reports.
    case statisticsStaff = "statistics-staff"
    /// Keeps the roster and signs the office's anchors.
    case administrator

    public var description: String { rawValue }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Everything a person can do with the system that the roster controls: the steps of a case,
/// the readings of personal data, and the work on the log itself.
public enum Task: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case filePetition = "file-petition"
    case endorse
    case holdSession = "hold-session"
    case fileProposal = "file-proposal"
    case review
    case decline
    case visit
    case answer
    case reflect
    case transfer
    case withdraw
    case markDuplicate = "mark-duplicate"
    case postRecord = "post-record"
    case correct
    case extend
    /// Asks for a case's personal data to be destroyed (the first of two people).
    case requestErasure = "request-erasure"
    /// Approves or turns down such a request (the second person).
    case decideErasure = "decide-erasure"
    /// Opens a person's name, contact and petition body (`show`).
    case openPersonalData = "open-personal-data"
    /// Reads cases without personal data: lists, histories, deadlines.
    case readCases = "read-cases"
    /// Reads aggregates: counts, statistics, reports.
    case readStatistics = "read-statistics"
    /// Exports, verifies and anchors the log.
    case auditLog = "audit-log"
    /// Signs the office's head with its private key.
    case signAnchor = "sign-anchor"
    /// Grants, changes and removes roles; adds, renames and merges departments.
    case manageRoster = "manage-roster"
    /// The monthly check of the access records.
    case checkAccessRecords = "check-access-records"

    public var description: String { rawValue }

    /// True for the steps that act on a case of a department: an officer limited to some
    /// departments may take them only on those departments' cases.
    public var isDepartmental: Bool {
        switch self {
        case .endorse, .review, .decline, .visit, .answer, .reflect, .transfer, .withdraw, .markDuplicate, .correct,
            .extend, .requestErasure, .openPersonalData:
            true
        default: false
        }
    }
}

/// The one table of who may do what. Every backend and every front end asks it; nothing else
/// decides a permission.
public enum Permissions {
    private static let casework: Set<Role> = [.officer, .teamLead]
    private static let everyoneButStatistics: Set<Role> = [.officer, .teamLead, .privacyOfficer, .auditor, .administrator]

    /// Role × task: the roles that may do each task.
    public static let table: [Task: Set<Role>] = [
        .filePetition: casework,
        .endorse: casework,
        .holdSession: casework,
        .fileProposal: casework,
        .review: casework,
        .decline: [.teamLead],
        .visit: casework,
        .answer: casework,
        .reflect: casework,
        .transfer: casework,
        .withdraw: casework,
        .markDuplicate: casework,
        .postRecord: casework,
        .correct: casework,
        .extend: [.teamLead],
        .requestErasure: [.officer, .teamLead, .privacyOfficer],
        .decideErasure: [.privacyOfficer],
        .openPersonalData: [.officer, .teamLead, .privacyOfficer],
        .readCases: everyoneButStatistics,
        // Figures hold no personal data; an officer sees the office's as well as their own cases.
        .readStatistics: [.officer, .teamLead, .privacyOfficer, .auditor, .statisticsStaff, .administrator],
        .auditLog: [.auditor, .privacyOfficer, .administrator],
        .signAnchor: [.administrator],
        .manageRoster: [.administrator],
        .checkAccessRecords: [.privacyOfficer],
    ]

    /// The roles that may do `task`.
    public static func roles(for task: Task) -> Set<Role> {
        table[task] ?? []
    }

    /// Whether someone holding `roles` may do `task`.
    public static func allows(_ roles: some Sequence<Role>, _ task: Task) -> Bool {
        let allowed = self.roles(for: task)
        return roles.contains { allowed.contains($0) }
    }

    /// The task a case command is.
    public static func task(for command: CaseCommand) -> Task {
        switch command {
        case .filePetition: .filePetition
        case .endorse: .endorse
        case .holdSession: .holdSession
        case .fileProposal: .fileProposal
        case .review: .review
        case .decline: .decline
        case .visit: .visit
        case .answer: .answer
        case .reflect: .reflect
        case .transfer: .transfer
        case .withdraw: .withdraw
        case .markDuplicate: .markDuplicate
        case .postRecord: .postRecord
        case .correct: .correct
        case .extend: .extend
        case .erasePersonalData: .requestErasure
        case .approveErasure, .declineErasure: .decideErasure
        }
    }
}
