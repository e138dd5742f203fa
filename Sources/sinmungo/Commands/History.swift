import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Every event of a case in order: who did what, when, and why.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var when: PointInTimeOptions
    @Argument(help: "The case id.") var id: CaseIDArgument

    struct Entry: Encodable {
        var seq: Int64
        var caseVersion: Int
        var occurredAt: String
        var recordedAt: String
        var actor: String
        var commandId: String
        var step: String
        var reason: String?
        var details: [String: String]
    }

    func run() throws {
        let events = try store.openStore(reading: .readCases).events(at: when.point, of: id.id)
        guard !events.isEmpty else { throw Refusal.noSuchCase(id.id) }
        let header = ["seq", "version", "occurred", "recorded", "actor", "step", "reason", "details"]
        let rows = events.map { event in
            [
                String(event.sequence), String(event.caseVersion), event.occurredAt.description, event.recordedAt.description,
                event.actor, event.type.rawValue, event.event.reason ?? "", event.event.detailsLine,
            ]
        }
        let output = try Renderer.render(read.format, header: header, rows: rows, rightAligned: [0, 1]) {
            events.map { event in
                Entry(
                    seq: event.sequence, caseVersion: event.caseVersion, occurredAt: event.occurredAt.description,
                    recordedAt: event.recordedAt.description, actor: event.actor, commandId: event.commandID,
                    step: event.type.rawValue, reason: event.event.reason,
                    details: Dictionary(
                        event.event.details.filter { $0.name != "reason" }.map { ($0.name, $0.value) },
                        uniquingKeysWith: { a, _ in a }
                    )
                )
            }
        }
        print(output, terminator: "")
    }
}
