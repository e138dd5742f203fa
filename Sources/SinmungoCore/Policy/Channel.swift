/// The way a case reached the district: the online board, an outreach session or a town hall.
/// Statistics group by it, and the report charts it; its name is how the district calls it.
public enum Channel: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case board
    case outreach
    case townhall

    /// A session's channel, and the channel of the proposals made at it.
    public init(_ session: SessionKind) {
        switch session {
        case .outreach: self = .outreach
        case .townhall: self = .townhall
        }
    }

    /// The district's name for it, as statistics and reports print it.
    public var name: String {
        switch self {
        case .board: "영등포신문고"
        case .outreach: "찾아가는 영등포1번가"
        case .townhall: "타운홀미팅"
        }
    }

    public var description: String { name }
}
