import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SinmungoCore
import SinmungoReport
import SinmungoStore
import SinmungoViews
import Testing

@testable import SinmungoDesk

@Suite("The desk: signing in and sessions")
struct DeskSignInTests {
    @Test
    func signingInSetsAStrictHttpOnlySessionCookieAndEveryPageForbidsInlineScript() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            let unsigned = try await browser.get("/")
            #expect(unsigned.status == .seeOther)
            #expect(unsigned.location == "/sign-in")
            let form = try await browser.get("/sign-in")
            #expect(form.status == .ok)
            #expect(form.html.contains("<html lang=\"ko\">"))
            let csp = try #require(form.headers[.contentSecurityPolicy])
            #expect(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"))
            #expect(!form.html.contains("<script") && !form.html.contains("<style") && !form.html.contains("style=\""))
            let signedIn = try await browser.post("/sign-in", ["officer": "ydp-0412", "password": DeskFixture.password])
            #expect(signedIn.status == .seeOther)
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("sinmungo_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"), "Secure only behind TLS")
            let work = try await browser.get("/")
            #expect(work.status == .ok)
            #expect(work.html.contains("업무 목록"))
            #expect(work.html.contains("ydp-0412"))
        }
    }

    @Test
    func repeatedWrongPasswordsLockTheAccountEvenAgainstTheRightOne() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            for _ in 1..<DeskAccounts.lockAfterFailures {
                #expect(try await browser.signIn("ydp-0412", password: "wrong password").status == .unauthorized)
            }
            let locked = try await browser.signIn("ydp-0412", password: "wrong password")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.html.contains("잠겼습니다"))
            #expect(try await browser.signIn("ydp-0412").status == .tooManyRequests)
            #expect(browser.cookies["sinmungo_session"] == nil)
            // An unknown officer gets the same answer as a wrong password.
            let unknown = try await Browser(client).signIn("nobody")
            #expect(unknown.status == .unauthorized)
        }
    }

    @Test
    func aSignInPostWithoutItsFormTokenIsRefused() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            let forged = try await browser.post(
                "/sign-in", ["officer": "ydp-0412", "password": DeskFixture.password], csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(browser.cookies["sinmungo_session"] == nil)
        }
    }
}

@Suite("The desk: an officer's day")
struct DeskOfficerTests {
    /// Files a petition through the new-case form and returns its id.
    func file(_ browser: Browser, title: String) async throws -> String {
        _ = try await browser.get("/new")
        let hidden = try #require(browser.form("/new/petition"))
        let filed = try await browser.post(
            "/new/petition",
            hidden.merging(["title": title, "category": "도시", "petitioner": "가상인", "contact": "010-0000-1234"]) { a, _ in a })
        #expect(filed.status == .seeOther, "\(filed.html)")
        let location = try #require(filed.location)
        return String(location.dropFirst("/cases/".count).prefix { $0 != "?" })
    }

    /// Takes a step through the case page's form for it.
    func step(_ browser: Browser, _ id: String, _ name: String, _ fields: [String: String]) async throws -> Browser.Page {
        let page = try await browser.get("/cases/\(id)")
        #expect(page.status == .ok)
        let hidden = try #require(browser.form("/cases/\(id)/steps/\(name)"), "no form for \(name)")
        return try await browser.post("/cases/\(id)/steps/\(name)", hidden.merging(fields) { a, _ in a })
    }

