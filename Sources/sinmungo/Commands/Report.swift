import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoReport
import SinmungoStore
import SinmungoViews

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the year's white paper (백서) as one self-contained HTML page, ready to print on A4.",
        discussion: """
            Totals beside the year before, monthly tables beside the charts, the answered-on-time rate, declines \
            by ground, department and category, attendance by field, and what became policy. The page loads \
            nothing from elsewhere: its charts are inline SVG and it uses the system's fonts.
            """
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var holidayOptions: HolidayOptions
    @Option(help: "The KST year.", transform: parseYear) var year: Int
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file")) var out: String

    func run() throws {
        guard let months = WhitePaper.months(of: year) else {
            throw CommandLineFailure.usage("--year must be a year such as 2019")
        }
        let log = try store.openStore(reading: .readStatistics)
        let statistics = MonthlyStatistics(clock: try holidayOptions.clock(), policy: Sinmungo.policy)
        // Statistics staff on a server read the statistics view instead of the log.
        let timeline = try log.statisticsTimeline(at: .now)
        // The page counts the cases of the year and of the year before, and holds only those it
        // lists; the monthly figures read the same pass over the case list, and the log only for
        // the cases the year saw change.
        var cases = WhitePaperCases(year: year)
        let monthly: [MonthStatistics]
        if let timeline {
            try log.forEachRow(of: CaseProjection.self, at: .now) { _, row in cases.add(row) }
            monthly = try statistics.compute(timeline.cases, months: months, by: .channel)
        } else {
            monthly = try statistics.compute(
                months: months, by: .channel,
                currentRows: { visit in
                    try log.forEachRow(of: CaseProjection.self, at: .now) { id, row in
                        cases.add(row)
                        try visit(id, row)
                    }
                },
                steps: { ids, fold in try log.forEachEvent(at: .now, ofCases: ids, fold) })
        }
        let paper = WhitePaper(
            year: year, monthly: monthly, cases: cases, head: try log.head(), program: SinmungoVersion.current)
        let html = paper.renderPage()
        let temporary = out + ".partial"
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, out) == 0 else { throw CommandLineFailure.io("cannot write \(out)") }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CommandLineFailure.io("cannot write \(out)")
        }
        print("wrote \(out)")
    }
}
