import ArgumentParser

/// Lets options come before the subcommand (`sinmungo --db x.sqlite list`, `sinmungo --format
/// json show ID`), as in git, by moving them after the subcommand's name, where
/// argument-parser reads them.
enum LeadingOptions {
    static func rearrange(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("--"), arguments[index] != "--" {
            let argument = arguments[index]
            leading.append(argument)
            index += 1
            // An option's value follows it, unless it is written `--name=value` or the next word
            // is the subcommand (then the option is a flag).
            if !argument.contains("="), index < arguments.count, !isSubcommand(arguments[index], of: root),
                !arguments[index].hasPrefix("--")
            {
                leading.append(arguments[index])
                index += 1
            }
        }
        guard !leading.isEmpty, index < arguments.count else { return arguments }
        var rest = Array(arguments[index...])
        let depth = subcommandPath(of: rest, root: root).count
        rest.insert(contentsOf: leading, at: depth)
        return rest
    }

    /// The subcommand names at the start of `arguments`: `["petition", "file"]`.
    static func subcommandPath(of arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var command = root
        var path: [String] = []
        while path.count < arguments.count,
            let next = command.configuration.subcommands.first(where: { name(of: $0) == arguments[path.count] })
        {
            command = next
            path.append(arguments[path.count])
        }
        return path
    }

    private static func isSubcommand(_ word: String, of root: any ParsableCommand.Type) -> Bool {
        root.configuration.subcommands.contains { name(of: $0) == word }
    }

    private static func name(of command: any ParsableCommand.Type) -> String {
        command.configuration.commandName ?? command._commandName
    }
}
