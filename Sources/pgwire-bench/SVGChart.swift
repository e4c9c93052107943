import Foundation

/// A horizontal bar chart of the ratios (ours/libpq), one bar per workload, with a line at 1.0
/// where the drivers are equal. Hand-written SVG, no dependencies.
struct SVGChart {
    let title: String
    /// Workload names and ratios; `nil` draws "not measured".
    let bars: [(label: String, ratio: Double?)]

    var svg: String {
        let labelWidth = 190.0, chartWidth = 480.0, barHeight = 22.0, gap = 8.0, top = 48.0, right = 70.0
        let height = top + Double(bars.count) * (barHeight + gap) + 40
        let width = labelWidth + chartWidth + right
        let largest = max(1.25, bars.compactMap(\.ratio).max() ?? 1)
        let scale = chartWidth / largest
        func x(_ ratio: Double) -> String { Report.format(labelWidth + ratio * scale, decimals: 1) }

        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"13\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"10\" y=\"24\" font-size=\"15\" font-weight=\"bold\">\(Self.escaped(title))</text>",
        ]
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * (barHeight + gap)
            let textY = Report.format(y + barHeight * 0.7, decimals: 1)
            parts.append("<text x=\"\(Int(labelWidth) - 8)\" y=\"\(textY)\" text-anchor=\"end\">\(Self.escaped(bar.label))</text>")
            if let ratio = bar.ratio {
                let color = ratio >= 1 ? "#2e7d32" : "#c62828"
                parts.append("<rect x=\"\(Int(labelWidth))\" y=\"\(Report.format(y, decimals: 1))\" width=\"\(Report.format(ratio * scale, decimals: 1))\" height=\"\(Int(barHeight))\" fill=\"\(color)\"/>")
                parts.append("<text x=\"\(Report.format(labelWidth + ratio * scale + 6, decimals: 1))\" y=\"\(textY)\">\(Report.format(ratio, decimals: 2))×</text>")
            } else {
                parts.append("<text x=\"\(Int(labelWidth) + 6)\" y=\"\(textY)\" fill=\"#777\">not measured</text>")
            }
        }
        let axisBottom = Report.format(top + Double(bars.count) * (barHeight + gap), decimals: 1)
        parts.append("<line x1=\"\(x(1))\" y1=\"\(Int(top) - 6)\" x2=\"\(x(1))\" y2=\"\(axisBottom)\" stroke=\"black\" stroke-dasharray=\"4 3\"/>")
        parts.append("<text x=\"\(x(1))\" y=\"\(Report.format(top + Double(bars.count) * (barHeight + gap) + 16, decimals: 1))\" text-anchor=\"middle\">1.0 = as fast as libpq</text>")
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
