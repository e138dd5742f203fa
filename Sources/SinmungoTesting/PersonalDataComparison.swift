import SinmungoCore

extension EventStore {
    /// Each case's personal data as this store opens it: two stores that took the same log,
    /// in different ways, must open the same.
    public func personalData(of cases: some Sequence<CaseID>) throws -> [CaseID: PersonalDataStatus] {
        var opened: [CaseID: PersonalDataStatus] = [:]
        for caseID in cases { opened[caseID] = try personalData(of: caseID) }
        return opened
    }
}
