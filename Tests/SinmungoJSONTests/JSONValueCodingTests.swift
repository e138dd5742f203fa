import Foundation
import SinmungoJSON
import Testing

/// `Codable` values to and from `JSONValue`, held to fixed canonical strings, and the errors a
/// bad stored value gives: each must name the field.
@Suite("Codable values as JSON values")
struct JSONValueCodingTests {
    struct Address: Codable, Equatable {
        var city: String
        var postcode: String?
    }

    enum Colour: String, Codable, Equatable {
        case red, green
    }

    enum Level: Int, Codable, Equatable {
        case low = 1
        case high = 2
    }

    /// An enum with payloads: synthesized `Codable` writes it with nested keyed containers.
    enum Holding: Codable, Equatable {
        case none
        case held(until: Int, by: String?)
    }

    /// Stands for `Instant`: text that its own `init(from:)` checks.
    struct Stamp: Codable, Equatable {
        var text: String

        init(_ text: String) { self.text = text }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard text.hasPrefix("20") else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a time")
            }
            self.text = text
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
    }

    struct Record: Codable, Equatable {
        var name: String
        var age: Int
        var nickname: String?
        var address: Address
        var tags: [String]
        var colour: Colour
        var level: Level?
        var grid: [[Int8]]
        var active: Bool
        var holding: Holding
        var stamps: [Stamp]
        var filedAt: Stamp?
        var small: UInt8
        var big: Int64
        var ratio: Double
    }

    static let record = Record(
        name: "김 \"민원\"\n", age: 41, nickname: nil, address: Address(city: "서울", postcode: nil), tags: ["a", "b/c"],
        colour: .green, level: .high, grid: [[1, -2], []], active: true, holding: .held(until: 7, by: nil),
        stamps: [Stamp("2019-06-03")], filedAt: Stamp("2020-01-01"), small: 255, big: .min, ratio: 3)

    static let recordText =
        #"{"active":true,"address":{"city":"서울"},"age":41,"big":-9223372036854775808,"colour":"green","#
        + #""filedAt":"2020-01-01","grid":[[1,-2],[]],"holding":{"held":{"until":7}},"level":2,"#
        + #""name":"김 \"민원\"\n","ratio":3,"small":255,"stamps":["2019-06-03"],"tags":["a","b/c"]}"#

    @Test("a value is written in canonical form, with absent optionals left out")
    func encodesToFixedText() throws {
        #expect(try JSONValueEncoder().encode(Self.record).canonicalText == Self.recordText)
        #expect(try JSONValueEncoder().encode(Holding.none).canonicalText == #"{"none":{}}"#)
        #expect(try JSONValueEncoder().encode([Address(city: "x", postcode: "07")]).canonicalText == #"[{"city":"x","postcode":"07"}]"#)
        #expect(try JSONValueEncoder().encode(Optional<Int>.none).canonicalText == "null")
        #expect(try JSONValueEncoder().encode(["k": [1, 2]]).canonicalText == #"{"k":[1,2]}"#)
    }

    @Test("values round-trip through canonical text")
    func roundTrips() throws {
        var other = Self.record
        other.nickname = "별명"
        other.address.postcode = "07"
        other.level = nil
        other.holding = .none
        other.filedAt = nil
        other.big = .max
        for record in [Self.record, other] {
            let text = try JSONValueEncoder().encode(record).canonicalText
            #expect(try JSONValueDecoder().decode(Record.self, from: JSONValue.parse(text)) == record)
        }
    }

    @Test("rows written by Foundation's encoder, in any key order and spelling, still decode")
    func readsFoundationsText() throws {
        let written = try JSONEncoder().encode(Self.record)
        let parsed = try JSONValue.parse(String(decoding: written, as: UTF8.self))
        #expect(try JSONValueDecoder().decode(Record.self, from: parsed) == Self.record)
        // Reordered keys, an escaped slash, explicit nulls, and space.
        let shuffled =
            #"{ "ratio":3, "tags":["a","b\/c"], "small":255, "name":"\uae40 \"민원\"\n", "nickname":null, "level":2,"#
            + #""holding":{"held":{"by":null,"until":7}}, "grid":[[1,-2],[]], "filedAt":"2020-01-01", "colour":"green","#
            + #""big":-9223372036854775808, "stamps":["2019-06-03"], "age":41, "address":{"postcode":null,"city":"서울"},"#
            + #""active":true }"#
        #expect(try JSONValueDecoder().decode(Record.self, from: JSONValue.parse(shuffled)) == Self.record)
    }

    /// The error for `Self.recordText` with `old` replaced by `new`.
    private func decodingError(replacing old: String, with new: String) throws -> DecodingError? {
        let text = Self.recordText.replacingOccurrences(of: old, with: new)
        #expect(text != Self.recordText, "\(old) is not in the fixed text")
        do {
            _ = try JSONValueDecoder().decode(Record.self, from: JSONValue.parse(text))
            return nil
        } catch let error as DecodingError {
            return error
        }
    }

    private func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    @Test("a field of the wrong type is named by its path")
    func typeMismatchNamesTheField() throws {
        guard case .typeMismatch(_, let context) = try decodingError(replacing: #""city":"서울""#, with: #""city":5"#) else {
            Issue.record("expected a type mismatch")
            return
        }
        #expect(path(context) == "address.city")
        #expect(context.debugDescription == "expected a string, found a number")

        guard case .typeMismatch(_, let context) = try decodingError(replacing: #"["a","b/c"]"#, with: #"["a",true]"#) else {
            Issue.record("expected a type mismatch in the array")
            return
        }
        #expect(path(context) == "tags.[1]")
    }

    @Test("a missing field, and null where a value is needed, are refused")
    func missingAndNull() throws {
        guard case .keyNotFound(let key, let context) = try decodingError(replacing: #""age":41,"#, with: "") else {
            Issue.record("expected a missing key")
            return
        }
        #expect(key.stringValue == "age" && context.codingPath.isEmpty)

        guard case .valueNotFound(_, let context) = try decodingError(replacing: #""small":255"#, with: #""small":null"#)
        else {
            Issue.record("expected a missing value")
            return
        }
        #expect(path(context) == "small")
    }

    @Test("numbers: out of range and fractions are refused with the field's path")
    func numbers() throws {
        guard case .dataCorrupted(let context) = try decodingError(replacing: #""small":255"#, with: #""small":256"#) else {
            Issue.record("expected 256 to be refused for a UInt8")
            return
        }
        #expect(path(context) == "small" && context.debugDescription == "256 does not fit in UInt8")

        guard case .dataCorrupted(let context) = try decodingError(replacing: "[[1,-2],[]]", with: "[[1,-200],[]]") else {
            Issue.record("expected -200 to be refused for an Int8")
            return
        }
        #expect(path(context) == "grid.[0].[1]")

        guard case .dataCorrupted(let context) = try decodingError(replacing: #""age":41"#, with: #""age":41.5"#) else {
            Issue.record("expected a fraction to be refused")
            return
        }
        #expect(path(context) == "age" && context.debugDescription == "41.5 is not an integer")

        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(["ratio": 0.5]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([UInt64.max]) }
        #expect(try JSONValueEncoder().encode([UInt64(Int64.max)]) == .array([.integer(.max)]))
    }

    @Test("a value its own init(from:) refuses is named by its field, as for a bad stored time")
    func customRefusalNamesTheField() throws {
        guard case .dataCorrupted(let context) = try decodingError(replacing: #""2020-01-01""#, with: #""yesterday""#) else {
            Issue.record("expected the stamp to be refused")
            return
        }
        #expect(path(context) == "filedAt")
        #expect(context.debugDescription == #""yesterday" is not a time"#)

        guard case .dataCorrupted(let context) = try decodingError(replacing: #"["2019-06-03"]"#, with: #"["2019-06-03","x"]"#)
        else {
            Issue.record("expected the second stamp to be refused")
            return
        }
        #expect(path(context) == "stamps.[1]")
    }

    @Test("an unknown raw value of an enum is refused")
    func unknownRawValue() throws {
        guard case .dataCorrupted(let context) = try decodingError(replacing: #""green""#, with: #""blue""#) else {
            Issue.record("expected blue to be refused")
            return
        }
        #expect(path(context) == "colour")
    }

    class Base: Codable, Equatable {
        var a: Int
        init(a: Int) { self.a = a }
        static func == (lhs: Base, rhs: Base) -> Bool { lhs.a == rhs.a && type(of: lhs) == type(of: rhs) }
    }

    /// Encodes its base class through `superEncoder`, as a subclass written by hand does.
    final class Derived: Base {
        var b: [Int]
        enum CodingKeys: String, CodingKey { case b }

        init(a: Int, b: [Int]) {
            self.b = b
            super.init(a: a)
        }

        required init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            b = try container.decode([Int].self, forKey: .b)
            try super.init(from: container.superDecoder())
        }

        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(b, forKey: .b)
            try super.encode(to: container.superEncoder())
        }
    }

    @Test("super encoders and decoders nest the base under \"super\"")
    func superEncoder() throws {
        let value = Derived(a: 1, b: [2, 3])
        let encoded = try JSONValueEncoder().encode(value)
        #expect(encoded.canonicalText == #"{"b":[2,3],"super":{"a":1}}"#)
        let decoded = try JSONValueDecoder().decode(Derived.self, from: encoded)
        #expect(decoded.a == 1 && decoded.b == [2, 3])
    }

    /// Writes through nested containers by hand, keyed and unkeyed, one inside the other.
    struct Nested: Codable, Equatable {
        var x: Int
        var ys: [String]
        enum Outer: String, CodingKey { case inner }
        enum Inner: String, CodingKey { case x, ys }

        init(x: Int, ys: [String]) {
            self.x = x
            self.ys = ys
        }

        init(from decoder: any Decoder) throws {
            var list = try decoder.unkeyedContainer()
            let outer = try list.nestedContainer(keyedBy: Outer.self)
            let inner = try outer.nestedContainer(keyedBy: Inner.self, forKey: .inner)
            x = try inner.decode(Int.self, forKey: .x)
            var ys = try inner.nestedUnkeyedContainer(forKey: .ys)
            var values: [String] = []
            while !ys.isAtEnd { values.append(try ys.decode(String.self)) }
            self.ys = values
        }

        func encode(to encoder: any Encoder) throws {
            var list = encoder.unkeyedContainer()
            var outer = list.nestedContainer(keyedBy: Outer.self)
            var inner = outer.nestedContainer(keyedBy: Inner.self, forKey: .inner)
            try inner.encode(x, forKey: .x)
            var ys = inner.nestedUnkeyedContainer(forKey: .ys)
            for y in self.ys { try ys.encode(y) }
        }
    }

    @Test("nested containers, filled after they are made, land where they belong")
    func nestedContainers() throws {
        let value = Nested(x: 5, ys: ["p", "q"])
        let encoded = try JSONValueEncoder().encode(value)
        #expect(encoded.canonicalText == #"[{"inner":{"x":5,"ys":["p","q"]}}]"#)
        #expect(try JSONValueDecoder().decode(Nested.self, from: encoded) == value)

        let bad = try JSONValue.parse(#"[{"inner":{"x":5,"ys":["p",7]}}]"#)
        let error = #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Nested.self, from: bad) }
        guard case .typeMismatch(_, let context) = error else {
            Issue.record("expected a type mismatch, got \(String(describing: error))")
            return
        }
        #expect(path(context) == "[0].inner.ys.[1]")
    }
}
