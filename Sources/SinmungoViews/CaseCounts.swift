import SinmungoCore

/// The figures the district reports: cases, sessions, attendance and records, with cases by state.
public struct CaseCounts: Equatable, Sendable {
    public var petitions = 0
    public var proposals = 0
    public var outreachSessions = 0
    public var outreachAttendees = 0
    public var townHalls = 0
    public var townHallAttendees = 0
    public var records = 0
    /// Petitions and proposals by their current status.
    public var petitionsByStatus: [CaseStatus: Int] = [:]
    public var proposalsByStatus: [CaseStatus: Int] = [:]
    /// Petitions and proposals reflected in policy, by outcome.
    public var outcomes: [Outcome: Int] = [:]

    public init() {}

    /// Counts the rows filed (or held, or posted) in `year` (KST), or all rows when nil.
    public init(_ rows: some Sequence<CaseSummary>, year: Int? = nil) {
        for row in rows { add(row, ifFiledIn: year) }
    }

    /// Counts `row` when it was filed (or held, or posted) in `year` (KST), or always when nil.
    public mutating func add(_ row: CaseSummary, ifFiledIn year: Int?) {
        if year == nil || row.filedAt.kstDate.year == year { add(row) }
    }

    public mutating func add(_ row: CaseSummary) {
        switch row.kind {
        case .petition:
            petitions += 1
            petitionsByStatus[row.status, default: 0] += 1
        case .proposal:
            proposals += 1
            proposalsByStatus[row.status, default: 0] += 1
        case .session:
            if row.sessionKind == .townhall {
                townHalls += 1
                townHallAttendees = townHallAttendees.adding(saturating: row.attendees ?? 0)
            } else {
                outreachSessions += 1
                outreachAttendees = outreachAttendees.adding(saturating: row.attendees ?? 0)
            }
        case .record:
            records += 1
        }
        if let outcome = row.outcome, row.status == .reflected {
            outcomes[outcome, default: 0] += 1
        }
    }
}

extension CaseCounts {
    /// Counts the cases of the events `caseByCase` hands over, each case's together, from its
    /// row as its own events fold it, one case at a time. Every figure here comes from a case's
    /// own events (a session's proposals and a case's duplicates, which other cases add to its
    /// row, are not counted), so the log is folded without holding a row a case.
    public mutating func add(
        caseByCase: ((RecordedEvent) throws -> Void) throws -> Void, ifFiledIn year: Int?
    ) throws {
        var row: [CaseID: CaseSummary] = [:]
        var current: CaseID?
        func countCurrent() {
            if let current, let summary = row[current] { add(summary, ifFiledIn: year) }
            row.removeAll(keepingCapacity: true)
        }
        try caseByCase { event in
            if event.caseID != current {
                countCurrent()
                current = event.caseID
            }
            CaseProjection.apply(event, to: &row)
        }
        countCurrent()
    }

    /// Counts the cases as they stood at `moment` (business time), from their rows at the log's
    /// head: business time never runs backwards within a case, so a case whose last step came
    /// by then stands as its row says. `steps` hands over, case by case, the steps up to
    /// `moment` of the cases changed since, which only a fold tells.
    public mutating func add(
        at moment: Instant, currentRows: ((CaseID, CaseSummary) throws -> Void) throws -> Void,
        steps: (_ cases: [CaseID], _ fold: (RecordedEvent) throws -> Void) throws -> Void, ifFiledIn year: Int?
    ) throws {
        var changed: [CaseID] = []
        try currentRows { id, row in
            switch row.standing(at: moment) {
            case .notYetFiled: break
            case .asNow: add(row, ifFiledIn: year)
            case .changedSince: changed.append(id)
            }
        }
        try add(caseByCase: { fold in try withoutActuallyEscaping(fold) { try steps(changed, $0) } }, ifFiledIn: year)
    }
}
