import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore

/// `transfer CASE --to-office X`: sends a case to another office on the same server (이송).
/// The case ends in this office and starts in the other under its next petition number.
func transferToOffice(_ id: CaseID, office: String, reason: String?, store options: StoreOptions, write: WriteOptions) throws {
    try options.checkBackendOptions()
    guard options.isServer else {
        throw CommandLineFailure.usage(
            "an SQLite log is one office's log, so there is no other office to send a case to; --to-office needs a PostgreSQL log (--db postgresql://…)"
        )
    }
    guard let reason, !reason.allSatisfy(\.isWhitespace) else {
        throw CommandLineFailure.usage("--to-office needs --reason: the receiving office reads why the case came to it")
    }
    let metadata = try write.metadata(tiedOfficer: options.officerTiedToThisAccount)
    try Lifecycle.checkMetadata(actor: metadata.actor, commandID: metadata.commandID, case: id, policy: Sinmungo.policy)
    let store = try PostgresEventStore(address: options.path, office: options.officeName, projections: StoreOptions.serverProjections)
    let state = try store.state(of: id)
    guard state.exists else { throw Refusal.noSuchCase(id) }
    try store.roster().authorize(
        officer: metadata.actor, account: metadata.account, task: .transfer, caseDepartment: state.department, case: id)
    let now = currentInstant()
    let done: OfficeTransfer
    do {
        done = try store.transfer(
            id, to: office, reason: reason, actor: metadata.actor, commandID: metadata.commandID,
            occurredAt: metadata.occurredAt ?? now, recordedAt: now, expectedVersion: metadata.expectedVersion)
    } catch is CommandAlreadyApplied {
        printError("command \(metadata.commandID) was already applied; nothing new was written")
        return
    }
    switch write.format {
    case .json:
        struct Result: Encodable {
            var caseId: String
            var state: String
            var version: Int
            var seq: Int64
            var office: String
            var receivedAs: String
            var receivedSeq: Int64
        }
        print(
            try JSONOutput.encode(
                Result(
                    caseId: id.rawValue, state: CaseStatus.sentToOffice.rawValue, version: done.sent.caseVersion,
                    seq: done.sent.sequence, office: done.receivingOffice, receivedAs: done.received.caseID.rawValue,
                    receivedSeq: done.received.sequence)))
    case .table:
        print(
            "\(id) \(CaseStatus.sentToOffice.rawValue) (version \(done.sent.caseVersion)); \(done.receivingOffice) received it as \(done.received.caseID)"
        )
    }
}
