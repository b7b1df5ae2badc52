import Foundation

/// A small inline SVG line chart (one polyline per series over shared x labels), so the
/// dashboard needs no JavaScript and no CDN.
struct SVGLineChart {
    struct Series {
        var name: String
        /// One value per x label; `nil` = no point that day.
        var values: [Double?]
    }

    var title: String
    var xLabels: [String]
    var series: [Series]
    /// Formats y-axis ticks (percentages for CTR, currency for revenue).
    var format: (Double) -> String
    var width = 560.0
    var height = 220.0

    /// Colour-blind-safe palette (Okabe–Ito).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    func render() -> String {
        let left = 56.0, right = 12.0, top = 28.0, bottom = 40.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let values = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite)
        let maxValue = max(values.max() ?? 1, 1e-9) * 1.1
        let minValue = min(values.min() ?? 0, 0)
        let span = maxValue - minValue
        func x(_ i: Int) -> Double {
            xLabels.count > 1 ? left + plotWidth * Double(i) / Double(xLabels.count - 1) : left + plotWidth / 2
        }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - minValue) / span) }
        func n(_ v: Double) -> String { String(format: "%.1f", v) }

        var svg = #"<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Int(width)) \#(Int(height))" width="\#(Int(width))" height="\#(Int(height))">"#
        svg += "<title>\(HTMLText.escape(title))</title>"
        svg += #"<text x="\#(n(left))" y="16" class="chart-title">\#(HTMLText.escape(title))</text>"#
        for tick in 0...4 {
            let value = minValue + span * Double(tick) / 4
            let ty = y(value)
            svg += #"<line x1="\#(n(left))" x2="\#(n(left + plotWidth))" y1="\#(n(ty))" y2="\#(n(ty))" class="grid"/>"#
            svg += #"<text x="\#(n(left - 6))" y="\#(n(ty + 4))" class="tick" text-anchor="end">\#(HTMLText.escape(format(value)))</text>"#
        }
        for i in labelIndices() {
            let anchor = xLabels.count == 1 ? "middle" : i == 0 ? "start" : i == xLabels.count - 1 ? "end" : "middle"
            svg += #"<text x="\#(n(x(i)))" y="\#(n(top + plotHeight + 16))" class="tick" text-anchor="\#(anchor)">\#(HTMLText.escape(xLabels[i]))</text>"#
        }
        for (s, line) in series.enumerated() {
            let colour = Self.palette[s % Self.palette.count]
            var points: [String] = []
            for (i, value) in line.values.enumerated() {
                guard let value, value.isFinite else { continue }
                points.append("\(n(x(i))),\(n(y(value)))")
            }
            if points.count > 1 {
                svg += #"<polyline fill="none" stroke="\#(colour)" stroke-width="2" points="\#(points.joined(separator: " "))"/>"#
            }
            for point in points {
                let xy = point.split(separator: ",")
                svg += #"<circle cx="\#(xy[0])" cy="\#(xy[1])" r="2.5" fill="\#(colour)"/>"#
            }
            let legendX = left + Double(s) * 130
            svg += #"<rect x="\#(n(legendX))" y="\#(n(height - 14))" width="10" height="10" fill="\#(colour)"/>"#
            svg += #"<text x="\#(n(legendX + 14))" y="\#(n(height - 5))" class="legend">\#(HTMLText.escape(line.name))</text>"#
        }
        svg += "</svg>"
        return svg
    }

    /// At most about six evenly spaced x labels, always including the first and the last, never
    /// two closer than the spacing (so long date labels do not overlap).
    func labelIndices() -> [Int] {
        guard !xLabels.isEmpty else { return [] }
        let stride = max(1, Int((Double(xLabels.count) / 6).rounded(.up)))
        var indices = Array(Swift.stride(from: 0, to: xLabels.count, by: stride))
        let last = xLabels.count - 1
        if indices.last != last {
            if let previous = indices.last, previous != 0, last - previous < stride { indices.removeLast() }
            indices.append(last)
        }
        return indices
    }
}
