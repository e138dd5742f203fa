/// Small-cell suppression for published aggregates: a count from 1 to `threshold − 1` could
/// identify someone, so it is blanked, and so are the rates and medians of a group whose answers
/// are that few, since they identify as surely as the count they come from.
public struct SmallCellSuppression: Equatable, Sendable {
    /// Counts below it (and above zero) are blanked; nil blanks nothing.
    public let threshold: Int?

    public static let none = SmallCellSuppression(uncheckedBelow: nil)

    /// Nil when `threshold` is below 1, which would blank nothing or everything.
    public init?(below threshold: Int?) {
        if let threshold, threshold < 1 { return nil }
        self.threshold = threshold
    }

    private init(uncheckedBelow threshold: Int?) {
        self.threshold = threshold
    }

    /// Whether a count is blanked. Zero is never blanked: it identifies no one.
    public func hides(_ count: Int) -> Bool {
        guard let threshold else { return false }
        return count > 0 && count < threshold
    }

    /// The count as published: nil when it is blanked.
    public func published(_ count: Int) -> Int? {
        hides(count) ? nil : count
    }

    /// Whether a group's rate of answers on time and its days to answer are blanked.
    public func hidesRates(of figures: MonthFigures) -> Bool {
        hides(figures.answered)
    }
}
