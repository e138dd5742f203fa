import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List cases, oldest first.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var when: PointInTimeOptions
    @Option(help: "petition, proposal, session or record.") var kind: CaseKind?
    @Option(help: ArgumentHelp("One of: \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", ")).")) var status: CaseStatus?

    func run() throws {
        let log = try store.openStore(reading: .readCases)
        let summaries = try log.summaries(kind: kind, status: status, at: when.point)
        let departmentName = try log.roster().name(ofDepartment:)
        let header = ["id", "kind", "status", "version", "filed", "category", "department", "title"]
        let rows = summaries.map { summary in
            [
                summary.id.rawValue, summary.kind.rawValue, summary.status.rawValue, String(summary.version),
                summary.filedAt.kstDate.description, summary.category ?? summary.field ?? "",
                summary.department.map(departmentName) ?? "",
                summary.title,
            ]
        }
        let output = try Renderer.render(read.format, header: header, rows: rows, rightAligned: [3]) {
            summaries.map { CaseFields($0, departmentName: departmentName).dictionary }
        }
        print(output, terminator: "")
    }
}
