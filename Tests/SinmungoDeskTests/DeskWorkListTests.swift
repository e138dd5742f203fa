import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews
import Testing

@testable import SinmungoDesk

extension DeskFixture {
    var service: CaseService<SQLiteEventStore> { CaseService(store: store, now: { Self.clock }) }

    /// Files a petition straight into the log, as the command-line tool would, on `day` of 2026.
    @discardableResult
    func file(_ title: String, day: Int = 1, category: String = "도시") throws -> CaseID {
        let filed = Instant(kst: CivilDate(year: 2026, month: 1, day: 1)!.adding(days: day - 1), hour: 10)
        return try service.execute(
            .filePetition(PetitionFiled(title: title, category: category)), on: nil,
            metadata: CommandMetadata(actor: "ydp-0412", commandID: "file-\(UUID().uuidString)", occurredAt: filed)
        ).caseID
    }

    func take(_ command: CaseCommand, on id: CaseID) throws {
        _ = try service.execute(
            command, on: id, metadata: CommandMetadata(actor: "ydp-0412", commandID: "step-\(UUID().uuidString)"))
    }

    /// The case numbers listed on a work-list page, in order.
    static func listed(_ html: String) -> [String] {
        html.components(separatedBy: "<td><a href=\"/cases/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}

@Suite("The desk's work list: paged, indexed, searched")
struct DeskWorkListTests {
    @Test
    func aDeadlineCountedThroughAProvisionalCalendarSaysSoOnTheListAndTheCasePage() async throws {
        let fixture = try DeskFixture()
        // Filed on 2026-11-27: its answer falls in 2027, whose holidays are provisional.
        let late = try fixture.file("가로등 고장", day: 331)
        let early = try fixture.file("보도 정비", day: 1)
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            let list = try await browser.get("/")
            #expect(list.html.contains("2027-01-12 (잠정 달력)"), "\(list.html)")
            #expect(list.html.components(separatedBy: "(잠정 달력)").count == 2, "only the 2027 deadline is provisional")
            #expect(DeskFixture.listed(list.html).contains(early.rawValue))
            let page = try await browser.get("/cases/\(late)")
            #expect(page.html.contains("부서 답변 2027-01-12 (잠정 달력)"), "\(page.html)")
            let official = try await browser.get("/cases/\(early)")
            #expect(!official.html.contains("잠정 달력"))
        }
    }

    @Test
    func theWorkListShowsFiftyCasesAPageByDeadlineAndPagesKeepTheFilter() async throws {
        let fixture = try DeskFixture()
        let filed = try (1...61).map { day in try fixture.file("보도 정비 \(day)", day: day) }
        try fixture.file("다른 분야", day: 1, category: "교육문화")
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            let first = try await browser.get("/")
            #expect(first.html.contains("(62건)"))
            #expect(DeskFixture.listed(first.html).count == 50)
            #expect(first.html.contains("다음 쪽"))
            #expect(!first.html.contains("이전 쪽"))
            // The category filter travels with the pager, in the form's body.
            let filtered = try await browser.post("/", ["category": "도시"])
            #expect(filtered.html.contains("(61건)"))
            #expect(DeskFixture.listed(filtered.html) == filed.prefix(50).map(\.rawValue))
            let second = try await browser.post("/", ["category": "도시", "page": "2"])
            #expect(DeskFixture.listed(second.html) == filed.suffix(11).map(\.rawValue))
            #expect(second.html.contains("이전 쪽"))
            #expect(!second.html.contains("다음 쪽"))
            #expect(second.html.contains("name=\"category\" value=\"도시\""))
            let beyond = try await browser.post("/", ["page": "999999"])
            #expect(beyond.status == .ok)
        }
    }

    @Test
    func theDepartmentFilterTakesInMergedDepartmentsAndDatesBoundTheFiling() async throws {
        let fixture = try DeskFixture()
        let road = try fixture.file("보도블록 파손", day: 5)
        let water = try fixture.file("빗물받이 막힘", day: 6)
        try fixture.file("배정 전", day: 7)
        try fixture.take(.review(department: "road"), on: road)
        try fixture.take(.review(department: "water"), on: water)
        _ = try RosterService(store: fixture.store, now: { DeskFixture.clock }).apply(
            [.departmentsMerged(DepartmentsMerged(department: "water", into: "road", reason: "조직 개편"))],
            metadata: CommandMetadata(actor: "admin", commandID: "merge-water"))
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            _ = try await browser.get("/")
            let merged = try await browser.post("/", ["department": "road"])
            #expect(Set(DeskFixture.listed(merged.html)) == [road.rawValue, water.rawValue])
            let dated = try await browser.post("/", ["from": "2026-01-06", "to": "2026-01-07"])
            #expect(DeskFixture.listed(dated.html).count == 2)
            #expect(!DeskFixture.listed(dated.html).contains(road.rawValue))
        }
    }

