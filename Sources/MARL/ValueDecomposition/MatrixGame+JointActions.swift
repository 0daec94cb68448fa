import Autodiff

/// Joint actions of a matrix game by flat index and by components, and its payoff as a table over them.
extension MatrixGame {
  /// The components ⟨u₁, …, uₙ⟩ of the joint action with flat index `index` (agent 1 most significant).
  public func jointActionComponents(_ index: Int) -> [Int] {
    ensure(index >= 0 && index < payoff.count, "jointActionComponents: index \(index) out of range 0..<\(payoff.count)")
    var rest = index
    var u = [Int](repeating: 0, count: actionCounts.count)
    for a in actionCounts.indices.reversed() {
      u[a] = rest % actionCounts[a]
      rest /= actionCounts[a]
    }
    return u
  }

  /// The flat index of the joint action ⟨u₁, …, uₙ⟩ (agent 1 most significant).
  public func jointActionIndex(_ u: [Int]) -> Int {
    ensure(u.count == actionCounts.count, "jointActionIndex: expected \(actionCounts.count) actions, got \(u.count)")
    var index = 0
    for (ua, count) in zip(u, actionCounts) {
      ensure(ua >= 0 && ua < count, "jointActionIndex: action \(ua) out of range 0..<\(count)")
      index = index * count + ua
    }
    return index
  }

  /// Every joint action as its components, in flat-index order: shape [Πₐ |A_a|][n].
  public var allJointActions: [[Int]] { payoff.indices.map(jointActionComponents) }
}
