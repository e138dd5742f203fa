import SinmungoJSON

/// The payloads as JSON objects, field by field: what `EventCodec` reads and writes. The
/// `Codable` conformances describe the same layout; tests hold the two to each other.
extension CaseEvent {
    var jsonObject: [String: JSONValue] {
        var object = JSONObject()
        switch self {
        case .petitionFiled(let filed):
            object["title"] = filed.title
            object["category"] = filed.category
            object["body"] = filed.body
            object.sealed(filed.personal)
        case .endorsed(let endorsed):
            object["count"] = endorsed.count
        case .qualified(let qualified):
            object["endorsements"] = qualified.endorsements
        case .sessionHeld(let held):
            object["kind"] = held.kind.rawValue
            object["field"] = held.field
            object["attendees"] = held.attendees
            object["theme"] = held.theme
            object["place"] = held.place
        case .proposalFiled(let filed):
            object["session"] = filed.session.rawValue
            object["title"] = filed.title
            object["category"] = filed.category
            object.sealed(filed.personal)
        case .reviewed(let reviewed):
            object["department"] = reviewed.department
        case .declined(let declined):
            object["ground"] = declined.ground.rawValue
            object["reason"] = declined.reason
        case .visited(let visited):
            object["place"] = visited.place
            object["findings"] = visited.findings
            if let with = visited.with { object.fields["with"] = .array(with.map(JSONValue.string)) }
        case .answered(let answered):
            object["summary"] = answered.summary
            object["by"] = answered.by.rawValue
        case .reflected(let reflected):
            object["outcome"] = reflected.outcome.rawValue
            object["policy"] = reflected.policy
        case .transferred(let transferred):
            object["department"] = transferred.department
            object["reason"] = transferred.reason
        case .withdrawn(let withdrawn):
            object["reason"] = withdrawn.reason
        case .markedDuplicate(let duplicate):
            object["of"] = duplicate.of.rawValue
        case .recordPosted(let posted):
            object["title"] = posted.title
            object.fields["about"] = .array(posted.about.map { .string($0.rawValue) })
        case .corrected(let correction):
            object["field"] = correction.field.rawValue
            object["value"] = correction.value
            object["reason"] = correction.reason
        case .extended(let extended):
            object["days"] = extended.days
            object["reason"] = extended.reason
        case .personalDataErased(let erased):
            object["person"] = erased.person
            object["reason"] = erased.reason
            object["request"] = erased.request
        case .roster(let change):
            object.fields = change.jsonObject
        case .erasureRequested(let requested):
            object["person"] = requested.person
            object["reason"] = requested.reason
            object["request"] = requested.request
        case .erasureDeclined(let declined):
            object["reason"] = declined.reason
        case .sentToOffice(let sent):
            object["office"] = sent.office
            object["case"] = sent.receivedAs.rawValue
            object.fields["sequence"] = .integer(sent.sequence)
            object["chained-on"] = sent.chainedOn
            object["reason"] = sent.reason
        case .receivedFromOffice(let received):
            object["office"] = received.office
            object["case"] = received.sentAs.rawValue
            object.fields["sequence"] = .integer(received.sequence)
            object["hash"] = received.hash
            object["title"] = received.title
            object["category"] = received.category
            object["reason"] = received.reason
        }
        return object.fields
    }

    /// Reads a payload of the current schema version of `type`.
    static func read(_ type: EventType, from object: inout JSONReader) throws(EventCodec.DecodingFailure) -> CaseEvent {
        switch type {
        case .petitionFiled:
            return .petitionFiled(
                PetitionFiled(
                    title: try object.string("title"), category: try object.string("category"),
                    body: try object.optionalString("body"),
                    personal: try object.sealed()))
        case .endorsed:
            return .endorsed(Endorsed(count: try object.integer("count")))
        case .qualified:
            return .qualified(Qualified(endorsements: try object.integer("endorsements")))
        case .sessionHeld:
            return .sessionHeld(
                SessionHeld(
                    kind: try object.value("kind"), field: try object.string("field"), attendees: try object.integer("attendees"),
                    theme: try object.optionalString("theme"), place: try object.optionalString("place")))
        case .proposalFiled:
            return .proposalFiled(
                ProposalFiled(
                    session: CaseID(try object.string("session")), title: try object.string("title"),
                    category: try object.optionalString("category"), personal: try object.sealed()))
        case .reviewed:
            return .reviewed(Reviewed(department: try object.string("department")))
        case .declined:
            return .declined(Declined(ground: try object.value("ground"), reason: try object.optionalString("reason")))
        case .visited:
            return .visited(
                Visited(
                    place: try object.string("place"), findings: try object.optionalString("findings"),
                    with: try object.optionalStrings("with")))
        case .answered:
            return .answered(Answered(summary: try object.string("summary"), by: try object.value("by")))
        case .reflected:
            return .reflected(Reflected(outcome: try object.value("outcome"), policy: try object.optionalString("policy")))
        case .transferred:
            return .transferred(
                Transferred(department: try object.string("department"), reason: try object.optionalString("reason")))
        case .withdrawn:
            return .withdrawn(Withdrawn(reason: try object.optionalString("reason")))
        case .markedDuplicate:
            return .markedDuplicate(MarkedDuplicate(of: CaseID(try object.string("of"))))
        case .recordPosted:
            guard let about = try object.optionalStrings("about") else { throw object.missing("about") }
            return .recordPosted(RecordPosted(title: try object.string("title"), about: about.map(CaseID.init(rawValue:))))
        case .corrected:
            return .corrected(
                Corrected(
                    field: try object.value("field"), value: try object.string("value"), reason: try object.string("reason")))
        case .extended:
            return .extended(Extended(days: try object.integer("days"), reason: try object.string("reason")))
        case .personalDataErased:
            return .personalDataErased(
                PersonalDataErased(
                    person: try object.string("person"), reason: try object.string("reason"),
                    request: try object.optionalString("request")))
        case .departmentAdded, .departmentRenamed, .departmentsMerged, .officerGranted, .officerChanged, .officerRemoved:
            return .roster(try RosterChange.read(type, from: &object))
        case .erasureRequested:
            return .erasureRequested(
                ErasureRequested(
                    person: try object.string("person"), reason: try object.string("reason"),
                    request: try object.optionalString("request")))
        case .erasureDeclined:
            return .erasureDeclined(ErasureDeclined(reason: try object.string("reason")))
        case .sentToOffice:
            return .sentToOffice(
                SentToOffice(
                    office: try object.string("office"), receivedAs: CaseID(try object.string("case")),
                    sequence: Int64(try object.integer("sequence")), chainedOn: try object.string("chained-on"),
                    reason: try object.string("reason")))
        case .receivedFromOffice:
            return .receivedFromOffice(
                ReceivedFromOffice(
                    office: try object.string("office"), sentAs: CaseID(try object.string("case")),
                    sequence: Int64(try object.integer("sequence")), hash: try object.string("hash"),
                    title: try object.string("title"), category: try object.string("category"),
                    reason: try object.string("reason")))
        }
    }
}

