import Foundation

// Reference timings of the same workloads in PyTorch (eager) and numpy (hand-written backward pass),
// float64, one thread, median, in microseconds, measured on a comparable 2-core x86-64 machine and not
// re-measured here: see Benchmarks/README.md.
let pytorch: [String: Double] = ["W1": 132, "W2": 777, "W3": 1008, "W4": 2064, "W5": 1196]
let numpy: [String: Double] = ["W1": 11, "W2": 385, "W3": 887, "W4": 2616]
/// The targets (Benchmarks/README.md), as the largest allowed ratio to PyTorch (W3: a rate instead).
let targetRatio: [String: Double] = ["W1": 0.5, "W2": 1, "W4": 1, "W5": 1]
let numpyW3GFLOPs = 38.0
let w3TargetGFLOPs = 0.3 * numpyW3GFLOPs

var rows: [String] = []
var json: [String] = []
print("workload  median µs   GFLOP/s   vs PyTorch   vs numpy   target")
for workload in makeWorkloads() {
  let microseconds = medianMicroseconds(iterations: workload.iterations, workload.run)
  let gflops = workload.flops.map { $0 / microseconds / 1000 }
  let ratioTorch = pytorch[workload.id].map { microseconds / $0 }
  let ratioNumpy = numpy[workload.id].map { microseconds / $0 }
  let met: Bool
  let targetText: String
  if workload.id == "W3" {
    met = (gflops ?? 0) >= w3TargetGFLOPs
    targetText = String(format: "≥ %.1f GFLOP/s", w3TargetGFLOPs)
  } else {
    met = (ratioTorch ?? .infinity) <= targetRatio[workload.id]!
    targetText = String(format: "≤ %.1f× PyTorch", targetRatio[workload.id]!)
  }
  let cells = [
    workload.id.padding(toLength: 8, withPad: " ", startingAt: 0),
    String(format: "%10.1f", microseconds),
    (gflops.map { String(format: "%.1f", $0) } ?? "—").leftPadded(9),
    (ratioTorch.map { String(format: "%.2f×", $0) } ?? "—").leftPadded(11),
    (ratioNumpy.map { String(format: "%.2f×", $0) } ?? "—").leftPadded(10),
    "  " + targetText + " " + (met ? "✓" : "✗"),
  ]
  print(cells.joined(separator: " "))
  json.append(
    "{\"id\": \"\(workload.id)\", \"description\": \"\(workload.description)\", \"median_us\": \(String(format: "%.2f", microseconds)), "
      + "\"gflops\": \(gflops.map { String(format: "%.2f", $0) } ?? "null"), \"ratio_pytorch\": \(ratioTorch.map { String(format: "%.3f", $0) } ?? "null"), \"target_met\": \(met)}"
  )
}
print("\n[\n  " + json.joined(separator: ",\n  ") + "\n]")

extension String {
  /// The string right-aligned in a field of `width` characters.
  func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
