import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore

extension Role: ExpressibleByArgument {}

/// Appends roster changes to whichever backend keeps the log.
func applyRoster(_ changes: [RosterChange], metadata: CommandMetadata, to store: some EventStore) throws -> [RecordedEvent] {
    try RosterService(store: store, policy: Sinmungo.policy, now: currentInstant).apply(changes, metadata: metadata)
}

/// Appends roster changes and reports them, as `perform` does for a case's steps.
func changeRoster(_ changes: [RosterChange], store storeOptions: StoreOptions, write: WriteOptions) throws {
    var metadata = try write.metadata(tiedOfficer: storeOptions.officerTiedToThisAccount)
    let store = try storeOptions.openStore()
    metadata.account = try store.actingAccount()
    let events = try applyRoster(changes, metadata: metadata, to: store)
    switch write.format {
    case .json:
        print(try JSONOutput.encode(events.map { ["seq": String($0.sequence), "type": $0.type.rawValue] }))
    case .table:
        for event in events { print("\(event.sequence) \(event.type.rawValue)") }
    }
}

struct RosterCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "The office's departments and officers with their roles; every change is an event in the log.",
        discussion: """
            Until the first officer is on the roster, anyone may take any step (a log kept before the roster \
            keeps working). From then on every step names an officer on it, acting within their roles and \
            departments, and a command naming an unknown department or officer is refused (exit 65). While \
            no officer is an administrator, anyone may grant the first one. `sinmungo history ROSTER` lists \
            every change: who made it, when and why.
            """,
        subcommands: [List.self, DepartmentCommands.self, OfficerCommands.self, Adopt.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "The departments and officers on the roster now.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var read: ReadOptions

        struct Listing: Encodable {
            struct Department: Encodable {
                var id: String
                var name: String
                var mergedInto: String?
            }
            struct Officer: Encodable {
                var id: String
                var roles: [String]
                var departments: [String]
                var accounts: [String]
            }
            var departments: [Department]
            var officers: [Officer]
        }

        func run() throws {
            let roster = try store.openStore(.readOnly).roster()
            if !roster.checksOfficers {
                printError(
                    "the roster holds no officer yet, so anyone may take any step; start it with `sinmungo roster officer add ID --role administrator --reason R`, or `sinmungo roster adopt` to bring in the log's departments and officers"
                )
            }
            let departments = roster.departments.values.sorted { $0.id < $1.id }
            let officers = roster.officers.values.sorted { $0.officer < $1.officer }
            let header = ["kind", "id", "name or roles", "departments or merged into", "accounts"]
            let rows =
                departments.map { ["department", $0.id, $0.name, $0.mergedInto ?? "", ""] }
                + officers.map {
                    [
                        "officer", $0.officer, $0.roles.map(\.rawValue).joined(separator: " "),
                        $0.departments.isEmpty ? "(whole office)" : $0.departments.joined(separator: " "),
                        $0.accounts.joined(separator: " "),
                    ]
                }
            let output = try Renderer.render(read.format, header: header, rows: rows) {
                Listing(
                    departments: departments.map { .init(id: $0.id, name: $0.name, mergedInto: $0.mergedInto) },
                    officers: officers.map {
                        .init(id: $0.officer, roles: $0.roles.map(\.rawValue), departments: $0.departments, accounts: $0.accounts)
                    })
            }
            print(output, terminator: "")
        }
    }

    struct DepartmentCommands: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "department", abstract: "Add, rename or merge departments (조직 개편) without splitting their history.",
            subcommands: [Add.self, Rename.self, Merge.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add", abstract: "Add a department under a stable id; cases are routed to it by id or name.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var write: WriteOptions
            @Argument(help: "The department's id, kept through renames.") var id: String
            @Option(help: "The name it goes by.") var name: String
            @Option(help: "Why.") var reason: String

            func run() throws {
                try changeRoster(
                    [.departmentAdded(DepartmentNamed(department: id, name: name, reason: reason))], store: store, write: write)
            }
        }

        struct Rename: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rename", abstract: "Give a department a new name; its cases and figures keep its id.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var write: WriteOptions
            @Argument(help: "The department's id.") var id: String
            @Option(help: "The new name.") var name: String
            @Option(help: "Why.") var reason: String

            func run() throws {
                try changeRoster(
                    [.departmentRenamed(DepartmentNamed(department: id, name: name, reason: reason))], store: store, write: write)
            }
        }

        struct Merge: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "merge", abstract: "Merge a department into another, which carries on its cases and figures.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var write: WriteOptions
            @Argument(help: "The department that ceases to exist.") var id: String
            @Option(help: "The department that carries on.") var into: String
            @Option(help: "Why.") var reason: String

            func run() throws {
                try changeRoster(
                    [.departmentsMerged(DepartmentsMerged(department: id, into: into, reason: reason))], store: store,
                    write: write)
            }
        }
    }

    struct OfficerCommands: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "officer", abstract: "Grant, change or remove an officer's roles.",
            subcommands: [Add.self, Change.self, Remove.self])

        struct Grant: ParsableArguments {
            @Argument(help: "The officer's id, as steps name it (--actor).") var id: String
            @Option(
                name: .customLong("role"),
                help: ArgumentHelp(
                    "A role (repeatable): \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "role"))
            var roles: [Role] = []
            @Option(
                name: .customLong("department"),
                help: ArgumentHelp("A department the officer acts for (repeatable); none for the whole office.", valueName: "id"))
            var departments: [String] = []
            @Option(
                name: .customLong("account"),
                help: ArgumentHelp(
                    "An operating-system account that acts as this officer (repeatable); once tied, no other account may.",
                    valueName: "name"))
            var accounts: [String] = []
            @Option(help: "Why.") var reason: String

            var grant: OfficerGrant {
                OfficerGrant(officer: id, roles: roles, departments: departments, accounts: accounts, reason: reason)
            }
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: "Put an officer on the roster.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var write: WriteOptions
            @OptionGroup var grant: Grant

            func run() throws {
                try changeRoster([.officerGranted(grant.grant)], store: store, write: write)
            }
        }

        struct Change: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "change", abstract: "Replace an officer's roles, departments and accounts with the ones given.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var write: WriteOptions
            @OptionGroup var grant: Grant

            func run() throws {
                try changeRoster([.officerChanged(grant.grant)], store: store, write: write)
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "remove", abstract: "Take an officer off the roster; their past steps keep their name.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var write: WriteOptions
            @Argument(help: "The officer's id.") var id: String
            @Option(help: "Why.") var reason: String

            func run() throws {
                try changeRoster([.officerRemoved(OfficerRemoved(officer: id, reason: reason))], store: store, write: write)
            }
        }
    }

    struct Adopt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "adopt",
            abstract: "Bring every department and officer the log names but the roster lacks into the roster.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var write: WriteOptions
        @Option(help: "Why.") var reason = "named in the log before the roster began"

        func run() throws {
            let log = try store.openStore()
            let head = try log.head().sequence
            var metadata = try write.metadata(tiedOfficer: store.officerTiedToThisAccount)
            metadata.account = try log.actingAccount()
            try adoptRoster(from: 1...max(head, 1), into: log, reason: reason, metadata: metadata)
        }
    }
}

/// Adds the departments and officers `events` name to the roster, and says what it added.
func adoptRoster(
    from range: ClosedRange<Int64>, into log: some EventStore, reason: String, metadata: CommandMetadata
) throws {
    let service = RosterService(store: log, policy: Sinmungo.policy, now: currentInstant)
    // A chunk at a time, so that a long log is never held in memory whole.
    let added = try service.adoptFromLog(reason: reason, metadata: metadata) { visit in
        var start = max(range.lowerBound, 1)
        while start <= range.upperBound {
            let end = min(start + 49_999, range.upperBound)
            try log.events(inSequence: start...end).forEach(visit)
            start = end + 1
        }
    }
    guard !added.departments.isEmpty || !added.officers.isEmpty else {
        printError("the roster already holds every department and officer the log names")
        return
    }
    printRosterAdoption(departments: added.departments, officers: added.officers)
}

/// Says what was added to the roster from a log.
func printRosterAdoption(departments: [String], officers: [String]) {
    printError(
        "added to the roster from the log: \(departments.count) departments (\(departments.joined(separator: ", "))) and \(officers.count) officers (\(officers.joined(separator: ", "))), as officers of the whole office; grant an administrator with `sinmungo roster officer add ID --role administrator --reason R`"
    )
}
