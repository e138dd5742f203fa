import Foundation
import SinmungoStore
import Testing

/// A seeded fuzzer for the command line: every command of the README, with arguments drawn
/// from plausible and hostile values, then shuffled, dropped and repeated. Whatever the input,
/// the tool must end with one of the documented exit statuses, never a trap, a signal or a
/// backtrace. `SINMUNGO_CLI_FUZZ_SECONDS` runs it for that long instead of
/// `SINMUNGO_CLI_FUZZ_ITERATIONS` (300) inputs; `Scripts/fuzz-cli.sh` is the long run.
@Suite("Fuzzing the command line")
struct CLIFuzzTests {
    static let documentedStatuses: Set<Int32> = [0, 64, 65, 66, 74, 75]

    /// Optional groups in brackets; `{pool}` draws a value from a pool.
    static let templates: [String] = [
        "init",
        "petition file --title {text} --category {category} [--body {text}] [--petitioner {text}] [--contact {text}] [--at {time}]",
        "petition endorse {id} --count {int} [--at {time}] [--expected-version {int}]",
        "session hold --kind {sessionKind} --field {field} --attendees {int} [--theme {text}] [--place {text}] [--at {time}]",
        "proposal file --session {id} --title {text} [--category {category}] [--proposer {text}] [--at {time}]",
        "review {id} --department {name} [--at {time}] [--actor {name}]",
        "review {id} --decline {ground} [--reason {text}] [--at {time}]",
        "visit {id} --place {text} [--findings {text}] [--with {name}] [--at {time}]",
        "answer {id} --summary {text} [--by {answerer}] [--expected-version {int}] [--at {time}]",
        "reflect {id} --outcome {outcome} [--policy {text}] [--at {time}]",
        "transfer {id} --department {name} [--reason {text}] [--at {time}]",
        "withdraw {id} [--reason {text}] [--at {time}]",
        "duplicate {id} --of {id} [--at {time}]",
        "record post --title {text} [--about {id}] [--at {time}]",
        "correct {id} --field {correctable} --value {value} --reason {text} [--at {time}]",
        "extend {id} --days {int} --reason {text} [--at {time}]",
        "erase {id} --reason {text} [--command-id {name}]",
        "erase {id} --approve [--actor {name}]",
        "erase {id} --decline --reason {text} [--actor {name}]",
        "show {id} [--as-of {time}] [--effective {time}] [--format {format}] [--actor {name}]",
        "list [--kind {caseKind}] [--status {status}] [--as-of {time}] [--format {format}]",
        "history {id} [--format {format}]",
        "why {id} [--effective {time}]",
        "counts [--year {year}] [--as-of {time}] [--format {format}]",
        "due [--within {int}] [--overdue] [--today {date}] [--format {format}]",
        "retention --closed-before {date} [--format {format}]",
        "stats --year {year} [--by {dimension}] [--suppress-below {int}] [--format {format}]",
        "stats --month {month} [--by {dimension}] [--excel] [--format {format}]",
        "report --year {year} --out {file}",
        "roster list [--format {format}]", "roster adopt",
        "roster department add {name} --name {name} --reason {text}",
        "roster department rename {name} --name {name} --reason {text}",
        "roster department merge {name} --into {name} --reason {text}",
        "roster officer add {name} --role {role} [--department {name}] [--account {name}] --reason {text} [--actor {name}]",
        "roster officer change {name} --role {role} [--department {name}] --reason {text}",
        "roster officer remove {name} --reason {text}",
        "access-log --month {month} [--officer {name}] [--task {task}] [--flagged] [--format {format}]",
        "access-log --prune", "head --sign [--signing-key {file}]", "verify --against {anchor} [--public-key {file}]",
        "anchor-key --out {file}",
        "head", "verify [--against {anchor}]", "import {file}", "export [--out {file}]", "rebuild",
        "replay {file} [--year {year}] [--format {format}]",
        "generate --cases {cases} [--seed {int}]",
        "help {word}", "--help", "--version",
    ]

    static let nfdTitle = "도림천 산책로".decomposedForTest

