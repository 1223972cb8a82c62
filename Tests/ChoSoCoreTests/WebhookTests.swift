import ChoSoCore
import Foundation
import Testing

/// Signature checks and decoders against the real sample bodies and the vectors of
/// `shared/reference/webhooks/README.md` (computed independently with Python's hmac).
@Suite struct WebhookTests {
    static func body(_ name: String) -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/webhooks/\(name)")
        return Array((try? Data(contentsOf: url)) ?? Data())
    }

    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    static let signedAt = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func sepayHMACVectors() throws {
        let secret = "sample-sepay-webhook-secret-0001"
        try WebhookSignatures.verifySePayHMAC(
            signature: "sha256=bc71314811a4ea0fe6175671d2ec929c12cf06b4f89f352f7eeb632bd8a9756b", timestamp: "1700000000",
            body: Self.body("sepay-1.json"), secret: secret, now: Self.signedAt)
        try WebhookSignatures.verifySePayHMAC(
            signature: "sha256=ef532af55350bf54811ae949e5418d0156a5920de5c47f938effd508aa438bfd", timestamp: "1700000000",
            body: Self.body("sepay-2.json"), secret: secret, now: Self.signedAt)
        // Signed over the raw bytes: the compact re-serialisation's signature does not fit the file.
        #expect(throws: WebhookError.unauthorized("signature mismatch")) {
            try WebhookSignatures.verifySePayHMAC(
                signature: "sha256=3db0b609adbc8f654fe0bf58c5ee976f8b82c2291a7a47ba891647020c7315a3", timestamp: "1700000000",
                body: Self.body("sepay-1.json"), secret: secret, now: Self.signedAt)
        }
        // Ten minutes late: a replay.
        #expect(throws: WebhookError.unauthorized("timestamp outside the replay window")) {
            try WebhookSignatures.verifySePayHMAC(
                signature: "sha256=bc71314811a4ea0fe6175671d2ec929c12cf06b4f89f352f7eeb632bd8a9756b", timestamp: "1700000000",
                body: Self.body("sepay-1.json"), secret: secret, now: Self.signedAt.addingTimeInterval(600))
        }
    }

    @Test func payOSVectors() throws {
        let documentedKey = "1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675"
        try WebhookSignatures.verifyPayOS(body: Self.body("payos-1.json"), checksumKey: documentedKey)
        // payos-2's signature was made with an unpublished key: it must be refused.
        #expect(throws: WebhookError.self) { try WebhookSignatures.verifyPayOS(body: Self.body("payos-2.json"), checksumKey: documentedKey) }
    }

    @Test func cassoVectors() throws {
        let documentedKey = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
        let header = "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3"
        try WebhookSignatures.verifyCassoV2(header: header, body: Self.body("casso-1.json"), key: documentedKey, now: Date(timeIntervalSince1970: 1_727_948_258))
        let sample = "t=1700000000000,v1=56c072e7c63be701111f5707ace66b886c1141ece21ecbd4dd0759bb3683269e0ea50a4fbf8ec2d49e678525a260a7e8f4229228a65961e0bb16d71961a23770"
        try WebhookSignatures.verifyCassoV2(header: sample, body: Self.body("casso-1.json"), key: "sample-casso-checksum-key-0001", now: Self.signedAt)
        #expect(throws: WebhookError.self) {
            try WebhookSignatures.verifyCassoV2(header: sample, body: Self.body("casso-1.json"), key: "another key", now: Self.signedAt)
        }
    }

    @Test func amountsNoTransferCanCarryAreRefused() {
        // Beyond the largest VietQR amount (and far beyond: they would overflow the totals).
        func body(_ amount: String) -> [UInt8] {
            Array(#"{"id":"t","accountNumber":"1","amount":\#(amount),"direction":"in","description":"","time":"2026-11-25T08:00:00+07:00"}"#.utf8)
        }
        #expect(throws: WebhookError.malformed("amount is beyond 9.999.999.999.999 đồng")) { try WebhookDecoders.generic(body("10000000000000")) }
        #expect(throws: WebhookError.malformed("amount is beyond 9.999.999.999.999 đồng")) { try WebhookDecoders.generic(body("\"9223372036854775807\"")) }
        for extreme in ["9223372036854775807", "-9223372036854775808", "1e30"] {
            #expect(throws: WebhookError.self) { try WebhookDecoders.generic(body(extreme)) }
        }
        let casso = Array(#"{"error":0,"data":{"id":1,"amount":-99999999999999,"accountNumber":"1"}}"#.utf8)
        #expect(throws: WebhookError.self) { try WebhookDecoders.cassoV2(casso, timeZone: Self.vietnam) }
    }

    @Test func genericSignature() throws {
        let body = Array(#"{"id":"t1","accountNumber":"0011001234567","amount":200000,"direction":"in","description":"CS7K2M9Q4","time":"2026-11-25T08:00:00+07:00"}"#.utf8)
        let signed = Array("1700000000.".utf8) + body
        let mac = Self.hmac(signed, key: "s3cret")
        try WebhookSignatures.verifyGeneric(header: "t=1700000000,v1=\(mac)", body: body, secret: "s3cret", now: Self.signedAt)
        #expect(throws: WebhookError.self) { try WebhookSignatures.verifyGeneric(header: "t=1700000000,v1=\(mac)", body: body + [0x20], secret: "s3cret", now: Self.signedAt) }
        #expect(throws: WebhookError.self) { try WebhookSignatures.verifyGeneric(header: nil, body: body, secret: "s3cret", now: Self.signedAt) }
        guard case .transfers(let transfers) = try WebhookDecoders.generic(body) else { Issue.record("no transfer"); return }
        #expect(transfers.first?.amount == 200_000)
        #expect(transfers.first?.bankTime == Date(timeIntervalSince1970: 1_795_568_400))
    }

    /// HMAC-SHA256 written out here from the definition (RFC 2104), not with the code under test.
    static func hmac(_ message: [UInt8], key: String) -> String {
        var keyBytes = Array(key.utf8)
        if keyBytes.count > 64 { keyBytes = Array(SHA256Reference.digest(keyBytes)) }
        keyBytes += [UInt8](repeating: 0, count: 64 - keyBytes.count)
        let inner = SHA256Reference.digest(keyBytes.map { $0 ^ 0x36 } + message)
        let outer = SHA256Reference.digest(keyBytes.map { $0 ^ 0x5c } + inner)
        return outer.map { String(format: "%02x", $0) }.joined()
    }

    @Test func decodersReadTheSampleBodies() throws {
        guard case .transfers(let sepayIn) = try WebhookDecoders.sepay(Self.body("sepay-1.json"), timeZone: Self.vietnam),
              case .transfers(let sepayOut) = try WebhookDecoders.sepay(Self.body("sepay-2.json"), timeZone: Self.vietnam),
              case .transfers(let cassoV2) = try WebhookDecoders.cassoV2(Self.body("casso-1.json"), timeZone: Self.vietnam),
              case .transfers(let cassoLegacy) = try WebhookDecoders.cassoLegacy(Self.body("casso-2.json"), timeZone: Self.vietnam)
        else { Issue.record("a sample body gave no transfer"); return }
        #expect(sepayIn == [IncomingTransfer(
            provider: "sepay", providerTransactionID: "92704", accountNumber: "0123499999", amount: 2_277_000, direction: .incoming,
            description: "chuyen tien mua iphone", reference: "MBVCB.3278907687",
            bankTime: Date(timeIntervalSince1970: 1_679_727_757))])  // 2023-03-25 14:02:37 +07:00
        #expect(sepayOut.first?.direction == .outgoing)
        #expect(sepayOut.first?.amount == 1_700_000)
        #expect(cassoV2.first?.amount == 599_000)
        #expect(cassoV2.first?.accountNumber == "88888888")
        #expect(cassoV2.first?.counterAccountName == "NGUYEN VAN A")
        #expect(cassoLegacy.first?.reference == "MA_GIAO_DICH_THU_NGHIEM")
        #expect(cassoLegacy.first?.accountNumber == "88888888")
        // payOS's registration test with its documented demo values creates nothing.
        #expect(try WebhookDecoders.payOS(Self.body("payos-1.json"), timeZone: Self.vietnam) == .registrationTest)
    }

    @Test(arguments: [
        #"[]"#, #"{"transferType":"sideways","id":1,"accountNumber":"1","transferAmount":1}"#,
        #"{"transferType":"in","id":1,"accountNumber":"1","transferAmount":12.5}"#, #"{"transferType":"in","accountNumber":"1","transferAmount":1}"#, "not json",
    ])
    func badSePayBodiesAreNamed(text: String) {
        #expect(throws: WebhookError.self) { try WebhookDecoders.sepay(Array(text.utf8), timeZone: Self.vietnam) }
    }
}

/// A plain SHA-256 (FIPS 180-4) for the test's own HMAC, independent of swift-crypto.
enum SHA256Reference {
    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
        0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
        0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
        0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
        0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func digest(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var data = message + [0x80]
        while data.count % 64 != 56 { data.append(0) }
        let bits = UInt64(message.count) * 8
        data += (0..<8).map { UInt8((bits >> (56 - 8 * UInt64($0))) & 0xff) }
        func rotate(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        for chunk in stride(from: 0, to: data.count, by: 64) {
            var w = (0..<16).map { i in (0..<4).reduce(UInt32(0)) { ($0 << 8) | UInt32(data[chunk + 4 * i + $1]) } }
            for i in 16..<64 {
                let s0 = rotate(w[i - 15], 7) ^ rotate(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotate(w[i - 2], 17) ^ rotate(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w.append(w[i - 16] &+ s0 &+ w[i - 7] &+ s1)
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let t1 = hh &+ (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                let t2 = (rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            h = zip(h, [a, b, c, d, e, f, g, hh]).map { $0 &+ $1 }
        }
        return h.flatMap { value in (0..<4).map { UInt8((value >> (24 - 8 * UInt32($0))) & 0xff) } }
    }
}