    @Test
    func anOfficerFilesReviewsVisitsAnswersAndReflects() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            let id = try await file(browser, title: "도림천 산책로 조명")
            for (name, fields) in [
                ("review", ["department": "water"]), ("visit", ["place": "도림천", "findings": "가로등 간격 80m"]),
                ("answer", ["summary": "조명 24기 설치", "by": "department"]),
                ("reflect", ["outcome": "adopted", "policy": "도림천 안심 조명"]),
            ] {
                let result = try await step(browser, id, name, fields)
                #expect(result.status == .seeOther, "\(name): \(result.html)")
            }
            let state = try fixture.store.state(of: CaseID(id))
            #expect(state.status == .reflected)
            #expect(state.version == 5)
            let page = try await browser.get("/cases/\(id)")
            #expect(page.html.contains("치수과에 배정"))
            #expect(page.html.contains("반영 결과 채택"))
            // Only the steps the lifecycle allows now are offered: after reflection, no casework.
            for step in ["review", "visit", "answer", "reflect", "extend", "transfer", "decline", "withdraw", "endorse"] {
                #expect(!page.html.contains("/steps/\(step)\""), "\(step) offered after reflection")
            }
        }
    }

    @Test
    func theSecondOfTwoOfficersSeesWhatChangedAndNothingIsOverwritten() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let first = Browser(client)
            let second = Browser(client)
            _ = try await first.signIn("ydp-0412")
            _ = try await second.signIn("ydp-0413")
            let id = try await file(first, title: "영등포역 지하보도 누수")
            _ = try await first.get("/cases/\(id)")
            let firstForm = try #require(first.form("/cases/\(id)/steps/review"))
            _ = try await second.get("/cases/\(id)")
            let secondForm = try #require(second.form("/cases/\(id)/steps/review"))
            #expect(try await first.post("/cases/\(id)/steps/review", firstForm.merging(["department": "road"]) { a, _ in a }).status == .seeOther)
            let late = try await second.post(
                "/cases/\(id)/steps/review", secondForm.merging(["department": "water"]) { a, _ in a })
            #expect(late.status == .conflict)
            #expect(late.html.contains("동료가 먼저 이 건을 바꾸었습니다"))
            #expect(late.html.contains("ydp-0412: 검토하여 도로과에 배정"))
            let events = try fixture.store.events(of: CaseID(id))
            #expect(events.map(\.event.type) == [.petitionFiled, .reviewed])
            #expect(try fixture.store.state(of: CaseID(id)).department == "road")
        }
    }

    @Test
    func aPostWithoutTheSessionsFormTokenWritesNothing() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            let id = try await file(browser, title: "보도블록")
            _ = try await browser.get("/cases/\(id)")
            var hidden = try #require(browser.form("/cases/\(id)/steps/review"))
            hidden["csrf"] = "someone-elses-token"
            let forged = try await browser.post("/cases/\(id)/steps/review", hidden.merging(["department": "road"]) { a, _ in a })
            #expect(forged.status == .forbidden)
            #expect(try fixture.store.events(of: CaseID(id)).count == 1)
        }
    }

    @Test
    func submittingTheSameFormTwiceRecordsTheStepOnce() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            let id = try await file(browser, title: "두 번 누른 버튼")
            _ = try await browser.get("/cases/\(id)")
            let hidden = try #require(browser.form("/cases/\(id)/steps/review")).merging(["department": "road"]) { a, _ in a }
            #expect(try await browser.post("/cases/\(id)/steps/review", hidden).status == .seeOther)
            #expect(try await browser.post("/cases/\(id)/steps/review", hidden).status == .seeOther)
            #expect(try fixture.store.events(of: CaseID(id)).count == 2)
        }
    }

    @Test
    func hostileTitlesStayTextOnEveryPage() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            let hostile = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>{{csrf}}"
            let id = try await file(browser, title: hostile)
            for uri in ["/", "/cases/\(id)"] {
                let page = try await browser.get(uri)
                #expect(page.status == .ok)
                #expect(!page.html.contains("<script"), "\(uri)")
                #expect(!page.html.contains("<img"), "\(uri)")
                #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(uri)")
                #expect(page.html.contains("{{csrf}}"), "template text in data is printed, not expanded")
            }
            let rejected = try await browser.post("/", ["q": "<script>", "kind": "x\"><script>"])
            #expect(rejected.status == .ok)
            #expect(!rejected.html.contains("<script>"))
        }
    }

    @Test
    func aBadFormValueIsShownAndNothingIsWritten() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let browser = Browser(client)
            _ = try await browser.signIn("ydp-0412")
            let id = try await file(browser, title: "잘못된 값")
            _ = try await step(browser, id, "review", ["department": "road"])
            let extend = try await step(browser, id, "answer", ["summary": "", "by": "department"])
            #expect(extend.status == .unprocessableContent)
            #expect(extend.html.contains("답변 요지을(를) 입력하십시오"))
            #expect(try fixture.store.events(of: CaseID(id)).count == 2)
        }
    }
}

