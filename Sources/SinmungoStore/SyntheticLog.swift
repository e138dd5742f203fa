import SinmungoCore

/// A deterministic synthetic log at any scale: the same cases and seed give the same events.
///
/// Cases are filed evenly over `years` from 2019, about five events each: petitions (with
/// endorsements, a few qualifying, declines, withdrawals, site visits, extensions), outreach
/// sessions and town halls with the proposals made at them, and posted records. Every step
/// obeys the lifecycle, so the log imports and verifies like one written by officers.
public struct SyntheticLog {
    /// One command's events, ready to append.
    public struct Step {
        public var caseID: CaseID
        /// The case version of the step's first event.
        public var caseVersion: Int
        public var occurredAt: Instant
        public var actor: String
        public var commandID: String
        public var events: [CaseEvent]
    }

    public let cases: Int
    public let seed: UInt64
    public let years: Int

    public init(cases: Int, seed: UInt64, years: Int = 5) {
        self.cases = cases
        self.seed = seed
        self.years = years
    }

    static let departments = [
        "교통행정과", "도로과", "공원녹지과", "청소과", "주택과", "건축과", "보건행정과", "복지정책과", "교육지원과", "문화체육과",
        "일자리경제과", "자치행정과", "환경과", "치수과", "도시계획과", "안전총괄과",
    ]
    static let places = ["당산역 1번 출구", "도림천 산책로", "문래동 창작촌", "신길5동 주민센터", "영등포시장 사거리", "여의도 한강공원"]
    static let titles = [
        "보도블록 정비 요청", "가로등 증설 요청", "불법 주정차 단속 건의", "공원 운동기구 교체", "어린이 보호구역 안전시설",
        "쓰레기 무단투기 대책", "경로당 냉방 지원", "도서관 운영시간 연장", "버스 정류장 쉼터 설치", "자전거 도로 정비",
    ]
    static let surnames = ["김", "이", "박", "최", "정", "강", "조", "윤"]

