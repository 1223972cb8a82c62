// swift-tools-version:6.0
import PackageDescription

// A libFuzzer target for the VietQR parser, in its own package so that normal builds never see
// the fuzzer's entry point. See Fuzz/README.md.
let package = Package(
    name: "ChoSoFuzz",
    dependencies: [.package(name: "ChoSo", path: "..")],
    targets: [
        .executableTarget(
            name: "VietQRFuzzer",
            dependencies: [.product(name: "VietQR", package: "ChoSo")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
