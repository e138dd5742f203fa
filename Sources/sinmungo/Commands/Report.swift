import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the year in figures as one self-contained HTML page, with charts and the white paper list.",
        discussion: "The page loads nothing from elsewhere: its charts are inline SVG and it uses the system's fonts."
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var holidayOptions: HolidayOptions
    @Option(help: "The KST year.", transform: parseYear) var year: Int
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file")) var out: String

    func run() throws {
        guard let first = YearMonth(year: year, month: 1), let last = YearMonth(year: year, month: 12) else {
            throw CommandLineFailure.usage("--year must be a year such as 2019")
        }
        let log = try store.openStore(.readOnly)
        let clock = try holidayOptions.clock()
        let byChannel = try MonthlyStatistics(clock: clock, policy: Sinmungo.policy).compute(
            months: first...last, by: .channel
        ) { fold in try log.forEachEvent(at: .now, order: .businessTime, fold) }
        let summaries = try log.summaries().filter { $0.filedAt.kstDate.year == year }
        let head = try log.head()
        let html = YearReport(
            year: year, months: byChannel, summaries: summaries, head: LogAnchor(sequence: head.sequence, hash: head.hash)
        )
        .render()
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

/// The page: figures, charts and the list of what became policy.
struct YearReport {
    var year: Int
    var months: [MonthStatistics]
    var summaries: [CaseSummary]
    var head: LogAnchor

    static let channelColors: [(channel: Channel, color: String)] = [
        (.board, "#2f6db5"), (.outreach, "#e08a1e"), (.townhall, "#4b9b5c"),
    ]
    static let outcomeLabels: [(Outcome, String, String)] = [
        (.adopted, "채택", "#2f6db5"), (.partlyAdopted, "일부 채택", "#6fa0d8"), (.notAdopted, "불채택", "#b0b0b0"),
        (.longTerm, "장기 검토", "#e0b34a"),
    ]

    /// Attendance stored by an older version, before its ceiling, can be near `Int.max`; the
    /// chart draws it at this height, where scaling and stacking cannot overflow. The table
    /// beside it shows the figure itself.
    static let chartCeiling = 1_000_000_000_000_000

    func render() -> String {
        let labels = months.map { "\($0.month.month)월" }
        let perChannel = SVGBarChart(
            title: "월별 접수 (청원·제안, 경로별)", labels: labels,
            series: Self.channelColors.map { channel, color in
                .init(name: channel.name, color: color, values: months.map { $0.figures(of: channel)?.received ?? 0 })
            })
        let cases = summaries.filter { $0.kind == .petition || $0.kind == .proposal }
        let outcomes = SVGBarChart(
            title: "정책 반영 결과", labels: Self.outcomeLabels.map(\.1),
            series: [
                .init(
                    name: "건수", color: "#2f6db5",
                    values: Self.outcomeLabels.map { outcome in cases.filter { $0.outcome == outcome.0 }.count })
            ],
            stacked: false)
        let days = months.flatMap(\.total.daysToAnswer)
        let buckets = [(0, 10), (11, 20), (21, 30), (31, 40), (41, 50), (51, 60), (61, 90), (91, 10_000)]
        let answerTimes = SVGBarChart(
            title: "답변까지 걸린 날 (일)", labels: buckets.map { $0.1 > 1000 ? "91+" : "\($0.0)–\($0.1)" },
            series: [
                .init(
                    name: "건수", color: "#7a5bb5",
                    values: buckets.map { bucket in days.filter { (bucket.0...bucket.1).contains($0) }.count })
            ],
            stacked: false)
        let sessions = summaries.filter { $0.kind == .session }
        let fields = Array(Set(sessions.compactMap(\.field))).sorted()
        let attendance = SVGBarChart(
            title: "분야별 참석자 (찾아가는 영등포1번가·타운홀미팅)", labels: fields,
            series: [
                .init(
                    name: Channel.outreach.name, color: "#e08a1e",
                    values: fields.map { field in
                        min(
                            sessions.filter { $0.field == field && $0.sessionKind == .outreach }.reduce(0) {
                                $0.adding(saturating: $1.attendees ?? 0)
                            }, Self.chartCeiling)
                    }),
                .init(
                    name: Channel.townhall.name, color: "#4b9b5c",
                    values: fields.map { field in
                        min(
                            sessions.filter { $0.field == field && $0.sessionKind == .townhall }.reduce(0) {
                                $0.adding(saturating: $1.attendees ?? 0)
                            }, Self.chartCeiling)
                    }),
            ])
        let counts = CaseCounts(summaries)
        let figures: [(String, Int)] = [
            ("영등포신문고 청원", counts.petitions), ("찾아가는 영등포1번가", counts.outreachSessions),
            ("참석 구민", counts.outreachAttendees), ("접수 제안", counts.proposals), ("타운홀미팅", counts.townHalls),
            ("타운홀미팅 참석", counts.townHallAttendees), ("소통 기록 게시", counts.records),
        ]
        let reflected = cases.filter { $0.outcome == .adopted || $0.outcome == .partlyAdopted }.sorted { $0.id < $1.id }
        var html = """
            <!DOCTYPE html>
            <html lang="ko"><head><meta charset="utf-8">
            <title>\(year)년 영등포구 구민 소통 보고</title>
            <style>
            body { font-family: "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
            h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
            .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: .6rem; }
            .figure { background: #f3f6fa; padding: .6rem .8rem; border-radius: 6px; }
            .figure b { display: block; font-size: 1.5rem; }
            .chart-title { font-size: 14px; font-weight: bold; } .axis, .legend { font-size: 11px; fill: #555; } .grid { stroke: #e3e3e3; }
            table { border-collapse: collapse; width: 100%; font-size: .85rem; } td, th { border-bottom: 1px solid #e5e5e5; padding: .3rem; text-align: left; }
            footer { margin-top: 2rem; font-size: .75rem; color: #777; word-break: break-all; }
            </style></head><body>
            <h1>\(year)년 구민 소통 보고 — 영등포신문고 · 찾아가는 영등포1번가 · 타운홀미팅</h1>
            <section class="figures">

            """
        for (label, value) in figures {
            html += "<div class=\"figure\">\(escapeHTML(label))<b>\(grouped(value))</b></div>\n"
        }
        html += "</section>\n<h2>그래프</h2>\n"
        for chart in [perChannel, outcomes, answerTimes, attendance] {
            html += "<figure>\(chart.render())</figure>\n"
        }
        html +=
            "<h2>백서: 정책에 반영된 청원과 제안 (\(reflected.count)건)</h2>\n<table><thead><tr><th>번호</th><th>제목</th><th>부서</th><th>결과</th><th>반영 사업</th></tr></thead><tbody>\n"
        for item in reflected {
            let outcome = Self.outcomeLabels.first { $0.0 == item.outcome }?.1 ?? ""
            html +=
                "<tr><td>\(escapeHTML(item.id.rawValue))</td><td>\(escapeHTML(item.title))</td><td>\(escapeHTML(item.department ?? ""))</td>"
            html += "<td>\(outcome)</td><td>\(escapeHTML(item.policy ?? ""))</td></tr>\n"
        }
        html += "</tbody></table>\n<footer>Sinmungo \(SinmungoVersion.current) · log \(head)</footer>\n</body></html>\n"
        return html
    }
}
