import Mustache
import SinmungoCore
import SinmungoViews

extension WhitePaper {
    /// The templates, shared by the one-page report and the desk: `white-paper` is a whole
    /// page, `white-paper-body` its content for another page's layout, `white-paper-style`
    /// its style sheet (screen and A4 print).
    public static let templates: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in WhitePaperTemplates.all {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("the white paper template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// The style sheet of the page, for a page that links it instead of holding it inline.
    public static var styleSheet: String { WhitePaperTemplates.style }

    /// The whole self-contained HTML page.
    public func renderPage() -> String {
        Self.templates.render(context, withTemplate: "white-paper") ?? ""
    }

    /// The page's content, for a page that brings its own layout and style sheet.
    public func renderBody() -> String {
        Self.templates.render(context, withTemplate: "white-paper-body") ?? ""
    }

    static let channelColors: [(channel: Channel, color: String)] = [
        (.board, "#2f6db5"), (.outreach, "#b8640f"), (.townhall, "#3d7f4b"),
    ]

    /// What the templates read: every figure already written as the page prints it.
    var context: [String: Any] {
        var context: [String: Any] = [
            "year": String(year), "program": program, "head": head.description,
            "previousYear": before.map { String($0.year) } ?? "",
            "hasPrevious": before != nil,
        ]
        context["cards"] = cards
        context["totals"] = totals
        context["monthlyChart"] = monthlyChart.render()
        context["monthlyRows"] = monthlyRows
        context["handling"] = handling
        context["answerDaysChart"] = answerDaysChart.render()
        context["declinedCount"] = grouped(this.declined.count)
        context["declinesByGround"] = breakdown(this.declined) { $0.declineGround.map(KoreanLabels.ground) ?? "(사유 없음)" }
        context["declinesByDepartment"] = breakdown(this.declined) { $0.department ?? "(부서 미지정)" }
        context["declinesByCategory"] = breakdown(this.declined) { $0.category ?? "(분야 없음)" }
        context["outcomeChart"] = outcomeChart.render()
        context["outcomes"] = outcomes
        for kind in SessionKind.allCases {
            let rows = this.attendance(kind)
            context["\(kind.rawValue)Chart"] = attendanceChart(kind, rows).render()
            context["\(kind.rawValue)Rows"] = rows.map {
                ["field": $0.field.isEmpty ? "(분야 없음)" : $0.field, "sessions": grouped($0.sessions), "attendees": grouped($0.attendees)]
            }
            context["\(kind.rawValue)Sessions"] = grouped(rows.reduce(0) { $0 + $1.sessions })
            context["\(kind.rawValue)Attendees"] = grouped(rows.reduce(0) { $0.adding(saturating: $1.attendees) })
        }
        context["reflectedCount"] = grouped(this.adopted.count)
        context["reflectedRows"] = this.adopted.map {
            [
                "id": $0.id.rawValue, "title": $0.title, "department": $0.department ?? "",
                "outcome": $0.outcome.map(KoreanLabels.outcome) ?? "", "policy": $0.policy ?? "",
            ]
        }
        return context
    }

    private var cards: [[String: String]] {
        [
            ["label": "영등포신문고 청원", "value": grouped(this.counts.petitions), "unit": "건"],
            ["label": "찾아가는 영등포1번가", "value": grouped(this.counts.outreachSessions), "unit": "회"],
            [
                "label": "찾아가는 영등포1번가 참석 구민", "value": grouped(this.counts.outreachAttendees), "unit": "명",
                "note": "현장 소통 \(grouped(this.counts.outreachSessions))회 참석자만 셈 (타운홀미팅 제외)",
            ],
            ["label": "접수 제안", "value": grouped(this.counts.proposals), "unit": "건"],
            ["label": "타운홀미팅", "value": grouped(this.counts.townHalls), "unit": "회"],
            ["label": "타운홀미팅 참석", "value": grouped(this.counts.townHallAttendees), "unit": "명"],
            ["label": "정책 반영 (채택·일부 채택)", "value": grouped(this.reflected), "unit": "건"],
            ["label": "소통 기록 게시", "value": grouped(this.counts.records), "unit": "건"],
        ]
    }

    private var totals: [[String: String]] {
        func row(_ label: String, _ unit: String, _ value: (YearFigures) -> Int) -> [String: String] {
            let now = value(this)
            let previous = before.map(value)
            return [
                "label": label, "unit": unit, "value": grouped(now), "previous": previous.map(grouped) ?? "–",
                "change": change(from: previous, to: now),
            ]
        }
        return [
            row("영등포신문고 청원", "건", { $0.counts.petitions }),
            row("접수 제안", "건", { $0.counts.proposals }),
            row("찾아가는 영등포1번가", "회", { $0.counts.outreachSessions }),
            row("찾아가는 영등포1번가 참석 구민", "명", { $0.counts.outreachAttendees }),
            row("타운홀미팅", "회", { $0.counts.townHalls }),
            row("타운홀미팅 참석 구민", "명", { $0.counts.townHallAttendees }),
            row("불수리", "건", { $0.declined.count }),
            row("정책 반영 (채택·일부 채택)", "건", { $0.reflected }),
            row("소통 기록 게시", "건", { $0.counts.records }),
        ]
    }

    private var monthlyChart: BarChart {
        BarChart(
            title: "월별 접수 (청원·제안, 경로별)", unit: "건", labels: this.months.map { "\($0.month)월" },
            series: Self.channelColors.map { channel, color in
                .init(name: channel.name, color: color, values: this.months.map { $0.byChannel[channel]?.received ?? 0 })
            })
    }

    private var monthlyRows: [[String: String]] {
        func row(_ label: String, _ figures: (Channel) -> MonthFigures?, total: MonthFigures) -> [String: String] {
            var row = ["label": label, "total": grouped(total.received)]
            for channel in Channel.allCases {
                row[channel.rawValue] = grouped(figures(channel)?.received ?? 0)
            }
            return row
        }
        var rows = this.months.map { month in row("\(month.month)월", { month.byChannel[$0] }, total: month.total) }
        rows.append(row("\(year)년 계", { this.channelTotals[$0] }, total: this.total))
        if let before {
            rows.append(row("\(before.year)년 계", { before.channelTotals[$0] }, total: before.total))
        }
        return rows
    }

    private var handling: [[String: String]] {
        func percent(_ figures: MonthFigures) -> String {
            figures.answeredWithinDeadlinePercent.map { "\(Double(Int(($0 * 10).rounded())) / 10)%" } ?? "–"
        }
        func days(_ value: Int?) -> String { value.map { "\($0)일" } ?? "–" }
        let rows: [(String, (MonthFigures) -> String)] = [
            ("답변 (건)", { grouped($0.answered) }),
            ("기한 내 답변 (건)", { grouped($0.answeredWithinDeadline) }),
            ("기한 내 답변율", percent),
            ("답변까지 걸린 날 (중앙값)", { days($0.medianDaysToAnswer) }),
            ("답변까지 걸린 날 (90백분위)", { days($0.p90DaysToAnswer) }),
            ("현장 확인 (건)", { grouped($0.siteVisits) }),
            ("취하 (건)", { grouped($0.withdrawn) }),
        ]
        return rows.map { label, value in
            ["label": label, "value": value(this.total), "previous": before.map { value($0.total) } ?? "–"]
        }
    }

    private var answerDaysChart: BarChart {
        let buckets = [(0, 10), (11, 20), (21, 30), (31, 40), (41, 50), (51, 60), (61, 90), (91, Int.max)]
        return BarChart(
            title: "답변까지 걸린 날", unit: "건", labels: buckets.map { $0.1 == Int.max ? "91일 이상" : "\($0.0)–\($0.1)일" },
            series: [
                .init(
                    name: "답변", color: "#5b3f99",
                    values: buckets.map { bucket in this.total.daysToAnswer.filter { (bucket.0...bucket.1).contains($0) }.count })
            ],
            stacked: false)
    }

    private var outcomes: [[String: String]] {
        Outcome.allCases.map { outcome in
            [
                "label": KoreanLabels.outcome(outcome), "value": grouped(this.counts.outcomes[outcome] ?? 0),
                "previous": before.map { grouped($0.counts.outcomes[outcome] ?? 0) } ?? "–",
            ]
        }
    }

    private var outcomeChart: BarChart {
        BarChart(
            title: "정책 반영 결과", unit: "건", labels: Outcome.allCases.map(KoreanLabels.outcome),
            series: [.init(name: "건수", color: "#2f6db5", values: Outcome.allCases.map { this.counts.outcomes[$0] ?? 0 })],
            stacked: false)
    }

    private func attendanceChart(_ kind: SessionKind, _ rows: [(field: String, sessions: Int, attendees: Int)]) -> BarChart {
        BarChart(
            title: "\(KoreanLabels.session(kind)) 분야별 참석 구민", unit: "명",
            labels: rows.map { $0.field.isEmpty ? "(분야 없음)" : $0.field },
            series: [
                .init(
                    name: KoreanLabels.session(kind), color: kind == .outreach ? "#b8640f" : "#3d7f4b",
                    values: rows.map(\.attendees))
            ],
            stacked: false)
    }

    /// Counts by a label, largest first, then by name.
    private func breakdown<Case>(_ cases: [Case], by label: (Case) -> String) -> [[String: String]] {
        var counts: [String: Int] = [:]
        for item in cases { counts[label(item), default: 0] += 1 }
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ["label": $0.key, "count": grouped($0.value)] }
    }

    private func change(from previous: Int?, to now: Int) -> String {
        guard let previous else { return "–" }
        let difference = now.subtractingReportingOverflow(previous)
        guard !difference.overflow else { return "–" }
        let sign = difference.partialValue > 0 ? "+" : ""
        guard previous > 0 else { return "\(sign)\(grouped(difference.partialValue))" }
        let percent = Double(difference.partialValue) * 100 / Double(previous)
        return "\(sign)\(grouped(difference.partialValue)) (\(sign)\(Double(Int((percent * 10).rounded())) / 10)%)"
    }
}
