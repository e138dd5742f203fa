/// When a person's data may be destroyed: once the case's retention period has ended, or
/// earlier on the data subject's own request (개인정보 보호법 §36), once the case is closed
/// or withdrawn. Records must be kept for their period otherwise (공공기록물 관리에 관한 법률).
public enum ErasureRule {
    /// Refuses an erasure dated `day` that neither ground allows, naming the rule it breaks.
    /// The retention period is policy, so the decider checks it; the request's conditions
    /// hold for imported history too (`Lifecycle`).
    public static func check(_ state: CaseState, request: String?, on day: CivilDate, policy: Policy) throws {
        guard let kind = state.kind, let status = state.status else { throw Refusal.noSuchCase(state.id) }
        if let request {
            try checkRequest(request, of: state)
            return
        }
        let requestHint = "before then only the data subject's request (개인정보 보호법 §36, --request REF) allows it"
        guard status.isClosed, let closedOn = state.closedAt?.kstDate else {
            throw Refusal.invalidValue(
                case: state.id, field: "erasure",
                problem:
                    "is refused: the \(kind) is \(status), and its records are kept until the retention period after closing ends; \(requestHint), once the case is closed or withdrawn"
            )
        }
        guard let expiry = policy.retention.expiry(of: kind, closedOn: closedOn), let years = policy.retention.years(for: kind)
        else {
            throw Refusal.invalidValue(
                case: state.id, field: "erasure",
                problem:
                    "is refused: the records of a \(kind) are kept permanently; only the data subject's request (개인정보 보호법 §36, --request REF) allows it"
            )
        }
        guard day >= expiry else {
            throw Refusal.invalidValue(
                case: state.id, field: "erasure",
                problem:
                    "is refused: the retention period of this \(kind) (\(years) years from 1 January after it closed on \(closedOn)) ends on \(expiry); \(requestHint)"
            )
        }
    }

    /// An erasure on the data subject's request needs the request's reference and a closed case.
    public static func checkRequest(_ request: String, of state: CaseState) throws {
        guard !request.allSatisfy(\.isWhitespace) else {
            throw Refusal.invalidValue(
                case: state.id, field: "request", problem: "must name the data subject's request (e.g. its receipt number)")
        }
        if let status = state.status, !status.isClosed {
            throw Refusal.invalidValue(
                case: state.id, field: "erasure",
                problem:
                    "on the data subject's request (개인정보 보호법 §36) needs the case closed or withdrawn first; it is \(status)")
        }
    }
}