    @Test
    func koreanSearchFindsTitlesByThreeSyllablesByTwoAndAcrossASpace() async throws {
        let fixture = try DeskFixture()
        let parking = try fixture.file("대림동 주차장 확장 요청", day: 2)
        let enforcement = try fixture.file("불법 주차 단속 강화", day: 3)
        let garage = try fixture.file("Parking 공영주차장 요금", day: 4)
        try fixture.file("공원 산책로 조명", day: 5)
        let index = fixture.desk.workIndex
        try index.catchUp(with: fixture.store)
        func found(_ text: String) throws -> Set<CaseID> {
            let rare = try index.page(.init(text: text), offset: 0, limit: 50)
            // A common phrase takes the other way through the index: the same cases.
            let common = try index.page(.init(text: text), offset: 0, limit: 50, fewTitles: 0)
            #expect(rare.entries == common.entries && rare.total == common.total, "\(text)")
            return Set(rare.entries.map(\.id))
        }
        #expect(try found("주차장") == [parking, garage])
        #expect(try found("주차") == [parking, enforcement, garage], "two syllables: shorter than a trigram, titles scanned")
        #expect(try found("차장 확") == [parking])
        #expect(try found("parking") == [garage], "Latin letters match in either case")
        #expect(try found("주") == [parking, enforcement, garage])
        #expect(try found("하수도") == [])
        // Decomposed Hangul (as some keyboards send it) finds the composed title.
        #expect(try found("주차장".decomposedStringWithCanonicalMapping) == [parking, garage])
    }

    @Test
    func oneReadOfTheMatchesGivesThePageAndACountThatStopsAtItsLimit() throws {
        let fixture = try DeskFixture()
        let lamps = try (1...7).map { day in try fixture.file("가로등 고장 \(day)", day: day) }
        try fixture.file("보도 정비", day: 8)
        try fixture.file("가로", day: 9)
        try fixture.take(.withdraw(Withdrawn(reason: "해결됨")), on: lamps[6])
        let open = Array(lamps.prefix(6))
        let index = fixture.desk.workIndex
        try index.catchUp(with: fixture.store)
        for fewTitles in [0, 100] {
            func page(_ query: DeskWorkIndex.Query, _ offset: Int, _ limit: Int, countLimit: Int) throws -> ([CaseID], Int?) {
                let found = try index.page(query, offset: offset, limit: limit, fewTitles: fewTitles, countLimit: countLimit)
                return (found.entries.map(\.id), found.total)
            }
            let lamp = DeskWorkIndex.Query(text: "가로등")
            #expect(try page(lamp, 0, 4, countLimit: 6) == (Array(open.prefix(4)), 6), "exactly the limit is counted")
            #expect(try page(lamp, 0, 4, countLimit: 5) == (Array(open.prefix(4)), nil), "one more is past it")
            #expect(try page(lamp, 4, 4, countLimit: 5) == (Array(open.suffix(2)), nil))
            #expect(try page(lamp, 2, 2, countLimit: 100) == (Array(open[2..<4]), 6))
            #expect(try page(lamp, 6, 4, countLimit: 100) == ([], 6), "past the last match: nothing, still counted")
            #expect(try page(lamp, 5, 4, countLimit: 2) == ([open[5]], nil), "a page beyond the count's limit is still read")
            let withdrawn = DeskWorkIndex.Query(text: "가로등", status: .withdrawn)
            #expect(try page(withdrawn, 0, 4, countLimit: 100) == ([lamps[6]], 1))
            #expect(try page(.init(text: "가로"), 0, 10, countLimit: 100).1 == 7, "two letters are scanned: 6 lamps and 가로")
            #expect(try page(.init(text: "없는 말"), 0, 10, countLimit: 100) == ([], 0))
        }
        let everyOpenCase = try index.page(.init(), offset: 0, limit: 3, fewTitles: 0, countLimit: 100)
        #expect(everyOpenCase.entries.map(\.id) == Array(open.prefix(3)))
        #expect(everyOpenCase.total == 8)
    }

