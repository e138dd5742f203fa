/// Bar charts as inline SVG: no scripts, no fonts or files from elsewhere.
struct SVGBarChart {
    struct Series {
        var name: String
        var color: String
        var values: [Int]
    }

    var title: String
    var labels: [String]
    var series: [Series]
    /// Stacked bars add the series up; otherwise they stand side by side.
    var stacked = true
    var width = 720
    var height = 300

    func render() -> String {
        let left = 48, right = 16, top = 36, bottom = 64
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let totals = labels.indices.map { index in
            stacked ? series.reduce(0) { $0 + $1.values[index] } : series.map { $0.values[index] }.max() ?? 0
        }
        let maximum = max(niceCeiling(totals.max() ?? 0), 1)
        let slot = Double(plotWidth) / Double(max(labels.count, 1))
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)">
            <title>\(escapeHTML(title))</title>
            <text x="\(left)" y="20" class="chart-title">\(escapeHTML(title))</text>

            """
        for step in 0...4 {
            let value = maximum * step / 4
            let y = top + plotHeight - plotHeight * step / 4
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" class=\"grid\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" class=\"axis\" text-anchor=\"end\">\(value)</text>\n"
        }
        for (index, label) in labels.enumerated() {
            let x = Double(left) + slot * Double(index)
            var base = 0
            for (seriesIndex, item) in series.enumerated() {
                let value = item.values[index]
                let barHeight = Double(plotHeight) * Double(value) / Double(maximum)
                let barWidth = stacked ? slot * 0.7 : slot * 0.7 / Double(series.count)
                let barX = x + slot * 0.15 + (stacked ? 0 : barWidth * Double(seriesIndex))
                let barY =
                    Double(top + plotHeight) - barHeight - (stacked ? Double(plotHeight) * Double(base) / Double(maximum) : 0)
                if value > 0 {
                    svg +=
                        "<rect x=\"\(format(barX))\" y=\"\(format(barY))\" width=\"\(format(barWidth))\" height=\"\(format(barHeight))\" fill=\"\(item.color)\">"
                    svg += "<title>\(escapeHTML(label)) · \(escapeHTML(item.name)): \(value)</title></rect>\n"
                }
                if stacked { base += value }
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

    private func niceCeiling(_ value: Int) -> Int {
        guard value > 0 else { return 0 }
        var unit = 1
        while unit * 10 < value { unit *= 10 }
        for multiple in [1, 2, 4, 5, 10] where unit * multiple >= value { return unit * multiple }
        return unit * 10
    }

    private func format(_ value: Double) -> String {
        String(Double(Int((value * 10).rounded())) / 10)
    }
}

func escapeHTML(_ text: String) -> String {
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
