import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews
import Testing

/// A seeded mutation fuzzer for `import`: real lines from the 2019 log, broken in random ways.
/// Every input must be imported whole or refused with an `ImportRefusal` that leaves the log
/// empty; anything else (a crash, another error, a partial write) fails the test.
/// `SINMUNGO_FUZZ_SECONDS` runs it for that long instead of `SINMUNGO_FUZZ_ITERATIONS` (400).
@Suite("Fuzzing import with mutated logs")
struct ImportMutationTests {
    static let lines: [Data] = {
        let text = (try? Data(contentsOf: fixturesFolder.appendingPathComponent("yeongdeungpo-2019.jsonl"))) ?? Data()
        return text.split(separator: UInt8(ascii: "\n")).map { Data($0) }
    }()

    static let interesting: [[UInt8]] = [
        [0], [0xFF], [0xC3], Array("\"".utf8), Array("{".utf8), Array("}".utf8), Array("\n".utf8), Array("\\u0000".utf8),
        Array("-1".utf8), Array("99999999999999999999".utf8), Array("null".utf8), Array("[]".utf8),
        Array("'); DROP TABLE event; --".utf8),
        Array(String(repeating: "가", count: 400).utf8), Array("2019-02-30T10:00:00+09:00".utf8), Array("PET-2019-0001".utf8),
    ]

    func mutate(_ input: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &random)))
            case 2: bytes.insert(contentsOf: Self.interesting.randomElement(using: &random)!, at: at)
            case 3: bytes = Array(bytes.prefix(at))
            case 4:
                // Repeat a whole line elsewhere: repeated command ids, versions out of order.
                let lines = bytes.split(separator: UInt8(ascii: "\n"))
                if let line = lines.randomElement(using: &random) { bytes.insert(contentsOf: Array(line) + [10], at: at) }
            default:
                // Swap two lines.
                var lines = bytes.split(separator: UInt8(ascii: "\n")).map(Array.init)
                if lines.count > 1 {
                    lines.swapAt(Int.random(in: 0..<lines.count, using: &random), Int.random(in: 0..<lines.count, using: &random))
                    bytes = Array(lines.joined(separator: [10]))
                }
            }
        }
        return bytes
    }

    @Test
    func everyMutatedLogIsImportedWholeOrRefusedWithNothingWritten() throws {
        try #require(Self.lines.count > 1000)
        let environment = ProcessInfo.processInfo.environment
        let seconds = environment["SINMUNGO_FUZZ_SECONDS"].flatMap(Double.init)
        let iterations = environment["SINMUNGO_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 400
        let deadline = Date().addingTimeInterval(seconds ?? .infinity)
        var random = SeededGenerator(seed: environment["SINMUNGO_FUZZ_SEED"].flatMap(UInt64.init) ?? 2019)
        var refused = 0
        var imported = 0
        var round = 0
        while seconds == nil ? round < iterations : Date() < deadline {
            round += 1
            // A run of real lines from the start of the log, so that most of the input is valid.
            let count = Int.random(in: 1...30, using: &random)
            let input = Array(Self.lines.prefix(count).joined(separator: [10]))
            let mutated = Data(mutate(input, &random))
            let store = try SQLiteEventStore.inMemory(projections: caseViews)
            do {
                try store.importLog(mutated, source: "mutated.jsonl")
                try store.verify()
                imported += 1
            } catch is ImportRefusal {
                #expect(try store.head().sequence == 0, "round \(round): a refused import left events behind")
                refused += 1
            } catch {
                // Enough to reproduce it: the input itself, written out, and the round.
                let saved = FileManager.default.temporaryDirectory.appendingPathComponent("sinmungo-fuzz-\(round).jsonl")
                try? mutated.write(to: saved)
                Issue.record("round \(round): \(error); the input is in \(saved.path)")
                break
            }
        }
        // Seen once by hand: most inputs are refused, and some mutations are harmless.
        #expect(refused > round / 2)
        print("import fuzzing: \(round) inputs, \(refused) refused, \(imported) imported whole")
    }
}
