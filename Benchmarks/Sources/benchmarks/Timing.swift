import Foundation

/// The median time of one call of `body`, in microseconds: a warm-up, then `rounds` timed loops of
/// `iterations` calls each; the median over rounds is robust to the odd slow round.
func medianMicroseconds(iterations: Int, rounds: Int = 15, _ body: () -> Void) -> Double {
  for _ in 0..<max(1, iterations / 4) { body() }  // warm-up
  var perCall: [Double] = []
  for _ in 0..<rounds {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<iterations { body() }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
    perCall.append(elapsed / Double(iterations) / 1000)
  }
  perCall.sort()
  return perCall[perCall.count / 2]
}

/// Keeps a value alive so the optimiser cannot delete the work that produced it.
@inline(never)
func consume<T>(_ value: T) { withExtendedLifetime(value) {} }
