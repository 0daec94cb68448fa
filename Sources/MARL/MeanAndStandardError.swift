import Autodiff

/// The sample mean x̄ = (1/m) Σₖ xₖ of m ≥ 2 independent draws and its standard error
/// √(Σₖ (xₖ − x̄)² / (m(m − 1))): the unbiased sample variance divided by m, square-rooted.
/// Every Monte-Carlo estimate of a return in this library reports it.
///
/// Source: the standard error of the mean, with Bessel's m − 1 in the sample variance.
func meanAndStandardError(_ x: [Double]) -> (mean: Double, standardError: Double) {
  let m = x.count
  ensure(m >= 2, "meanAndStandardError: needs at least 2 values, got \(m)")
  let mean = x.reduce(0, +) / Double(m)
  let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(m - 1)
  return (mean, (variance / Double(m)).squareRoot())
}
