import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

@Suite struct OperationsTests {
    @Test func healthReadinessAndMetrics() async throws {
        try await withTestApp { app in
            let health = try await app.api(.GET, "/healthz")
            #expect(health.status == .ok)
            let ready = try await app.api(.GET, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.text.contains("\"database\":\"ok\""))
            let metrics = try await app.api(.GET, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains(#"http_requests_total{method="GET",route="/readyz",status="200"} 1"#))
            #expect(metrics.text.contains("http_request_duration_seconds_bucket"))
        }
    }

    @Test func unknownRoutesAnswerInTheRightForm() async throws {
        try await withTestApp { app in
            let api = try await app.api(.GET, "/api/v1/nothing-here")
            #expect(api.status == .notFound)
            #expect(api.errorCode() == "not_found")
            let page = try await Browser(app).get("/nothing-here")
            #expect(page.status == .notFound)
            #expect(page.text.contains("Không tìm thấy trang hoặc mục này"))
            #expect(page.headers.contentType?.subType == "html")
        }
    }

    /// The OpenAPI document is kept by hand; this keeps it honest in both directions.
    @Test func openAPIDocumentsEveryAPIRouteAndNothingElse() async throws {
        try await withTestApp { app in
            let response = try await app.api(.GET, "/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(try response.json() as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            let registered = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                return path.hasPrefix("/api/v1/") ? "\(route.method.rawValue) \(path.dropFirst("/api/v1".count))" : nil
            })
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but missing: \(documented.subtracting(registered).sorted())")
        }
    }
}
