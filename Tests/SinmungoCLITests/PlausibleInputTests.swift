import Foundation
import SinmungoCore
import SinmungoStore
import Testing

/// Numbers that cannot overflow and text that stays one value, from the command line.
@Suite("Plausible input at the command line")
struct PlausibleInputTests {
    /// A log with holidays, in a folder of its own.
    func log() -> CLI {
        var cli = CLI()
        cli.environment["SINMUNGO_HOLIDAYS"] = StatisticsTests.root.appendingPathComponent("Fixtures/holidays").path
        return cli
    }

    /// Two petitions of 2^63−1 endorsements and two sessions (one of each kind, in one field)
    /// of 2^63−1 attendees in one month, written past the rules as an older version could have: what `import` took before
    /// the ceilings existed.
    func logWithCountsFromBeforeTheCeilings(_ cli: CLI) throws {
        let store = try SQLiteEventStore.create(at: cli.path("sinmungo.sqlite")).store
        let day = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)
        for index in 0..<2 {
            let at = day.adding(seconds: Int64(index) * 60)
            for (version, event) in [CaseEvent.petitionFiled(PetitionFiled(title: "t", category: "도시")), .endorsed(Endorsed(count: .max))]
                .enumerated()
            {
                _ = try store.append(
                    AppendRequest(
                        caseID: CaseID("PET-2019-000\(index + 1)"), expectedVersion: version, events: [event],
                        occurredAt: at, recordedAt: at, actor: "ydp-0412", commandID: "p\(index)-\(version)"))
            }
            _ = try store.append(
                AppendRequest(
                    caseID: CaseID("SES-2019-00\(index + 1)"), expectedVersion: 0,
                    events: [.sessionHeld(SessionHeld(kind: index == 0 ? .townhall : .outreach, field: "안전", attendees: .max))],
                    occurredAt: at, recordedAt: at, actor: "ydp-0412", commandID: "s\(index)"))
        }
    }

    @Test
    func hugeStoredCountsNeverTrapAReadAndTheNextEndorsementIsRefused() throws {
        let cli = log()
        try logWithCountsFromBeforeTheCeilings(cli)
        for command in [
            ["counts"], ["counts", "--format", "json"], ["stats", "--year", "2019"], ["stats", "--month", "2019-06", "--by", "kind"],
            ["list"], ["show", "PET-2019-0001"], ["report", "--year", "2019", "--out", "r.html"], ["export", "--out", "log.jsonl"],
            ["rebuild"], ["verify"],
        ] {
            let result = try cli.run(command)
            #expect(result.status == 0, "\(command.joined(separator: " ")): exit \(result.status): \(result.stderr.prefix(300))")
        }
        let endorsed = try cli.run("petition", "endorse", "PET-2019-0001", "--count", "1", "--at", "2019-06-04T10:00")
        #expect(endorsed.status == 65)
        #expect(endorsed.stderr.contains("endorsements in total must be at most 52000000"), "\(endorsed.stderr)")
        // Replaying the old log refuses the first count past the ceiling, naming it.
        let replayed = try cli.run("replay", "log.jsonl")
        #expect(replayed.status == 65)
        #expect(replayed.stderr.contains("line 2: case PET-2019-0001: count must be at most 52000000"), "\(replayed.stderr)")
    }

    @Test
    func countsPastTheirCeilingsAreRefused() throws {
        let cli = log()
        _ = try cli.ok("init")
        let id = try cli.ok("petition", "file", "--title", "t", "--category", "도시", "--at", "2019-06-03T09:30")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let huge = try cli.run("petition", "endorse", id, "--count", "9223372036854775807", "--at", "2019-06-04")
        #expect(huge.status == 65)
        #expect(huge.stderr.contains("count must be at most 52000000, not 9223372036854775807"), "\(huge.stderr)")
        let hall = try cli.run(
            "session", "hold", "--kind", "townhall", "--field", "안전", "--attendees", "10001", "--at", "2019-06-04")
        #expect(hall.status == 65)
        #expect(hall.stderr.contains("attendees must be at most 10000, not 10001"), "\(hall.stderr)")
        #expect(try cli.ok("head").hasPrefix("1:"))
    }

    @Test
    func aMistypedYearIsRefusedAndStatisticsKeepWorking() throws {
        let cli = log()
        _ = try cli.ok("init")
        let result = try cli.run("petition", "file", "--title", "t", "--category", "도시", "--at", "1900-03-04")
        #expect(result.status == 65)
        #expect(
            result.stderr
                == "sinmungo: case PET-1900-0001: business time 1900-03-04T00:00:00+09:00 is before the records begin (2018-10-01T00:00:00+09:00)\n"
        )
        #expect(try cli.run("stats", "--year", "2019").status == 0)
    }

    /// Found by the command-line fuzzer: the month after December 9999 trapped.
    @Test(arguments: [["stats", "--year", "9999"], ["stats", "--month", "9999-12", "--by", "category"], ["report", "--year", "9999", "--out", "r.html"]])
    func theLastYearOfTheCalendarDoesNotTrap(command: [String]) throws {
        let cli = log()
        _ = try cli.ok("init")
        let result = try cli.run(command)
        #expect(CLIFuzzTests.documentedStatuses.contains(result.status), "exit \(result.status): \(result.stderr.prefix(200))")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test
    func textHasALengthLimitAndNamesAreOneLine() throws {
        let cli = log()
        _ = try cli.ok("init")
        let long = try cli.run("petition", "file", "--title", String(repeating: "가", count: 201), "--category", "도시")
        #expect(long.status == 65)
        #expect(long.stderr.contains("title is 201 characters long, over the limit of 200"), "\(long.stderr)")
        let id = try cli.ok("petition", "file", "--title", "t", "--category", "도시", "--at", "2019-06-03T09:30")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let department = try cli.run("review", id, "--department", "치수과\n도로과", "--at", "2019-06-04")
        #expect(department.status == 65)
        #expect(department.stderr.contains("department must be one line of plain text"), "\(department.stderr)")
        let actor = try cli.run("review", id, "--department", "치수과", "--actor", "ydp-0412\nydp-0413", "--at", "2019-06-04")
        #expect(actor.status == 65)
        #expect(actor.stderr.contains("actor must be one line of plain text"), "\(actor.stderr)")
        let hidden = try cli.run("review", id, "--department", "치수과\u{202E}", "--at", "2019-06-04")
        #expect(hidden.status == 65)
        #expect(hidden.stderr.contains("U+202E"), "\(hidden.stderr)")
    }

    @Test
    func aCategoryTypedInNFDIsTheSameGroupInStatistics() throws {
        let cli = log()
        _ = try cli.ok("init")
        let nfd = "도시".decomposedStringWithCanonicalMapping
        _ = try cli.ok("petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-06-03T09:30")
        _ = try cli.ok("petition", "file", "--title", "보도블록", "--category", nfd, "--at", "2019-06-03T09:40")
        // A legacy file from another system, in NFD too.
        let line =
            #"{"actor":"ydp-0412","caseId":"PET-2019-0003","caseVersion":1,"commandId":"legacy-1","data":{"category":"CATEGORY","title":"TITLE"},"occurredAt":"2019-06-03T10:00:00+09:00","recordedAt":"2019-11-29T18:00:00+09:00","schemaVersion":1,"type":"petition-filed"}"#
            .replacingOccurrences(of: "CATEGORY", with: nfd).replacingOccurrences(
                of: "TITLE", with: "신길동 보도".decomposedStringWithCanonicalMapping)
        try Data((line + "\n").utf8).write(to: cli.folder.appendingPathComponent("legacy.jsonl"))
        _ = try cli.ok("import", "legacy.jsonl")
        let csv = try cli.ok("stats", "--month", "2019-06", "--by", "category", "--format", "csv")
        let cities = csv.split(separator: "\n").filter { $0.utf8.contains(Array("도시".utf8)) }
        #expect(cities.count == 1, "\(csv)")
        #expect(!csv.utf8.contains(Array(nfd.utf8)))
        let exported = try cli.ok("export")
        #expect(!exported.utf8.contains(Array(nfd.utf8)))
        #expect(exported.components(separatedBy: "\"category\":\"도시\"").count == 4)
    }
}

extension Sequence where Element == UInt8 {
    /// True when the bytes hold `needle` as a contiguous run.
    fileprivate func contains(_ needle: [UInt8]) -> Bool {
        let bytes = Array(self)
        guard !needle.isEmpty, bytes.count >= needle.count else { return needle.isEmpty }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }
}
