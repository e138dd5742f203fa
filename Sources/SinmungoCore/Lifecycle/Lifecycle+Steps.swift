extension Lifecycle {
    /// Whether a step of this type may follow the case as it stands now. Front ends offer only
    /// these steps; the decider still checks each one when it is taken.
    public static func allows(_ type: EventType, on state: CaseState) -> Bool {
        guard let rule = rule(for: type), state.exists, let kind = state.kind, let status = state.status else { return false }
        return rule.kinds.contains(kind) && rule.from.contains(status)
    }
}
