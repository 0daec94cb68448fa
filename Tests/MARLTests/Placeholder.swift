import XCTest
final class MARLTestsPlaceholder: XCTestCase { func testPlaceholder() {} }
