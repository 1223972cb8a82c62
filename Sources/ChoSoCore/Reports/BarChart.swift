import Foundation

/// A bar chart drawn by the server as SVG: no script, a few kilobytes, sharp on a phone and on a
/// projector, readable by screen readers (a title, and each bar's value as its own title).
public struct BarChart: Sendable {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Int64
        /// Spoken and shown on hover, e.g. "08:00 — 1.250.000 đ".
        public var title: String

        public init(label: String, value: Int64, title: String) {
            self.label = label
            self.value = value
            self.title = title
        }
    }

    public var title: String
    public var bars: [Bar]
    public var width = 640
    public var height = 240

    public init(title: String, bars: [Bar], width: Int = 640, height: Int = 240) {
        self.title = title
        self.bars = bars
        self.width = width
        self.height = height
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The tallest bar fills the plot; negative values count as zero.
    public var svg: String {
        let top = 12, bottom = 28, left = 8, right = 8
        let plotHeight = Double(height - top - bottom)
        let maximum = max(bars.map(\.value).max() ?? 0, 1)
        let slot = bars.isEmpty ? 0 : Double(width - left - right) / Double(bars.count)
        let barWidth = max(slot * 0.7, 1)
        // Label every bar when the labels fit (about 7 units per character at font size 12, and a
        // gap), else every n-th.
        let labelWidth = Double(bars.map(\.label.count).max() ?? 0) * 7 + 8
        let labelEvery = max(1, Int((labelWidth / max(slot, 1)).rounded(.up)))
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(width) \#(height)" role="img" aria-label="\#(Self.escape(title))" class="chart">"#
        svg += "<title>\(Self.escape(title))</title>"
        svg += ##"<line x1="\##(left)" y1="\##(height - bottom)" x2="\##(width - right)" y2="\##(height - bottom)" stroke="#888" stroke-width="1"/>"##
        for (index, bar) in bars.enumerated() {
            let barHeight = plotHeight * Double(max(bar.value, 0)) / Double(maximum)
            let x = Double(left) + slot * Double(index) + (slot - barWidth) / 2
            let y = Double(height - bottom) - barHeight
            svg += ##"<rect x="\##(Self.number(x))" y="\##(Self.number(y))" width="\##(Self.number(barWidth))" height="\##(Self.number(barHeight))" fill="#0b6b4f"><title>\##(Self.escape(bar.title))</title></rect>"##
            if index % labelEvery == 0 {
                svg += ##"<text x="\##(Self.number(x + barWidth / 2))" y="\##(height - bottom + 18)" font-size="12" text-anchor="middle" fill="#333">\##(Self.escape(bar.label))</text>"##
            }
        }
        return svg + "</svg>"
    }

    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}

extension Day {
    /// The heading of an official report: "Trần Đề, ngày 05 tháng 01 năm 2024".
    public func officialHeading(place: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3 else { return place }
        return "\(place), ngày \(parts[2]) tháng \(parts[1]) năm \(parts[0])"
    }
}
