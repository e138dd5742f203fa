/// Turns a read model into the output format asked for, the one way read commands print:
/// tables show untrusted text visibly (`TextTable`), CSV neutralises formula cells
/// (`CSVOutput`), and JSON is sorted and pretty-printed (`JSONOutput`).
enum Renderer {
    /// The text to print, ending with a newline.
    static func render(
        _ format: ReadFormat, json: () throws -> some Encodable, csv: () -> (header: [String], rows: [[String]]),
        table: () -> String
    ) throws -> String {
        switch format {
        case .json:
            return try JSONOutput.encode(json()) + "\n"
        case .csv:
            let (header, rows) = csv()
            return try CSVOutput.render(header: header, rows: rows)
        case .table:
            return table() + "\n"
        }
    }

    /// Rows that the table and CSV show alike; JSON has its own shape.
    static func render(
        _ format: ReadFormat, header: [String], rows: [[String]], rightAligned: Set<Int> = [],
        json: () throws -> some Encodable
    ) throws -> String {
        try render(format, json: json, csv: { (header, rows) }) {
            var table = TextTable(header, rightAligned: rightAligned)
            rows.forEach { table.append($0) }
            return table.render()
        }
    }
}
