// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way, downwards (DESIGN.md §3):
// VietQR, QRImage  <-  ChoSoCore  <-  ChoSoApp  <-  choso
// The pure targets never import Vapor or Fluent, so their tests build in seconds.
let package = Package(
    name: "ChoSo",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "choso", targets: ["choso"]),
        .library(name: "VietQR", targets: ["VietQR"]),
        .library(name: "QRImage", targets: ["QRImage"]),
        .library(name: "ChoSoCore", targets: ["ChoSoCore"]),
        // For the fuzzers of the XLSX reader (Fuzz/).
        .library(name: "Spreadsheet", targets: ["Spreadsheet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3" ..< "5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "VietQR",
            resources: [.copy("Resources/banks.json")]
        ),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "QRImage", dependencies: ["CQRencode", "CZlib"]),
        // XLSX reading (statement imports) and writing (exports): ZIP, deflate, a small XML scanner.
        .target(name: "Spreadsheet", dependencies: ["CZlib"]),
        .target(
            name: "ChoSoCore",
            dependencies: [
                "VietQR",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ChoSoApp",
            dependencies: [
                "ChoSoCore",
                "QRImage",
                "Spreadsheet",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/Views"), .copy("Resources/Public"), .copy("Resources/openapi.json"), .copy("Resources/Demo")]
        ),
        .executableTarget(
            name: "choso",
            dependencies: [
                "ChoSoApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The conformance vectors are read from the source tree by path; they are not resources.
        .testTarget(name: "VietQRTests", dependencies: ["VietQR", "ChoSoCore"], exclude: ["Fixtures"]),
        .testTarget(name: "QRImageTests", dependencies: ["QRImage", "VietQR", "ChoSoCore", "CZlib"]),
        .testTarget(name: "ChoSoCoreTests", dependencies: ["ChoSoCore", "Spreadsheet"], exclude: ["Fixtures"]),
        .testTarget(
            name: "ChoSoAppTests",
            dependencies: [
                "ChoSoApp",
                "ChoSoCore",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
