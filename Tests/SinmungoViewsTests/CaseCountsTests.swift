import SinmungoCore
import SinmungoViews
import Testing

@Suite("Counts and projection, without a database")
struct CaseCountsTests {
    let day = Instant(kst: CivilDate(year: 2019, month: 5, day: 14)!, hour: 10)
    var sequence: Int64 = 0

    mutating func event(_ id: String, _ version: Int, _ event: CaseEvent, at instant: Instant? = nil) -> RecordedEvent {
        sequence += 1
        let at = instant ?? day
        return RecordedEvent(
            sequence: sequence, caseID: CaseID(id), caseVersion: version, occurredAt: at, recordedAt: at,
            actor: "ydp-0412", commandID: "c\(sequence)", event: event
        )
    }

    @Test
    mutating func countsSplitSessionsByKindAndCasesByState() {
        let log = [
            event("SES-2019-001", 1, .sessionHeld(SessionHeld(kind: .outreach, field: "경제도시", attendees: 25, theme: "금융"))),
            event("SES-2019-002", 1, .sessionHeld(SessionHeld(kind: .townhall, field: "생활환경", attendees: 140, theme: "주차"))),
            event("PRO-2019-0001", 1, .proposalFiled(ProposalFiled(session: CaseID("SES-2019-001"), title: "핀테크 교육"))),
            event("PET-2019-0001", 1, .petitionFiled(PetitionFiled(title: "보행로 정비", category: "도시"))),
            event("PET-2019-0001", 2, .declined(Declined(ground: .unclear))),
            event("PET-2019-0002", 1, .petitionFiled(PetitionFiled(title: "놀이터 그늘막", category: "도시"))),
            event("PET-2019-0002", 2, .reviewed(Reviewed(department: "공원녹지과"))),
            event("PET-2019-0002", 3, .answered(Answered(summary: "설치 예정", by: .department))),
            event("PET-2019-0002", 4, .reflected(Reflected(outcome: .adopted, policy: "그늘막 확대"))),
            event("REC-2019-001", 1, .recordPosted(RecordPosted(title: "금융 간담회 기록", about: [CaseID("SES-2019-001")]))),
        ]
        let rows = CaseProjection.replay(log).values
        let counts = CaseCounts(rows)
        #expect(counts.petitions == 2)
        #expect(counts.proposals == 1)
        #expect(counts.outreachSessions == 1)
        #expect(counts.outreachAttendees == 25)
        #expect(counts.townHalls == 1)
        #expect(counts.townHallAttendees == 140)
        #expect(counts.records == 1)
        #expect(counts.petitionsByStatus == [.declined: 1, .reflected: 1])
        #expect(counts.proposalsByStatus == [.filed: 1])
        #expect(counts.outcomes == [.adopted: 1])
        #expect(CaseCounts(rows, year: 2020) == CaseCounts())
    }

    @Test
    mutating func yearIsTheKSTYearOfFiling() {
        // 2019-12-31T16:00Z is already 2020-01-01 in Seoul.
        let newYear = Instant(secondsSinceEpoch: Instant(kst: CivilDate(year: 2020, month: 1, day: 1)!).secondsSinceEpoch + 3600)
        let log = [event("PET-2020-0001", 1, .petitionFiled(PetitionFiled(title: "제야 행사 안전", category: "자치행정")), at: newYear)]
        let rows = CaseProjection.replay(log).values
        #expect(CaseCounts(rows, year: 2020).petitions == 1)
        #expect(CaseCounts(rows, year: 2019).petitions == 0)
    }

    @Test
    mutating func eventForAMissingRowChangesNothing() {
        let log = [event("PET-2019-0009", 2, .reviewed(Reviewed(department: "도로과")))]
        #expect(CaseProjection.replay(log).isEmpty)
    }

    @Test
    func detailsLeaveOutPersonalData() {
        let filed = CaseEvent.petitionFiled(
            PetitionFiled(title: "가로등", category: "도시", petitioner: "가나다", contact: "010-0000-1234"))
        #expect(filed.detailsLine == "title: 가로등; category: 도시; petitioner: (personal data)")
        #expect(!filed.detailsLine.contains("010-0000-1234"))
    }
}
