/// Every chapter program, in book order. A new chapter joins the tests (and the book) by adding its
/// executable's name here, after adding it to `chapters` in Package.swift.
let chapterExecutables = [
  "chapter00-autodiff",
  "chapter01-decpomdp",
]
