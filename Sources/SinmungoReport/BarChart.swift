/// Bar charts as inline SVG: no scripts, no fonts or files from elsewhere. Each bar carries
/// its value in print, and the axis its unit, so the chart still reads on paper.
public struct BarChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var color: String
        public var values: [Int]

        public init(name: String, color: String, values: [Int]) {
            self.name = name
            self.color = color
            self.values = values
        }
    }

    public var title: String
    /// What the values count, as the axis prints it: 건, 명, 회.
    public var unit: String
    public var labels: [String]
    public var series: [Series]
    /// Stacked bars add the series up; otherwise they stand side by side.
    public var stacked: Bool
    public var width = 720
    public var height = 300

    /// Attendance stored by an older version, before its ceiling, can be near `Int.max`; bars
    /// are drawn at most this high, where scaling and stacking cannot overflow. The table
    /// beside a chart shows the figure itself.
    static let ceiling = 1_000_000_000_000_000

    public init(title: String, unit: String, labels: [String], series: [Series], stacked: Bool = true) {
        self.title = title
        self.unit = unit
        self.labels = labels
        // A series with nothing to draw would only add a legend entry with no bars.
        let drawn = series.filter { $0.values.contains { $0 > 0 } }
        self.series = (drawn.isEmpty ? Array(series.prefix(1)) : drawn).map { item in
            Series(name: item.name, color: item.color, values: item.values.map { min(max($0, 0), Self.ceiling) })
        }
        self.stacked = stacked
    }

    public func render() -> String {
        let left = 56, right = 16, top = 44, bottom = 64
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let totals = labels.indices.map { index in
            stacked ? series.reduce(0) { $0 + $1.values[index] } : series.map { $0.values[index] }.max() ?? 0
        }
        let step = axisStep(totals.max() ?? 0)
        let maximum = step * 4
        let slot = Double(plotWidth) / Double(max(labels.count, 1))
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="\(chartID)" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)">
            <title id="\(chartID)">\(escapeHTML(title)) (단위: \(escapeHTML(unit)))</title>
            <text x="\(left)" y="18" class="chart-title">\(escapeHTML(title))</text>
            <text x="\(left - 6)" y="\(top - 10)" class="axis" text-anchor="end">(\(escapeHTML(unit)))</text>

            """
        for mark in 0...4 {
            let value = step * mark
            let y = top + plotHeight - plotHeight * mark / 4
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" class=\"grid\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" class=\"axis\" text-anchor=\"end\">\(grouped(value))</text>\n"
        }
        for (index, label) in labels.enumerated() {
            let x = Double(left) + slot * Double(index)
            var base = 0
            let barWidth = stacked ? slot * 0.7 : slot * 0.7 / Double(series.count)
            for (seriesIndex, item) in series.enumerated() {
                let value = item.values[index]
                let barHeight = Double(plotHeight) * Double(value) / Double(maximum)
                let barX = x + slot * 0.15 + (stacked ? 0 : barWidth * Double(seriesIndex))
                let barY =
                    Double(top + plotHeight) - barHeight - (stacked ? Double(plotHeight) * Double(base) / Double(maximum) : 0)
                if value > 0 {
                    svg +=
                        "<rect x=\"\(format(barX))\" y=\"\(format(barY))\" width=\"\(format(barWidth))\" height=\"\(format(barHeight))\" fill=\"\(item.color)\">"
                    svg += "<title>\(escapeHTML(label)) · \(escapeHTML(item.name)): \(grouped(value))\(escapeHTML(unit))</title></rect>\n"
                    if !stacked {
                        svg += valueLabel(value, x: barX + barWidth / 2, y: barY - 4)
                    }
                }
                if stacked { base += value }
            }
            if stacked, totals[index] > 0 {
                let top = Double(top + plotHeight) - Double(plotHeight) * Double(totals[index]) / Double(maximum)
                svg += valueLabel(totals[index], x: x + slot / 2, y: top - 4)
            }
            svg +=
                "<text x=\"\(format(x + slot / 2))\" y=\"\(top + plotHeight + 16)\" class=\"axis\" text-anchor=\"middle\">\(escapeHTML(label))</text>\n"
        }
        if series.count > 1 {
            for (index, item) in series.enumerated() {
                let x = left + index * (plotWidth / series.count)
                svg += "<rect x=\"\(x)\" y=\"\(height - 22)\" width=\"12\" height=\"12\" fill=\"\(item.color)\"/>"
                svg += "<text x=\"\(x + 16)\" y=\"\(height - 12)\" class=\"legend\">\(escapeHTML(item.name))</text>\n"
            }
        }
        return svg + "</svg>"
    }

    /// An id for the chart's title, from its text, so two charts on a page never share one.
    private var chartID: String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in title.utf8 {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        return "chart-" + String(hash, radix: 36)
    }

    private func valueLabel(_ value: Int, x: Double, y: Double) -> String {
        "<text x=\"\(format(x))\" y=\"\(format(y))\" class=\"value\" text-anchor=\"middle\">\(grouped(value))</text>\n"
    }

    /// The gap between grid lines: 1, 2 or 5 times a power of ten, four of which reach `value`.
    private func axisStep(_ value: Int) -> Int {
        let needed = max((value + 3) / 4, 1)
        var unit = 1
        while true {
            for multiple in [1, 2, 5] where unit * multiple >= needed { return unit * multiple }
            guard unit <= Int.max / 100 else { return needed }
            unit *= 10
        }
    }

    private func format(_ value: Double) -> String {
        String(Double(Int((value * 10).rounded())) / 10)
    }
}

/// Text made safe to place in HTML or SVG, in element content and in quoted attributes.
public func escapeHTML(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// 1472 as 1,472: how Korean official papers print counts.
public func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return (number < 0 ? "-" : "") + out
}
