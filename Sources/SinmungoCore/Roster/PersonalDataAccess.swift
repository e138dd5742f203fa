/// Who may open a case's personal data, and the access record each opening leaves: the one
/// rule for `show` and every future screen, print or export, on every backend.
public enum PersonalDataAccess {
    /// The officer to record as opening the personal data of a case with `caseDepartment`,
    /// or why they may not. `actor` is the officer the reader named, if any; without one, the
    /// officer the roster ties to `account`. An empty roster allows anyone, named by the
    /// actor or else by the account, as before the roster began.
    public static func reader(
        roster: Roster, actor: String?, account: String, task: Task = .openPersonalData, caseDepartment: String?,
        case id: CaseID?
    ) throws(AccessRefusal) -> String {
        guard roster.checksOfficers else { return actor ?? account }
        let tied = roster.officers(forAccount: account)
        guard let officer = actor ?? (tied.count == 1 ? tied[0] : nil) else {
            throw AccessRefusal(
                "the account \(account) acts as no single officer on the roster: name the officer reading with --actor or $SINMUNGO_ACTOR"
            )
        }
        try roster.authorize(officer: officer, account: account, task: task, caseDepartment: caseDepartment, case: id)
        return officer
    }

    /// The record of `officer`, from `account` on `host`, opening the data of the person of
    /// a case whose data is in `holding`; nil when there is nothing to open.
    public static func record(
        opening holding: PersonalDataHolding, of id: CaseID, at: Instant, account: String, officer: String, host: String,
        task: AccessTask = .view, reason: String? = nil
    ) -> AccessRecord? {
        let person: String?
        switch holding {
        case .sealed(let sealed): person = sealed
        case .legacy: person = nil
        case .none, .erased: return nil
        }
        return AccessRecord(
            at: at, account: account, officer: officer, host: host, caseID: id, person: person, task: task, reason: reason)
    }
}
