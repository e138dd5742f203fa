import Foundation
import SinmungoCore

extension SQLiteEventStore {
    /// Seals the plain personal data of events about to be appended, each person with a new
    /// key that is committed to the key store first.
    func sealingPersonalData(of events: [CaseEvent], caseID: CaseID, firstVersion: Int) throws -> [CaseEvent] {
        guard events.contains(where: \.holdsPlainPersonalData) else { return events }
        var made: [PersonKey] = []
        let sealed = try events.enumerated().map { offset, event in
            try PersonalDataSeal.sealing(event, caseID: caseID, caseVersion: firstVersion + offset, into: &made)
        }
        try requireKeys().insert(made)
        return sealed
    }

    /// Destroys the keys whose erasure the log has just recorded.
    func destroyErasedKeys(in recorded: [RecordedEvent]) throws {
        for event in recorded {
            if case .personalDataErased(let erased) = event.event {
                try requireKeys().destroyKey(of: erased.person)
            }
        }
    }

    /// The case's personal data, opened with its person's key, or what became of it.
    public func personalData(of caseID: CaseID) throws -> PersonalDataStatus {
        try personalData(in: try events(of: caseID))
    }

    /// The same, from the case's events as they stood at some point.
    public func personalData(in events: [RecordedEvent]) throws -> PersonalDataStatus {
        guard let filed = events.first, let personal = filed.event.personal else { return .none }
        if let erasure = events.first(where: { $0.type == .personalDataErased }),
            case .personalDataErased(let erased) = erasure.event
        {
            return .erased(at: erasure.recordedAt, by: erasure.actor, reason: erased.reason, request: erased.request)
        }
        switch personal {
        case .plain(let data), .legacy(let data):
            return .unencrypted(data)
        case .sealed(let sealed):
            guard let keys else {
                return .unavailable(
                    reason: "there is no key store at \(keysPath ?? PersonKeyStore.defaultPath(forLog: path)) to open it with")
            }
            guard let key = try keys.key(of: sealed.person) else {
                return .unavailable(reason: "the key store holds no key for it")
            }
            do {
                return .held(try PersonalDataSeal.open(sealed, with: key, caseID: filed.caseID, caseVersion: filed.caseVersion))
            } catch {
                return .unavailable(reason: "it does not open with its key, so it was altered or moved")
            }
        }
    }

    /// Destroys the key of a case whose erasure the log records but whose key survived, as
    /// when the process was stopped between the two. Returns whether there was one.
    @discardableResult
    public func finishErasure(of caseID: CaseID) throws -> Bool {
        try requireWritable()
        let state = CaseState(id: caseID, replaying: try events(of: caseID))
        guard case .erased(let person) = state.personalData, try requireKeys().holdsKey(of: person) else { return false }
        try requireKeys().destroyKey(of: person)
        return true
    }
}
