import Foundation
import Testing

@Suite("Officers racing on one case, as real processes")
struct ConcurrencyTests {
    /// Sets up a log with one filed petition per round.
    func logWithPetitions(_ count: Int) throws -> (CLI, [String]) {
        let cli = CLI()
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        var ids: [String] = []
        for index in 0..<count {
            let filed = try cli.run(
                db + ["petition", "file", "--title", "경쟁 \(index)", "--category", "도시", "--at", "2019-04-01T10:00"])
            ids.append(filed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (cli, ids)
    }

    @Test
    func twoOfficersDecidingOnTheSameVersionOneWinsOneGets75() throws {
        let (cli, ids) = try logWithPetitions(8)
        let db = ["--db", cli.path("log.sqlite")]
        for id in ids {
            let first = try cli.start(
                db + ["review", id, "--department", "도로과", "--expected-version", "1", "--actor", "ydp-0001"])
            let second = try cli.start(
                db + ["review", id, "--department", "교통행정과", "--expected-version", "1", "--actor", "ydp-0002"])
            let results = [try CLI.finish(first), try CLI.finish(second)]
            #expect(results.map(\.status).sorted() == [0, 75], "\(results.map(\.stderr))")
            let loser = try #require(results.first { $0.status == 75 })
            #expect(loser.stderr.contains("is at version 2, not 1"))
            let history = try cli.run(db + ["history", id, "--format", "csv"]).stdout
            #expect(history.split(separator: "\n").count == 3, "header, filed, one review: \(history)")
        }
        // The whole log: every version once, gapless.
        let exported = try cli.run(db + ["export"]).stdout.split(separator: "\n")
        #expect(exported.count == ids.count * 2)
        for (index, line) in exported.enumerated() {
            #expect(line.contains("\"seq\":\(index + 1),"))
        }
    }

    @Test
    func unpinnedRaceIsDecidedAgainAndNeverOverwritesAColleague() throws {
        let (cli, ids) = try logWithPetitions(6)
        let db = ["--db", cli.path("log.sqlite")]
        for id in ids {
            let review = try cli.start(db + ["review", id, "--department", "도로과"])
            let decline = try cli.start(db + ["review", id, "--decline", "unclear"])
            let results = [try CLI.finish(review), try CLI.finish(decline)]
            // Whichever came second was decided on the new state, and refused there.
            #expect(results.map(\.status).sorted() == [0, 65], "\(results.map(\.stderr))")
            let history = try cli.run(db + ["history", id, "--format", "csv"]).stdout
            #expect(history.split(separator: "\n").count == 3)
        }
    }
}
