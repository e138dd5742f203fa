import ArgumentParser

/// Lets `--db PATH` come before the subcommand (`sinmungo --db x.sqlite list`), as the CLI
/// contract promises, by moving it after the subcommand's name, where argument-parser reads it.
enum LeadingOptions {
    static let names = ["--db", "--keys"]

    static func rearrange(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if names.contains(argument), index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else if names.contains(where: { argument.hasPrefix($0 + "=") }) {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty else { return arguments }
        var rest = Array(arguments[index...])
        // Walk down the subcommand names that follow, then put the options after them.
        var command = root
        var depth = 0
        while depth < rest.count,
            let next = command.configuration.subcommands.first(where: { name(of: $0) == rest[depth] })
        {
            command = next
            depth += 1
        }
        rest.insert(contentsOf: leading, at: depth)
        return rest
    }

    private static func name(of command: any ParsableCommand.Type) -> String {
        command.configuration.commandName ?? command._commandName
    }
}
