import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

@Suite struct QRAPITests {
    static let acb = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN62150811Chuyen tien6304BBB8"

    @Test func decodeAnswersWithTheReading() async throws {
        try await withTestApp { app in
            let valid = try await app.api(.POST, "/api/v1/qr/decode", json: #"{"payload":"\#(Self.acb)"}"#)
            #expect(valid.status == .ok)
            let body = try #require(try valid.json() as? [String: Any])
            #expect(body["valid"] as? Bool == true)
            #expect(body["scheme"] as? String == "vietqr")
            #expect(body["bin"] as? String == "970416")
            #expect(body["amount"] as? Int == 1000)
            #expect(body["purpose"] as? String == "Chuyen tien")

            let broken = String(Self.acb.dropLast()) + "5"
            let invalid = try await app.api(.POST, "/api/v1/qr/decode", json: #"{"payload":"\#(broken)"}"#)
            #expect(invalid.status == .ok)
            #expect(invalid.text.contains(#""valid":false"#))
            #expect(invalid.text.contains(#""code":"crc_mismatch""#))

            let lowercase = "00020101021138540010A00000072701240006970422011003523509170208QRIBFTTA53037045802VN630479db"
            let lenient = try await app.api(.POST, "/api/v1/qr/decode", json: #"{"payload":"\#(lowercase)","lenient":true}"#)
            #expect(lenient.text.contains(#""valid":true"#))
            #expect(lenient.text.contains("lowercase_crc"))

            let missing = try await app.api(.POST, "/api/v1/qr/decode", json: #"{"text":"x"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.errorCode() == "bad_body")
        }
    }

    @Test func encodeMakesCacheableCodes() async throws {
        try await withTestApp { app in
            let path = "/api/v1/qr/encode?bin=970405&account=1234567890123&amount=200000&purpose=C%C3%B4%20Ba%20tr%E1%BA%A3%20ti%E1%BB%81n"
            let payload = try await app.api(.GET, path)
            #expect(payload.status == .ok)
            #expect(payload.text.hasPrefix("000201010212"))
            #expect(payload.text.contains("0814Co Ba tra tien"))
            #expect(payload.headers.first(name: .cacheControl)?.contains("immutable") == true)
            let etag = try #require(payload.headers.first(name: .eTag))

            let again = try await app.api(.GET, path, headers: [("If-None-Match", etag)])
            #expect(again.status == .notModified)

            let png = try await app.api(.GET, path + "&format=png&scale=4")
            #expect(png.headers.contentType?.description == "image/png")
            #expect(Array(png.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            #expect(png.headers.first(name: .eTag) != etag)

            let svg = try await app.api(.GET, path + "&format=svg")
            #expect(svg.text.hasPrefix("<svg"))
            let json = try await app.api(.GET, path + "&format=json")
            #expect((try json.json() as? [String: String])?["payload"] == payload.text)
        }
    }

    @Test(arguments: [
        ("bin=9704&account=1", "bad_bin"), ("bin=970405&account=12-3", "bad_account"), ("bin=970405&account=1&amount=0", "bad_amount"),
        ("bin=970405&account=1&amount=abc", "bad_amount"), ("bin=970405&account=1&format=gif", "bad_parameter"),
        ("bin=970405&account=1&format=png&scale=99", "bad_parameter"), ("account=1", "bad_bin"),
    ])
    func badParametersAreNamed(query: String, code: String) async throws {
        try await withTestApp { app in
            let response = try await app.api(.GET, "/api/v1/qr/encode?" + query)
            #expect(response.status == .badRequest)
            #expect(response.errorCode() == code)
        }
    }

    @Test func bankDirectoryIsPublicWithProvenance() async throws {
        try await withTestApp { app in
            let response = try await app.api(.GET, "/api/v1/banks")
            #expect(response.status == .ok)
            let banks = try #require(try response.json() as? [[String: Any]])
            let viettel = try #require(banks.first { $0["bin"] as? String == "971005" })
            #expect(viettel["verified"] as? Bool == false)
            #expect((viettel["source"] as? String)?.isEmpty == false)
        }
    }
}
