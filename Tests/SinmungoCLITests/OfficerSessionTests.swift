import Foundation
import Testing

@Suite("An officer's session, end to end")
struct OfficerSessionTests {
    /// Output compared with a recorded snapshot; SINMUNGO_RECORD_SNAPSHOTS=1 records it anew.
    func expectSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
        if ProcessInfo.processInfo.environment["SINMUNGO_RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let recorded = try String(contentsOf: file, encoding: .utf8)
        #expect(text == recorded, "output differs from Snapshots/\(name).txt", sourceLocation: sourceLocation)
    }

    @Test
    func aPetitionAndAProposalTakenFromFilingToPolicy() throws {
        let cli = CLI()
        let db = ["--db", cli.path("log.sqlite")]
        func ok(_ arguments: String...) throws -> String {
            try okList(arguments)
        }
        func okList(_ arguments: [String]) throws -> String {
            let result = try cli.run(db + arguments)
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var transcript = ""
        _ = try ok("init")
        let session = try ok(
            "session", "hold", "--kind", "outreach", "--field", "보건복지", "--attendees", "27", "--theme", "치매", "--place",
            "신길5동 주민센터", "--at", "2019-05-21T14:00", "--command-id", "s1")
        let proposal = try ok(
            "proposal", "file", "--session", session, "--title", "치매안심센터 야간 상담 확대", "--at", "2019-05-21T15:10", "--command-id",
            "p1")
        let petition = try ok(
            "petition", "file", "--title", "도림천 산책로 야간 조명 설치 요청", "--category", "생활환경·교통안전", "--body", "밤에 너무 어둡습니다.",
            "--petitioner", "가상인", "--contact", "010-0000-4321", "--at", "2019-06-03T09:30", "--command-id", "c1")
        #expect([session, proposal, petition] == ["SES-2019-001", "PRO-2019-0001", "PET-2019-0001"])
        transcript +=
            try ok("petition", "endorse", petition, "--count", "640", "--at", "2019-06-10T12:00", "--command-id", "c2") + "\n"
        transcript +=
            try ok("petition", "endorse", petition, "--count", "410", "--at", "2019-06-20T12:00", "--command-id", "c3") + "\n"
        transcript += try ok("review", petition, "--department", "치수과", "--at", "2019-06-24T10:00", "--command-id", "c4") + "\n"
        transcript +=
            try ok(
                "visit", petition, "--place", "도림천 신도림역 구간", "--findings", "가로등 간격 80m", "--with", "ydp-0520", "--at",
                "2019-06-27T15:00", "--command-id", "c5") + "\n"
        transcript +=
            try ok(
                "transfer", petition, "--department", "공원녹지과", "--reason", "산책로 관리 주체", "--at", "2019-06-28T11:00",
                "--command-id", "c6") + "\n"
        transcript +=
            try ok("answer", petition, "--summary", "야간 조명 24기 추가 설치", "--at", "2019-07-08T16:00", "--command-id", "c7") + "\n"
        transcript +=
            try ok(
                "reflect", petition, "--outcome", "adopted", "--policy", "도림천 야간 안심 조명 사업", "--at", "2019-09-02T10:00",
                "--command-id", "c8") + "\n"
        transcript += try ok("review", proposal, "--department", "보건행정과", "--at", "2019-05-23T10:00", "--command-id", "p2") + "\n"
        transcript +=
            try ok("answer", proposal, "--summary", "주 2회 야간 상담 시범 운영", "--at", "2019-06-14T10:00", "--command-id", "p3") + "\n"
        transcript +=
            try ok("reflect", proposal, "--outcome", "partly-adopted", "--at", "2019-06-20T10:00", "--command-id", "p4") + "\n"
        transcript +=
            try ok(
                "record", "post", "--title", "찾아가는 영등포1번가 (보건복지 – 치매) 소통 기록", "--about", session, proposal, "--at",
                "2019-05-24T10:00", "--command-id", "r1") + "\n"
        for view in [
            ["show", petition], ["history", petition], ["history", petition, "--format", "csv"], ["list"], ["counts"],
            ["counts", "--format", "json"], ["list", "--kind", "proposal", "--format", "json"],
        ] {
            transcript += "$ sinmungo " + view.joined(separator: " ") + "\n" + (try okList(view)) + "\n"
        }
        // Personal data is sealed under a fresh random key and nonce, so the hashes differ each run.
        let hashes = try Regex("[0-9a-f]{12,64}")
        try expectSnapshot(transcript.replacing(hashes, with: "<hash>"), named: "officer-session")
    }
}
