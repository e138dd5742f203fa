import SinmungoCore
import SinmungoStore

/// The store's seeded generator, so that a failing randomized test can be replayed.
typealias SeededGenerator = SplitMix64

/// Drives random commands through the service; refusals are part of the mix, as in real use.
/// Returns how many commands were accepted.
@discardableResult
func appendRandomCommands(to store: SQLiteEventStore, count: Int, seed: UInt64) throws -> Int {
    var random = SeededGenerator(seed: seed)
    let departments = ["도로과", "청소과", "교통행정과", "공원녹지과"]
    var time = Instant(kst: CivilDate(year: 2019, month: 1, day: 7)!, hour: 9)
    var cases: [CaseID] = []
    var sessions: [CaseID] = []
    var accepted = 0
    for _ in 0..<count {
        time = time.adding(seconds: Int64.random(in: 60...20_000, using: &random))
        let target = cases.randomElement(using: &random)
        let command: CaseCommand
        switch Int.random(in: 0..<16, using: &random) {
        case 0, 1:
            command = .filePetition(PetitionFiled(title: "민원 \(cases.count)", category: "도시"))
        case 2:
            let kind: SessionKind = Bool.random(using: &random) ? .outreach : .townhall
            command = .holdSession(
                SessionHeld(kind: kind, field: "보건복지", attendees: Int.random(in: 0...80, using: &random), theme: "치매"))
        case 3:
            guard let session = sessions.randomElement(using: &random) else { continue }
            command = .fileProposal(ProposalFiled(session: session, title: "제안 \(cases.count)"))
        case 4:
            command = .endorse(count: Int.random(in: 1...700, using: &random))
        case 5, 6:
            command = .review(department: departments.randomElement(using: &random)!)
        case 7:
            command = .decline(ground: DeclineGround.allCases.randomElement(using: &random)!, reason: nil)
        case 8:
            command = .visit(Visited(place: "현장"))
        case 9, 10:
            command = .answer(summary: "답변", by: nil)
        case 11:
            command = .reflect(Reflected(outcome: Outcome.allCases.randomElement(using: &random)!))
        case 12:
            command = .transfer(Transferred(department: departments.randomElement(using: &random)!))
        case 13:
            command = .withdraw(Withdrawn())
        case 14:
            guard let original = cases.randomElement(using: &random) else { continue }
            command = .markDuplicate(of: original)
        default:
            command = .postRecord(RecordPosted(title: "소통 기록", about: Array(sessions.suffix(2))))
        }
        let creates = command.createdKind != nil
        if !creates && target == nil { continue }
        // Each step is recorded an hour after it happened, so recorded time advances too.
        let sinmungo = CaseService(store: store, now: { [time] in time.adding(seconds: 3600) })
        do {
            let outcome = try sinmungo.execute(command, on: creates ? nil : target, metadata: metadata(at: time))
            accepted += 1
            switch outcome.state.kind {
            case .petition?, .proposal?: if creates { cases.append(outcome.caseID) }
            case .session?: if creates { sessions.append(outcome.caseID) }
            default: break
            }
        } catch is Refusal {
            continue
        }
    }
    return accepted
}
