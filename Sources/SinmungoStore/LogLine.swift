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

    /// Longest line accepted, so that a hostile file cannot exhaust memory one line at a time.
    static let maximumLength = 1 << 20

    struct Problem: Error {
        var reason: String
    }

    init(parsing line: Data) throws(Problem) {
        guard line.count <= Self.maximumLength else {
            throw Problem(reason: "the line is \(line.count) bytes, over the limit of \(Self.maximumLength)")
        }
        let parsed: [(key: String, value: JSONValue)]?
        do {
            parsed = try line.withUnsafeBytes { bytes in
                Result { () throws(JSONValue.SyntaxError) in try JSONValue.parseObjectFields(bytes) }
            }.get()
        } catch {
            if let key = error.duplicateKey { throw Problem(reason: "the key \"\(key)\" appears twice") }
            throw Problem(reason: "not valid JSON")
        }
        guard let parsed else {
            let kind = (try? line.withUnsafeBytes { try JSONValue.parse($0) })?.kindName ?? "something else"
            throw Problem(reason: "expected a JSON object, found \(kind)")
        }
        // One pass over the fields in text order; no dictionary is built for a dozen keys.
        var fields = Fields()
        var unknown: [String] = []
        for (key, value) in parsed where !fields.set(key, value) { unknown.append(key) }
        if let first = unknown.min() { throw Problem(reason: "unknown field \"\(first)\"") }
        if let missing = fields.firstMissingRequired { throw Problem(reason: "missing field \"\(missing)\"") }

        func string(_ key: String, _ value: JSONValue?) throws(Problem) -> String {
            guard case .string(let text) = value else {
                throw Problem(reason: "field \"\(key)\" must be a string, not \(value?.kindName ?? "missing")")
            }
            guard !text.utf8.contains(0) else { throw Problem(reason: "field \"\(key)\" contains a NUL character") }
            return text
        }
        func integer(_ key: String, _ value: JSONValue?) throws(Problem) -> Int64 {
            guard case .integer(let number) = value else {
                throw Problem(reason: "field \"\(key)\" must be a whole number, not \(value?.kindName ?? "missing")")
            }
            return number
        }
        sequence = fields.seq == nil ? nil : try integer("seq", fields.seq)
        caseID = try string("caseId", fields.caseId)
        let version = try integer("caseVersion", fields.caseVersion)
        guard (1...Int64(Int32.max)).contains(version) else {
            throw Problem(reason: "field \"caseVersion\" must be at least 1, not \(version)")
        }
        caseVersion = Int(version)
        type = try string("type", fields.type)
        let schema = try integer("schemaVersion", fields.schemaVersion)
        guard (1...Int64(Int32.max)).contains(schema) else {
            throw Problem(reason: "field \"schemaVersion\" must be at least 1, not \(schema)")
        }
        schemaVersion = Int(schema)
        occurredAt = try string("occurredAt", fields.occurredAt)
        recordedAt = try string("recordedAt", fields.recordedAt)
        actor = try string("actor", fields.actor)
        commandID = try string("commandId", fields.commandId)
        guard let payload = fields.data, case .object = payload else {
            throw Problem(reason: "field \"data\" must be an object, not \(fields.data?.kindName ?? "missing")")
        }
        self.payload = payload
        previousHash = fields.prevHash == nil ? nil : try string("prevHash", fields.prevHash)
        hash = fields.hash == nil ? nil : try string("hash", fields.hash)
        // A line without `layout` is layout 1, as every line written before layout 2 is.
        let layout = fields.layout == nil ? 1 : try integer("layout", fields.layout)
        account = fields.account == nil ? nil : try string("account", fields.account)
        switch (layout, account) {
        case (1, nil): break
        case (1, _): throw Problem(reason: "field \"account\" needs \"layout\": 2")
        case (2, nil): throw Problem(reason: "layout 2 needs the field \"account\"")
        case (2, let account?):
            guard !account.allSatisfy(\.isWhitespace) else { throw Problem(reason: "field \"account\" must not be empty") }
        default: throw Problem(reason: "field \"layout\" must be 1 or 2, not \(layout)")
        }
    }

    /// A line's values by key, as read; the parser has already refused a repeated key.
    private struct Fields {
        var seq, caseId, caseVersion, type, schemaVersion, occurredAt, recordedAt: JSONValue?
        var actor, commandId, data, prevHash, hash, account, layout: JSONValue?

        /// Keeps `value` under `key`; false when the key is not a field of a line.
        mutating func set(_ key: String, _ value: JSONValue) -> Bool {
            switch key {
            case "seq": seq = value
            case "caseId": caseId = value
            case "caseVersion": caseVersion = value
            case "type": type = value
            case "schemaVersion": schemaVersion = value
            case "occurredAt": occurredAt = value
            case "recordedAt": recordedAt = value
            case "actor": actor = value
            case "commandId": commandId = value
            case "data": data = value
            case "prevHash": prevHash = value
            case "hash": hash = value
            case "account": account = value
            case "layout": layout = value
            default: return false
            }
            return true
        }

        /// The first required key, in sorted order, that the line lacks.
        var firstMissingRequired: String? {
            let required: [(String, JSONValue?)] = [
                ("actor", actor), ("caseId", caseId), ("caseVersion", caseVersion), ("commandId", commandId), ("data", data),
                ("occurredAt", occurredAt), ("recordedAt", recordedAt), ("schemaVersion", schemaVersion), ("type", type),
            ]
            return required.first { $0.1 == nil }?.0
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
