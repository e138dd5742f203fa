import Testing

@testable import SinmungoStore

/// A replay takes each event's type and actor from `RepeatedStrings`: a wrong hit would give
/// an event another officer's name.
@Suite("Strings a replay makes once")
struct RepeatedStringsTests {
    /// Officers' names, more than a small table keeps, some of one length, some the same but
    /// for one byte, in several scripts; asked many times in a shuffled order.
    static let names: [String] =
        (0..<300).map { "officer-\($0)" } + ["김민원", "김민원1", "이영등", "", "a", "b", "민원", "PET-2019-0001"]

    @Test(arguments: [2, 8, 1024])
    func everyStringIsTheOneItsBytesSpell(slots: Int) {
        var repeated = RepeatedStrings(slots: slots)
        var generator = SystemRandomNumberGenerator()
        let asked = (0..<5).flatMap { _ in Self.names }.shuffled(using: &generator)
        for name in asked {
            let made = Array(name.utf8).withUnsafeBufferPointer { repeated.string($0) }
            #expect(Array(made.utf8) == Array(name.utf8), "asked \(name), given \(made)")
        }
    }
}
