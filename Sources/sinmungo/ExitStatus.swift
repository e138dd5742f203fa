import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore

/// One exit status per kind of failure (sysexits), so scripts can tell them apart.
enum ExitStatus {
    static let usage: Int32 = 64
    static let refused: Int32 = 65
    static let noInput: Int32 = 66
    static let ioError: Int32 = 74
    static let conflict: Int32 = 75

    static func forDomainError(_ error: any Error) -> Int32? {
        switch error {
        case let refusal as Refusal:
            if case .noSuchCase = refusal { return noInput }
            return refused
        case is AppendConflict:
            return conflict
        case is ExpectedVersionAhead:
            return usage
        case let failure as HolidayCalendar.Failure:
            if case .missingYear = failure { return noInput }
            return refused
        case let failure as PostgresFailure:
            return forServerFailure(failure)
        case is NoSuchOffice:
            return noInput
        case is ImportRefusal, is VerificationFailure, is VerificationFailureSummary, is AccessRefusal, is AccessRecordFailure,
            is SamePersonForBothSteps, is AnchorKeyFile.Failure:
            return refused
        case let storeError as StoreError:
            switch storeError {
            case .missing, .missingKeyStore: return noInput
            case .unreadableEvent, .unreadableView, .viewsAheadOfLog, .notEmpty: return refused
            case .notALog, .newerFormat, .damaged, .readOnly, .diskFull, .busy, .uncheckpointedArchive, .io: return ioError
            }
        default:
            return nil
        }
    }
}

/// A failure of the command line itself, with its own status.
struct CommandLineFailure: Error {
    var message: String
    var exitStatus: Int32

    static func usage(_ message: String) -> CommandLineFailure {
        CommandLineFailure(message: message, exitStatus: ExitStatus.usage)
    }

    static func missingFile(_ path: String) -> CommandLineFailure {
        CommandLineFailure(message: "no file at \(path)", exitStatus: ExitStatus.noInput)
    }

    static func io(_ message: String) -> CommandLineFailure {
        CommandLineFailure(message: message, exitStatus: ExitStatus.ioError)
    }
}
