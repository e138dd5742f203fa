import Foundation
import SinmungoJSON
import Testing

@testable import SinmungoCore

@Suite("The hand-written JSON reader and writer agree with Foundation")
struct JSONValueTests {
    static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Text with every character class the writer treats apart.
    static let awkward = "따옴표\" 역슬래시\\ 슬래시/ 줄\n탭\t\r\u{8}\u{C}\u{1}\u{1F}\u{7F} é 😀 \u{2028}"

    static func foundationText(_ event: CaseEvent) throws -> String {
        let data: Data
        switch event {
        case .petitionFiled(let payload): data = try foundation.encode(payload)
        case .endorsed(let payload): data = try foundation.encode(payload)
        case .qualified(let payload): data = try foundation.encode(payload)
        case .sessionHeld(let payload): data = try foundation.encode(payload)
        case .proposalFiled(let payload): data = try foundation.encode(payload)
        case .reviewed(let payload): data = try foundation.encode(payload)
        case .declined(let payload): data = try foundation.encode(payload)
        case .visited(let payload): data = try foundation.encode(payload)
        case .answered(let payload): data = try foundation.encode(payload)
        case .reflected(let payload): data = try foundation.encode(payload)
        case .transferred(let payload): data = try foundation.encode(payload)
        case .withdrawn(let payload): data = try foundation.encode(payload)
        case .markedDuplicate(let payload): data = try foundation.encode(payload)
        case .recordPosted(let payload): data = try foundation.encode(payload)
        case .corrected(let payload): data = try foundation.encode(payload)
        case .extended(let payload): data = try foundation.encode(payload)
        case .personalDataErased(let payload): data = try foundation.encode(payload)
        case .roster(.departmentAdded(let payload)), .roster(.departmentRenamed(let payload)):
            data = try foundation.encode(payload)
        case .roster(.departmentsMerged(let payload)): data = try foundation.encode(payload)
        case .roster(.officerGranted(let payload)), .roster(.officerChanged(let payload)):
            data = try foundation.encode(payload)
        case .roster(.officerRemoved(let payload)): data = try foundation.encode(payload)
        case .erasureRequested(let payload): data = try foundation.encode(payload)
        case .erasureDeclined(let payload): data = try foundation.encode(payload)
        case .sentToOffice(let payload): data = try foundation.encode(payload)
        case .receivedFromOffice(let payload): data = try foundation.encode(payload)
        }
        return String(decoding: data, as: UTF8.self)
    }

    @Test("every payload is written byte for byte as JSONEncoder writes it", arguments: everyEvent)
    func sameBytesAsFoundation(_ event: CaseEvent) throws {
        #expect(EventCodec.encode(event) == (try Self.foundationText(event)))
    }

    @Test
    func awkwardTextIsWrittenAsFoundationWritesItAndReadBack() throws {
        let event = CaseEvent.visited(Visited(place: Self.awkward, findings: "", with: [Self.awkward, "x"]))
        let text = EventCodec.encode(event)
        #expect(text == (try Self.foundationText(event)))
        #expect(try EventCodec.decode(type: "site-visited", schemaVersion: 1, data: text) == event)
        // Escapes Foundation does not write are read all the same.
        let escaped = #"{"place":"\u00e9\/\ud83d\ude00"}"#
        #expect(
            try EventCodec.decode(type: "site-visited", schemaVersion: 1, data: escaped) == .visited(Visited(place: "é/😀")))
    }

    @Test(
        "malformed text is refused, never half-read",
        arguments: [
            "", " ", "{", "{\"a\":}", "{\"a\":1,}", "[1,]", "01", "1.", "-", "1e", "tru", "nul", "\"\\x\"", "\"\\ud800\"",
            "\"\\ud800\\u0041\"", "\"a\u{1}b\"", "{} {}", "{\"a\" 1}",
            String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
        ])
    func malformed(_ text: String) {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test
    func invalidUTF8InAStringIsRefused() {
        let bytes: [UInt8] = [0x22, 0xFF, 0xFE, 0x22]
        #expect(throws: JSONValue.SyntaxError.self) {
            try bytes.withUnsafeBytes { bytes in
                try Result { () throws(JSONValue.SyntaxError) in try JSONValue.parse(bytes) }.get()
            }
        }
    }

    @Test
    func numbersKeepTheirKind() throws {
        #expect(
            try JSONValue.parse("[0,-7,9223372036854775807,1.5,2e3,9223372036854775808]")
                == .array([
                    .integer(0), .integer(-7), .integer(Int64.max), .number(1.5), .number(2000), .number(9223372036854775808),
                ]))
    }
}
