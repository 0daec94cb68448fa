/// The engine under every matrix product: C = op(A) op(B) for each of `batch` independent pairs, where
/// op(X) is X or, when asked, Xᵀ read in place (so that a backward pass never copies a transpose).
///
/// Shapes: op(A) is [m, k], op(B) is [k, n], C is [m, n], all row-major. A stored transposed is [k, m],
/// B stored transposed is [n, k].
///
/// # Why the textbook loop is slow
///
/// Cᵢⱼ = Σₚ Aᵢₚ Bₚⱼ as three nested loops does 2mkn flops, and for every multiply–add it loads two
/// numbers from memory. A core can do two vector multiplies and two vector adds per cycle, each on 4
/// or 8 doubles, but only two or three loads: the loop waits on memory, not on arithmetic. (In the
/// i-j-k order it also walks down a column of B, n·8 bytes between loads, a new cache line each time.)
///
/// # The micro-kernel: a block of C held in registers
///
/// Instead, C is computed in blocks of 4 × 8 entries. Their 32 partial sums stay in vector registers
/// (four `SIMD8<Double>`, one per row of the block) for the whole loop over p, the innermost loop:
///
///     for p in 0..<k:   c[r] += A[i+r, p] · B[p, j..<j+8]      (r = 0…3: one vector multiply and add each)
///
/// Each step loads 8 doubles of B (one vector) and 4 scalars of A, and does 32 multiply–adds: 12
/// numbers loaded per 32 multiply–adds, instead of 2 per 1. The four rows are independent, so the
/// processor overlaps their updates instead of waiting for one to finish before starting the next.
/// How many registers a `SIMD8<Double>` takes depends on the processor: one with AVX-512, two with
/// AVX2, four with SSE2 or NEON (Package.swift compiles this library for the processor that builds it).
///
/// # Packing: each panel of B made contiguous
///
/// The kernel reads a panel B[0..<k, j..<j+8] once for every block of four rows of A, so the panel
/// should stay in the fastest (L1) cache. In a row-major B its rows are n·8 bytes apart; when n is a
/// power of two they all map to the same few cache sets and evict each other. So each panel is first
/// copied into a small contiguous buffer, each row of it one 64-byte cache line, zero-padded when
/// fewer than 8 columns are left (the kernel then needs no special case for the right edge). Copying
/// costs k·n moves against m·k·n multiply–adds. A transposed B differs only in how the panel is copied.
///
/// # Blocking k
///
/// A panel of `depthPerSlab` = 256 values of p is 16 KB, which stays in L1 next to the rows of A being
/// read. A longer sum over p is cut into slabs of 256: the first slab writes the block of C, and each
/// later one adds to it (C += A B), in the same order as one long loop.
///
/// # Edges, few rows, and rounding
///
/// When fewer than 4 rows are left, the kernel reads the last row again in place of the missing ones
/// and writes back only the real rows. A C of fewer than 4 rows in all (one observation through a
/// layer) has no block to fill and no panel to reuse, so it is computed the textbook way instead,
/// adding whole rows of B into each row of C (a transposed B still goes through the panel, which reads
/// it in order). Every Cᵢⱼ is accumulated as ((0 + Aᵢ₀B₀ⱼ) + Aᵢ₁B₁ⱼ) + ⋯ in order of p, with separate
/// multiplies and adds (no fused multiply–add), so the result is bit for bit that of the textbook
/// loop, whatever the path and the vector width of the machine.
func multiplyMatrices(
  _ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, batch: Int,
  transposingA: Bool = false, transposingB: Bool = false
) -> [Double] {
  guard m > 0, n > 0, k > 0 else { return [Double](repeating: 0, count: batch * m * n) }
  // Element (i, p) of op(A) sits at i·aRowStride + p·aColumnStride; element (p, j) of op(B) at
  // p·bRowStride + j·bColumnStride.
  let (aRowStride, aColumnStride) = transposingA ? (1, m) : (k, 1)
  let (bRowStride, bColumnStride) = transposingB ? (1, k) : (n, 1)
  // With fewer rows than a block, no panel would be read more than once: B is then read in place.
  let rowByRow = m < rowsPerBlock && !transposingB
  // The packed panel, 64-byte aligned so that each of its rows is exactly one cache line.
  let panelSize = Swift.min(k, depthPerSlab) * Row.scalarCount
  let panelMemory =
    rowByRow ? nil : UnsafeMutableRawPointer.allocate(byteCount: panelSize * MemoryLayout<Double>.stride, alignment: 64)
  defer { panelMemory?.deallocate() }
  let panel = panelMemory?.bindMemory(to: Double.self, capacity: panelSize)

  // Every entry of C is written (by the first slab, or row by row), so C starts uninitialised.
  return [Double](unsafeUninitializedCapacity: batch * m * n) { cAll, initialised in
    a.withUnsafeBufferPointer { aAll in
      b.withUnsafeBufferPointer { bAll in
        for t in 0..<batch {
          let A = aAll.baseAddress! + t * m * k
          let B = bAll.baseAddress! + t * k * n
          let C = cAll.baseAddress! + t * m * n
          if rowByRow {
            multiplyRowByRow(
              a: A, rowStride: aRowStride, columnStride: aColumnStride, rows: m, depth: k, b: B, columns: n, into: C)
            continue
          }
          for p0 in stride(from: 0, to: k, by: depthPerSlab) {
            let depth = Swift.min(depthPerSlab, k - p0)
            for j in stride(from: 0, to: n, by: Row.scalarCount) {
              let width = Swift.min(Row.scalarCount, n - j)
              // MARK: Pack op(B)[p0..<p0+depth, j..<j+8] into the panel
              packPanel(
                from: B + p0 * bRowStride + j * bColumnStride, rowStride: bRowStride, columnStride: bColumnStride,
                depth: depth, width: width, into: panel!)
              // MARK: C[i..<i+4, j..<j+8] += op(A)[i..<i+4, p0..<p0+depth] · panel, for each block of rows
              for i in stride(from: 0, to: m, by: rowsPerBlock) {
                addBlockProduct(
                  a: A + i * aRowStride + p0 * aColumnStride, rowStride: aRowStride, columnStride: aColumnStride,
                  rows: Swift.min(rowsPerBlock, m - i), depth: depth, panel: panel!,
                  into: C + i * n + j, rowStrideC: n, width: width, startingFromZero: p0 == 0)
              }
            }
          }
        }
      }
    }
    initialised = batch * m * n
  }
}

