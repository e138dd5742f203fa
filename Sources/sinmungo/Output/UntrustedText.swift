/// Text that came from the public or from other hands, made safe for where it is going.
///
/// Titles, bodies, places and names can hold anything a web form accepts. Printed raw, an
/// escape sequence can rewrite the terminal, a bidi override can reverse what an officer reads,
/// and a zero-width character can make two different names look the same. In a spreadsheet, a
/// cell that starts like a formula is run as one.
enum UntrustedText {
    /// The text with every invisible or terminal-controlling character shown visibly, the way
    /// `cat -v` and `less` do: C0 controls and DEL in caret notation (`^[`, `^J`, `^?`), C1
    /// controls, bidi controls, zero-width and other format characters, and line separators as
    /// `<U+XXXX>`.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsShowing) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsShowing(scalar) else {
                out.append(scalar)
                continue
            }
            let value = scalar.value
            let shown: String
            switch value {
            case 0x00...0x1F: shown = "^" + String(UnicodeScalar(UInt8(value + 0x40)))
            case 0x7F: shown = "^?"
            default:
                let hex = String(value, radix: 16, uppercase: true)
                shown = "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
            }
            out.append(contentsOf: shown.unicodeScalars)
        }
        return String(out)
    }

    static func needsShowing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        // Bidi controls, zero-width characters, line and paragraph separators, the BOM.
        case 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0xFEFF: return true
        case 0xFFF9...0xFFFB: return true
        default: return scalar.properties.generalCategory == .format
        }
    }

    /// A CSV cell that a spreadsheet will show as text, never run: OWASP's rule for CSV
    /// injection prefixes a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
    /// with a single quote. Plain numbers, negative ones included, stay numbers.
    static func spreadsheetCell(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, formulaStarts.contains(first) else { return cell }
        if isPlainNumber(cell) { return cell }
        return "'" + cell
    }

    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    private static func isPlainNumber(_ cell: String) -> Bool {
        var scalars = Substring(cell).unicodeScalars[...]
        if scalars.first == "-" { scalars = scalars.dropFirst() }
        let parts = scalars.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
        guard parts.count == 2 else { return true }
        return !parts[1].isEmpty && parts[1].allSatisfy { ("0"..."9").contains($0) }
    }
}