@Suite("The desk: auditors, statistics staff and roles")
struct DeskRoleTests {
    @Test
    func anAuditorFindsNoWriteFormAndNoPersonalData() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let officer = Browser(client)
            _ = try await officer.signIn("ydp-0412")
            let id = try await DeskOfficerTests().file(officer, title: "감사 대상")
            let auditor = Browser(client)
            _ = try await auditor.signIn("audit-01")
            let page = try await auditor.get("/cases/\(id)")
            #expect(page.status == .ok)
            #expect(!page.html.contains("/steps/"))
            #expect(!page.html.contains("personal-data"))
            #expect(!page.html.contains("가상인") && !page.html.contains("010-0000-1234"))
            let forced = try await auditor.post(
                "/cases/\(id)/steps/review", ["department": "road", "version": "1", "command": "audit-try"])
            #expect(forced.status == .forbidden)
            let peek = try await auditor.post("/cases/\(id)/personal-data", ["purpose": "답변 작성"])
            #expect(peek.status == .forbidden)
            #expect(!peek.html.contains("가상인"))
            #expect(try fixture.store.events(of: CaseID(id)).count == 1)
            let audit = try await auditor.get("/audit")
            #expect(audit.html.contains("로그의 끝"))
            let verified = try await auditor.post("/audit/verify", [:])
            #expect(verified.html.contains("검증했습니다"))
            let history = try await auditor.get("/audit/case?id=\(id)&asOf=2026-11-27T09:00")
            #expect(history.html.contains("그 시점에는 기록이 없습니다"))
        }
    }

    @Test
    func anOfficerMayOpenPersonalDataAndAStatisticsRoleNeverSeesIt() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let officer = Browser(client)
            _ = try await officer.signIn("ydp-0412")
            let id = try await DeskOfficerTests().file(officer, title: "개인정보 열람")
            let before = try await officer.get("/cases/\(id)")
            #expect(!before.html.contains("가상인"), "personal data only when asked for")
            let opened = try await officer.post("/cases/\(id)/personal-data", ["purpose": "답변 작성"])
            #expect(opened.status == .ok)
            #expect(opened.html.contains("가상인") && opened.html.contains("010-0000-1234"))
            // Shown once, not once per field.
            #expect(opened.html.components(separatedBy: "010-0000-1234").count == 2, "\(opened.html)")
            let statistics = Browser(client)
            #expect(try await statistics.signIn("stat-01").location == "/")
            let home = try await statistics.get("/")
            #expect(home.location == "/statistics")
            #expect(try await statistics.get("/cases/\(id)").status == .forbidden)
            let paper = try await statistics.get("/statistics?year=2026")
            #expect(paper.status == .ok)
            #expect(paper.html.contains("2026년 구민 소통 백서"))
            #expect(!paper.html.contains("가상인"))
            // Its figures are those of the fold of every case in the log.
            let configuration = fixture.desk.configuration
            let clock = DeadlineClock(calendar: configuration.calendar)
            let statisticsOfEveryCase = MonthlyStatistics(clock: clock, policy: configuration.policy)
            let monthly = try statisticsOfEveryCase.compute(months: WhitePaper.months(of: 2026)!, by: .channel) { fold in
                try fixture.store.forEachEvent(at: .now, order: .caseByCase, fold)
            }
            let expected = WhitePaper(
                year: 2026, monthly: monthly, summaries: try fixture.desk.workIndex.summaries(), head: try fixture.store.head(),
                program: configuration.program)
            #expect(monthly.contains { $0.total.received > 0 })
            #expect(paper.html.contains(expected.renderBody()))
            #expect(try await statistics.post("/cases/\(id)/personal-data", ["purpose": "답변 작성"]).status == .forbidden)
            #expect(try await statistics.get("/statistics?year=<b>").status == .unprocessableContent)
        }
    }

    @Test
    func aDepartmentalLeadActsOnlyOnTheirDepartmentsCases() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let officer = Browser(client)
            _ = try await officer.signIn("ydp-0412")
            let roadCase = try await DeskOfficerTests().file(officer, title: "도로 건")
            _ = try await DeskOfficerTests().step(officer, roadCase, "review", ["department": "road"])
            let lead = Browser(client)
            _ = try await lead.signIn("ydp-0500")
            let page = try await lead.get("/cases/\(roadCase)")
            #expect(!page.html.contains("/steps/extend"), "the water lead is not offered a road case's steps")
            let forced = try await lead.post(
                "/cases/\(roadCase)/steps/extend",
                ["days": "10", "reason": "조사", "version": "2", "command": "lead-try"])
            #expect(forced.status == .forbidden)
            #expect(forced.html.contains("기록하지 않았습니다"))
            #expect(try fixture.store.events(of: CaseID(roadCase)).count == 2)
        }
    }
}