// MARK: - The blocking

/// One row of a block of C: 8 doubles, held in one vector register (AVX-512), two (AVX2) or four (SSE, NEON).
private typealias Row = SIMD8<Double>
/// The rows of one block of C: the micro-kernel holds 4 × 8 partial sums in four `Row`s.
private let rowsPerBlock = 4
/// The values of p in one slab: a packed panel is 256 × 8 doubles (16 KB), sized for the L1 cache.
private let depthPerSlab = 256

// MARK: - Packing and the micro-kernel

/// Copies op(B)[0..<depth, 0..<width] into `panel` as `depth` rows of 8 contiguous doubles, the
/// columns past `width` set to zero.
@inline(__always)
private func packPanel(
  from source: UnsafePointer<Double>, rowStride: Int, columnStride: Int, depth: Int, width: Int,
  into panel: UnsafeMutablePointer<Double>
) {
  if width == Row.scalarCount && columnStride == 1 {
    // Whole rows of a row-major B: one vector load and store per row.
    for p in 0..<depth {
      storeRow(
        loadRow(from: source + p * rowStride, width: Row.scalarCount), to: panel + p * Row.scalarCount, width: Row.scalarCount)
    }
  } else {
    for p in 0..<depth {
      let target = panel + p * Row.scalarCount
      var element = source + p * rowStride  // op(B)[p, j], for j = 0, 1, …, `columnStride` apart
      for j in 0..<width {
        target[j] = element.pointee
        element += columnStride
      }
      for j in width..<Row.scalarCount { target[j] = 0 }
    }
  }
}

