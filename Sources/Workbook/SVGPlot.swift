// SVGPlot.swift — a line plot as an SVG figure for the book.
//
// The SVG is written by hand (no dependencies): a white background, the title, a grid with
// labelled ticks at "nice" values (AxisTicks.swift), one polyline per series with its own colour
// and dash pattern, optional shaded bands, a legend, and the axis labels. Every number is printed
// with a fixed format, so the same plot always gives the same file, byte for byte.

import Foundation

enum SVGPlot {
  /// Colour-blind-safe colours (Okabe & Ito), reused in order.
  static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
  /// Dash patterns, so that the series stay distinct in black and white too.
  static let dashes = ["", "7 4", "2 3", "9 3 2 3", "4 2", "1 4"]

  // The layout, in SVG user units.
  private static let height = 420.0
  private static let left = 80.0
  private static let plotRight = 560.0
  private static let top = 50.0
  private static let bottom = 360.0

  /// The complete SVG document.
  static func render(_ plot: Plot) -> String {
    let longestName = plot.series.map(\.name.count).max() ?? 0
    let width = plotRight + 64 + 7 * Double(longestName)
    var svg = [
      #"<?xml version="1.0" encoding="UTF-8"?>"#,
      #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(n(width))" height="\#(n(height))" "#
        + #"viewBox="0 0 \#(n(width)) \#(n(height))" font-family="sans-serif" font-size="12">"#,
      "<title>\(label(plot.title))</title>",
      #"<rect width="100%" height="100%" fill="white"/>"#,
      #"<text x="\#(n((left + plotRight) / 2))" y="28" text-anchor="middle" font-size="15" "#
        + #"font-weight="bold">\#(label(plot.title))</text>"#,
    ]
    guard let bounds = plot.bounds else {
      svg.append(#"<text x="\#(n((left + plotRight) / 2))" y="200" text-anchor="middle">no data</text>"#)
      return (svg + ["</svg>", ""]).joined(separator: "\n")
    }

    // MARK: Axes, grid and ticks
    // The x axis spans the data; the y axis spans its ticks (AxisTicks.swift).
    let xTicks = bounds.xTicks
    let yTicks = bounds.yTicks
    let xRange = (bounds.xMin, bounds.xMax)
    let yRange = (yTicks.values.first ?? bounds.yMin, yTicks.values.last ?? bounds.yMax)
    func sx(_ x: Double) -> Double { left + (x - xRange.0) / (xRange.1 - xRange.0) * (plotRight - left) }
    func sy(_ y: Double) -> Double { bottom - (y - yRange.0) / (yRange.1 - yRange.0) * (bottom - top) }

    svg.append(##"<g stroke="#e5e5e5" stroke-width="1">"##)
    for x in xTicks.values { svg.append(line(sx(x), top, sx(x), bottom)) }
    for y in yTicks.values { svg.append(line(left, sy(y), plotRight, sy(y))) }
    svg.append("</g>")
    svg.append(##"<g stroke="#333333" stroke-width="1">"##)
    svg.append(line(left, bottom, plotRight, bottom))
    svg.append(line(left, top, left, bottom))
    for x in xTicks.values { svg.append(line(sx(x), bottom, sx(x), bottom + 5)) }
    for y in yTicks.values { svg.append(line(left - 5, sy(y), left, sy(y))) }
    svg.append("</g>")
    svg.append(##"<g fill="#333333">"##)
    for x in xTicks.values {
      svg.append(#"<text x="\#(n(sx(x)))" y="\#(n(bottom + 19))" text-anchor="middle">\#(xTicks.label(x))</text>"#)
    }
    for y in yTicks.values {
      svg.append(#"<text x="\#(n(left - 9))" y="\#(n(sy(y) + 4))" text-anchor="end">\#(yTicks.label(y))</text>"#)
    }
    svg.append("</g>")
    svg.append(
      #"<text x="\#(n((left + plotRight) / 2))" y="\#(n(bottom + 44))" text-anchor="middle">"#
        + "\(label(plot.xLabel))</text>")
    svg.append(
      #"<text transform="translate(22 \#(n((top + bottom) / 2))) rotate(-90)" text-anchor="middle">"#
        + "\(label(plot.yLabel))</text>")

    // MARK: Bands, then lines, then the legend
    for (index, series) in plot.series.enumerated() where !series.finiteBand.isEmpty {
      let upper = series.finiteBand.map { (sx($0.x), sy($0.high)) }
      let lower = series.finiteBand.reversed().map { (sx($0.x), sy($0.low)) }
      svg.append(
        #"<polygon points="\#(pointList(upper + lower))" fill="\#(color(index))" "#
          + #"fill-opacity="0.18" stroke="none"/>"#)
    }
    for (index, series) in plot.series.enumerated() {
      let points = series.finitePoints.map { (sx($0.x), sy($0.y)) }
      svg.append(
        #"<polyline points="\#(pointList(points))" fill="none" stroke="\#(color(index))" "#
          + #"stroke-width="2"\#(dashAttribute(index))/>"#)
      if points.count <= 40 {
        for (x, y) in points {
          svg.append(#"<circle cx="\#(n(x))" cy="\#(n(y))" r="2.5" fill="\#(color(index))"/>"#)
        }
      }
    }
    for (index, series) in plot.series.enumerated() {
      let y = top + 8 + 20 * Double(index)
      svg.append(
        #"<line x1="\#(n(plotRight + 16))" y1="\#(n(y))" x2="\#(n(plotRight + 40))" y2="\#(n(y))" "#
          + #"stroke="\#(color(index))" stroke-width="2"\#(dashAttribute(index))/>"#)
      svg.append(#"<text x="\#(n(plotRight + 46))" y="\#(n(y + 4))">\#(label(series.name))</text>"#)
    }
    return (svg + ["</svg>", ""]).joined(separator: "\n")
  }

  // MARK: - Small writers

  private static func color(_ index: Int) -> String { colors[index % colors.count] }

  /// ` stroke-dasharray="7 4"` for the series' dash pattern, or nothing for a solid line.
  private static func dashAttribute(_ index: Int) -> String {
    let dash = dashes[index % dashes.count]
    return dash.isEmpty ? "" : #" stroke-dasharray="\#(dash)""#
  }

  /// A coordinate with two decimals, e.g. "80.00".
  private static func n(_ value: Double) -> String { String(format: "%.2f", value) }

  private static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
    #"<line x1="\#(n(x1))" y1="\#(n(y1))" x2="\#(n(x2))" y2="\#(n(y2))"/>"#
  }

  private static func pointList(_ points: [(Double, Double)]) -> String {
    points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
  }

  /// Text for the figure: inline $…$ math as Unicode (SVG has no LaTeX), then XML-escaped.
  private static func label(_ text: String) -> String {
    escape(Prose.inlineMathToUnicode(text))
  }

  /// Text made safe inside XML: & < > " ' become entities.
  static func escape(_ text: String) -> String {
    var result = ""
    for c in text {
      switch c {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      default: result.append(c)
      }
    }
    return result
  }
}