    /// Calls `body` with every step in recorded order; returns the number of events.
    @discardableResult
    public func generate(_ body: (Step) throws -> Void) rethrows -> Int {
        var random = SplitMix64(seed: seed)
        let policy = Policy.yeongdeungpo
        let start = Instant(kst: CivilDate(year: 2019, month: 1, day: 2)!, hour: 9).secondsSinceEpoch
        let span = Int64(years) * 365 * 86_400
        var pending = StepQueue()
        var numbers: [String: Int] = [:]
        var session: CaseID?
        var emitted = 0
        var commands = 0

        func nextID(_ kind: CaseKind, at instant: Instant) -> CaseID {
            let year = instant.kstDate.year
            let key = "\(kind.rawValue)-\(year)"
            numbers[key, default: 0] += 1
            return CaseID(kind: kind, year: year, number: numbers[key]!)
        }
        func actor() -> String { "ydp-\(1000 + Int(random.next() % 400))" }
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        func emit(_ step: Step) throws {
            commands += 1
            emitted += step.events.count
            try body(step)
        }

        for index in 0..<cases {
            let filedAt = Instant(secondsSinceEpoch: start + span * Int64(index) / Int64(max(cases, 1)))
            while let due = pending.popFirst(notAfter: filedAt) { try emit(due) }
            var steps: [(Int64, [CaseEvent])] = []
            let id: CaseID
            let roll = random.next() % 100
            func later(_ days: Int64, _ events: CaseEvent...) {
                let previous = steps.last?.0 ?? 0
                steps.append((previous + days * 86_400 + Int64(random.next() % 36_000), events))
            }
            if roll < 4 || session == nil {
                id = nextID(.session, at: filedAt)
                let kind: SessionKind = chance(60) ? .outreach : .townhall
                let held = SessionHeld(
                    kind: kind, field: pick(policy.fields(for: kind)), attendees: 10 + Int(random.next() % 120),
                    place: pick(Self.places))
                steps.append((0, [.sessionHeld(held)]))
                session = id
            } else if roll < 5 {
                id = nextID(.record, at: filedAt)
                steps.append((0, [.recordPosted(RecordPosted(title: "구민과의 소통 기록", about: session.map { [$0] } ?? []))]))
            } else if roll < 30 {
                id = nextID(.proposal, at: filedAt)
                let proposer = pick(Self.surnames) + "제안\(index % 1000)"
                steps.append(
                    (
                        0,
                        [
                            .proposalFiled(
                                ProposalFiled(session: session!, title: pick(Self.titles), category: nil, proposer: proposer))
                        ]
                    ))
                later(2, .reviewed(Reviewed(department: pick(Self.departments))))
                later(15, .answered(Answered(summary: "검토 결과를 회신했습니다", by: .department)))
                later(10, .reflected(Reflected(outcome: pick(Outcome.allCases))))
            } else {
                id = nextID(.petition, at: filedAt)
                let name = pick(Self.surnames) + "민원\(index % 1000)"
                steps.append(
                    (
                        0,
                        [
                            .petitionFiled(
                                PetitionFiled(
                                    title: pick(Self.titles), category: pick(policy.petitionCategories),
                                    body: "주민 불편이 커서 개선을 요청합니다.",
                                    petitioner: name, contact: "010-\(1000 + index % 9000)-\(1000 + Int(random.next() % 9000))"))
                        ]
                    ))
                let qualifies = chance(2)
                if qualifies {
                    later(
                        3, .endorsed(Endorsed(count: 1000 + Int(random.next() % 500))), .qualified(Qualified(endorsements: 1000)))
                } else {
                    later(1, .endorsed(Endorsed(count: 1 + Int(random.next() % 200))))
                    if chance(60) { later(0, .endorsed(Endorsed(count: 1 + Int(random.next() % 100)))) }
                }
                if chance(5) {
                    later(1, .declined(Declined(ground: pick(DeclineGround.allCases))))
                } else if chance(4) {
                    later(1, .withdrawn(Withdrawn(reason: "민원 해결")))
                } else {
                    later(1, .reviewed(Reviewed(department: pick(Self.departments))))
                    if chance(40) { later(2, .visited(Visited(place: pick(Self.places)))) }
                    if chance(5) { later(1, .extended(Extended(days: 30, reason: "관계 기관 협의"))) }
                    later(5, .answered(Answered(summary: "조치 계획을 알려 드립니다", by: qualifies ? .mayor : .department)))
                    if chance(70) { later(20, .reflected(Reflected(outcome: pick(Outcome.allCases)))) }
                }
            }
            // The qualifying total is the endorsements actually counted.
            var version = 1
            for (offset, step) in steps.enumerated() {
                var events = step.1
                if events.count == 2, case .endorsed(let endorsed) = events[0] {
                    events[1] = .qualified(Qualified(endorsements: endorsed.count))
                }
                let when = Instant(secondsSinceEpoch: filedAt.secondsSinceEpoch + step.0)
                let command = Step(
                    caseID: id, caseVersion: version, occurredAt: when, actor: actor(),
                    commandID: "gen-\(seed)-\(index)-\(offset)", events: events)
                version += events.count
                if offset == 0 { try emit(command) } else { pending.insert(command) }
            }
        }
        while let due = pending.popFirst(notAfter: nil) { try emit(due) }
        return emitted
    }
}

/// Steps waiting for their time, earliest first (a binary heap; ties keep insertion order).
private struct StepQueue {
    private var heap: [(key: Int64, order: Int, step: SyntheticLog.Step)] = []
    private var inserted = 0

    mutating func insert(_ step: SyntheticLog.Step) {
        inserted += 1
        heap.append((step.occurredAt.secondsSinceEpoch, inserted, step))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst(notAfter limit: Instant?) -> SyntheticLog.Step? {
        guard let first = heap.first, limit.map({ first.key <= $0.secondsSinceEpoch }) ?? true else { return nil }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, less(left, smallest) { smallest = left }
            if right < heap.count, less(right, smallest) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first.step
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        (heap[a].key, heap[a].order) < (heap[b].key, heap[b].order)
    }
}

/// SplitMix64: tiny, fast and the same on every platform, unlike the system generator.
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
