import SinmungoCore
import Testing

/// One event of every type, with the optional fields filled in where the type has them.
let everyEvent: [CaseEvent] = [
    .petitionFiled(
        PetitionFiled(
            title: "당산역 엘리베이터", category: "도시",
            personal: .sealed(SealedPersonalData(person: "3f1c", box: "c2VhbGVk")))),
    .endorsed(Endorsed(count: 17)),
    .qualified(Qualified(endorsements: 1003)),
    .sessionHeld(SessionHeld(kind: .townhall, field: "안전", attendees: 0, theme: "어린이 보호구역", place: "구청 3층")),
    .proposalFiled(
        ProposalFiled(
            session: IDs.session, title: "경로당 냉방", category: "보건복지",
            personal: .sealed(SealedPersonalData(person: "9a2e", box: "Ym94")))),
    .reviewed(Reviewed(department: "교통행정과")),
    .declined(Declined(ground: .proceedingsPending, reason: "소송 중")),
    .visited(Visited(place: "당산로 1/2", findings: "\"파손\" 확인", with: ["ydp-0413", "ydp-0414"])),
    .answered(Answered(summary: "예산 반영", by: .mayor)),
    .reflected(Reflected(outcome: .longTerm, policy: "2020 보행환경 개선")),
    .transferred(Transferred(department: "도시계획과", reason: "소관")),
    .withdrawn(Withdrawn(reason: nil)),
    .markedDuplicate(MarkedDuplicate(of: IDs.earlierPetition)),
    .recordPosted(RecordPosted(title: "소통 기록", about: [IDs.earlierPetition, IDs.session])),
    .corrected(Corrected(field: .attendees, value: "41", reason: "명부 재확인")),
    .extended(Extended(days: 60, reason: "관계 기관 협의")),
    .personalDataErased(PersonalDataErased(person: "3f1c", reason: "보존기간 경과")),
    .erasureRequested(ErasureRequested(person: "3f1c", reason: "정보주체 삭제 요구", request: "개인정보-2019-0042")),
    .erasureDeclined(ErasureDeclined(reason: "보존기간 중")),
    .sentToOffice(
        SentToOffice(
            office: "구로구", receivedAs: IDs.earlierPetition, sequence: 42, chainedOn: String(repeating: "0a", count: 32),
            reason: "소관 기관")),
    .receivedFromOffice(
        ReceivedFromOffice(
            office: "영등포구", sentAs: IDs.earlierPetition, sequence: 7, hash: String(repeating: "1b", count: 32),
            title: "당산역 엘리베이터", category: "도시", reason: "소관 기관")),
    .roster(.departmentAdded(DepartmentNamed(department: "water", name: "치수과", reason: "신설"))),
    .roster(.departmentRenamed(DepartmentNamed(department: "water", name: "물관리과", reason: "조직 개편"))),
    .roster(.departmentsMerged(DepartmentsMerged(department: "build", into: "water", reason: "조직 개편"))),
    .roster(
        .officerGranted(
            OfficerGrant(
                officer: "ydp-0412", roles: [.officer, .teamLead], departments: ["water"], accounts: ["kim"], reason: "발령"))),
    .roster(.officerChanged(OfficerGrant(officer: "ydp-0412", roles: [.privacyOfficer], reason: "보직 변경"))),
    .roster(.officerRemoved(OfficerRemoved(officer: "ydp-0412", reason: "전출"))),
]

@Suite("EventCodec")
struct EventCodecTests {
    @Test("the samples cover every event type")
    func samplesCoverEveryType() {
        #expect(Set(everyEvent.map(\.type)) == Set(EventType.allCases))
    }

    @Test("every event decodes to itself after encoding", arguments: everyEvent)
    func roundTrip(_ event: CaseEvent) throws {
        let text = EventCodec.encode(event)
        let version = EventCodec.currentSchemaVersion(for: event.type)
        #expect(try EventCodec.decode(type: event.type.rawValue, schemaVersion: version, data: text) == event)
    }

