import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore

@main
struct Sinmungo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sinmungo",
        abstract: "Files, advances and reports citizen petitions and proposals as an append-only event log.",
        discussion: """
            The log lives in one SQLite file: --db PATH, else $SINMUNGO_DB, else ./sinmungo.sqlite.
            Every step an officer takes is appended as events; every view is replayed from them.

            Exit statuses: 0 ok; 64 usage; 65 refused (bad data, illegal step); 66 no such case, \
            file or database; 74 I/O error or a file that is not a valid database; 75 conflict \
            (someone changed the case first: look again and retry).
            """,
        version: SinmungoVersion.current,
        subcommands: [
            Init.self,
            PetitionCommands.self, SessionCommands.self, ProposalCommands.self, RecordCommands.self,
            Review.self, Visit.self, Answer.self, Reflect.self, Transfer.self, Withdraw.self, Duplicate.self, Correct.self,
            Extend.self, Erase.self, RetentionCommand.self,
            Show.self, List.self, History.self, Why.self, Due.self, Counts.self, Stats.self, Report.self,
            Head.self, Verify.self,
            Import.self, Export.self, Rebuild.self, Replay.self, Generate.self,
            RosterCommands.self, AccessLog.self, AnchorKey.self, Serve.self,
        ]
    )

    /// Declared here as well as on each command, so that they may come before the subcommand
    /// (`sinmungo --db x.sqlite list`), as the README shows; argument-parser hands the value
    /// parsed here to the command's own `StoreOptions`.
    @OptionGroup var store: StoreOptions

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let failure as CommandLineFailure {
            FileHandle.standardError.write(Data("sinmungo: \(UntrustedText.visible(failure.message))\n".utf8))
            Foundation.exit(failure.exitStatus)
        } catch {
            if let status = ExitStatus.forDomainError(error) {
                FileHandle.standardError.write(Data("sinmungo: \(UntrustedText.visible("\(error)"))\n".utf8))
                Foundation.exit(status)
            }
            let status = exitCode(for: error)
            guard status != .success else { exit(withError: error) }
            let message = usageMessage(self.message(for: error), arguments: arguments)
            FileHandle.standardError.write(Data("sinmungo: \(UntrustedText.visible(message))\n".utf8))
            Foundation.exit(status.rawValue)
        }
    }
}

extension Sinmungo {
    /// argument-parser's message as one sentence on one line: an option put before the
    /// subcommand that belongs after it says so, a time, date or month that does not parse
    /// names its option with an example, a list of choices becomes a comma-separated list, and
    /// an option the command does not take is named with the command, instead of a guess at
    /// another option it resembles.
    static func usageMessage(_ message: String, arguments: [String]) -> String {
        let (leading, words) = commandLine(arguments)
        if let misplaced = leading.first(where: { $0.hasPrefix("-") }), words.count > 1 {
            let name = misplaced.split(separator: "=", maxSplits: 1).first.map(String.init) ?? misplaced
            return
                "\(name) goes after the subcommand, as in `\(words.joined(separator: " ")) \(name) ...`; only --db and --keys may come before it"
        }
        if let sentence = ArgumentShape.sentence(for: message) { return sentence }
        let path = words.joined(separator: " ")
        if message.hasPrefix("Unknown option '"), let name = message.dropFirst(16).split(separator: "'").first {
            return "`\(path)` takes no option \(name); `\(path) --help` lists the ones it takes"
        }
        var lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { return "\(path): \(message)" }
        let first = lines.removeFirst()
        let choices = lines.map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
        let sentence = choices.isEmpty ? first : first + " " + choices.joined(separator: ", ")
        return sentence + " (see `\(path) --help`)"
    }
}

extension Sinmungo {
    /// The district's rules, the one policy every command decides, counts and reports by.
    static let policy = Policy.yeongdeungpo
}

extension Sinmungo {
    /// The words before the subcommand that are not the root's own options (`--db`, `--keys`
    /// and their values), and the command's path: `["sinmungo", "petition", "file"]`.
    static func commandLine(_ arguments: [String]) -> (leading: [String], path: [String]) {
        let rootOptions: Set<String> = ["--db", "--keys"]
        var leading: [String] = []
        var index = 0
        var command: any ParsableCommand.Type = Sinmungo.self
        var path = ["sinmungo"]
        while index < arguments.count {
            let word = arguments[index]
            if let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == word }) {
                command = next
                path.append(word)
            } else if path.count > 1 || word == "--" {
                break
            } else if rootOptions.contains(word) {
                index += 1
            } else if !rootOptions.contains(where: { word.hasPrefix($0 + "=") }) {
                leading.append(word)
            }
            index += 1
        }
        return (leading, path)
    }
}

enum SinmungoVersion {
    static let current = "0.1.0"
}
