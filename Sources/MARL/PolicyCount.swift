import Autodiff
import Foundation  // log10, pow

/// A number of deterministic policies, which grows doubly exponentially in the horizon: exact while it
/// fits in an Int, and always as log₁₀ (and as a Double, which becomes +∞ beyond 10³⁰⁸).
public struct PolicyCount: Sendable, CustomStringConvertible {
  /// The count itself, or nil when it does not fit in an Int (> 9.2·10¹⁸).
  public let exact: Int?
  /// log₁₀ of the count.
  public let log10: Double

  /// The count as a Double: exact below 2⁵³, then rounded, +∞ past Double's range.
  public var double: Double { exact.map(Double.init) ?? Foundation.pow(10, log10) }

  /// "2187", or "≈ 10^1234.56" when too big for an Int.
  public var description: String {
    if let exact { return String(exact) }
    return "≈ 10^" + String(format: "%.2f", log10)
  }

  /// The number of deterministic joint policies of a Dec-POMDP with these |Aᵢ|, |Oᵢ| and horizon h:
  ///
  ///     Πᵢ |Aᵢ|^((|Oᵢ|ʰ − 1)/(|Oᵢ| − 1)),
  ///
  /// one action per observation history of length 0…h−1 (the exponent is h when |Oᵢ| = 1).
  /// Source: Oliehoek & Amato (2016), ch. 3; Bernstein et al. (2002) for the doubly exponential growth.
  public static func jointPolicies(actionCounts: [Int], observationCounts: [Int], horizon h: Int) -> PolicyCount {
    ensure(
      actionCounts.count == observationCounts.count,
      "PolicyCount: actionCounts has \(actionCounts.count) agents, observationCounts \(observationCounts.count)")
    var exact: Int? = 1
    var logCount = 0.0
    for (actions, observations) in zip(actionCounts, observationCounts) {
      let local = localPolicies(actionCount: actions, observationCount: observations, horizon: h)
      logCount += local.log10
      if let e = exact, let l = local.exact {
        let (product, overflow) = e.multipliedReportingOverflow(by: l)
        exact = overflow ? nil : product
      } else {
        exact = nil
      }
    }
    return PolicyCount(exact: exact, log10: logCount)
  }

  /// The number of deterministic local policies of one agent, |Aᵢ|^((|Oᵢ|ʰ − 1)/(|Oᵢ| − 1)).
  public static func localPolicies(actionCount: Int, observationCount: Int, horizon h: Int) -> PolicyCount {
    ensure(
      actionCount >= 1 && observationCount >= 1 && h >= 0,
      "PolicyCount: need |Aᵢ| ≥ 1, |Oᵢ| ≥ 1, h ≥ 0; got \(actionCount), \(observationCount), \(h)")
    // The number of decision nodes, exactly if it fits, and as a Double for the logarithm.
    let k = Double(observationCount)
    let nodesAsDouble = observationCount == 1 ? Double(h) : (Foundation.pow(k, Double(h)) - 1) / (k - 1)
    let logCount = nodesAsDouble * Foundation.log10(Double(actionCount))
    var exact: Int? = 1
    if nodesAsDouble < 1e15 {
      let nodes = ObservationHistory.nodeCount(observationCount: observationCount, horizon: h)
      for _ in 0..<min(nodes, 64) {
        guard let e = exact else { break }
        let (product, overflow) = e.multipliedReportingOverflow(by: actionCount)
        exact = overflow ? nil : product
      }
      if nodes > 64 && actionCount > 1 { exact = nil }  // ≥ 2⁶⁴ > Int.max
    } else {
      exact = actionCount == 1 ? 1 : nil
    }
    return PolicyCount(exact: exact, log10: logCount)
  }
}

extension DecPOMDP {
  /// The number of decision nodes in agent i's policy tree, Σ_{t<h} |Oᵢ|ᵗ = (|Oᵢ|ʰ − 1)/(|Oᵢ| − 1).
  public func decisionNodeCount(of agent: Int) -> Int {
    ObservationHistory.nodeCount(observationCount: observationCounts[agent], horizon: horizon)
  }

  /// |Aᵢ|^((|Oᵢ|ʰ − 1)/(|Oᵢ| − 1)), agent i's number of deterministic local policies.
  public func localPolicyCount(of agent: Int) -> PolicyCount {
    PolicyCount.localPolicies(actionCount: actionCounts[agent], observationCount: observationCounts[agent], horizon: horizon)
  }

  /// Πᵢ |Aᵢ|^((|Oᵢ|ʰ − 1)/(|Oᵢ| − 1)), the number of deterministic joint policies.
  public var jointPolicyCount: PolicyCount {
    PolicyCount.jointPolicies(actionCounts: actionCounts, observationCounts: observationCounts, horizon: horizon)
  }

  /// Every deterministic local policy of agent i, in odometer order (node 0 the slowest digit, the
  /// last node the fastest): the |Aᵢ|^nodes trees counted by `localPolicyCount(of:)`.
  public func localPolicies(of agent: Int) -> LocalPolicySequence {
    LocalPolicySequence(actionCount: actionCounts[agent], observationCount: observationCounts[agent], horizon: horizon)
  }
}

/// The lazy sequence of all policy trees with given |Aᵢ|, |Oᵢ| and h, in odometer order.
public struct LocalPolicySequence: Sequence, Sendable {
  let actionCount: Int, observationCount: Int, horizon: Int

  /// An iterator that counts through the trees like an odometer in base |Aᵢ|.
  public struct Iterator: IteratorProtocol, Sendable {
    var current: PolicyTree?
    let actionCount: Int

    /// The next tree, or nil after the last (all actions |Aᵢ| − 1).
    public mutating func next() -> PolicyTree? {
      guard let tree = current else { return nil }
      var following = tree
      current = following.advance(actionCount: actionCount) ? following : nil
      return tree
    }
  }

  /// Starts at the tree that takes action 0 everywhere.
  public func makeIterator() -> Iterator {
    let nodes = ObservationHistory.nodeCount(observationCount: observationCount, horizon: horizon)
    return Iterator(
      current: PolicyTree(observationCount: observationCount, horizon: horizon, actions: [Int](repeating: 0, count: nodes)),
      actionCount: actionCount)
  }
}
