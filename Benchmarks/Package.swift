// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so that the app's build and CI never compile
// package-benchmark. Run: cd Benchmarks && swift package benchmark
let package = Package(
    name: "ChoSoBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "ChoSo", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                .product(name: "ChoSoCore", package: "ChoSo"),
                .product(name: "VietQR", package: "ChoSo"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "QRBenchmarks",
            dependencies: [
                .product(name: "VietQR", package: "ChoSo"),
                .product(name: "QRImage", package: "ChoSo"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/QRBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Codes per second over a payload file, for qr-compare.sh (no benchmark harness, so the
        // figures sit beside the command line and Python ones measured the same way).
        .executableTarget(
            name: "qr-throughput",
            dependencies: [
                .product(name: "ChoSoCore", package: "ChoSo"),
                .product(name: "VietQR", package: "ChoSo"),
                .product(name: "QRImage", package: "ChoSo"),
            ],
            path: "Sources/qr-throughput"
        ),
        // Signed webhooks at a fixed rate or flat out, for the intake's throughput, latency and
        // crash tests (see intake-load.sh and crash-test.sh).
        .executableTarget(
            name: "choso-load",
            dependencies: [
                .product(name: "ChoSoCore", package: "ChoSo"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Sources/choso-load"
        ),
    ],
    swiftLanguageModes: [.v6]
)
