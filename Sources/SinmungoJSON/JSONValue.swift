/// Any JSON value, parsed and written by hand: the log's hot paths (replay, import, verify)
/// read millions of events, and Foundation's `JSONDecoder` costs microseconds for each.
package enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    package struct SyntaxError: Error, Equatable, Sendable {
        /// Byte offset of the problem.
        package var offset: Int
        /// The key, when the problem is an object that has it twice.
        package var duplicateKey: String?

        package init(offset: Int, duplicateKey: String? = nil) {
            self.offset = offset
            self.duplicateKey = duplicateKey
        }
    }

    /// Parses exactly one JSON value (RFC 8259), with nothing but white space around it.
    package static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        var text = text
        return try text.withUTF8 { bytes in
            Result { () throws(SyntaxError) in try parse(UnsafeRawBufferPointer(bytes)) }
        }.get()
    }

    /// The fields of one JSON object in text order, each key once, with nothing but white space
    /// around it; nil when the text holds another kind of value. A payload has a handful of
    /// fields, looked up once each: a dictionary would cost more to build than it saves.
    package static func parseObjectFields(_ bytes: UnsafeRawBufferPointer) throws(SyntaxError)
        -> [(key: String, value: JSONValue)]?
    {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        guard parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "{") else { return nil }
        let fields = try parser.objectFields(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw SyntaxError(offset: parser.position) }
        return fields
    }

    package static func parse(_ bytes: UnsafeRawBufferPointer) throws(SyntaxError) -> JSONValue {
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw SyntaxError(offset: parser.position) }
        return value
    }

    /// The canonical text, as the log-format article defines it: keys sorted by their UTF-8
    /// bytes, no insignificant space, integers in shortest decimal, and only the escapes JSON
    /// requires (`\"`, `\\`, the short forms of five controls, `\u00xx` for the others).
    package var canonicalText: String {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    package func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): out.append(contentsOf: String(value).utf8)
        case .number(let value): out.append(contentsOf: "\(value)".utf8)
        case .string(let value): Self.writeString(value, to: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            // Sorting the pairs, not the keys, saves looking each key up again.
            Self.writeObject(fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }, to: &out)
        }
    }

    /// An object with its fields in the order given: canonical when they are in key order.
    package static func writeObject(_ fields: some Sequence<(key: String, value: JSONValue)>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for field in fields {
            if out.last != UInt8(ascii: "{") { out.append(UInt8(ascii: ",")) }
            writeString(field.key, to: &out)
            out.append(UInt8(ascii: ":"))
            field.value.write(to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string in canonical form: the one escaper of the log format, used for event
    /// data and for export lines alike.
    package static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x08: out.append(contentsOf: [92, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Also reads the escaped strings of `CanonicalJSONCursor`.
struct Parser {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    static let maximumDepth = 256

    init(bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func fail() -> JSONValue.SyntaxError { JSONValue.SyntaxError(offset: position) }

    private mutating func expect(_ literal: StaticString) throws(JSONValue.SyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail() }
        for index in 0..<count where bytes[position + index] != literal.utf8Start[index] { throw fail() }
        position += count
    }

    mutating func value(depth: Int) throws(JSONValue.SyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw fail() }
        skipSpace()
        guard position < bytes.count else { throw fail() }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            // Each key once: `objectFields` refuses a second.
            return .object(Dictionary(uniqueKeysWithValues: try objectFields(depth: depth)))
        case UInt8(ascii: "["):
            position += 1
            var values: [JSONValue] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(values)
            }
            while true {
                values.append(try value(depth: depth + 1))
                skipSpace()
                guard position < bytes.count else { throw fail() }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(values)
                } else {
                    throw fail()
                }
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default:
            return try number()
        }
    }

    /// An object's fields in text order; `position` is at its opening brace.
    mutating func objectFields(depth: Int) throws(JSONValue.SyntaxError) -> [(key: String, value: JSONValue)] {
        position += 1
        var fields: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return fields
        }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail() }
            let keyOffset = position
            let key = try string()
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail() }
            position += 1
            let value = try value(depth: depth + 1)
            // Which of two values would win is up to the reader: refuse rather than guess. A
            // search is quickest for the few fields of a payload; a set, for a long object.
            if fields.count < 16 ? fields.contains(where: { $0.key == key }) : !seen.insert(key).inserted {
                throw JSONValue.SyntaxError(offset: keyOffset, duplicateKey: key)
            }
            if fields.count == 15 { seen = Set(fields.map(\.key) + [key]) }
            fields.append((key, value))
            skipSpace()
            guard position < bytes.count else { throw fail() }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return fields
            } else {
                throw fail()
            }
        }
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, (48...57).contains(bytes[position]) { position += 1 }
        return position - start
    }

    private mutating func number() throws(JSONValue.SyntaxError) -> JSONValue {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, (48...57).contains(bytes[position]) else { throw fail() }
        if bytes[position] == 48 {
            position += 1
        } else {
            _ = digits()
        }
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            isInteger = false
            guard digits() > 0 else { throw fail() }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            isInteger = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { throw fail() }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text), number.isFinite else { throw JSONValue.SyntaxError(offset: start) }
        return .number(number)
    }

    /// A string; `position` is at its opening quote.
    mutating func string() throws(JSONValue.SyntaxError) -> String {
        position += 1
        let start = position
        // The common case: no escapes, so the bytes are the string.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                position += 1
                guard let text = String(validUTF8: slice) else { throw JSONValue.SyntaxError(offset: start) }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw fail() }
            position += 1
        }
        var buffer = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = buffer.withUnsafeBytes({ String(validUTF8: $0) }) else { throw JSONValue.SyntaxError(offset: start) }
                return text
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw fail() }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try expect("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw fail() }
                    buffer.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    throw fail()
                }
            default:
                guard byte >= 0x20 else { throw fail() }
                buffer.append(byte)
            }
        }
        throw fail()
    }

    private mutating func hex4() throws(JSONValue.SyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 97...102: digit = byte - 87
            case 65...70: digit = byte - 55
            default: throw fail()
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}
