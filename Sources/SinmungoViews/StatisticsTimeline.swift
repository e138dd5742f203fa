import SinmungoCore
import SinmungoJSON

/// Each case's steps as `stats` needs them, with every free-text field emptied: the view from
/// which statistics staff, who may not read the log, compute the monthly figures. The roster's
/// department events are kept under the roster's id, so that departments are named as they
/// are now; officers' grants and the erasure steps, which no figure counts, are left out.
public enum StatisticsTimeline: Projection {
    public static let name = "statistics-timeline"
    public static let version = 1

    public struct Step: Codable, Equatable, Sendable {
        public var sequence: Int64
        public var occurredAt: Instant
        public var type: String
        public var schemaVersion: Int
        /// The event's payload, free text emptied, as the log stores payloads.
        public var data: String
    }

    public struct Row: Codable, Equatable, Sendable {
        public var steps: [Step] = []
    }

    public static func keys(touchedBy event: RecordedEvent) -> [CaseID] {
        counted(event.event) == nil ? [] : [event.caseID]
    }

    public static func apply(_ recorded: RecordedEvent, to rows: inout [CaseID: Row]) {
        guard let event = counted(recorded.event) else { return }
        rows[recorded.caseID, default: Row()].steps.append(
            Step(
                sequence: recorded.sequence, occurredAt: recorded.occurredAt, type: event.type.rawValue,
                schemaVersion: EventCodec.currentSchemaVersion(for: event.type), data: EventCodec.encode(event)))
    }

    /// The event with every field no figure reads emptied (titles, bodies, reasons, summaries,
    /// places, findings, policies, the sealed personal data), or nil when no figure reads it.
    /// Kept: categories, departments, grounds, outcomes, counts, session kinds and fields,
    /// the cases events link to, and the offices of transfers.
    static func counted(_ event: CaseEvent) -> CaseEvent? {
        switch event {
        case .petitionFiled(var filed):
            filed.title = ""
            filed.body = nil
            filed.personal = nil
            return .petitionFiled(filed)
        case .proposalFiled(var filed):
            filed.title = ""
            filed.personal = nil
            return .proposalFiled(filed)
        case .sessionHeld(var held):
            held.theme = nil
            held.place = nil
            return .sessionHeld(held)
        case .declined(var declined):
            declined.reason = nil
            return .declined(declined)
        case .visited(var visited):
            visited.place = ""
            visited.findings = nil
            visited.with = nil
            return .visited(visited)
        case .answered(var answered):
            answered.summary = ""
            return .answered(answered)
        case .reflected(var reflected):
            reflected.policy = nil
            return .reflected(reflected)
        case .transferred(var transferred):
            transferred.reason = nil
            return .transferred(transferred)
        case .withdrawn:
            return .withdrawn(Withdrawn())
        case .recordPosted(var posted):
            posted.title = ""
            return .recordPosted(posted)
        case .corrected(var corrected):
            // Only corrected categories and attendance change a figure.
            if corrected.field != .category && corrected.field != .attendees { corrected.value = "" }
            corrected.reason = ""
            return .corrected(corrected)
        case .extended(var extended):
            extended.reason = ""
            return .extended(extended)
        case .sentToOffice(var sent):
            sent.reason = ""
            return .sentToOffice(sent)
        case .receivedFromOffice(var received):
            received.title = ""
            received.reason = ""
            return .receivedFromOffice(received)
        case .roster(let change):
            switch change {
            case .departmentAdded(var named):
                named.reason = ""
                return .roster(.departmentAdded(named))
            case .departmentRenamed(var named):
                named.reason = ""
                return .roster(.departmentRenamed(named))
            case .departmentsMerged(var merged):
                merged.reason = ""
                return .roster(.departmentsMerged(merged))
            case .officerGranted, .officerChanged, .officerRemoved:
                return nil
            }
        case .endorsed, .qualified, .reviewed, .markedDuplicate:
            return event
        case .personalDataErased, .erasureRequested, .erasureDeclined:
            return nil
        }
    }

    /// The steps of every row as events: the roster's apart, in log order; the cases' each
    /// case's together, in its order, as `MonthlyStatistics` folds them.
    public static func events(of rows: [CaseID: Row]) throws -> (roster: [RecordedEvent], cases: [RecordedEvent]) {
        var roster: [RecordedEvent] = []
        var cases: [RecordedEvent] = []
        for (caseID, row) in rows {
            for step in row.steps {
                let event = try EventCodec.decode(type: step.type, schemaVersion: step.schemaVersion, data: step.data)
                let recorded = RecordedEvent(
                    sequence: step.sequence, caseID: caseID, caseVersion: 0, schemaVersion: step.schemaVersion,
                    occurredAt: step.occurredAt, recordedAt: step.occurredAt, actor: "", commandID: "", event: event)
                if caseID == Roster.streamID { roster.append(recorded) } else { cases.append(recorded) }
            }
        }
        roster.sort { $0.sequence < $1.sequence }
        return (roster, cases)
    }
}

extension StatisticsTimeline {
    /// The row's `Codable` layout, written by hand: a rebuild writes one a case, and a step
    /// holds a payload as text, which `Codable` would build a value tree for.
    public static func writeRow(_ row: Row, to out: inout [UInt8]) {
        CanonicalJSONWriter.appending(to: &out) { writer in
            writer.open()
            writer.key("steps")
            writer.array(row.steps) { writer, step in
                writer.open()
                writer.key("data")
                writer.string(step.data)
                writer.key("occurredAt")
                writer.instant(step.occurredAt)
                writer.field("schemaVersion", step.schemaVersion)
                writer.field("sequence", step.sequence)
                writer.key("type")
                writer.string(step.type)
                writer.close()
            }
            writer.close()
        }
    }
}
