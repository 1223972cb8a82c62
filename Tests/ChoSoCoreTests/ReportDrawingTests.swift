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
        #expect(heights[1] == 200.0, "the tallest bar fills the plot")
        #expect(abs(heights[0] * 4 - heights[1]) < 0.2)
        #expect(heights[2] == 0)
        #expect(svg.contains("&lt;hôm nay&gt;"))
        #expect(svg.count < 3_000)
        #expect(BarChart(title: "trống", bars: []).svg.contains("</svg>"))
    }

    @Test func officialHeading() throws {
        let day = try #require(Day(iso: "2024-01-05"))
        #expect(day.officialHeading(place: "Trần Đề") == "Trần Đề, ngày 05 tháng 01 năm 2024")
    }
}
