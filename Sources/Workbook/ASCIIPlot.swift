// ASCIIPlot.swift — a line plot drawn with characters, for the terminal.
//
//   return
//    0.2 ┤                                         ··
//        │                                 ········**
//    0.0 ┤                          ········***······
//        │               ········****·····
//   −0.2 ┤           ········****······
//   −0.4 ┤·······****······
//        │ooooooooooo
//   −0.6 ┤··                                        oooooooooooooooooooooo
//        └┬────────────────────┬────────────────────┬────────────────────┬
//         0                    1                    2                    3
//                                   iteration
//   * sequential   o simultaneous   · band
//
// Each series gets its own marker; consecutive points are joined by a straight run of markers.
// A band (if any) is shaded with "·" behind the lines. Both axes are labelled at "nice" ticks
// (AxisTicks.swift): the y axis runs from its lowest tick to its highest, the x axis from the
// first x to the last, with a "┬" over each x label.

enum ASCIIPlot {
  /// The plotting area in characters.
  static let width = 64
  static let height = 16
  /// One marker per series, reused in order when there are more series than markers.
  static let markers: [Character] = ["*", "o", "+", "x", "#", "@", "%", "&"]

  /// The plot as terminal lines (title, area with axes, x labels, legend), indented by two spaces.
  static func render(_ plot: Plot, style: TerminalStyle) -> String {
    var lines = ["  " + style.bold(Prose.inlineMathToUnicode(plot.title))]
    guard let bounds = plot.bounds else { return (lines + ["  (no data to plot)"]).joined(separator: "\n") }

    // MARK: Draw into a grid of characters
    // The x axis spans the data; the y axis spans its ticks, so its top and bottom rows are labelled.
    let xTicks = bounds.xTicks
    let yTicks = bounds.yTicks
    let (yLow, yHigh) = (yTicks.values.first ?? bounds.yMin, yTicks.values.last ?? bounds.yMax)
    var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
    func column(_ x: Double) -> Int {
      Int(((x - bounds.xMin) / (bounds.xMax - bounds.xMin) * Double(width - 1)).rounded())
    }
    func row(_ y: Double) -> Int {
      Int(((yHigh - y) / (yHigh - yLow) * Double(height - 1)).rounded())
    }

    for series in plot.series {
      let band = series.finiteBand
      for (a, b) in Plot.segments(band) {
        let (c0, c1) = (column(a.x), column(b.x))
        for c in min(c0, c1)...max(c0, c1) {
          let t = c0 == c1 ? 0 : Double(c - c0) / Double(c1 - c0)
          let top = row(a.high + t * (b.high - a.high))
          let bottom = row(a.low + t * (b.low - a.low))
          for r in min(top, bottom)...max(top, bottom) { grid[r][c] = "·" }
        }
      }
    }
    for (index, series) in plot.series.enumerated() {
      let marker = markers[index % markers.count]
      let points = series.finitePoints.map { (column($0.x), row($0.y)) }
      for (a, b) in Plot.segments(points) {
        let steps = max(abs(b.0 - a.0), abs(b.1 - a.1), 1)
        for k in 0...steps {
          let t = Double(k) / Double(steps)
          let c = Int((Double(a.0) + t * Double(b.0 - a.0)).rounded())
          let r = Int((Double(a.1) + t * Double(b.1 - a.1)).rounded())
          grid[r][c] = marker
        }
      }
    }

    // MARK: Axes and labels
    // Each y tick labels the row nearest to it; each x tick gets a "┬" and its label below it.
    let yLabels = Dictionary(zip(yTicks.values.map(row), yTicks.labels), uniquingKeysWith: { first, _ in first })
    let labelWidth = yLabels.values.map(\.count).max() ?? 0
    let margin = String(repeating: " ", count: labelWidth + 1)
    if !plot.yLabel.isEmpty { lines.append("  " + style.dim(Prose.inlineMathToUnicode(plot.yLabel))) }
    for r in 0..<height {
      let label = yLabels[r].map { $0.leftPadded(to: labelWidth) + " ┤" } ?? margin + "│"
      lines.append(("  " + label + String(grid[r])).trimmingTrailingSpaces())
    }

    // The x axis line and the label line share coordinates: grid column c is position c + 1.
    var axisLine = Array("└" + String(repeating: "─", count: width))
    var labelLine = Array(repeating: Character(" "), count: width + 1)
    var free = 0  // the first position a next label may use (labels keep a space between them)
    for (x, label) in zip(xTicks.values, xTicks.labels) {
      let position = column(x) + 1
      let start = min(max(position - label.count / 2, 0), labelLine.count - label.count)
      // A label that would overlap the previous one (or not fit at all) is left out.
      guard start >= free && label.count <= labelLine.count else { continue }
      axisLine[position] = "┬"
      labelLine.replaceSubrange(start..<(start + label.count), with: label)
      free = start + label.count + 1
    }
    lines.append("  " + margin + String(axisLine))
    lines.append(("  " + margin + String(labelLine)).trimmingTrailingSpaces())
    if !plot.xLabel.isEmpty {
      let xLabel = Prose.inlineMathToUnicode(plot.xLabel)
      let offset = max(0, (width - xLabel.count) / 2)
      lines.append("  " + margin + String(repeating: " ", count: offset) + style.dim(xLabel))
    }

    // MARK: Legend
    var legend = plot.series.enumerated().map { index, series in
      "\(markers[index % markers.count]) \(Prose.inlineMathToUnicode(series.name))"
    }
    if plot.series.contains(where: { !$0.finiteBand.isEmpty }) { legend.append("· band") }
    lines.append("  " + legend.joined(separator: "   "))
    return lines.joined(separator: "\n")
  }
}
