import SinmungoJSON
import Testing

/// Every string read from stored bytes goes through `String(validUTF8:)`: it must accept and
/// refuse exactly what the standard library's validating initializer does.
@Suite("Text from stored bytes")
struct ValidUTF8Tests {
    static let inputs: [[UInt8]] = [
        [], Array("PET-2019-0001".utf8), Array("영등포신문고 민원".utf8), Array("a long line of plain ASCII text, past sixteen".utf8),
        Array("😀 emoji".utf8),
        // A lone continuation byte, a 4-byte sequence cut short (repaired into as many bytes as
        // it had), a surrogate, an overlong slash, and a byte UTF-8 never uses.
        [0x80], [0xF0, 0x90, 0x80, 0x41], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x41, 0xFF],
        Array("영등포".utf8).dropLast().map { $0 },
    ]

    @Test(arguments: inputs)
    func acceptsWhatTheStandardLibraryAccepts(bytes: [UInt8]) {
        let ours = bytes.withUnsafeBytes { String(validUTF8: $0) }
        #expect(ours == String(validating: bytes, as: UTF8.self))
    }
}
