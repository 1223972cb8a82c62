import Spreadsheet

/// Any bytes as an uploaded workbook: the reader returns a table or throws a `ReadError` (never
/// traps, hangs or runs out of memory), and a table it returns keeps within its limits.
let limits = XLSX.Limits(cells: 200_000, rows: 50_000, sharedStrings: 50_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let table = try? XLSX.firstSheet(bytes, limits: limits) {
        precondition(table.count <= limits.rows, "more rows than the limit")
        precondition(table.reduce(0) { $0 + $1.count } <= limits.cells, "more cells than the limit")
    }
    return 0
}

// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("XLSXFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzXLSX)
}
