/// Exercise 0.3: a topological order of a computation graph.
///
/// Reverse mode visits the graph from the output back to the inputs, and a node may pass on its
/// gradient only once it has received every contribution. So we need the nodes in an order where each
/// node comes after all of its inputs (a topological order); the backward pass walks it in reverse.
///
/// The graph has nodes 0…n−1; `inputs[v]` lists the nodes that node v reads (possibly with repeats,
/// as in y = x·x). Return every node that `root` depends on, `root` included, each exactly once, each
/// after all of its inputs. Nodes that `root` does not depend on must not appear.
///
/// - Parameters:
///   - inputs: for each node, the nodes it reads. The graph has no cycles.
///   - root: the output node.
/// - Returns: the reachable nodes in a topological order (so `root` is last).
///
/// Hint: a depth-first search that appends a node after visiting its inputs. Graphs can be chains of
/// hundreds of thousands of ops, deeper than the call stack: keep your own stack instead of recursing.
public func topologicalOrder(inputs: [[Int]], root: Int) throws -> [Int] {
  // BEGIN SOLUTION
  // Each node is pushed twice: once to expand it (push its inputs), once to emit it after them.
  var emitted = [Bool](repeating: false, count: inputs.count)
  var expanded = [Bool](repeating: false, count: inputs.count)
  var order: [Int] = []
  var pending: [(node: Int, inputsDone: Bool)] = [(root, false)]
  while let (node, inputsDone) = pending.popLast() {
    if inputsDone {
      if !emitted[node] {
        emitted[node] = true
        order.append(node)
      }
    } else if !expanded[node] {
      expanded[node] = true
      pending.append((node, true))
      for input in inputs[node].reversed() where !expanded[input] { pending.append((input, false)) }
    }
  }
  return order
  // END SOLUTION
}
