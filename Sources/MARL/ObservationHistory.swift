import Autodiff

/// The numbering of observation histories ōᵢ = (o¹,…,oᵗ) used by every policy tree in this library.
///
/// The histories of length 0…h−1 over k observations form a complete k-ary tree, numbered breadth first:
/// the empty history is node 0, and the history ō followed by observation o is
///
///     child(ō, o) = k · ō + 1 + o,
///
/// so the histories of length t occupy nodes (kᵗ − 1)/(k − 1) ..< (kᵗ⁺¹ − 1)/(k − 1), in the
/// lexicographic order of their observation sequences (the first observation most significant).
/// The tree has Σ_{t<h} kᵗ = (kʰ − 1)/(k − 1) nodes: one decision per history (Oliehoek & Amato 2016, ch. 3).
public enum ObservationHistory {
  /// Σ_{t<h} kᵗ = (kʰ − 1)/(k − 1) (h when k = 1): the number of histories of length 0…h−1.
  public static func nodeCount(observationCount k: Int, horizon h: Int) -> Int {
    ensure(k >= 1 && h >= 0, "ObservationHistory.nodeCount: need k ≥ 1 and h ≥ 0, got k = \(k), h = \(h)")
    var total = 0, levelSize = 1
    for _ in 0..<h {
      total += levelSize
      levelSize *= k
    }
    return total
  }

  /// child(ō, o) = k · ō + 1 + o: the node of history ō extended by observation o.
  @inline(__always)
  public static func child(of node: Int, observation o: Int, observationCount k: Int) -> Int { k * node + 1 + o }

  /// The node of the history (o¹,…,oᵗ).
  public static func node(of history: [Int], observationCount k: Int) -> Int {
    var node = 0
    for o in history {
      ensure(o >= 0 && o < k, "ObservationHistory.node: observation \(o) out of range 0..<\(k)")
      node = child(of: node, observation: o, observationCount: k)
    }
    return node
  }

  /// The history (o¹,…,oᵗ) of a node: the inverse of `node(of:observationCount:)`.
  public static func history(of node: Int, observationCount k: Int) -> [Int] {
    var history: [Int] = []
    var node = node
    while node > 0 {
      history.append((node - 1) % k)
      node = (node - 1) / k
    }
    return history.reversed()
  }

  /// t = |ō|, the length of the history at a node.
  public static func length(of node: Int, observationCount k: Int) -> Int {
    var t = 0, node = node
    while node > 0 {
      node = (node - 1) / k
      t += 1
    }
    return t
  }
}