/// Builds an object, leaving out absent optionals as `JSONEncoder` does.
private struct JSONObject {
    var fields: [String: JSONValue] = [:]

    subscript(key: String) -> String? {
        get { nil }
        set { if let newValue { fields[key] = .string(newValue) } }
    }

    subscript(key: String) -> Int {
        get { 0 }
        set { fields[key] = .integer(Int64(newValue)) }
    }

    mutating func sealed(_ personal: PersonalRecord?) {
        if case .sealed(let sealed)? = personal {
            fields["sealed"] = .object(["box": .string(sealed.box), "person": .string(sealed.person)])
        }
    }
}

/// Reads an object's fields, naming the field and the problem when one is wrong. It notes
/// each field it reads, so that a field no decoder knows is refused rather than dropped.
struct JSONReader {
    let type: String
    /// In text order: a payload has a handful of fields, so a search beats hashing.
    let fields: [(key: String, value: JSONValue)]
    let path: String
    /// Which fields were read, by their place in `fields`.
    private var read: [Bool]

    init(type: String, fields: [(key: String, value: JSONValue)], path: String = "") {
        self.type = type
        self.fields = fields
        self.path = path
        read = Array(repeating: false, count: fields.count)
    }

    init(type: String, fields: [String: JSONValue], path: String = "") {
        self.init(type: type, fields: fields.map { ($0.key, $0.value) }, path: path)
    }

    func has(_ key: String) -> Bool { fields.contains { $0.key == key } }

    func missing(_ key: String) -> EventCodec.DecodingFailure {
        .invalidData(type: type, reason: "missing field \"\(key)\"\(path.isEmpty ? "" : " at \(path)")")
    }

    private func wrongType(_ key: String, _ expected: String, _ found: JSONValue) -> EventCodec.DecodingFailure {
        .invalidData(type: type, reason: "wrong type at \(path)\(key): expected \(expected), found \(found.kindName)")
    }

    /// The field's value, noting that it was read.
    private mutating func field(_ key: String) -> JSONValue? {
        guard let index = fields.firstIndex(where: { $0.key == key }) else { return nil }
        read[index] = true
        return fields[index].value
    }

    /// Refuses the object if it has a field that was not read: the log never loses data silently.
    func requireNoOtherFields() throws(EventCodec.DecodingFailure) {
        guard read.contains(false) else { return }
        let unknown = fields.indices.filter { !read[$0] }.map { fields[$0].key }.sorted().first ?? ""
        throw .invalidData(type: type, reason: "unknown field \"\(path)\(unknown)\"")
    }

    mutating func string(_ key: String) throws(EventCodec.DecodingFailure) -> String {
        guard let value = field(key) else { throw missing(key) }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    mutating func optionalString(_ key: String) throws(EventCodec.DecodingFailure) -> String? {
        guard let value = field(key), value != .null else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    mutating func integer(_ key: String) throws(EventCodec.DecodingFailure) -> Int {
        guard let value = field(key) else { throw missing(key) }
        guard case .integer(let number) = value, let int = Int(exactly: number) else {
            throw wrongType(key, "a whole number", value)
        }
        return int
    }

    mutating func value<T: RawRepresentable<String>>(_ key: String) throws(EventCodec.DecodingFailure) -> T {
        let text = try string(key)
        guard let value = T(rawValue: text) else {
            throw .invalidData(type: type, reason: "\"\(text)\" is not a valid value at \(path)\(key)")
        }
        return value
    }

    mutating func optionalStrings(_ key: String) throws(EventCodec.DecodingFailure) -> [String]? {
        guard let value = field(key), value != .null else { return nil }
        guard case .array(let items) = value else { throw wrongType(key, "an array", value) }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else { throw wrongType("\(key).[\(index)]", "a string", item) }
            strings.append(text)
        }
        return strings
    }

    mutating func sealed() throws(EventCodec.DecodingFailure) -> PersonalRecord? {
        guard let value = field("sealed"), value != .null else { return nil }
        guard case .object(let sealed) = value else { throw wrongType("sealed", "an object", value) }
        var reader = JSONReader(type: type, fields: sealed, path: path + "sealed.")
        let record = SealedPersonalData(person: try reader.string("person"), box: try reader.string("box"))
        try reader.requireNoOtherFields()
        return .sealed(record)
    }
}
