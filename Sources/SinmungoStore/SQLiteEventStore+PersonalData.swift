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
        try PersonalDataSeal.status(in: events) { person in
            guard let keys else {
                throw PersonalDataSeal.KeyUnavailable(
                    reason: "there is no key store at \(keysPath ?? PersonKeyStore.defaultPath(forLog: path)) to open it with")
            }
            return try keys.key(of: person)
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
