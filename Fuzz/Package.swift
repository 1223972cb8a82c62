// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the parsers that read what others send (the VietQR parser, uploaded
// XLSX and CSV statements, webhook bodies), in their own package so that normal builds never see
// the fuzzers' entry points. See Fuzz/README.md.
let package = Package(
    name: "ChoSoFuzz",
    dependencies: [.package(name: "ChoSo", path: "..")],
    targets: [
        .executableTarget(
            name: "VietQRFuzzer",
            dependencies: [.product(name: "VietQR", package: "ChoSo")]
        ),
        .executableTarget(
            name: "XLSXFuzzer",
            dependencies: [.product(name: "Spreadsheet", package: "ChoSo")]
        ),
        .executableTarget(
            name: "CSVFuzzer",
            dependencies: [.product(name: "ChoSoCore", package: "ChoSo"), .product(name: "VietQR", package: "ChoSo")]
        ),
        .executableTarget(
            name: "WebhookFuzzer",
            dependencies: [.product(name: "ChoSoCore", package: "ChoSo"), .product(name: "VietQR", package: "ChoSo")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