/// The micro-kernel: C[0..<rows, 0..<width] += op(A)[0..<rows, 0..<depth] · panel, where C's rows are
/// `rowStrideC` apart and the panel is `depth` rows of 8 doubles. With `startingFromZero` (the first
/// slab), the sums start from 0 instead of from C, which need not be initialised.
///
/// The 4 × 8 block of C lives in four `Row` registers for the whole loop over p. Missing rows
/// (rows < 4) repeat the last real row of A, and their results are dropped.
@inline(__always)
private func addBlockProduct(
  a: UnsafePointer<Double>, rowStride: Int, columnStride: Int, rows: Int, depth: Int,
  panel: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>, rowStrideC: Int, width: Int,
  startingFromZero: Bool
) {
  let a0 = a
  let a1 = a + Swift.min(1, rows - 1) * rowStride
  let a2 = a + Swift.min(2, rows - 1) * rowStride
  let a3 = a + Swift.min(3, rows - 1) * rowStride
  var (c0, c1, c2, c3) = (Row(), Row(), Row(), Row())
  if !startingFromZero {
    c0 = loadRow(from: c, width: width)
    if rows > 1 { c1 = loadRow(from: c + rowStrideC, width: width) }
    if rows > 2 { c2 = loadRow(from: c + 2 * rowStrideC, width: width) }
    if rows > 3 { c3 = loadRow(from: c + 3 * rowStrideC, width: width) }
  }
  var offset = 0  // p · columnStride
  for p in 0..<depth {
    let b = loadRow(from: panel + p * Row.scalarCount, width: Row.scalarCount)
    c0 += Row(repeating: a0[offset]) * b
    c1 += Row(repeating: a1[offset]) * b
    c2 += Row(repeating: a2[offset]) * b
    c3 += Row(repeating: a3[offset]) * b
    offset &+= columnStride
  }
  storeRow(c0, to: c, width: width)
  if rows > 1 { storeRow(c1, to: c + rowStrideC, width: width) }
  if rows > 2 { storeRow(c2, to: c + 2 * rowStrideC, width: width) }
  if rows > 3 { storeRow(c3, to: c + 3 * rowStrideC, width: width) }
}

// MARK: - Few rows

/// C = op(A) B for a C of a few rows (one observation through a layer) and a row-major B, the textbook
/// way: Cᵢ,: = Σₚ op(A)ᵢₚ Bₚ,:, adding whole rows of B into row i of C (a loop the compiler vectorises).
/// With one row there is nothing for a block of C or a packed panel to reuse.
private func multiplyRowByRow(
  a: UnsafePointer<Double>, rowStride: Int, columnStride: Int, rows: Int, depth: Int,
  b: UnsafePointer<Double>, columns: Int, into c: UnsafeMutablePointer<Double>
) {
  for i in 0..<rows {
    let ci = c + i * columns
    ci.initialize(repeating: 0, count: columns)
    for p in 0..<depth {
      let (aip, bp) = (a[i * rowStride + p * columnStride], b + p * columns)
      for j in 0..<columns { ci[j] += aip * bp[j] }
    }
  }
}

// MARK: - Rows of 8 doubles in and out of memory

/// The first `width` doubles at `source` as a `Row` (zeros after them).
@inline(__always)
private func loadRow(from source: UnsafePointer<Double>, width: Int) -> Row {
  if width == Row.scalarCount { return UnsafeRawPointer(source).loadUnaligned(as: Row.self) }
  var row = Row()
  for j in 0..<width { row[j] = source[j] }
  return row
}

/// Writes the first `width` lanes of `row` to `destination`.
@inline(__always)
private func storeRow(_ row: Row, to destination: UnsafeMutablePointer<Double>, width: Int) {
  if width == Row.scalarCount {
    UnsafeMutableRawPointer(destination).storeBytes(of: row, as: Row.self)
  } else {
    for j in 0..<width { destination[j] = row[j] }
  }
}
