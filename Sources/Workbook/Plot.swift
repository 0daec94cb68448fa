// Plot.swift — the data of a line plot: a title, axis labels, and named series of (x, y) points.
//
// One `Plot` is drawn twice: as characters in the terminal (ASCIIPlot.swift) and as an SVG
// figure for the book (SVGPlot.swift). Points that are not finite numbers are left out of both.

/// A line plot: a title, axis labels and one or more series.
public struct Plot: Sendable {
  /// The title, shown above the plot and used as the figure's alt text in Markdown.
  public var title: String
  /// The label of the horizontal axis, e.g. "iteration".
  public var xLabel: String
  /// The label of the vertical axis, e.g. "return".
  public var yLabel: String
  /// The lines to draw, each with its own marker, colour and dash pattern.
  public var series: [Series]

  /// Creates a plot.
  public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }
}

/// One named line of a plot, optionally with a shaded band (e.g. min–max or ±std across seeds).
public struct Series: Sendable {
  /// The name shown in the legend.
  public var name: String
  /// The points, joined in the order given.
  public var points: [(x: Double, y: Double)]
  /// An optional band drawn behind the line: at each x, the range from `low` to `high`.
  public var band: [(x: Double, low: Double, high: Double)]?

  /// A series from (x, y) points: `Series("sequential", points: [(0, -0.06), (1, 0.2)])`.
  public init(_ name: String, points: [(x: Double, y: Double)], band: [(x: Double, low: Double, high: Double)]? = nil) {
    self.name = name
    self.points = points
    self.band = band
  }

  /// A series from values at x = 0, 1, 2, …, e.g. a learning curve.
  public init(_ name: String, values: [Double]) {
    self.init(name, points: values.enumerated().map { (x: Double($0.offset), y: $0.element) })
  }

  /// The points whose coordinates are both finite.
  var finitePoints: [(x: Double, y: Double)] {
    points.filter { $0.x.isFinite && $0.y.isFinite }
  }

  /// The band entries whose values are all finite.
  var finiteBand: [(x: Double, low: Double, high: Double)] {
    (band ?? []).filter { $0.x.isFinite && $0.low.isFinite && $0.high.isFinite }
  }
}

/// The ranges of both axes.
struct PlotBounds: Equatable {
  var xMin: Double
  var xMax: Double
  var yMin: Double
  var yMax: Double
  /// Whether every x value is a whole number (iterations, episodes), so the x ticks should be too.
  var xIntegers: Bool
}

extension Plot {
  /// The smallest ranges holding every finite point and band, widened when a range is a single
  /// value; `nil` when there is nothing to draw (or the ranges are too wide to compute with).
  var bounds: PlotBounds? {
    let xs = series.flatMap { $0.finitePoints.map(\.x) + $0.finiteBand.map(\.x) }
    let ys = series.flatMap { $0.finitePoints.map(\.y) + $0.finiteBand.flatMap { [$0.low, $0.high] } }
    guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else { return nil }
    let (x0, x1) = Plot.widened(xMin, xMax)
    let (y0, y1) = Plot.widened(yMin, yMax)
    guard (x1 - x0).isFinite && (y1 - y0).isFinite else { return nil }
    let xIntegers = xs.allSatisfy { $0 == $0.rounded() }
    return PlotBounds(xMin: x0, xMax: x1, yMin: y0, yMax: y1, xIntegers: xIntegers)
  }

  /// A range of zero width becomes a range around its value.
  private static func widened(_ low: Double, _ high: Double) -> (Double, Double) {
    guard low == high else { return (low, high) }
    let pad = low == 0 ? 1 : abs(low) * 0.1
    return (low - pad, high + pad)
  }

  /// Consecutive pairs of elements, joined into line segments; a single element pairs with itself
  /// (so a one-point series still shows its point).
  static func segments<Element>(_ elements: [Element]) -> [(Element, Element)] {
    elements.count == 1 ? [(elements[0], elements[0])] : Array(zip(elements, elements.dropFirst()))
  }
}
