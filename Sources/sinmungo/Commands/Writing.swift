import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore

/// The wall clock, unless $SINMUNGO_CLOCK fixes it (reproducible demos and tests).
func currentInstant() -> Instant { Instant.current() }

/// Decides and appends one command, then reports what happened.
func perform(_ command: CaseCommand, on target: CaseID?, store storeOptions: StoreOptions, write: WriteOptions) throws {
    var metadata = try write.metadata(tiedOfficer: storeOptions.officerTiedToThisAccount)
    let store = try storeOptions.openStore()
    metadata.account = try store.actingAccount()
    let calendar = try HolidayOptions.calendar(adding: HolidayOptions.environmentFolder)
    func execute(on store: some EventStore) throws -> CommandOutcome {
        try CaseService(store: store, policy: Sinmungo.policy, calendar: calendar, now: currentInstant)
            .execute(command, on: target, metadata: metadata)
    }
    let outcome = try execute(on: store)
    if outcome.finishedEarlierErasure {
        printError("\(outcome.caseID): finished the erasure recorded earlier; nothing new was written")
    } else if !outcome.alreadyApplied, outcome.events.last?.type == .erasureRequested {
        printError(
            "\(outcome.caseID): erasure requested; nothing is destroyed until a privacy officer, another person, approves it with `sinmungo erase \(outcome.caseID) --approve`"
        )
    } else if outcome.alreadyApplied {
        let sequences = outcome.events.map { String($0.sequence) }.joined(separator: ", ")
        printError("command \(metadata.commandID) was already applied (event \(sequences)); nothing new was written")
    }
    switch write.format {
    case .json:
        print(try JSONOutput.encode(WriteResult(outcome)))
    case .table:
        if command.createdKind != nil {
            // The bare id, so that scripts can capture it.
            print(outcome.caseID)
        } else {
            print("\(outcome.caseID) \(outcome.state.status.map(\.rawValue) ?? "?") (version \(outcome.state.version))")
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("sinmungo: \(UntrustedText.visible(message))\n".utf8))
}

struct WriteResult: Encodable {
    struct Event: Encodable {
        var seq: Int64
        var type: String
        var caseVersion: Int
    }

    var caseId: String
    var kind: String?
    var state: String?
    var version: Int
    var alreadyApplied: Bool
    var events: [Event]

    init(_ outcome: CommandOutcome) {
        caseId = outcome.caseID.rawValue
        kind = outcome.state.kind?.rawValue
        state = outcome.state.status?.rawValue
        version = outcome.state.version
        alreadyApplied = outcome.alreadyApplied
        events = outcome.events.map { Event(seq: $0.sequence, type: $0.type.rawValue, caseVersion: $0.caseVersion) }
    }
}

struct PetitionCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition",
        abstract: "File petitions from the online board and record their endorsements.",
        subcommands: [File.self, Endorse.self]
    )

    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "file", abstract: "File a petition; prints its new case id.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var write: WriteOptions
        @Option(help: "The petition's title.") var title: String
        @Option(
            help: ArgumentHelp(
                "One of the board's categories: \(Sinmungo.policy.petitionCategories.joined(separator: ", "))."))
        var category: String
        @Option(help: "The petition's text.") var body: String?
        @Option(help: "The petitioner's name (personal data).") var petitioner: String?
        @Option(help: "The petitioner's phone or e-mail (personal data).") var contact: String?

        func run() throws {
            let filed = PetitionFiled(title: title, category: category, body: body, petitioner: petitioner, contact: contact)
            try perform(.filePetition(filed), on: nil, store: store, write: write)
        }
    }

    struct Endorse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "endorse",
            abstract:
                "Record endorsements (공감); crossing the threshold in the window qualifies the petition for a mayoral answer.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var write: WriteOptions
        @Argument(help: "The petition's case id.") var id: CaseIDArgument
        @Option(parsing: .unconditional, help: "Endorsements counted since the last record.") var count: Int

        func run() throws {
            try perform(.endorse(count: count), on: id.id, store: store, write: write)
        }
    }
}

struct SessionCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Record outreach sessions (찾아가는 영등포1번가) and town hall meetings.",
        subcommands: [Hold.self]
    )

    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hold", abstract: "Record a session that was held; prints its new case id.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var write: WriteOptions
        @Option(help: "outreach or townhall.") var kind: SessionKind
        @Option(
            help: ArgumentHelp(
                "Outreach: \(Sinmungo.policy.outreachFields.joined(separator: ", ")); town hall: \(Sinmungo.policy.townhallFields.joined(separator: ", "))."
            )) var field: String
        @Option(parsing: .unconditional, help: "How many residents attended.") var attendees: Int
        @Option(help: "The theme, e.g. 치매.") var theme: String?
        @Option(help: "Where it was held.") var place: String?

        func run() throws {
            let held = SessionHeld(kind: kind, field: field, attendees: attendees, theme: theme, place: place)
            try perform(.holdSession(held), on: nil, store: store, write: write)
        }
    }
}

