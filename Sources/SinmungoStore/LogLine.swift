import Foundation
import SinmungoCore
import SinmungoJSON

/// One line of the JSON Lines log that `export` writes and `import` reads.
///
/// Keys are written sorted, with no space, so an export of the same log is always the same
/// bytes. On import, `seq`, `prevHash` and `hash` may be left out (they are assigned);
/// when present they must be what the log would assign.
struct LogLine {
    var sequence: Int64?
    var caseID: String
    var caseVersion: Int
    var type: String
    var schemaVersion: Int
    var occurredAt: String
    var recordedAt: String
    var actor: String
    var commandID: String
    /// The payload, parsed.
    var payload: JSONValue
    /// The same payload as canonical JSON text: made only when an older schema version's bytes
    /// are kept, as most lines need no text of it.
    var data: String { payload.canonicalText }
    var previousHash: String?
    var hash: String?
    /// The account that ran the command: present exactly when `layout` is 2.
    var account: String?

    static let requiredKeys: Set<String> = [
        "caseId", "caseVersion", "type", "schemaVersion", "occurredAt", "recordedAt", "actor", "commandId", "data",
    ]
    static let optionalKeys: Set<String> = ["seq", "prevHash", "hash", "account", "layout"]

    /// Longest line accepted, so that a hostile file cannot exhaust memory one line at a time.
    static let maximumLength = 1 << 20

    struct Problem: Error {
        var reason: String
    }

    init(parsing line: Data) throws(Problem) {
        guard line.count <= Self.maximumLength else {
            throw Problem(reason: "the line is \(line.count) bytes, over the limit of \(Self.maximumLength)")
        }
        let value: JSONValue
        do {
            value = try line.withUnsafeBytes { bytes in
                Result { () throws(JSONValue.SyntaxError) in try JSONValue.parse(bytes) }
            }.get()
        } catch {
            if let key = error.duplicateKey { throw Problem(reason: "the key \"\(key)\" appears twice") }
            throw Problem(reason: "not valid JSON")
        }
        guard case .object(let object) = value else {
            throw Problem(reason: "expected a JSON object, found \(value.kindName)")
        }
        // Sorted only to name the first culprit, on the way to refusing the line.
        let isKnown = { (key: String) in Self.requiredKeys.contains(key) || Self.optionalKeys.contains(key) }
        if !object.keys.allSatisfy(isKnown), let unknown = object.keys.sorted().first(where: { !isKnown($0) }) {
            throw Problem(reason: "unknown field \"\(unknown)\"")
        }
        if object.count < Self.requiredKeys.count || !Self.requiredKeys.allSatisfy({ object[$0] != nil }),
            let missing = Self.requiredKeys.sorted().first(where: { object[$0] == nil })
        {
            throw Problem(reason: "missing field \"\(missing)\"")
        }
        func string(_ key: String) throws(Problem) -> String {
            guard case .string(let text) = object[key] else {
                throw Problem(reason: "field \"\(key)\" must be a string, not \(object[key]?.kindName ?? "missing")")
            }
            guard !text.utf8.contains(0) else { throw Problem(reason: "field \"\(key)\" contains a NUL character") }
            return text
        }
        func integer(_ key: String) throws(Problem) -> Int64 {
            guard case .integer(let number) = object[key] else {
                throw Problem(reason: "field \"\(key)\" must be a whole number, not \(object[key]?.kindName ?? "missing")")
            }
            return number
        }
        sequence = object["seq"] == nil ? nil : try integer("seq")
        caseID = try string("caseId")
        let version = try integer("caseVersion")
        guard (1...Int64(Int32.max)).contains(version) else {
            throw Problem(reason: "field \"caseVersion\" must be at least 1, not \(version)")
        }
        caseVersion = Int(version)
        type = try string("type")
        let schema = try integer("schemaVersion")
        guard (1...Int64(Int32.max)).contains(schema) else {
            throw Problem(reason: "field \"schemaVersion\" must be at least 1, not \(schema)")
        }
        schemaVersion = Int(schema)
        occurredAt = try string("occurredAt")
        recordedAt = try string("recordedAt")
        actor = try string("actor")
        commandID = try string("commandId")
        guard let payload = object["data"], case .object = payload else {
            throw Problem(reason: "field \"data\" must be an object, not \(object["data"]?.kindName ?? "missing")")
        }
        self.payload = payload
        previousHash = object["prevHash"] == nil ? nil : try string("prevHash")
        hash = object["hash"] == nil ? nil : try string("hash")
        // A line without `layout` is layout 1, as every line written before layout 2 is.
        let layout = object["layout"] == nil ? 1 : try integer("layout")
        account = object["account"] == nil ? nil : try string("account")
        switch (layout, account) {
        case (1, nil): break
        case (1, _): throw Problem(reason: "field \"account\" needs \"layout\": 2")
        case (2, nil): throw Problem(reason: "layout 2 needs the field \"account\"")
        case (2, let account?):
            guard !account.allSatisfy(\.isWhitespace) else { throw Problem(reason: "field \"account\" must not be empty") }
        default: throw Problem(reason: "field \"layout\" must be 1 or 2, not \(layout)")
        }
    }

    /// The export line for a stored event: its stored bytes, not a re-encoding.
    static func format(_ event: StoredEvent) -> String {
        var line: [UInt8] = []
        line.reserveCapacity(event.data.utf8.count + 400)
        func raw(_ text: String) { line.append(contentsOf: text.utf8) }
        func quoted(_ text: String) { JSONValue.writeString(text, to: &line) }
        raw("{")
        if let account = event.account {
            raw("\"account\":")
            quoted(account)
            raw(",")
        }
        raw("\"actor\":")
        quoted(event.actor)
        raw(",\"caseId\":")
        quoted(event.caseID)
        raw(",\"caseVersion\":\(event.caseVersion),\"commandId\":")
        quoted(event.commandID)
        raw(",\"data\":\(event.data),\"hash\":\"\(EventHash.hex(event.hash))\"")
        // Layout 1 lines carry no layout, so that logs exported before layout 2 keep their bytes.
        if event.account != nil { raw(",\"layout\":\(event.layout)") }
        raw(",\"occurredAt\":")
        quoted(event.occurredAt)
        raw(",\"prevHash\":\"\(EventHash.hex(event.previousHash))\",\"recordedAt\":")
        quoted(event.recordedAt)
        raw(",\"schemaVersion\":\(event.schemaVersion),\"seq\":\(event.sequence),\"type\":")
        quoted(event.type)
        raw("}")
        return String(decoding: line, as: UTF8.self)
    }
}
