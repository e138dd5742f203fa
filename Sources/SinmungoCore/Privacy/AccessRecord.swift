/// What was done with a person's data (개인정보의 안전성 확보조치 기준 §8: 열람, 수정, 입력,
/// 삭제, 출력, 다운로드), and the privacy officer's monthly check of the records.
public enum AccessTask: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case view
    case change
    case input
    case erase
    case print
    case download
    /// Not an opening: the record that the month's records were checked, by whom and when.
    case monthlyCheck = "monthly-check"

    public var description: String { rawValue }

    /// Prints and downloads carry personal data out of the system: their reason is required.
    public var needsReason: Bool { self == .print || self == .download }
}

/// One access record (접속기록): who opened whose data, when, from where, and for what.
public struct AccessRecord: Equatable, Sendable {
    /// Position in the access records: 1, 2, 3, … with no gaps.
    public var sequence: Int64
    public var at: Instant
    /// The operating-system account or database login that opened the data.
    public var account: String
    /// The officer the account acted as, when the roster knows.
    public var officer: String
    /// The machine the command ran on.
    public var host: String
    /// The case whose person's data was opened; nil for a monthly check.
    public var caseID: CaseID?
    /// The person's key id, never their name: the record itself holds no personal data.
    public var person: String?
    public var task: AccessTask
    public var reason: String?

    public init(
        sequence: Int64 = 0, at: Instant, account: String, officer: String, host: String, caseID: CaseID?,
        person: String?, task: AccessTask, reason: String? = nil
    ) {
        self.sequence = sequence
        self.at = at
        self.account = account
        self.officer = officer
        self.host = host
        self.caseID = caseID
        self.person = person
        self.task = task
        self.reason = reason
    }
}

/// Where a backend keeps its access records: outside the case log and its views, chained so
/// that a changed, inserted or deleted record is caught, and pruned only from the oldest end.
public protocol AccessRecordLog: Sendable {
    /// Appends `record` after the last one, chained to it; returns it with its sequence.
    func recordAccess(_ record: AccessRecord) throws -> AccessRecord
    /// The records with `at` in `range`, in order.
    func accessRecords(in range: Range<Instant>) throws -> [AccessRecord]
    /// Checks the whole chain, and that it still holds `anchor` (a head kept earlier, as a
    /// signed anchor keeps it); returns its head, or throws `AccessRecordFailure` at the first
    /// record that is wrong.
    func verifyAccessRecords(against anchor: LogAnchor?) throws -> AccessRecordsVerified
    /// The last record's sequence and hash (0 and 32 zero bytes before any): what an anchor keeps.
    func accessRecordHead() throws -> LogAnchor
    /// Deletes the records older than `cutoff`, keeping the chain checkable from the first
    /// one left; returns how many went.
    func pruneAccessRecords(before cutoff: Instant) throws -> Int
}

extension AccessRecordLog {
    /// Checks the whole chain; returns the last sequence, or throws `AccessRecordFailure`
    /// at the first record that is wrong.
    public func verifyAccessRecords() throws -> Int64 {
        try verifyAccessRecords(against: nil).head.sequence
    }
}

/// What verifying the access records found: the chain's head, and whether an anchor given
/// to it lay before the records left after pruning, so that it could not be checked.
public struct AccessRecordsVerified: Equatable, Sendable {
    public var head: LogAnchor
    public var anchorPruned: Bool

    public init(head: LogAnchor, anchorPruned: Bool = false) {
        self.head = head
        self.anchorPruned = anchorPruned
    }
}

/// This login may not read the access records (on a server, only auditors and privacy
/// officers do), so they were not checked.
public struct AccessRecordsUnreadable: Error, Equatable, Sendable, CustomStringConvertible {
    public var login: String

    public init(login: String) {
        self.login = login
    }

    public var description: String {
        "the access records were not checked: the login \(login) may not read them (auditors and privacy officers do)"
    }
}

/// An access record that is not as it was written, or is missing.
public struct AccessRecordFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var sequence: Int64
    public var problem: String

    public init(sequence: Int64, problem: String) {
        self.sequence = sequence
        self.problem = problem
    }

    public var description: String {
        "access record \(sequence): \(problem); the access records were tampered with"
    }
}

extension Policy {
    /// The first moment whose access records must still be kept on `today`.
    public func accessRecordCutoff(today: CivilDate) -> Instant {
        let kept = CivilDate(year: today.year - accessRecordRetentionYears, month: today.month, day: min(today.day, 28))
        return kept.map { Instant(kst: $0) } ?? Instant(secondsSinceEpoch: 0)
    }
}
