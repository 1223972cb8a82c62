import ChoSoCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Server-drawn charts and report headings (issue 7).
@Suite struct ReportDrawingTests {
    final class Collector: NSObject, XMLParserDelegate {
        var rects: [[String: String]] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "rect" { rects.append(attributes) }
        }
    }

    @Test func barsAreProportionalAndTheSVGIsWellFormed() throws {
        let chart = BarChart(title: "Tiền chuyển khoản theo giờ <hôm nay>", bars: [
            .init(label: "07", value: 100_000, title: "07:00 — 100.000 đ"),
            .init(label: "08", value: 400_000, title: "08:00 — 400.000 đ"),
            .init(label: "09", value: 0, title: "09:00 — 0 đ"),
            .init(label: "10", value: 200_000, title: "10:00 — 200.000 đ"),
        ])
        let svg = chart.svg
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "the SVG is well-formed XML")
        let heights = collector.rects.compactMap { $0["height"].flatMap(Double.init) }
        #expect(heights.count == 4)
        #expect(heights[1] == chart.plotHeight, "the tallest bar fills the plot")
        #expect(abs(heights[0] * 4 - heights[1]) < 0.2)
        #expect(heights[2] == 0)
        #expect(svg.contains("&lt;hôm nay&gt;"))
        #expect(svg.count < 4_000)
        // It says what it shows without hovering: the title and each value are written.
        #expect(svg.contains(#"font-weight="700""#) && svg.contains(">400000</text>"))
        #expect(svg.contains(#"aria-label="Tiền chuyển khoản theo giờ &lt;hôm nay&gt;; 07:00 — 100.000 đ; 08:00"#))
        #expect(BarChart(title: "trống", bars: []).svg.contains("</svg>"))
    }

    @Test func compactAmounts() {
        #expect(BarChart.compactDong(950) == "950")
        #expect(BarChart.compactDong(350_000) == "350k")
        #expect(BarChart.compactDong(1_250_000) == "1,3tr")
        #expect(BarChart.compactDong(2_000_000) == "2tr")
        #expect(BarChart.compactDong(2_100_000_000) == "2,1 tỷ")
    }

    @Test func officialHeading() throws {
        let day = try #require(Day(iso: "2024-01-05"))
        #expect(day.officialHeading(place: "Trần Đề") == "Trần Đề, ngày 05 tháng 01 năm 2024")
    }
}