struct ProposalCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proposal",
        abstract: "File proposals collected at a session.",
        subcommands: [File.self]
    )

    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "file", abstract: "File a proposal made at a session; prints its new case id.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var write: WriteOptions
        @Option(help: "The session's case id.") var session: CaseIDArgument
        @Option(help: "The proposal's title.") var title: String
        @Option(help: "A board category, if it fits one.") var category: String?
        @Option(help: "The proposer's name (personal data; optional).") var proposer: String?

        func run() throws {
            let filed = ProposalFiled(session: session.id, title: title, category: category, proposer: proposer)
            try perform(.fileProposal(filed), on: nil, store: store, write: write)
        }
    }
}

struct RecordCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Post communication records (구민과의 소통 기록).",
        subcommands: [Post.self]
    )

    struct Post: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post",
            abstract: "Post a record about sessions or cases; prints its new case id.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var write: WriteOptions
        @Option(help: "The record's title.") var title: String
        @Option(parsing: .upToNextOption, help: "The sessions or cases it is about.") var about: [CaseIDArgument] = []

        func run() throws {
            try perform(.postRecord(RecordPosted(title: title, about: about.map(\.id))), on: nil, store: store, write: write)
        }
    }
}

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Accept a case and route it to a department, or decline it on a statutory ground.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The case id.") var id: CaseIDArgument
    @Option(help: "The responsible department.") var department: String?
    @Option(
        help: ArgumentHelp(
            "Do not process, on a ground of the Petition Act: \(DeclineGround.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "ground")) var decline: DeclineGround?
    @Option(help: "Why, in words, when declining.") var reason: String?

    func validate() throws {
        guard (department == nil) != (decline == nil) else {
            throw ValidationError("give either --department D or --decline GROUND")
        }
        if reason != nil, decline == nil {
            throw ValidationError("--reason goes with --decline")
        }
    }

    func run() throws {
        let command: CaseCommand =
            if let decline { .decline(ground: decline, reason: reason) } else { .review(department: department!) }
        try perform(command, on: id.id, store: store, write: write)
    }
}

struct Visit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit", abstract: "Record a visit to the place a case is about.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The case id.") var id: CaseIDArgument
    @Option(help: "Where officials went.") var place: String
    @Option(help: "What they found.") var findings: String?
    @Option(name: .customLong("with"), parsing: .upToNextOption, help: "Other officers who went.") var companions: [String] = []

    func run() throws {
        let visit = Visited(place: place, findings: findings, with: companions.isEmpty ? nil : companions)
        try perform(.visit(visit), on: id.id, store: store, write: write)
    }
}

struct Answer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer", abstract: "Record the official answer to the petitioner or proposer.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The case id.") var id: CaseIDArgument
    @Option(help: "The answer, in short.") var summary: String
    @Option(help: "mayor or department (default: mayor for a qualified petition, else department).") var by: Answerer?

    func run() throws {
        try perform(.answer(summary: summary, by: by), on: id.id, store: store, write: write)
    }
}

struct Reflect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reflect", abstract: "Record what became of an answered case in policy.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The case id.") var id: CaseIDArgument
    @Option(help: "adopted, partly-adopted, not-adopted or long-term.") var outcome: Outcome
    @Option(help: "The policy or project it became.") var policy: String?

    func run() throws {
        try perform(.reflect(Reflected(outcome: outcome, policy: policy)), on: id.id, store: store, write: write)
    }
}

struct Transfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Route a case to another department, or send it to another office (이송).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The case id.") var id: CaseIDArgument
    @Option(help: "The department that takes it over.") var department: String?
    @Option(help: "The office that takes it over, as a new case there (PostgreSQL only).") var toOffice: String?
    @Option(help: "Why.") var reason: String?

    func run() throws {
        switch (department, toOffice) {
        case (let department?, nil):
            try perform(.transfer(Transferred(department: department, reason: reason)), on: id.id, store: store, write: write)
        case (nil, let office?):
            try transferToOffice(id.id, office: office, reason: reason, store: store, write: write)
        default:
            throw CommandLineFailure.usage("give either --department (within this office) or --to-office (to another office)")
        }
    }
}

struct Withdraw: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Record that the petitioner or proposer withdrew the case.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The case id.") var id: CaseIDArgument
    @Option(help: "Why, if given.") var reason: String?

    func run() throws {
        try perform(.withdraw(Withdrawn(reason: reason)), on: id.id, store: store, write: write)
    }
}

struct Duplicate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicate",
        abstract: "Close a case as a repeat of an earlier one; the two stay linked both ways.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The later case.") var id: CaseIDArgument
    @Option(help: "The earlier case it repeats.") var of: CaseIDArgument

    func run() throws {
        try perform(.markDuplicate(of: of.id), on: id.id, store: store, write: write)
    }
}

struct Correct: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct a fact recorded earlier; the correction supersedes it, and the earlier event stays as it was.",
        discussion: "Fields: title, category (petitions, proposals), attendees, theme, place (sessions)."
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The case id.") var id: CaseIDArgument
    @Option(help: "The field to correct.") var field: CorrectableField
    @Option(help: "Its correct value.") var value: String
    @Option(help: "Why the earlier value was wrong (required).") var reason: String

    func run() throws {
        try perform(.correct(Corrected(field: field, value: value, reason: reason)), on: id.id, store: store, write: write)
    }
}