    @Test
    func hostileSearchTextIsLookedForLiterallyAndNeverFails() async throws {
        let fixture = try DeskFixture()
        let percent = try fixture.file("요금 50% 감면 \"특별\" 요청", day: 2)
        let plain = try fixture.file("주차장 확장 요청", day: 3)
        let index = fixture.desk.workIndex
        try index.catchUp(with: fixture.store)
        func found(_ text: String) throws -> Set<CaseID> {
            Set(try index.page(.init(text: text), offset: 0, limit: 50).entries.map(\.id))
        }
        #expect(try found("%") == [percent])
        #expect(try found("_") == [])
        #expect(try found("\"특별\"") == [percent])
        #expect(try found("\"") == [percent])
        for hostile in [
            "주차장\" OR \"요금", "주차* ", "NEAR(주차 요금)", "title:주차장", "^주차장", "'; DROP TABLE work_case; --",
            "\" AND \"", "(((", "\\", "%%_", "{title}: 주차", "주차장 NOT 확장",
        ] {
            #expect(try found(hostile).isDisjoint(with: [plain]), "\(hostile)")
        }
        #expect(try found("주차장") == [plain], "the index is whole after hostile queries")
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            _ = try await browser.get("/")
            for hostile in ["\"", "주차장\" OR \"요금", "'; DROP TABLE work_case; --", "NEAR("] {
                let page = try await browser.post("/", ["q": hostile])
                #expect(page.status == .ok, "\(hostile)")
                #expect(DeskFixture.listed(page.html).allSatisfy { $0 != plain.rawValue }, "\(hostile)")
            }
        }
    }

    @Test
    func theIndexCaughtUpStepByStepEqualsOneRebuiltFromTheLog() throws {
        let fixture = try DeskFixture()
        let first = try fixture.file("도림천 산책로 조명", day: 1)
        let second = try fixture.file("보도블록 파손", day: 2)
        let index = fixture.desk.workIndex
        try index.catchUp(with: fixture.store)
        let third = try fixture.file("가로수 정비 요청", day: 3)
        try index.catchUp(with: fixture.store)
        try fixture.take(.review(department: "road"), on: first)
        try fixture.take(.transfer(Transferred(department: "water", reason: "소관")), on: first)
        try fixture.take(.review(department: "water"), on: second)
        try fixture.take(.markDuplicate(of: second), on: third)
        try index.catchUp(with: fixture.store)
        try fixture.take(.withdraw(Withdrawn(reason: "해결됨")), on: second)
        try index.catchUp(with: fixture.store)

        let rebuilt = try DeskWorkIndex(
            path: fixture.folder.appendingPathComponent("rebuilt.sqlite").path, policy: .yeongdeungpo,
            calendar: .standard)
        try rebuilt.rebuild(from: fixture.store)
        #expect(try index.contents() == rebuilt.contents())
        let rows = try index.contents()
        #expect(rows.count == 4)
        #expect(rows.contains { $0.hasPrefix("\(first.rawValue) | petition | ") && $0.contains(" | 1 | water | ") }, "\(rows)")
        #expect(rows.contains { $0.hasPrefix("\(second.rawValue) | petition | withdrawn | 0") }, "\(rows)")
        #expect(try index.page(.init(text: "보도블록"), offset: 0, limit: 5).entries.isEmpty, "closed cases leave the open list")
        #expect(try index.page(.init(text: "보도블록", status: .withdrawn), offset: 0, limit: 5).entries.map(\.id) == [second])
    }

    @Test
    func anIndexOfAnotherLogOrCalendarIsRebuiltNotTrusted() throws {
        let fixture = try DeskFixture()
        try fixture.file("주차장 확장 요청", day: 2)
        try fixture.desk.workIndex.catchUp(with: fixture.store)
        // The index beside this log is handed another log of the same length.
        let other = try DeskFixture()
        try other.file("하수도 악취", day: 2)
        let path = fixture.desk.configuration.workIndexPath
        let reopened = try DeskWorkIndex(path: path, policy: .yeongdeungpo, calendar: .standard)
        try reopened.catchUp(with: other.store)
        #expect(try reopened.page(.init(text: "하수도"), offset: 0, limit: 5).entries.count == 1)
        #expect(try reopened.page(.init(text: "주차장"), offset: 0, limit: 5).entries.isEmpty)
        // Counted with no holiday calendar, no deadline can be dated.
        let bare = try DeskWorkIndex(path: path, policy: .yeongdeungpo, calendar: HolidayCalendar())
        try bare.catchUp(with: other.store)
        let entry = try #require(try bare.page(.init(), offset: 0, limit: 5).entries.first)
        #expect(entry.due == nil)
        #expect(entry.task != nil)
    }

    @Test
    func aRosterChangeMadeWhileTheDeskRunsIsSeenByTheNextPage() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            #expect(try await browser.get("/").html.contains("도로과"))
            _ = try RosterService(store: fixture.store, now: { DeskFixture.clock }).apply(
                [.departmentRenamed(DepartmentNamed(department: "road", name: "도로관리과", reason: "조직 개편"))],
                metadata: CommandMetadata(actor: "admin", commandID: "rename-road"))
            let after = try await browser.get("/")
            #expect(after.html.contains("도로관리과"))
        }
    }
}
