import Foundation

/// A progress bar with rate and time left, on standard error when it is a terminal; silent
/// otherwise, so that scripts and logs get only the result.
final class ProgressBar {
    private let label: String
    private let total: Int64?
    private let enabled: Bool
    private let started = Date()
    private var lastDrawn = Date.distantPast

    init(_ label: String, total: Int64?) {
        self.label = label
        self.total = total
        enabled = Self.isEnabled
    }

    static var isEnabled: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Redraws at most ten times a second.
    func update(_ done: Int64) {
        guard enabled, Date().timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = Date()
        draw(done)
    }

    func finish(_ done: Int64) {
        guard enabled else { return }
        draw(done)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw(_ done: Int64) {
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(done) / seconds
        var line = "\r\(label) "
        if let total, total > 0 {
            let fraction = min(Double(done) / Double(total), 1)
            let filled = Int(fraction * 30)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] "
            line += "\(Int(fraction * 100))% "
            let left = rate > 0 ? Double(total - done) / rate : 0
            line += "\(done)/\(total) events, \(Self.compact(rate))/s, \(Self.clock(left)) left"
        } else {
            line += "\(done) events, \(Self.compact(rate))/s, \(Self.clock(seconds)) so far"
        }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    private static func compact(_ rate: Double) -> String {
        rate >= 1_000_000 ? String(format: "%.2fM", rate / 1_000_000) : String(format: "%.0fk", rate / 1000)
    }

    private static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
