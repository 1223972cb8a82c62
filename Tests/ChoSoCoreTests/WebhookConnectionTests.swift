import ChoSoCore
import Foundation
import Testing

/// Connection kinds, the secret vault, and signed deliveries checked by the same code as real traffic.
@Suite struct WebhookConnectionTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test func onlyTheProvidersOwnModesExist() {
        #expect(WebhookConnectionKind(provider: "sepay", auth: nil)?.auth == .apiKey)
        #expect(WebhookConnectionKind(provider: "casso", auth: nil)?.auth == .cassoV2)
        #expect(WebhookConnectionKind(provider: "payos", auth: "checksum")?.auth == .checksum)
        #expect(WebhookConnectionKind(provider: "generic", auth: "hmac") != nil)
        #expect(WebhookConnectionKind(provider: "payos", auth: "api_key") == nil)
        #expect(WebhookConnectionKind(provider: "momo", auth: nil) == nil)
        #expect(WebhookConnectionKind(provider: "sepay", auth: "v2") == nil)
        #expect(WebhookConnectionKind(provider: "sepay", auth: "") == nil)
    }

    @Test func vaultSealsAndOpensAndRefusesAnotherKey() {
        let vault = SecretVault(masterKey: String(repeating: "k", count: 32))
        let sealed = vault.seal("sample-sepay-webhook-secret-0001")
        #expect(!sealed.contains("sample"))
        #expect(vault.seal("same") != vault.seal("same"), "a fresh nonce each time")
        #expect(vault.open(sealed) == "sample-sepay-webhook-secret-0001")
        #expect(SecretVault(masterKey: String(repeating: "x", count: 32)).open(sealed) == nil)
        var altered = Array(Data(base64Encoded: sealed)!)
        altered[altered.count - 1] ^= 1
        #expect(vault.open(Data(altered).base64EncodedString()) == nil)
        #expect(SecretVault.generateSecret().count == 64)
        #expect(SecretVault.generateSecret() != SecretVault.generateSecret())
    }

    @Test func hashedKeysAreCheckedWithoutKeepingThem() throws {
        let sepay = try #require(WebhookConnectionKind(provider: "sepay", auth: "api_key"))
        let stored = WebhookConnectionKind.StoredSecret.hash(SecretVault.hash("sample-sepay-api-key-0001"))
        let body = WebhookTests.body("sepay-1.json")
        try sepay.verify(header: { $0 == "Authorization" ? "Apikey sample-sepay-api-key-0001" : nil }, body: body, secret: stored)
        #expect(throws: WebhookError.unauthorized("wrong or missing API key")) {
            try sepay.verify(header: { $0 == "Authorization" ? "Apikey sample-sepay-api-key-0002" : nil }, body: body, secret: stored)
        }
        #expect(throws: WebhookError.unauthorized("wrong or missing API key")) {
            try sepay.verify(header: { _ in nil }, body: body, secret: stored)
        }
        let casso = try #require(WebhookConnectionKind(provider: "casso", auth: "secure_token"))
        let token = WebhookConnectionKind.StoredSecret.hash(SecretVault.hash("sample-casso-secure-token-0001"))
        try casso.verify(header: { $0 == "Secure-Token" ? "sample-casso-secure-token-0001" : nil }, body: [], secret: token)
        #expect(throws: WebhookError.self) { try casso.verify(header: { _ in "wrong" }, body: [], secret: token) }
        // A sealed-secret mode given a hash (a corrupted row) refuses rather than guessing.
        let generic = try #require(WebhookConnectionKind(provider: "generic", auth: nil))
        #expect(throws: WebhookError.unauthorized("the connection's secret is not usable")) {
            try generic.verify(header: { _ in nil }, body: [], secret: token)
        }
    }

    static let sample = IncomingTransfer(
        provider: "", providerTransactionID: "90817", accountNumber: "1234567890123", amount: 200_000, direction: .incoming,
        description: "MBVCB.3278907687.CS7K2M9Q4.CT tu 0123 NGUYEN VAN A", reference: "FT2433", counterAccountName: "NGUYEN VAN A",
        bankTime: Date(timeIntervalSince1970: 1_764_000_000))

    @Test(arguments: WebhookConnectionKind.allowed.flatMap { provider, modes in modes.map { WebhookConnectionKind(provider: provider.rawValue, auth: $0.rawValue)! } })
    func builtDeliveriesPassTheChecksAndDecodeBack(kind: WebhookConnectionKind) throws {
        let now = Date(timeIntervalSince1970: 1_764_000_100)
        let delivery = WebhookDeliveryBuilder.make(Self.sample, kind: kind, secret: "s3cret-key-for-tests", now: now, timeZone: Self.vietnam)
        let stored: WebhookConnectionKind.StoredSecret = kind.secretStorage == .hashed
            ? .hash(SecretVault.hash("s3cret-key-for-tests")) : .plain("s3cret-key-for-tests")
        try kind.verify(header: delivery.header, body: delivery.body, secret: stored, now: now)
        guard case .transfers(let transfers) = try kind.decode(delivery.body, timeZone: Self.vietnam) else {
            Issue.record("not decoded as transfers")
            return
        }
        let transfer = try #require(transfers.first)
        #expect(transfers.count == 1)
        #expect(transfer.provider == kind.provider.rawValue)
        #expect(transfer.accountNumber == "1234567890123")
        #expect(transfer.amount == 200_000)
        #expect(transfer.direction == .incoming)
        #expect(transfer.description == Self.sample.description)
        #expect(transfer.bankTime == Self.sample.bankTime)
        #expect(PaymentCode.find(in: transfer.description) == ["CS7K2M9Q4"])

        // The same delivery under another secret, or altered by one byte, is refused.
        let wrong: WebhookConnectionKind.StoredSecret = kind.secretStorage == .hashed ? .hash(SecretVault.hash("other")) : .plain("other")
        #expect(throws: WebhookError.self) { try kind.verify(header: delivery.header, body: delivery.body, secret: wrong, now: now) }
        if kind.secretStorage == .sealed {
            var tampered = delivery.body
            let index = try #require(tampered.firstIndex(of: UInt8(ascii: "2")))
            tampered[index] = UInt8(ascii: "3")
            #expect(throws: WebhookError.self) { try kind.verify(header: delivery.header, body: tampered, secret: stored, now: now) }
        }
    }
}
