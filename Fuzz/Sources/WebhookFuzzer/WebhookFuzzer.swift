import ChoSoCore
import Foundation
import VietQR

/// Any body for every provider's decoder: refused with a reason or read into transfers that keep
/// the decoders' promises (an amount a transfer can carry, a plausible bank time, no control
/// characters outside a description's white space).
let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
let now = Date(timeIntervalSince1970: 1_796_007_600)

func check(_ content: WebhookContent) {
    guard case .transfers(let transfers) = content else { return }
    for transfer in transfers {
        precondition((1...VietQRBuilder.maxAmount).contains(transfer.amount), "amount out of range")
        if let time = transfer.bankTime { precondition(BankTime.plausibility(of: time, now: now) == .plausible, "implausible time") }
        precondition(!transfer.providerTransactionID.isEmpty && !transfer.accountNumber.isEmpty, "no id or account")
        for text in [transfer.providerTransactionID, transfer.accountNumber, transfer.reference ?? "", transfer.counterAccountName ?? ""] {
            precondition(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "a control character")
        }
        precondition(!transfer.description.unicodeScalars.contains { $0.value < 0x20 && !["\t", "\n", "\r"].contains($0) }, "a control character")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhooks(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    if let content = try? WebhookDecoders.sepay(body, timeZone: vietnam, now: now) { check(content) }
    if let content = try? WebhookDecoders.cassoV2(body, timeZone: vietnam, now: now) { check(content) }
    if let content = try? WebhookDecoders.cassoLegacy(body, timeZone: vietnam, now: now) { check(content) }
    if let content = try? WebhookDecoders.payOS(body, timeZone: vietnam, now: now) { check(content) }
    if let content = try? WebhookDecoders.generic(body, now: now) { check(content) }
    return 0
}

// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("WebhookFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzWebhooks)
}
