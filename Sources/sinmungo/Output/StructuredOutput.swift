import CSV
import Foundation

enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

enum CSVOutput {
    /// RFC 4180 rows (quoted where needed), `\n` line ends, through the CSV library. Cells a
    /// spreadsheet would run as a formula are neutralised.
    static func render(header: [String], rows: [[String]]) throws -> String {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: header)
        for row in rows { try writer.write(row: row.map(UntrustedText.spreadsheetCell)) }
        stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw CommandLineFailure.io("could not render CSV")
        }
        // The writer separates rows; a text file also ends its last line.
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
