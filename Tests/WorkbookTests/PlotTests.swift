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
    // Enclosing (a y axis): the multiples of the step at or beyond both ends.
    let ticks = AxisTicks.nice(0, 49, enclosing: true)
    XCTAssertEqual(ticks.values, [0, 10, 20, 30, 40, 50])
    XCTAssertEqual(ticks.labels, ["0", "10", "20", "30", "40", "50"])
    let small = AxisTicks.nice(-0.6, 0.05, enclosing: true)
    XCTAssertEqual(small.step, 0.1, accuracy: 1e-15)
    XCTAssertEqual(small.label(small.values[0]), "−0.6")
    XCTAssertEqual(small.label(-1e-17), "0.0", "no negative zero")

    // Inside (an x axis): no tick beyond the data, so the axis can end at the data.
    XCTAssertEqual(AxisTicks.nice(0, 1499, enclosing: false).labels.last, "1400")
    XCTAssertEqual(AxisTicks.nice(0, 1499, enclosing: true).labels.last, "1600")

    // One number of decimals per axis, whatever the value.
    XCTAssertEqual(AxisTicks.nice(0, 2, enclosing: false).labels, ["0.0", "0.5", "1.0", "1.5", "2.0"])
    XCTAssertEqual(AxisTicks.nice(-4, -0.35, enclosing: true).labels, ["−4", "−3", "−2", "−1", "0"])
    XCTAssertEqual(
      AxisTicks.nice(0, 0.012, enclosing: true).labels, ["0.000", "0.002", "0.004", "0.006", "0.008", "0.010", "0.012"])

    // Whole numbers on the axis: never a tick between them.
    XCTAssertEqual(AxisTicks.nice(0, 3, enclosing: false).labels, ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"])
    XCTAssertEqual(AxisTicks.nice(0, 3, enclosing: false, integers: true).labels, ["0", "1", "2", "3"])

    // Very large or small values: scientific notation, with the same decimals on every label.
    XCTAssertEqual(AxisTicks.nice(0, 5e7, enclosing: true).labels, ["0e+00", "1e+07", "2e+07", "3e+07", "4e+07", "5e+07"])
    XCTAssertEqual(
      AxisTicks.nice(2e7, 3e7, enclosing: true).labels, ["2.0e+07", "2.2e+07", "2.4e+07", "2.6e+07", "2.8e+07", "3.0e+07"])
  }

  func testASCIIPlotHasAxesMarkersAndLegend() {
    let text = ASCIIPlot.render(plot, style: TerminalStyle(color: false))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertEqual(lines[0], "  Returns <seq & sim>")
    XCTAssertEqual(lines[1], "  return \"R\"")
    XCTAssertEqual(lines.count, 2 + ASCIIPlot.height + 4)
    let rows = lines[2..<(2 + ASCIIPlot.height)].map { $0.trimmingCharacters(in: .whitespaces) }
    XCTAssertTrue(rows[0].hasPrefix("0.2 ┤"), "the top row is the highest tick")
    XCTAssertTrue(rows[ASCIIPlot.height - 1].hasPrefix("−0.6 ┤"), "the bottom row is the lowest tick")
    XCTAssertTrue(lines[2 + ASCIIPlot.height].trimmingCharacters(in: .whitespaces).hasPrefix("└┬─"))
    XCTAssertEqual(lines[2 + ASCIIPlot.height].filter { $0 == "┬" }.count, 4, "a tick mark per x label")
    XCTAssertTrue(text.contains("*") && text.contains("o") && text.contains("·"))
    XCTAssertEqual(lines.last, "  * sequential   o simultaneous   · band")
    XCTAssertTrue(lines.allSatisfy { $0.count <= 2 + 6 + 2 + ASCIIPlot.width + 1 })
  }

  /// The labels of the y axis (top to bottom) and of the x axis (left to right).
  private func axisLabels(_ plot: Plot) -> (y: [String], x: [String]) {
    let lines = ASCIIPlot.render(plot, style: TerminalStyle(color: false)).split(separator: "\n").map(String.init)
    let rows = lines.filter { $0.contains("┤") || $0.contains("│") }
    let y = rows.compactMap { row in row.contains("┤") ? row.split(separator: "┤")[0].trimmingCharacters(in: .whitespaces) : nil }
    let axis = lines.firstIndex { $0.contains("└") } ?? 0
    return (y, lines[axis + 1].split(separator: " ").map(String.init))
  }

  func testASCIIAxesAreLabelledAtNiceTicks() {
    // Labels at 1, 2 or 5 × 10ᵏ, the same decimals on every label of an axis, and a real minus sign.
    let returns = axisLabels(plot)
    XCTAssertEqual(returns.y, ["0.2", "0.0", "−0.2", "−0.4", "−0.6"])
    XCTAssertEqual(returns.x, ["0", "1", "2", "3"], "whole-number x values get whole-number ticks")

    // A learning curve of 1500 steps: no "749.5" in the middle; the axis ends at the last step.
    let curve = Plot(
      title: "Loss", xLabel: "step", yLabel: "loss",
      series: [Series("loss", values: (0..<1500).map { -4 + 3.65 * exp(-Double($0) / 300) })])
    let loss = axisLabels(curve)
    XCTAssertEqual(loss.y, ["0", "−1", "−2", "−3", "−4"])
    XCTAssertEqual(loss.x, ["0", "200", "400", "600", "800", "1000", "1200", "1400"])

    // Fractional x values keep one number of decimals.
    let wave = Plot(
      title: "Wave", xLabel: "t", yLabel: "y",
      series: [Series("y", points: (0...30).map { (Double($0) * 0.05, sin(Double($0) * 0.3) / 1000) })])
    let waveLabels = axisLabels(wave)
    XCTAssertEqual(waveLabels.y, ["0.0010", "0.0005", "0.0000", "−0.0005", "−0.0010"])
    XCTAssertEqual(waveLabels.x, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0", "1.2", "1.4"])
  }

  func testSVGAxesEndAtTheDataAndAreLabelledAtNiceTicks() {
    let curve = Plot(
      title: "Loss", xLabel: "step", yLabel: "loss", series: [Series("loss", values: (0..<1500).map { 1 / Double($0 + 1) })])
    let svg = SVGPlot.render(curve)
    XCTAssertTrue(svg.contains(">1400</text>"))
    XCTAssertFalse(svg.contains(">1600</text>"), "no tick beyond the data")
    let polyline = svg.split(separator: "\n").first { $0.hasPrefix("<polyline") } ?? ""
    XCTAssertTrue(polyline.contains(" 560.00,"), "the last step is at the right end of the axis")
    for label in ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] {
      XCTAssertTrue(svg.contains(#"text-anchor="end">\#(label)</text>"#), label)
    }
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
