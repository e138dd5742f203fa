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
}
