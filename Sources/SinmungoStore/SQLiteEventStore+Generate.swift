import Foundation
internal import GRDB
import SinmungoCore

extension SQLiteEventStore {
    /// Writes a synthetic log into an empty store, a batch of events to a transaction, with
    /// the views kept up to date. Returns the number of events written.
    ///
    /// The generator obeys the lifecycle by construction, so the steps skip the decider;
    /// tests import a generated log's export to prove every step would pass it.
    @discardableResult
    public func generate(_ log: SyntheticLog, progress: (Int64) -> Void = { _ in }) throws -> Int64 {
        try requireWritable()
        guard try head().sequence == 0 else {
            throw StoreError.notEmpty(path: path)
        }
        var batch: [SyntheticLog.Step] = []
        var batchEvents = 0
        var written: Int64 = 0
        func flush() throws {
            written += try appendSteps(batch)
            batch.removeAll(keepingCapacity: true)
            batchEvents = 0
            progress(written)
        }
        try log.generate { step in
            batch.append(step)
            batchEvents += step.events.count
            if batchEvents >= Self.batchSize { try flush() }
        }
        try flush()
        return written
    }

    /// Events written in one transaction by bulk writes.
    static let batchSize = 20_000

    private func appendSteps(_ steps: [SyntheticLog.Step]) throws -> Int64 {
        try withTranslatedErrors {
            try database.write { db in
                var writer = try LogWriter(db: db, projections: projections)
                var keys: [PersonKey] = []
                for step in steps {
                    for (offset, event) in step.events.enumerated() {
                        let version = step.caseVersion + offset
                        let event = try PersonalDataSeal.sealing(event, caseID: step.caseID, caseVersion: version, into: &keys)
                        try writer.append(
                            RecordedEvent(
                                sequence: writer.head.sequence + 1, caseID: step.caseID, caseVersion: version,
                                occurredAt: step.occurredAt, recordedAt: step.occurredAt, actor: step.actor,
                                commandID: step.commandID, event: event))
                    }
                }
                try writer.finish()
                try requireKeys().insert(keys)
                return Int64(steps.reduce(0) { $0 + $1.events.count })
            }
        }
    }
}