    static let pools: [String: [String]] = [
        "text": [
            "도림천 산책로 야간 조명", "현장 조사 필요", nfdTitle, "line\nbreak", "\u{202E}evil", "tab\there", "", " ", "-5", "--",
            String(repeating: "가", count: 5_000), "=1+2", "\u{1B}[31mred", "e\u{301}\u{301}\u{301}", "\u{FEFF}", "%s%n",
        ],
        "category": ["생활환경·교통안전", "도시", "도시".decomposedForTest, "없는분류", ""],
        "field": ["교육문화", "안전", "생활환경", "없는분야", ""],
        "name": ["치수과", "ydp-0520", "a\nb", "", "\u{200B}", String(repeating: "과", count: 100), "도로과".decomposedForTest],
        "int": [
            "1", "0", "-1", "-5", "7", "1050", "60", "61", "10000", "10001", "51999999", "52000001",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999", "1e3", "",
        ],
        // Few enough that generating them is quick; or too many, or not a number.
        "cases": ["1", "3", "0", "-1", "100000001", "9223372036854775807", "99999999999999999999", "x"],
        "value": ["142", "-1", "9223372036854775807", "도시", "새 제목", "", "10001"],
        "time": [
            "2019-11-29T17:00", "2019-11-29T17:30:00+09:00", "2019-06-03T09:30", "2019-11-29T18:00:01", "1900-03-04",
            "2018-09-30T23:59", "0001-01-01", "9999-12-31T23:59:59", "2019-02-30", "2019-06-03T25:00",
            "2019-06-03T09:30+14:00", "2019-06-03T09:30+99:99", "-2019-01-01", "+10000-01-01", "2038-01-19T03:14:08Z",
            "99999999999-01-01", "now", "",
        ],
        "date": ["2019-06-30", "2020-01-01", "1900-03-04", "9999-12-31", "2019-02-29", "0000-00-00", "99999999999-01-01", ""],
        "year": ["2019", "2018", "2026", "2031", "19", "0", "-1", "9999", "10000", "2147483648", "9223372036854775807"],
        "month": ["2019-10", "2019-13", "2019-00", "9999-12", "2019-1", "-2019-01", "99999999999-01"],
        "id": [
            "PET-2019-0001", "PET-2019-0002", "PET-2019-0010", "SES-2019-001", "PRO-2019-0001", "REC-2019-001", "PET-1900-0001",
            "PET-2019-9999", "x", "", "PET-2019-0001\n", String(repeating: "A", count: 65), "../etc",
        ],
        "sessionKind": ["outreach", "townhall", "other"],
        "role": ["officer", "administrator", "privacy-officer", "team-lead", "mayor", ""],
        "task": ["view", "download", "monthly-check", "other"],
        "ground": ["secret", "unclear", "private-matter", "none"],
        "answerer": ["mayor", "department", "nobody"],
        "outcome": ["adopted", "partly-adopted", "not-adopted", "long-term", "maybe"],
        "correctable": ["title", "category", "attendees", "theme", "place", "status"],
        "caseKind": ["petition", "proposal", "session", "record", "other"],
        "status": ["filed", "reviewed", "answered", "closed", "other"],
        "dimension": ["category", "channel", "department", "field", "kind", "other"],
        "format": ["table", "json", "csv", "xml"],
        "anchor": ["1:00", "1291:abc", "0:", "x", "9223372036854775807:ff", "-1:00"],
        "file": [
            "log.jsonl", "bom.jsonl", "garbage.jsonl", "missing.jsonl", ".", "folder", "/dev/null", "out.html",
            "/nonexistent/dir/x.html", "empty.sqlite",
        ],
        "word": ["petition", "stats", "import", "nothing", ""],
    ]

    static let leadingOptions: [[String]] = [
        [], [], [], [], ["--db", "other.sqlite"], ["--db", "folder"], ["--db", "empty.sqlite"],
        ["--db", "/nonexistent/x.sqlite"],
        ["--keys", "missing.keys.sqlite"], ["--db", "garbage.jsonl"],
    ]

    /// One command line: a template filled in, then perhaps mangled.
    static func input(_ random: inout SplitMix64) -> [String] {
        var arguments: [String] = []
        var inOptional = false
        var skipping = false
        let template = templates.randomElement(using: &random)!
        for token in template.split(separator: " ").map(String.init) {
            var token = token
            if token.hasPrefix("[") {
                inOptional = true
                skipping = Bool.random(using: &random)
                token.removeFirst()
            }
            let closes = token.hasSuffix("]")
            if closes { token.removeLast() }
            if !(inOptional && skipping) {
                if token.hasPrefix("{"), let pool = pools[String(token.dropFirst().dropLast())] {
                    // Pools start with plausible values: drawn from half the time, to reach the rules.
                    let plausible = pool.prefix(Bool.random(using: &random) ? 3 : pool.count)
                    arguments.append(plausible.randomElement(using: &random)!)
                } else {
                    arguments.append(token)
                }
            }
            if closes { inOptional = false }
        }
        let everything = pools.values.flatMap { $0 }
        // Half the inputs are left as the template made them, to reach past argument parsing.
        // `generate` keeps its own small counts: millions of cases would take hours, not fail.
        let mutations = template.hasPrefix("generate") || Bool.random(using: &random) ? 0 : Int.random(in: 1...2, using: &random)
        for _ in 0..<mutations where !arguments.isEmpty {
            let at = Int.random(in: 0..<arguments.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: arguments.remove(at: at)
            case 1: arguments.insert(arguments[at], at: at)
            case 2: arguments.swapAt(at, Int.random(in: 0..<arguments.count, using: &random))
            case 3: arguments[at] = everything.randomElement(using: &random)!
            default: arguments.insert(everything.randomElement(using: &random)!, at: at)
            }
        }
        return leadingOptions.randomElement(using: &random)! + arguments
    }

