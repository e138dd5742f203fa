import Foundation
import SinmungoTesting
import Testing

/// `transfer --to-office`: a case sent from one office to another on the same server.
@Suite("Transfer between offices, from the command line")
struct OfficeTransferCommandTests {
    @Test("the case ends in one office and starts in the other; verify checks both halves")
    func sendsACase() throws {
        let (cli, _) = try ServerLogTests.serverCLI()
        for office in ["영등포구", "구로구"] {
            _ = try cli.ok(
                "--office", office, "petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-06-03T09:30")
        }
        let sent = try cli.ok(
            "--office", "영등포구", "transfer", "PET-2019-0001", "--to-office", "구로구", "--reason", "소관 기관", "--at",
            "2019-06-04T09:30")
        #expect(sent == "PET-2019-0001 sent-to-office (version 2); 구로구 received it as PET-2019-0002\n")
        #expect(try cli.ok("--office", "구로구", "show", "PET-2019-0002").contains("가로등"))
        // Nothing more happens to it in the sending office.
        let again = try cli.run(["--office", "영등포구", "review", "PET-2019-0001", "--department", "치수과"])
        #expect(again.status == 65)
        let all = try cli.ok("verify", "--all-offices")
        #expect(all.contains("영등포구: ok: 2 events verified") && all.contains("구로구: ok: 2 events verified"))
    }

    @Test("refused in one sentence: on SQLite, without a reason, to an unknown office, an unknown case")
    func refusals() throws {
        let (cli, _) = try ServerLogTests.serverCLI()
        _ = try cli.ok("--office", "영등포구", "petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-06-03T09:30")
        let sqlite = cli.path("district.sqlite")
        _ = try cli.ok("--db", sqlite, "init")
        let cases: [([String], Int32, String)] = [
            (["--db", sqlite, "transfer", "PET-2019-0001", "--to-office", "구로구", "--reason", "소관"], 64, "one office's log"),
            (["--office", "영등포구", "transfer", "PET-2019-0001", "--to-office", "구로구"], 64, "--reason"),
            (["--office", "영등포구", "transfer", "PET-2019-0001", "--to-office", "구로구", "--reason", "소관"], 66, "no office 구로구"),
            (["--office", "영등포구", "transfer", "PET-2019-0009", "--to-office", "default", "--reason", "소관"], 66, "PET-2019-0009"),
            (["--office", "영등포구", "transfer", "PET-2019-0001", "--to-office", "영등포구", "--reason", "소관"], 65, "own office"),
            (["--office", "영등포구", "transfer", "PET-2019-0001", "--department", "x", "--to-office", "구로구"], 64, "either"),
        ]
        for (arguments, status, words) in cases {
            let result = try cli.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(words), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        #expect(try cli.ok("--office", "영등포구", "head").hasPrefix("1:"))
    }
}
