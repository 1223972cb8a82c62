import VietQR

/// Any bytes at all: the parser must answer (never crash, hang or trap), and whatever the strict
/// parser accepts must re-encode to exactly the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVietQRParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if case .success(let qr) = VietQRParser.parse(text, mode: .strict) {
        precondition(qr.reencoded == text, "strict round trip broke")
    }
    _ = VietQRParser.parse(text, mode: .lenient)
    return 0
}

// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("VietQRFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzVietQRParser)
}
