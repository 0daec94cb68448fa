// PlotTests.swift — the SVG figure (well-formed XML) and the ASCII plot.

import XCTest

@testable import Workbook

#if canImport(FoundationXML)
  import FoundationXML
#endif

final class PlotTests: XCTestCase {
  private let plot = Plot(
    title: "Returns <seq & sim>", xLabel: "iteration", yLabel: "return \"R\"",
    series: [
      Series(
        "sequential", points: [(0, -0.5), (1, -0.2), (2, 0.1)],
        band: [(0, -0.6, -0.4), (1, -0.3, -0.1), (2, 0, 0.2)]),
      Series("simultaneous", points: [(0, -0.5), (1, -0.55), (2, .nan), (3, -0.6)]),
    ])

  /// Parses the text as XML and returns the element names in order, or fails.
  private func elements(of svg: String) -> [String] {
    final class Collector: NSObject, XMLParserDelegate {
      var names: [String] = []
      func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
      ) {
        names.append(elementName)
      }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    XCTAssertTrue(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
    return collector.names
  }

  func testSVGIsWellFormedWithAxesSeriesAndLegend() {
    let svg = SVGPlot.render(plot)
    let names = elements(of: svg)
    XCTAssertEqual(names.first, "svg")
    XCTAssertEqual(names.filter { $0 == "polyline" }.count, 2, "one polyline per series")
    XCTAssertEqual(names.filter { $0 == "polygon" }.count, 1, "one band")
    XCTAssertTrue(svg.contains("&lt;seq &amp; sim&gt;"), "the title is escaped")
    XCTAssertTrue(svg.contains("return &quot;R&quot;"))
    XCTAssertTrue(svg.contains(">sequential</text>") && svg.contains(">simultaneous</text>"), "a legend")
    XCTAssertTrue(svg.contains(##"stroke="#0072B2""##) && svg.contains(##"stroke="#D55E00""##), "distinct colours")
    XCTAssertTrue(svg.contains(#"stroke-dasharray="7 4""#), "distinct dash patterns")
    XCTAssertTrue(svg.contains(">iteration</text>"))
    XCTAssertFalse(svg.contains("nan") || svg.contains("NaN"), "non-finite points are left out")
    XCTAssertEqual(svg, SVGPlot.render(plot), "deterministic")
  }

  func testSVGOfDegenerateDataIsStillWellFormed() {
    let empty = Plot(title: "Nothing", xLabel: "x", yLabel: "y", series: [Series("none", points: [])])
    XCTAssertEqual(elements(of: SVGPlot.render(empty)).first, "svg")
    let single = Plot(title: "One", xLabel: "x", yLabel: "y", series: [Series("one", points: [(1, 1)])])
    XCTAssertEqual(elements(of: SVGPlot.render(single)).first, "svg")
    let far = Plot(
      title: "Far", xLabel: "x", yLabel: "y", series: [Series("far", points: [(1e20, 0), (1e20 + 1e5, 1)])])
    XCTAssertEqual(elements(of: SVGPlot.render(far)).first, "svg")
    let huge = Plot(
      title: "Huge", xLabel: "x", yLabel: "y", series: [Series("huge", points: [(0, -1e308), (1, 1e308)])])
    XCTAssertTrue(SVGPlot.render(huge).contains("no data"))
    XCTAssertTrue(ASCIIPlot.render(huge, style: TerminalStyle(color: false)).contains("no data"))
  }

  func testNiceTicks() {
    let ticks = SVGPlot.niceTicks(0, 49)
    XCTAssertEqual(ticks.values, [0, 10, 20, 30, 40, 50])
    XCTAssertEqual(ticks.values.map(ticks.label), ["0", "10", "20", "30", "40", "50"])
    let small = SVGPlot.niceTicks(-0.6, 0.05)
    XCTAssertEqual(small.step, 0.1, accuracy: 1e-15)
    XCTAssertEqual(small.label(small.values[0]), "−0.6")
    XCTAssertEqual(small.label(-1e-17), "0.0", "no negative zero")
  }

  func testASCIIPlotHasAxesMarkersAndLegend() {
    let text = ASCIIPlot.render(plot, style: TerminalStyle(color: false))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertEqual(lines[0], "  Returns <seq & sim>")
    XCTAssertEqual(lines[1], "  return \"R\"")
    XCTAssertEqual(lines.count, 2 + ASCIIPlot.height + 4)
    let rows = lines[2..<(2 + ASCIIPlot.height)].map { $0.trimmingCharacters(in: .whitespaces) }
    XCTAssertTrue(rows[0].hasPrefix("0.2 ┤"), "the top row is labelled with the maximum")
    XCTAssertTrue(rows[(ASCIIPlot.height - 1) / 2].hasPrefix("−0.1733 ┤"), "the middle row with its value")
    XCTAssertTrue(rows[ASCIIPlot.height - 1].hasPrefix("−0.6 ┤"), "the bottom row with the minimum")
    XCTAssertTrue(lines[2 + ASCIIPlot.height].hasSuffix("└" + String(repeating: "─", count: ASCIIPlot.width)))
    XCTAssertTrue(text.contains("*") && text.contains("o") && text.contains("·"))
    XCTAssertEqual(lines.last, "  * sequential   o simultaneous   · band")
    XCTAssertTrue(lines.allSatisfy { $0.count <= 2 + 6 + 2 + ASCIIPlot.width + 1 })
  }

  func testASCIIPlotOfDegenerateData() {
    let style = TerminalStyle(color: false)
    let empty = Plot(title: "Nothing", xLabel: "", yLabel: "", series: [Series("none", points: [(.nan, 1)])])
    XCTAssertEqual(ASCIIPlot.render(empty, style: style), "  Nothing\n  (no data to plot)")
    let flat = Plot(title: "Flat", xLabel: "", yLabel: "", series: [Series("flat", values: [2, 2, 2])])
    XCTAssertTrue(ASCIIPlot.render(flat, style: style).contains("***"))
    let point = Plot(title: "Point", xLabel: "", yLabel: "", series: [Series("p", points: [(5, 5)])])
    XCTAssertTrue(ASCIIPlot.render(point, style: style).contains("*"))
  }
}
