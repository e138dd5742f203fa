/// Writes one object in canonical form, field by field, for a type that knows its own keys:
/// what `JSONValueEncoder` then `canonicalText` give, without building a `JSONValue` first.
/// The caller writes keys in canonical (UTF-8 byte) order; tests hold the two paths equal.
package struct CanonicalJSONWriter {
    package var bytes: [UInt8]

    package init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Runs `body` with a writer that appends to `out` in place.
    package static func appending(to out: inout [UInt8], _ body: (inout CanonicalJSONWriter) -> Void) {
        var writer = CanonicalJSONWriter(capacity: 0)
        swap(&writer.bytes, &out)
        body(&writer)
        swap(&writer.bytes, &out)
    }

    package mutating func open() { bytes.append(UInt8(ascii: "{")) }

    package mutating func close() { bytes.append(UInt8(ascii: "}")) }

    /// `"name":`, after a comma unless it is the object's first key. Keys need no escaping.
    package mutating func key(_ name: StaticString) {
        if bytes.last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    package mutating func string(_ text: String) { JSONValue.writeString(text, to: &bytes) }

    package mutating func integer(_ value: Int64) {
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        guard magnitude > 0 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        let start = bytes.count
        while magnitude > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        bytes[start...].reverse()
    }

    package mutating func strings(_ texts: some Sequence<String>) {
        array(texts) { $0.string($1) }
    }

    /// `[…]`, each element written by `element`, separated by commas.
    package mutating func array<Elements: Sequence>(
        _ elements: Elements, _ element: (inout CanonicalJSONWriter, Elements.Element) -> Void
    ) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `"name":"text"`, or nothing when the text is nil, as `Codable` leaves out a nil optional.
    package mutating func field(_ name: StaticString, _ text: String?) {
        guard let text else { return }
        key(name)
        string(text)
    }

    /// `"name":value`, or nothing when the value is nil.
    package mutating func field(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    package mutating func field(_ name: StaticString, _ value: Int?) { field(name, value.map(Int64.init)) }

    /// A string of bytes that need no escaping (digits, dashes, colons: a time).
    package mutating func plainString(_ text: some Collection<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: text)
        bytes.append(UInt8(ascii: "\""))
    }
}

/// Reads one object in exactly the canonical form `CanonicalJSONWriter` gives, field by field in
/// the order the caller expects. Anything else (white space, another key order, an unknown key,
/// a `null`) makes a read fail, and the caller then decodes the text the general way, which
/// accepts any JSON and names what is wrong: this path only has to be fast on rows it wrote.
package struct CanonicalJSONCursor {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    package init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    package var atEnd: Bool { position == bytes.count }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    package mutating func open() -> Bool { take(UInt8(ascii: "{")) }

    package mutating func close() -> Bool { take(UInt8(ascii: "}")) }

    /// True, having read `"name":` (and the comma before it), when that is the next key; false,
    /// having read nothing, when it is not: the field is absent.
    package mutating func key(_ name: StaticString) -> Bool {
        let first = position > 0 && bytes[position - 1] == UInt8(ascii: "{")
        var at = first ? position : position + 1
        if !first {
            guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return false }
        }
        let count = name.utf8CodeUnitCount
        guard at + count + 3 <= bytes.count, bytes[at] == UInt8(ascii: "\"") else { return false }
        at += 1
        for index in 0..<count where bytes[at + index] != name.utf8Start[index] { return false }
        at += count
        guard bytes[at] == UInt8(ascii: "\""), bytes[at + 1] == UInt8(ascii: ":") else { return false }
        position = at + 2
        return true
    }

    /// The bytes of a string holding no escape, without its quotes; valid until the buffer goes.
    package mutating func plainStringBytes() -> UnsafeRawBufferPointer? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                defer { position += 1 }
                return UnsafeRawBufferPointer(rebasing: bytes[start..<position])
            case UInt8(ascii: "\\"), 0..<0x20:
                return nil
            default:
                position += 1
            }
        }
        return nil
    }

    package mutating func string() -> String? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        let start = position
        if let plain = plainStringBytes() { return String(validUTF8: plain) }
        // Escapes: the general parser's reading of the string, and nothing looser.
        position = start
        var parser = Parser(bytes: bytes, position: start)
        guard let text = try? parser.string() else { return nil }
        position = parser.position
        return text
    }

    package mutating func integer() -> Int64? {
        let negative = take(UInt8(ascii: "-"))
        let start = position
        var value: Int64 = 0
        while position < bytes.count, (48...57).contains(bytes[position]) {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = shifted.addingReportingOverflow(Int64(bytes[position] - 48))
            guard !overflow, !overflowSum else { return nil }
            value = sum
            position += 1
        }
        let digits = position - start
        // Canonical: at least one digit, no leading zero, no "-0".
        guard digits > 0, digits == 1 || bytes[start] != 48, !(negative && value == 0) else { return nil }
        return negative ? -value : value
    }

    package mutating func strings() -> [String]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var texts: [String] = []
        if take(UInt8(ascii: "]")) { return texts }
        repeat {
            guard let text = string() else { return nil }
            texts.append(text)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? texts : nil
    }
}
