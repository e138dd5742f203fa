#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The operating-system account a command runs under: on SQLite, the identity the roster
/// ties to officers (on PostgreSQL the database login plays this part).
public enum OperatingSystemAccount {
    /// The name of the effective user (`getpwuid(geteuid())`), or the numeric id when the
    /// account has no entry in the user database.
    public static func current() -> String {
        let uid = geteuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid-\(uid)" }
        return String(cString: name)
    }

    /// The machine's name (`gethostname`), where an access record says it was opened from.
    public static func host() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
