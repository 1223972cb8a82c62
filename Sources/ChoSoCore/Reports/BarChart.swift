import Foundation

/// A bar chart drawn by the server as SVG: no script, a few kilobytes, sharp on a phone and on a
/// projector: a visible title, the unit, each bar's value written above it, axis labels, and the
/// same text for screen readers.
public struct BarChart: Sendable {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Int64
        /// Spoken and shown on hover, e.g. "08:00 — 1.250.000 đ".
        public var title: String
        /// Written above the bar, short: "1,3tr", "350k", "12".
        public var valueLabel: String

        public init(label: String, value: Int64, title: String, valueLabel: String? = nil) {
            self.label = label
            self.value = value
            self.title = title
            self.valueLabel = valueLabel ?? String(value)
        }
    }

    public var title: String
    public var bars: [Bar]
    public var width = 640
    public var height = 240
    /// What the bars measure ("đồng", "quầy") and what they run along ("giờ", "ngày").
    public var valueAxis: String?
    public var categoryAxis: String?

    public init(title: String, bars: [Bar], width: Int = 640, height: Int = 240, valueAxis: String? = nil, categoryAxis: String? = nil) {
        self.title = title
        self.bars = bars
        self.width = width
        self.height = height
        self.valueAxis = valueAxis
        self.categoryAxis = categoryAxis
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// An amount of đồng as a market writes it on a chart: "350k", "1,3tr", "2,1 tỷ".
    public static func compactDong(_ dong: Int64) -> String {
        func oneDecimal(_ value: Double, _ unit: String) -> String {
            let rounded = (value * 10).rounded() / 10
            let text = rounded == rounded.rounded() ? String(Int64(rounded)) : String(format: "%.1f", rounded).replacingOccurrences(of: ".", with: ",")
            return text + unit
        }
        switch abs(dong) {
        case ..<1_000: return String(dong)
        case ..<1_000_000: return "\(Int64((Double(dong) / 1_000).rounded()))k"
        case ..<1_000_000_000: return oneDecimal(Double(dong) / 1_000_000, "tr")
        default: return oneDecimal(Double(dong) / 1_000_000_000, " tỷ")
        }
    }

    /// Where the bars stand: below the title, the unit and the values written above the bars.
    var plotTop: Int { 50 }
    var plotBottom: Int { height - (categoryAxis == nil ? 26 : 40) }
    /// The height of the tallest bar.
    public var plotHeight: Double { Double(plotBottom - plotTop) }

    /// The tallest bar fills the plot; negative values count as zero. The title is written at the
    /// top and the values above the bars, so the chart says what it shows without hovering; screen
    /// readers get the title and every bar's value.
    public var svg: String {
        let left = 8, right = 8
        let maximum = max(bars.map(\.value).max() ?? 0, 1)
        let slot = bars.isEmpty ? 0 : Double(width - left - right) / Double(bars.count)
        let barWidth = max(slot * 0.7, 1)
        // Write every label when they fit (about 7 units per character at font size 12, and a
        // gap), else every n-th; the tallest bar's value always.
        let labelEvery = max(1, Int(((Double(bars.map(\.label.count).max() ?? 0) * 7 + 8) / max(slot, 1)).rounded(.up)))
        let valueEvery = max(1, Int(((Double(bars.map(\.valueLabel.count).max() ?? 0) * 6.5 + 4) / max(slot, 1)).rounded(.up)))
        let tallest = bars.firstIndex { $0.value == maximum }
        let spoken = ([title] + bars.prefix(40).map(\.title)).joined(separator: "; ")
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(width) \#(height)" role="img" aria-label="\#(Self.escape(spoken))" class="chart">"#
        svg += "<title>\(Self.escape(title))</title>"
        svg += ##"<text x="\##(left)" y="17" font-size="15" font-weight="700" fill="#1b1b1b" aria-hidden="true">\##(Self.escape(title))</text>"##
        if let valueAxis {
            svg += ##"<text x="\##(left)" y="34" font-size="12" fill="#555" aria-hidden="true">\##(Self.escape(valueAxis))</text>"##
        }
        svg += ##"<line x1="\##(left)" y1="\##(plotBottom)" x2="\##(width - right)" y2="\##(plotBottom)" stroke="#888" stroke-width="1"/>"##
        for (index, bar) in bars.enumerated() {
            let barHeight = plotHeight * Double(max(bar.value, 0)) / Double(maximum)
            let x = Double(left) + slot * Double(index) + (slot - barWidth) / 2
            let y = Double(plotBottom) - barHeight
            svg += ##"<rect x="\##(Self.number(x))" y="\##(Self.number(y))" width="\##(Self.number(barWidth))" height="\##(Self.number(barHeight))" fill="#0b6b4f"><title>\##(Self.escape(bar.title))</title></rect>"##
            if bar.value > 0, index % valueEvery == 0 || index == tallest {
                svg += ##"<text x="\##(Self.number(x + barWidth / 2))" y="\##(Self.number(y - 4))" font-size="11" text-anchor="middle" fill="#1b1b1b" aria-hidden="true">\##(Self.escape(bar.valueLabel))</text>"##
            }
            if index % labelEvery == 0 {
                svg += ##"<text x="\##(Self.number(x + barWidth / 2))" y="\##(plotBottom + 17)" font-size="12" text-anchor="middle" fill="#333" aria-hidden="true">\##(Self.escape(bar.label))</text>"##
            }
        }
        if let categoryAxis {
            svg += ##"<text x="\##(width - right)" y="\##(height - 4)" font-size="12" text-anchor="end" fill="#555" aria-hidden="true">\##(Self.escape(categoryAxis))</text>"##
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
