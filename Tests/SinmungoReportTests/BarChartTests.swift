import Testing

@testable import SinmungoReport

@Suite("Bar charts that read on paper")
struct BarChartTests {
    func texts(_ svg: String, class name: String) -> [String] {
        svg.components(separatedBy: "class=\"\(name)\"").dropFirst().compactMap { part in
            guard let open = part.firstIndex(of: ">"), let close = part.firstIndex(of: "<") else { return nil }
            return String(part[part.index(after: open)..<close])
        }
    }

    @Test
    func eachBarPrintsItsValueAndTheAxisItsUnit() {
        let chart = BarChart(
            title: "월별", unit: "명", labels: ["1월", "2월", "3월"],
            series: [.init(name: "참석", color: "#000", values: [1472, 0, 9])], stacked: false)
        let svg = chart.render()
        #expect(texts(svg, class: "value") == ["1,472", "9"])
        #expect(svg.contains(">(명)</text>"))
        #expect(svg.contains("<title id=\"chart-"))
    }

    @Test
    func stackedBarsPrintTheirTotalAndLeaveEmptySeriesOutOfTheLegend() {
        let chart = BarChart(
            title: "경로별", unit: "건", labels: ["1월", "2월"],
            series: [
                .init(name: "신문고", color: "#111", values: [3, 4]), .init(name: "영등포1번가", color: "#222", values: [2, 0]),
                .init(name: "타운홀미팅", color: "#333", values: [0, 0]),
            ])
        let svg = chart.render()
        #expect(texts(svg, class: "value") == ["5", "4"])
        #expect(texts(svg, class: "legend") == ["신문고", "영등포1번가"])
    }

    @Test
    func theGridLinesAreWholeStepsThatReachTheTallestBar() {
        for (values, top) in [([0], "4"), ([3], "4"), ([5], "8"), ([250], "400"), ([1472], "2,000"), ([99], "200")] {
            let svg = BarChart(title: "t", unit: "건", labels: ["a"], series: [.init(name: "s", color: "#000", values: values)])
                .render()
            #expect(texts(svg, class: "axis").contains(top), "\(values)")
        }
    }

    @Test
    func hugeStoredValuesNeitherTrapNorOverflowTheScale() {
        let svg = BarChart(
            title: "t", unit: "명", labels: ["a", "b"],
            series: [
                .init(name: "x", color: "#000", values: [Int.max, Int.max]), .init(name: "y", color: "#111", values: [Int.max, 1]),
                .init(name: "z", color: "#222", values: [Int.max, Int.min]),
            ]
        ).render()
        #expect(svg.hasSuffix("</svg>"))
        #expect(!svg.contains("=\"-") && !svg.contains(">-"), "no negative bar height or value")
    }

    @Test
    func textIsEscapedInElementsAndAttributes() {
        let svg = BarChart(
            title: "<script>\"'", unit: "&", labels: ["<b>"], series: [.init(name: "</svg>", color: "#000", values: [1])]
        ).render()
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<b>"))
        #expect(svg.components(separatedBy: "</svg>").count == 2)
        #expect(svg.contains("&lt;script&gt;&quot;&#39;"))
    }

    @Test
    func countsAreGroupedByThousands() {
        #expect(grouped(0) == "0")
        #expect(grouped(1472) == "1,472")
        #expect(grouped(-1_000_000) == "-1,000,000")
        #expect(grouped(Int.min) == "-9,223,372,036,854,775,808")
    }
}