@Suite("The desk: access records and erasure for the privacy officer")
struct DeskPrivacyTests {
    @Test
    func everyShowingOfPersonalDataLeavesExactlyOneAccessRecord() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let officer = Browser(client)
            _ = try await officer.signIn("ydp-0412")
            let id = try await DeskOfficerTests().file(officer, title: "열람 기록")
            let everything = DeskFixture.clock.adding(seconds: -86_400)..<DeskFixture.clock.adding(seconds: 86_400)
            #expect(try fixture.store.accessRecords(in: everything).isEmpty, "filing and reading the case open nothing")
            _ = try await officer.get("/cases/\(id)")
            let opened = try await officer.post("/cases/\(id)/personal-data", ["purpose": "민원인 연락"])
            #expect(opened.html.contains("가상인"))
            let records = try fixture.store.accessRecords(in: everything)
            #expect(records.count == 1)
            #expect(records.first?.officer == "ydp-0412")
            #expect(records.first?.caseID == CaseID(id))
            #expect(records.first?.task == .view)
            #expect(records.first?.reason == "민원인 연락")
            #expect(records.first?.person != nil)
            let auditor = Browser(client)
            _ = try await auditor.signIn("audit-01")
            _ = try await auditor.post("/cases/\(id)/personal-data", ["purpose": "답변 작성"])
            #expect(try fixture.store.accessRecords(in: everything).count == 1, "a refused opening records nothing")
        }
    }

    @Test
    func anErasureTakesAnOfficersRequestAndAnotherPersonsApproval() async throws {
        let fixture = try DeskFixture()
        try await fixture.run { client in
            let officer = Browser(client)
            _ = try await officer.signIn("ydp-0412")
            let id = try await DeskOfficerTests().file(officer, title: "파기 요청")
            // The data subject's request is honoured once the case is closed (withdrawn here).
            #expect(try await DeskOfficerTests().step(officer, id, "withdraw", ["reason": "청원인 취하"]).status == .seeOther)
            let requested = try await DeskOfficerTests().step(
                officer, id, "request-erasure", ["reason": "정보주체 요청", "request": "REQ-1"])
            #expect(requested.status == .seeOther, "\(requested.html)")
            let page = try await officer.get("/cases/\(id)")
            #expect(!page.html.contains("/steps/approve-erasure"), "the officer who asked cannot approve")
            let forced = try await officer.post("/cases/\(id)/steps/approve-erasure", officer.form("/cases/\(id)/steps/visit") ?? [:])
            #expect(forced.status == .forbidden || forced.status == .notFound || forced.status == .badRequest)
            #expect(try fixture.store.personalData(of: CaseID(id)) != .none)
            let privacy = Browser(client)
            _ = try await privacy.signIn("priv-01")
            let waiting = try await privacy.get("/privacy")
            #expect(waiting.html.contains(id))
            #expect(waiting.html.contains("정보주체 요청"))
            let approved = try await DeskOfficerTests().step(privacy, id, "approve-erasure", [:])
            #expect(approved.status == .seeOther, "\(approved.html)")
            guard case .erased = try fixture.store.personalData(of: CaseID(id)) else {
                Issue.record("the key was not destroyed")
                return
            }
            let checked = try await privacy.post("/privacy/checked", ["month": "2026-11", "note": "이상 없음"])
            #expect(checked.html.contains("2026-11 점검을 기록했습니다"))
            let everything = DeskFixture.clock.adding(seconds: -86_400)..<DeskFixture.clock.adding(seconds: 86_400)
            #expect(try fixture.store.accessRecords(in: everything).contains { $0.task == .monthlyCheck && $0.officer == "priv-01" })
        }
    }
}
