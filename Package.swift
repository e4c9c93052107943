// swift-tools-version: 6.1
import PackageDescription

// The module graph follows ../shared/ARCHITECTURE.md: dependencies point one way, from the tools
// down through PGClient to the sans-I/O core, PGWire.
let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "pgwire-swift",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PGWire", targets: ["PGWire"]),
        .library(name: "PGClient", targets: ["PGClient"]),
        .library(name: "PGLocalCluster", targets: ["PGLocalCluster"]),
        .library(name: "Financbase", targets: ["Financbase"]),
        .executable(name: "financbase-db", targets: ["financbase-db"]),
        .executable(name: "pgping", targets: ["pgping"]),
        .executable(name: "pgwire-fuzz", targets: ["pgwire-fuzz"]),
        .executable(name: "pgwire-local-cluster", targets: ["pgwire-local-cluster"]),
        .executable(name: "pgwire-bench", targets: ["pgwire-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        // `swift package generate-documentation` for the DocC catalogs; no code of it is linked.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.4.0"),
        // zlib for Financbase's backups, on the system's libz (zlib1g-dev): a small, maintained
        // wrapper over ByteBuffer with streaming deflate and inflate, nothing else pulled in.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "PGWire",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "PGClient",
            dependencies: [
                "PGWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSwift6
        ),
        // The pool's state machine driven by random events and checked against a model: shared by
        // the pool's random tests and pgwire-fuzz's `pool` entry (not a product).
        .target(
            name: "PGPoolTestSupport",
            dependencies: ["PGClient", "PGWireTestSupport"],
            swiftSettings: strictSwift6
        ),
        // The request pipeline driven against a simulated server and checked against a model:
        // shared by the pipeline's random tests and pgwire-fuzz's `pipeline` entry; and the event
        // sources every scenario draws from (not a product).
        .target(
            name: "PGWireTestSupport",
            dependencies: ["PGWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "PGLocalCluster",
            dependencies: [
                // NIO for the fault-injecting proxy.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // The test CA's certificates, made in-process.
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "Financbase",
            dependencies: [
                "PGClient",
                // PGWire for SCRAMVerifier (role passwords never sent in clear), Crypto for the
                // migrations' SHA-256 checksums.
                "PGWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                // Backups: the data section is one zlib stream (see Backup/BackupFileFormat.swift).
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            resources: [.copy("Migrations/SQL")],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "financbase-db",
            dependencies: [
                "Financbase",
                "PGClient",
                "PGLocalCluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "pgping",
            dependencies: [
                "PGClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "pgwire-local-cluster",
            dependencies: [
                "PGLocalCluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "pgwire-bench",
            dependencies: [
                "PGClient",
                "PGWire",
                "PGLocalCluster",
                // --telemetry: the cost of tracing, with a tracer of the bench's and an in-memory one.
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // --no-socket: the driver's work per statement on an EmbeddedChannel.
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "pgwire-fuzz",
            // PGClient for its connection-string parsers, COPY rows and the pool's state machine,
            // reached through `package` access.
            dependencies: [
                "PGWire",
                "PGClient",
                "PGPoolTestSupport",
                "PGWireTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "PGWireTests",
            dependencies: ["PGWire", "PGWireTestSupport"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "PGClientTests",
            dependencies: [
                "PGClient", "PGLocalCluster", "PGPoolTestSupport", "PGWireTestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "FinancbaseTests",
            dependencies: [
                "Financbase", "PGClient", "PGLocalCluster",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                // For the articles' samples, compiled in DocSamples.swift.
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSwift6
        ),
    ]
)
