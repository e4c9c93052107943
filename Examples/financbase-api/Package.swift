// swift-tools-version: 6.1
import PackageDescription

// The Financbase HTTP API: a service on the library, in a package of its own so that linking the
// library never pulls in a web framework (../../ARCHITECTURE decision 10). It depends on the root
// package by path.
let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "financbase-api",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "financbase-api", targets: ["financbase-api"])
    ],
    dependencies: [
        // Named, so that the products resolve whatever the checkout folder is called.
        .package(name: "pgwire-swift", path: "../.."),
        // No swift-configuration: the service reads its few settings from the environment itself.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // HS256 bearer tokens: verification, expiry and claims by a maintained JWT package.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The process entry makes SwiftNIO's event loops Swift's global executor.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        // The application: everything but the process entry, so the tests build the same app.
        .target(
            name: "FinancbaseAPI",
            dependencies: [
                .product(name: "Financbase", package: "pgwire-swift"),
                .product(name: "PGClient", package: "pgwire-swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "financbase-api",
            dependencies: [
                "FinancbaseAPI", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "FinancbaseAPITests",
            dependencies: [
                "FinancbaseAPI",
                .product(name: "Financbase", package: "pgwire-swift"),
                .product(name: "PGClient", package: "pgwire-swift"),
                .product(name: "PGLocalCluster", package: "pgwire-swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
    ]
)
