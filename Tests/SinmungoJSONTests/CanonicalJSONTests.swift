import SinmungoJSON
import Testing

/// The canonical form as the log-format article writes it down, held to fixed strings: the
/// hash chain and byte-identical exports depend on every byte.
@Suite("Canonical JSON, byte for byte")
struct CanonicalJSONTests {
    static let cases: [(input: String, canonical: String)] = [
        (#"{ "b" : 1, "a" : [true, false, null] }"#, #"{"a":[true,false,null],"b":1}"#),
        // Keys sort by UTF-8 bytes: upper case before lower, ASCII before Hangul.
        (#"{"가":1,"b":2,"B":3,"_":4}"#, #"{"B":3,"_":4,"b":2,"가":1}"#),
        (
            #"{"n":-9223372036854775808,"m":9223372036854775807,"z":0}"#,
            #"{"m":9223372036854775807,"n":-9223372036854775808,"z":0}"#
        ),
        // Only the escapes JSON requires; `/`, DEL, non-ASCII and U+2028 stay as they are.
        (#"{"s":"\/ \u007f \u00e9 \u2028 \ud83d\ude00"}"#, "{\"s\":\"/ \u{7F} é \u{2028} 😀\"}"),
        (#"{"s":"\" \\ \b \f \n \r \t \u0001 \u001F"}"#, #"{"s":"\" \\ \b \f \n \r \t \u0001 \u001f"}"#),
        (#"{"nested":{"z":{"y":[{"b":1,"a":2}]}}}"#, #"{"nested":{"z":{"y":[{"a":2,"b":1}]}}}"#),
        ("{}", "{}"),
        ("[]", "[]"),
    ]

    @Test("each input is written in the one canonical form", arguments: cases.indices)
    func canonicalForm(_ index: Int) throws {
        let (input, canonical) = Self.cases[index]
        #expect(try JSONValue.parse(input).canonicalText == canonical)
        // Canonical text is a fixed point.
        #expect(try JSONValue.parse(canonical).canonicalText == canonical)
    }

    @Test("what the format does not allow is refused")
    func refused() {
        for text in [
            #"{"a":1,"a":2}"#, #"{"a":"\ud800"}"#, "{\"a\":\"\u{1}\"}", #"{"a":01}"#, #"{"a":1,}"#, "{\"a\":1} x", #"{"a":tru}"#,
        ] {
            #expect(throws: JSONValue.SyntaxError.self, "\(text)") { try JSONValue.parse(text) }
        }
    }
}

@Suite("An object's fields, read in text order")
struct ObjectFieldsTests {
    func object(_ keys: [String]) -> String {
        "{" + keys.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",") + "}"
    }

    @Test("a key given twice is refused, in short objects and long ones alike", arguments: [3, 15, 16, 17, 40])
    func aRepeatedKeyIsRefused(count: Int) throws {
        let keys = (0..<count).map { "k\($0)" }
        var text = object(keys)
        let fields = try text.withUTF8 { try JSONValue.parseObjectFields(UnsafeRawBufferPointer($0)) }
        #expect(fields?.map(\.key) == keys)
        #expect(fields?.last?.value == .integer(Int64(count - 1)))
        text = object(keys + ["k1"])
        let asFields = text.withUTF8 { buffer in
            Result { () throws(JSONValue.SyntaxError) in _ = try JSONValue.parseObjectFields(UnsafeRawBufferPointer(buffer)) }
        }
        let asValue = text.withUTF8 { buffer in
            Result { () throws(JSONValue.SyntaxError) in _ = try JSONValue.parse(UnsafeRawBufferPointer(buffer)) }
        }
        for result in [asFields, asValue] {
            guard case .failure(let failure) = result else {
                Issue.record("\(count) keys and a repeat were accepted")
                continue
            }
            #expect(failure.duplicateKey == "k1")
        }
    }

    @Test("another kind of value is not an object's fields")
    func notAnObject() throws {
        var text = "[1,2]"
        #expect(try text.withUTF8 { try JSONValue.parseObjectFields(UnsafeRawBufferPointer($0)) } == nil)
    }
}