    /// A log holding the 2019 fixture, and the files the pools name.
    static func prepare() throws -> CLI {
        let cli = CLI()
        let fixture = try Data(contentsOf: URL(fileURLWithPath: StatisticsTests.fixture))
        try fixture.write(to: cli.folder.appendingPathComponent("log.jsonl"))
        let firstLines = fixture.split(separator: 10).prefix(20).joined(separator: [10])
        try (Data([0xEF, 0xBB, 0xBF]) + Data(firstLines)).write(to: cli.folder.appendingPathComponent("bom.jsonl"))
        var random = SplitMix64(seed: 7)
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) })
            .write(to: cli.folder.appendingPathComponent("garbage.jsonl"))
        try Data().write(to: cli.folder.appendingPathComponent("empty.sqlite"))
        try FileManager.default.createDirectory(
            at: cli.folder.appendingPathComponent("folder"), withIntermediateDirectories: true)
        _ = try cli.ok("--db", "sinmungo.sqlite", "init")
        _ = try cli.ok("--db", "sinmungo.sqlite", "import", "log.jsonl")
        return cli
    }

    /// Runs one input, killing it if it hangs; returns its status and what went wrong, if anything.
    static func run(_ arguments: [String], in cli: CLI) throws -> (status: Int32, problem: String?) {
        let started = try cli.start(arguments)
        let (process, _, _) = started
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
            let result = try CLI.finish(started)
            return (result.status, "did not finish within 60 s")
        }
        let result = try CLI.finish(started)
        if process.terminationReason == .uncaughtSignal {
            return (result.status, "killed by signal \(result.status): \(result.stderr.prefix(300))")
        }
        if !documentedStatuses.contains(result.status) {
            return (result.status, "exit \(result.status): \(result.stderr.prefix(300))")
        }
        for sign in ["Fatal error", "Stack dump", "backtrace", "Illegal instruction", "Segmentation fault"]
        where result.stderr.contains(sign) {
            return (result.status, "exit \(result.status) with \"\(sign)\": \(result.stderr.prefix(300))")
        }
        return (result.status, nil)
    }

    @Test
    func noCommandLineEndsInATrapOrAnUndocumentedStatus() throws {
        let environment = ProcessInfo.processInfo.environment
        let seconds = environment["SINMUNGO_CLI_FUZZ_SECONDS"].flatMap(Double.init)
        let iterations = environment["SINMUNGO_CLI_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 300
        let seed = environment["SINMUNGO_CLI_FUZZ_SEED"].flatMap(UInt64.init) ?? 2019
        let deadline = Date().addingTimeInterval(seconds ?? .infinity)
        let cli = try Self.prepare()
        var random = SplitMix64(seed: seed)
        var statuses: [Int32: Int] = [:]
        var failures: [String] = []
        var round = 0
        while seconds == nil ? round < iterations : Date() < deadline {
            round += 1
            let arguments = Self.input(&random)
            let (status, problem) = try Self.run(arguments, in: cli)
            statuses[status, default: 0] += 1
            if environment["SINMUNGO_CLI_FUZZ_TRACE"] != nil { print("\(status) \(arguments.debugDescription)") }
            if let problem {
                failures.append("seed \(seed), round \(round): sinmungo \(arguments.debugDescription): \(problem)")
                if failures.count >= 10 { break }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        // Seen once by hand: most inputs are refused, and some run to success.
        #expect(statuses[0, default: 0] > 0 && statuses[65, default: 0] > 0)
        let byStatus = statuses.sorted { $0.key < $1.key }.map { "exit \($0.key): \($0.value)" }.joined(separator: ", ")
        print("cli fuzzing: \(round) inputs (seed \(seed)), \(failures.count) failures; \(byStatus)")
    }
}

extension String {
    /// The same text in NFD: jamo instead of syllables, as some keyboards send it.
    var decomposedForTest: String { decomposedStringWithCanonicalMapping }
}
