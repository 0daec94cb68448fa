import Autodiff
import Dispatch

/// Runs independent jobs (one learning run per seed and variant) on every core and returns their
/// results in job order, while the calling thread reports progress.
///
/// Each job receives its index and a `tick` to call exactly `ticksPerJob` times (after each
/// iteration, say); the calling thread calls `onTick` once per tick, in whatever order the jobs make
/// them, so a progress bar can advance. The results do not depend on the number of cores or on the
/// scheduling: a job must own all its state (its own ``RandomGenerator``, its own networks), so the
/// same seeds give the same numbers whether the jobs run one at a time or side by side.
///
///     let finals = runIndependentJobs(seeds.count, ticksPerJob: iterations, onTick: { progress.advance() }) { s, tick in
///       var rng = RandomGenerator(seed: seeds[s])
///       var learner = MultiAgentPPO(config: config, environment: env, rng: &rng)
///       for _ in 0..<iterations { _ = learner.iterate(using: &rng); tick() }
///       return learner.evaluate(episodes: 500, using: &rng).mean
///     }
///
/// - Complexity: the work of the jobs divided among the cores (`DispatchQueue.concurrentPerform`).
public func runIndependentJobs<Result: Sendable>(
  _ count: Int, ticksPerJob: Int, onTick: () -> Void,
  _ job: @escaping @Sendable (_ index: Int, _ tick: @Sendable () -> Void) -> Result
) -> [Result] {
  ensure(count >= 0 && ticksPerJob >= 0, "runIndependentJobs: negative count \(count) or ticksPerJob \(ticksPerJob)")
  let slots = ResultSlots<Result>(count: count)
  let ticks = DispatchSemaphore(value: 0)
  let done = DispatchGroup()
  done.enter()
  DispatchQueue.global().async {
    DispatchQueue.concurrentPerform(iterations: count) { k in
      let counter = TickCounter()
      let result = job(k) {
        counter.increment()
        ticks.signal()
      }
      ensure(counter.value == ticksPerJob, "runIndependentJobs: job \(k) ticked \(counter.value) times, expected \(ticksPerJob)")
      slots.store(result, at: k)
    }
    done.leave()
  }
  for _ in 0..<(count * ticksPerJob) {
    ticks.wait()
    onTick()
  }
  done.wait()
  return slots.results
}

/// One slot per job, written once by its job under a lock.
private final class ResultSlots<Result>: @unchecked Sendable {
  private var values: [Result?]
  private let lock = DispatchSemaphore(value: 1)
  init(count: Int) { values = Array(repeating: nil, count: count) }
  func store(_ value: Result, at k: Int) {
    lock.wait()
    values[k] = value
    lock.signal()
  }
  var results: [Result] {
    lock.wait()
    defer { lock.signal() }
    return values.map { $0! }
  }
}

/// A job's own tick count (touched only by its job's thread).
private final class TickCounter: @unchecked Sendable {
  private(set) var value = 0
  func increment() { value += 1 }
}
