import ChoSoCore
import Foundation
import VietQR

/// Any bytes as an uploaded CSV statement: the table is read within its cell budget (the same
/// table as the unbounded parser, or refused), and the statement reader returns rows or row
/// errors whose amounts are whole đồng a transfer can carry.
let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let table = CSVTable.parse(bytes)
    let cells = table.reduce(0) { $0 + $1.count }
    switch Result(catching: { () throws(CSVTable.ReadError) in try CSVTable.read(bytes, maxCells: 64) }) {
    case .success(let bounded): precondition(bounded == table && cells <= 64, "the bounded read differs")
    case .failure: precondition(cells > 64, "refused within the budget")
    }
    for layout in [nil] + Statement.Layout.all {
        if case .success(let rows) = Statement.read(table, layout: layout, timeZone: vietnam) {
            precondition(rows.allSatisfy { (1...VietQRBuilder.maxAmount).contains($0.amount) }, "an amount out of range")
        }
    }
    // The text as one amount, too.
    if let amount = Statement.parseAmount(String(decoding: bytes, as: UTF8.self)) {
        precondition(amount.magnitude <= VietQRBuilder.maxAmount.magnitude, "an amount out of range")
    }
    return 0
}

// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("CSVFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzCSV)
}