    @Test
    func version1PetitionsAreUpgradedBySplittingTheirContact() throws {
        let phone = #"{"category":"도시","contact":"010-0000-0001","petitioner":"홍길동","title":"가로등"}"#
        let email = #"{"category":"도시","contact":"resident7@example.com","title":"가로등"}"#
        let none = #"{"category":"도시","title":"가로등"}"#
        #expect(
            try EventCodec.decode(type: "petition-filed", schemaVersion: 1, data: phone)
                == .petitionFiled(
                    PetitionFiled(
                        title: "가로등", category: "도시", personal: .legacy(PersonalData(name: "홍길동", phone: "010-0000-0001")))))
        #expect(
            try EventCodec.decode(type: "petition-filed", schemaVersion: 1, data: email)
                == .petitionFiled(
                    PetitionFiled(title: "가로등", category: "도시", personal: .legacy(PersonalData(email: "resident7@example.com")))))
        #expect(
            try EventCodec.decode(type: "petition-filed", schemaVersion: 1, data: none)
                == .petitionFiled(PetitionFiled(title: "가로등", category: "도시")))
    }

    @Test
    func plainTextPersonalDataOfOlderVersionsIsReadAsLegacyAndNeverWrittenAgain() throws {
        let version2 = #"{"category":"도시","email":"a@example.com","petitioner":"홍길동","title":"가로등"}"#
        let upgraded = try EventCodec.decode(type: "petition-filed", schemaVersion: 2, data: version2)
        #expect(upgraded.personal == .legacy(PersonalData(name: "홍길동", email: "a@example.com")))
        #expect(EventCodec.encode(upgraded) == #"{"category":"도시","title":"가로등"}"#)
        let proposal = #"{"proposer":"김제안","session":"OUT-2019-01","title":"쉼터"}"#
        #expect(
            try EventCodec.decode(type: "proposal-filed", schemaVersion: 1, data: proposal).personal
                == .legacy(PersonalData(name: "김제안")))
        // New events are written in version 4, and a version 5 is refused.
        #expect(EventCodec.currentSchemaVersion(for: .petitionFiled) == 4)
        #expect(EventCodec.currentSchemaVersion(for: .proposalFiled) == 2)
        #expect(throws: EventCodec.DecodingFailure.futureSchema(type: "petition-filed", version: 5)) {
            _ = try EventCodec.decode(type: "petition-filed", schemaVersion: 5, data: #"{"category":"도시","title":"가로등"}"#)
        }
    }

    @Test
    func version3KeepsItsPlainBodyAndVersion4HasNone() throws {
        let data = #"{"body":"본문\n둘째 줄","category":"도시","sealed":{"box":"c2VhbGVk","person":"3f1c"},"title":"당산역"}"#
        let version3 = try EventCodec.decode(type: "petition-filed", schemaVersion: 3, data: data)
        guard case .petitionFiled(let filed) = version3 else {
            Issue.record("not a petition")
            return
        }
        #expect(filed.body == "본문\n둘째 줄")
        // Written back as it was read, so the bytes and the hash of a version 3 event hold.
        #expect(EventCodec.encode(version3) == data)
        // Beside a sealed box the body cannot be moved in: the store leaves such an event alone.
        #expect(!version3.holdsPlainPersonalData)
        #expect(
            throws: EventCodec.DecodingFailure.invalidData(
                type: "petition-filed", reason: "version 4 keeps the body sealed with the petitioner's details, not in \"body\"")
        ) { _ = try EventCodec.decode(type: "petition-filed", schemaVersion: 4, data: data) }
    }

    @Test
    func aNewPetitionsBodyIsPersonalDataToSeal() {
        let filed = CaseEvent.petitionFiled(PetitionFiled(title: "t", category: "도시", body: "신도림동 12번지", petitioner: nil))
        #expect(filed.holdsPlainPersonalData)
        #expect(
            filed.bodyMovedIntoPersonalData
                == .petitionFiled(PetitionFiled(title: "t", category: "도시", personal: .plain(PersonalData(body: "신도림동 12번지")))))
    }

    @Test(
        "encoding is canonical: keys sorted, no spaces, absent optionals left out, text unescaped",
        arguments: [
            (CaseEvent.reviewed(Reviewed(department: "교통행정과")), #"{"department":"교통행정과"}"#),
            (.answered(Answered(summary: "예산 반영", by: .mayor)), #"{"by":"mayor","summary":"예산 반영"}"#),
            (
                .sessionHeld(SessionHeld(kind: .townhall, field: "안전", attendees: 12)),
                #"{"attendees":12,"field":"안전","kind":"townhall"}"#
            ),
            (
                // Plain personal data has no field: only the store's sealed form reaches the log.
                .petitionFiled(PetitionFiled(title: "보도 정비", category: "도시", petitioner: "홍길동", contact: "010-1")),
                #"{"category":"도시","title":"보도 정비"}"#
            ),
            (
                .proposalFiled(
                    ProposalFiled(
                        session: CaseID("OUT-2019-01"), title: "쉼터",
                        personal: .sealed(SealedPersonalData(person: "p1", box: "AAA=")))),
                #"{"sealed":{"box":"AAA=","person":"p1"},"session":"OUT-2019-01","title":"쉼터"}"#
            ),
            (.visited(Visited(place: "당산로 1/2", with: ["a", "b"])), #"{"place":"당산로 1/2","with":["a","b"]}"#),
            (.markedDuplicate(MarkedDuplicate(of: CaseID("PET-2019-0001"))), #"{"of":"PET-2019-0001"}"#),
            (.reflected(Reflected(outcome: .partlyAdopted)), #"{"outcome":"partly-adopted"}"#),
            (.withdrawn(Withdrawn()), "{}"),
            (.extended(Extended(days: 30, reason: "협의")), #"{"days":30,"reason":"협의"}"#),
        ]
    )
    func canonical(_ event: CaseEvent, _ text: String) {
        #expect(EventCodec.encode(event) == text)
    }

    @Test("decoding accepts any key order and spacing")
    func lenientDecoding() throws {
        let text = #"{ "summary" : "예산 반영",  "by" : "department" }"#
        #expect(
            try EventCodec.decode(type: "answered", schemaVersion: 1, data: text)
                == .answered(Answered(summary: "예산 반영", by: .department)))
    }

    @Test("an unknown type is refused, whatever its version")
    func unknownType() {
        #expect(throws: EventCodec.DecodingFailure.unknownType("petition-approved")) {
            try EventCodec.decode(type: "petition-approved", schemaVersion: 9, data: "{}")
        }
    }

    @Test("a schema version newer than the program's is refused")
    func futureSchema() {
        #expect(throws: EventCodec.DecodingFailure.futureSchema(type: "reviewed", version: 2)) {
            try EventCodec.decode(type: "reviewed", schemaVersion: 2, data: #"{"department":"교통행정과"}"#)
        }
    }

    @Test("a schema version below 1 is invalid data")
    func schemaZero() {
        #expect(throws: EventCodec.DecodingFailure.invalidData(type: "reviewed", reason: "schema version 0 is not a version")) {
            try EventCodec.decode(type: "reviewed", schemaVersion: 0, data: #"{"department":"교통행정과"}"#)
        }
    }

    @Test("a missing field is named")
    func missingField() {
        #expect(throws: EventCodec.DecodingFailure.invalidData(type: "reviewed", reason: #"missing field "department""#)) {
            try EventCodec.decode(type: "reviewed", schemaVersion: 1, data: "{}")
        }
    }

    @Test(
        "a value of the wrong type is invalid data, with where it is",
        arguments: [
            ("endorsed", #"{"count":"many"}"#, "wrong type at count"),
            ("endorsed", #"{"count":null}"#, "wrong type at count"),
            ("record-posted", #"{"title":"t","about":[1]}"#, "wrong type at about.[0]"),
        ]
    )
    func wrongType(_ type: String, _ data: String, _ reasonStart: String) throws {
        let failure = #expect(throws: EventCodec.DecodingFailure.self) {
            try EventCodec.decode(type: type, schemaVersion: 1, data: data)
        }
        guard case .invalidData(let failedType, let reason)? = failure else {
            Issue.record("expected invalid data, got \(String(describing: failure))")
            return
        }
        #expect(failedType == type)
        #expect(reason.hasPrefix(reasonStart), "\(reason)")
    }

    @Test(
        "text that is not JSON, or an unknown enum value, is invalid data",
        arguments: [
            ("reviewed", "department=교통행정과"),
            ("answered", #"{"by":"governor","summary":"x"}"#),
            ("declined", #"{"ground":"boredom"}"#),
        ])
    func corrupt(_ type: String, _ data: String) {
        let failure = #expect(throws: EventCodec.DecodingFailure.self) {
            try EventCodec.decode(type: type, schemaVersion: 1, data: data)
        }
        guard case .invalidData(type, _)? = failure else {
            Issue.record("expected invalid data for \(type), got \(String(describing: failure))")
            return
        }
    }

    @Test(
        "the replay path's reading of bytes gives what the text path gives, events and refusals alike",
        arguments: everyEvent.map { ($0.type.rawValue, EventCodec.encode($0)) } + [
            ("reviewed", #"{"department":"도로과","extra":1}"#),
            ("reviewed", #"{"department":"도로과","department":"청소과"}"#),
            ("reviewed", #"{"zeta":1,"alpha":2,"department":"x"}"#),
            ("reviewed", "[1,2]"),
            ("reviewed", #"{"department":"x"} trailing"#),
            ("endorsed", #"{"count":"many"}"#),
            ("petition-filed", #"{"category":"c","title":"t","sealed":{"box":"b","person":"p","more":1}}"#),
            ("petition-filed", #"{"body":"b","category":"c","title":"t"}"#),
        ])
    func bytesAndTextDecodeAlike(_ type: String, _ data: String) {
        let version = EventType(rawValue: type).map(EventCodec.currentSchemaVersion(for:)) ?? 1
        func decoded(_ decode: () throws(EventCodec.DecodingFailure) -> CaseEvent) -> Result<
            CaseEvent, EventCodec.DecodingFailure
        > {
            do { return .success(try decode()) } catch { return .failure(error) }
        }
        let text = decoded { () throws(EventCodec.DecodingFailure) in
            try EventCodec.decode(type: type, schemaVersion: version, data: data)
        }
        var bytes = data
        let inPlace = bytes.withUTF8 { buffer in
            decoded { () throws(EventCodec.DecodingFailure) in
                try EventCodec.decode(type: type, schemaVersion: version, dataUTF8: UnsafeRawBufferPointer(buffer))
            }
        }
        #expect(inPlace == text, "\(type) \(data)")
    }
}
